"""Fix intents: what a rule wants changed, in the rule's own terms ("set in_features to 256", "insert Flatten before
this layer", "transpose this input"). edits.py spells them in the user's source."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...core.program import Span


@dataclass
class SetArg:
    """Set a constructor argument of this layer (``target='self'``) or of the layer that produced the input."""
    arg: str
    value: str
    applicability: str = "safe"
    target: str = "self"  # self | producer | producer.layer (the layer inside a wrapper producer)
    title: Optional[str] = None
    per_shape: bool = False


@dataclass
class InsertBefore:
    """Insert a layer (written without module prefix, e.g. ``Flatten()``) just before this one."""
    layer_text: str
    applicability: str = "unsafe"
    title: Optional[str] = None
    per_shape: bool = False


@dataclass
class InsertAfter:
    """Insert a layer (without module prefix) just after this one (``target='self'``) or after the producer."""
    layer_text: str
    applicability: str = "unsafe"
    target: str = "self"
    title: Optional[str] = None
    per_shape: bool = False


@dataclass
class ReplaceText:
    """Replace the source text in ``span`` (e.g. ``'categorical_crossentropy'``) with ``text``."""
    span: Span
    text: str
    applicability: str = "unsafe"
    title: Optional[str] = None


@dataclass
class WrapValue:
    """Append ``suffix`` (``.permute(0, 3, 1, 2)``) to the expression at ``span``, parenthesising it if needed."""
    span: Span
    suffix: str
    applicability: str = "unsafe"
    title: Optional[str] = None


@dataclass
class WrapInput:
    """Rewrite the expression the op's ``index``-th input came from (``k`` in ``torch.matmul(q, k)``).

    ``template`` spells the new expression: ``{x}`` is the input's own text (parenthesised when it is not an atom),
    ``{in0}``, ``{in1}`` ... the text of the op's other inputs (only plain names and attributes, which can be
    repeated without running anything twice), and ``@keras.layers.ZeroPadding2D@`` a library object as this file
    spells it (``layers.ZeroPadding2D`` after ``from keras import layers``). When a placeholder cannot be spelled,
    ``fallback`` (a template without ``{inN}``) is tried. ``also`` lists further inputs rewritten the same way
    (the key and the value of an attention call)."""
    index: int
    template: str
    fallback: Optional[str] = None
    applicability: str = "unsafe"
    title: Optional[str] = None
    also: tuple = ()
    replaces: Optional[str] = None  # a regex for a trailing call the template supersedes (a wrong `.transpose(1, 2)`)
    per_shape: bool = False  # the template's numbers come from this run's shapes (pad sizes)


@dataclass
class WrapCall:
    """Rewrite the call that applies this layer: its input gets ``input_suffix`` and its result ``output_suffix``
    (``self.bn(h)`` -> ``self.bn(h.transpose(1, 2)).transpose(1, 2)``). Display-only where the layer is not
    called on its own (inside an ``nn.Sequential``)."""
    input_suffix: str
    output_suffix: str
    applicability: str = "unsafe"
    title: Optional[str] = None


@dataclass
class ReplaceCall:
    """Replace the whole call that applies this op with ``template``, ``{x}`` standing for its first input's text
    (``h_n.squeeze(0)`` -> ``h_n[-1]``)."""
    template: str
    applicability: str = "unsafe"
    title: Optional[str] = None


@dataclass
class SelectFromTuple:
    """A PyTorch RNN in ``nn.Sequential`` passes its ``(output, state)`` tuple on: insert a small module after it
    that keeps the output at the last time step."""
    applicability: str = "unsafe"
    title: Optional[str] = None


@dataclass
class DisplayOnly:
    title: str
