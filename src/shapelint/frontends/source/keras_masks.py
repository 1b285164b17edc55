"""Keras masks, passed on as Keras 3 passes them (``Layer.__call__``): an ``Embedding(mask_zero=True)`` or a
``Masking`` layer attaches a boolean mask of the steps to its output; a layer that supports masking passes it on;
a layer whose ``call()`` takes ``mask`` receives it when the caller passes none. A custom layer written against the
mask (``x * mask`` on a (batch, steps, features) input and a (batch, steps) mask) is then checked like any other code.

Where the mask is not known it is left out (None, as when there is no mask) -- never guessed.
"""
from __future__ import annotations

import ast
from typing import Optional

from ...core import registry
from ...core.values import Tensor
from .objects import Layer, TensorVal, UserFunction

MASK_DTYPE = "bool"


def _shape(x) -> Optional[tuple]:
    value = x.value if isinstance(x, TensorVal) else x
    return tuple(value.shape) if isinstance(value, Tensor) and value.shape is not None else None


def _returns_sequences(layer: Layer) -> bool:
    """A recurrent layer (or a Bidirectional around one) that returns every step."""
    inner = layer.raw("layer") if layer.kind == "Bidirectional" else layer
    return isinstance(inner, Layer) and inner.raw("return_sequences") is True


def layer_output_mask(layer: Layer, x, out, mask: Optional[Tensor]) -> Optional[Tensor]:
    """The mask Keras attaches to ``out``, the output of built-in ``layer`` on ``x`` (whose mask is ``mask``), from
    the facts declared where the layer's rule is registered; None when there is none or it is not known."""
    if layer.framework != "keras":
        return None
    makes = registry.fact_of(layer, "makes_mask")
    shape = _shape(x)
    if makes == "ids":
        return Tensor(shape, MASK_DTYPE) if layer.raw("mask_zero") is True and shape is not None else None
    if makes == "features":
        return Tensor(shape[:-1], MASK_DTYPE) if shape else None
    keeps = registry.fact_of(layer, "keeps_mask")
    if mask is None or not keeps or (keeps == "sequences" and not _returns_sequences(layer)):
        return None
    return mask if _leads(out, mask) else None


def _leads(out, mask: Tensor) -> bool:
    """Whether ``mask`` still describes the leading axes of ``out`` (one entry per step)."""
    shape = _shape(out)
    return shape is not None and mask.shape is not None and len(shape) >= len(mask.shape) and \
        all(a is None or b is None or a == b for a, b in zip(shape, mask.shape))


def mask_of(x) -> Optional[Tensor]:
    return x.meta.get("keras_mask") if isinstance(x, TensorVal) else None


def with_mask(x, mask: Optional[Tensor]):
    """``x`` carrying ``mask`` (a TensorVal's meta); other values unchanged."""
    if mask is not None and isinstance(x, TensorVal):
        x.meta["keras_mask"] = mask
    return x


def call_mask_argument(fn: UserFunction, args: list, kwargs: dict) -> dict:
    """The keywords a user layer's ``call()`` is given: Keras fills a ``mask`` parameter the caller left out with the
    first input's mask."""
    params = {p.arg for p in fn.node.args.args + fn.node.args.kwonlyargs}
    mask = mask_of(args[0]) if args else None
    if "mask" not in params or kwargs.get("mask") is not None or mask is None:
        return kwargs
    return dict(kwargs, mask=TensorVal(mask, lib=args[0].lib))


def user_layer_keeps_mask(cls) -> bool:
    """A user layer that sets ``self.supports_masking = True`` and leaves ``compute_mask`` alone: its output gets
    its input's mask (a layer that defines ``compute_mask`` decides for itself; not followed, so no mask)."""
    if cls.find_method("compute_mask") is not None:
        return False
    for node in ast.walk(cls.node):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "supports_masking"
                                                for t in node.targets):
            return isinstance(node.value, ast.Constant) and node.value.value is True
    return any(user_layer_keeps_mask(b) for b in cls.bases if hasattr(b, "find_method"))


def keeps_mask_through(cls, out, mask: Optional[Tensor]) -> Optional[Tensor]:
    """The mask on a user layer's output: its input's mask when it keeps masks and the steps are still there."""
    return mask if mask is not None and user_layer_keeps_mask(cls) and _leads(out, mask) else None
