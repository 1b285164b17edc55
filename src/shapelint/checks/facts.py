"""Typed facts of the cross-op checks, kept on their diagnostics (``Diagnostic.facts``) for the root-cause
analysis (rootcause/), which must never read a diagnostic's prose."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True, eq=False)
class DataFacts:
    """Data ``x`` fed by ``call`` to a Keras ``model`` declared for ``declared`` (with its batch axis)."""
    model: Any
    x: Any  # TensorVal
    call: Any  # api.Call
    declared: tuple
    declared_span: Any = None  # where the input is declared (keras.Input(...), input_shape=)
    labels: Optional[Any] = None  # the TensorVal fit() got as labels, if any
    train: Optional[Any] = None  # for validation data: the training data (TensorVal) fit() got beside it


@dataclass(frozen=True, eq=False)
class IdRangeFacts:
    """Integer ids ``x`` (values ``low..high`` inclusive) fed by ``call`` reach ``layer``, an embedding table of
    ``rows`` rows."""
    layer: Any  # core Layer
    x: Any  # TensorVal
    call: Any
    low: int
    high: int
    rows: Any  # the Sized the table size was written with
    arg: str  # the layer argument that sets ``rows``


@dataclass(frozen=True, eq=False)
class LossFacts:
    """A PyTorch loss applied by ``call`` to ``pred`` and ``target`` (TensorVals); ``rule`` the RuleFacts of the
    loss's own shape rule."""
    rule: Any
    call: Any
    pred: Any
    target: Any
    kind: str  # the loss class or function (``CrossEntropyLoss``, ``F.cross_entropy``)


@dataclass(frozen=True, eq=False)
class LabelFacts:
    """Keras labels ``y`` given by ``call`` (fit / evaluate / validation_data) to ``model`` compiled with loss
    ``loss`` (its name as written), whose output in ``run`` has shape ``pred``; ``train_labels`` when ``y`` are the
    validation labels."""
    model: Any
    run: Any
    y: Any
    pred: tuple
    loss: str
    loss_node: Any
    call: Any
    train_labels: Optional[Any] = None
    output: Optional[Any] = None  # the output tensor these labels are for (one of a multi-output model's)


@dataclass(frozen=True, eq=False)
class ModelCallFacts:
    """A Keras model with a declared input (``declared``, with its batch axis) used as a layer on ``given`` inside
    the run driven by ``inference`` (a GAN's discriminator on the generator's output)."""
    model: Any
    declared: Any  # core Tensor
    given: Any  # core Tensor
    inference: Any
