"""The Program IR: a straight-line dataflow program of layer applications, each with its origin.

Every front-end (source AST, live keras.Model, live nn.Module, saved config) produces :class:`Layer` objects and
applies them to values in order; inference (core/infer.py) records each application as an :class:`Op`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .errors import Mismatch, Unresolved
from .values import Tensor


class _Unresolved:
    """Marker for an argument value the front-end could not determine."""
    _inst = None

    def __new__(cls):
        if cls._inst is None:
            cls._inst = super().__new__(cls)
        return cls._inst

    def __repr__(self) -> str:
        return "<unresolved>"

    def __bool__(self) -> bool:
        return False


UNRESOLVED = _Unresolved()


class _TensorIndex:
    """Stands in a ``getitem`` op's ``index`` argument for a tensor used as the whole index (``x[idx]``); the
    tensor itself is the op's second input."""

    def __repr__(self):
        return "TENSOR_INDEX"


TENSOR_INDEX = _TensorIndex()


@dataclass(frozen=True)
class Span:
    """A source range; lines and columns are 1-based, end column exclusive."""
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def of(cls, node) -> Optional["Span"]:
        """The span of an ``ast`` node (ast columns are 0-based; ours are 1-based)."""
        line = getattr(node, "lineno", None)  # one lookup: this runs for every argument of every call
        if line is None:
            return None
        col = node.col_offset
        return cls(line, col + 1, getattr(node, "end_lineno", None) or line,
                   (getattr(node, "end_col_offset", None) or col) + 1)

    def contains(self, other: Optional["Span"]) -> bool:
        """Whether ``other`` lies within this span."""
        return other is not None and (self.line, self.column) <= (other.line, other.column) and \
            (other.end_line, other.end_column) <= (self.end_line, self.end_column)


@dataclass(frozen=True)
class Origin:
    """Where an op comes from: a file position, a module path such as ``features.3``, or both."""
    file: Optional[str] = None
    span: Optional[Span] = None
    path: Optional[str] = None


@dataclass
class Layer:
    """A configured layer (or functional op): framework, class name and its bound constructor arguments.

    ``args`` holds every parameter of the rule's signature (defaults filled in); values the front-end could not
    resolve are :data:`UNRESOLVED`. ``given`` is the set of argument names the user wrote; ``arg_spans`` their
    source spans (for labels and fixes). ``callee`` is the spelling used in the source (``layers.Dense``), which
    fixes reuse when they insert a layer.
    """
    framework: str
    kind: str
    name: str = ""
    args: dict = field(default_factory=dict)
    given: set = field(default_factory=set)
    arg_spans: dict = field(default_factory=dict)
    origin: Origin = field(default_factory=Origin)
    callee: Optional[str] = None
    call_kwargs: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        self.params: Optional[int] = None  # set by the rule when it can count trainable parameters
        self.warnings: list = []  # Mismatch values the rule reports without failing (silent shape bugs)

    def arg(self, name: str) -> Any:
        """An argument's value; raises Unresolved when the front-end could not determine it."""
        value = self.args.get(name)
        if value is UNRESOLVED or _contains_unresolved(value):
            raise Unresolved(name)
        return value

    def raw(self, name: str, default: Any = None) -> Any:
        """An argument's value without the unresolved check (may be UNRESOLVED)."""
        return self.args.get(name, default)

    def warn(self, code: str, **kw) -> None:
        self.warnings.append(Mismatch(code, **kw))

    def input_named(self, xs, name: str, position: int):
        """The input passed as ``name`` (a keyword) or at ``position``, of the inputs ``xs`` the op was applied to
        (the front-end records where each came from in ``extra["input_names"]``); None when it was not passed."""
        names = self.extra.get("input_names")
        if names is not None and len(names) == len(xs):
            return next((x for x, nm in zip(xs, names) if nm in (name, position)), None)
        return xs[position] if position < len(xs) else None

    def call_input(self, xs, name: str, position: Optional[int]):
        """The tensor a module call passed as ``name=`` or at ``position`` of the module's forward signature (a
        keyword tensor is kept in ``call_kwargs``; positions in ``extra["input_positions"]``), or None."""
        v = self.call_kwargs.get(name)
        if isinstance(v, Tensor):
            return v
        if position is None:
            return None
        positions = self.extra.get("input_positions")
        if positions is not None and len(positions) == len(xs):
            return next((x for x, p in zip(xs, positions) if p == position), None)
        return xs[position] if position < len(xs) else None

    @property
    def label(self) -> str:
        return self.name or self.kind


def _contains_unresolved(value) -> bool:
    if isinstance(value, (list, tuple)):
        return any(v is UNRESOLVED or _contains_unresolved(v) for v in value)
    return False



def unwrapped(layer: "Layer", wrappers: tuple) -> "Layer":
    """The layer a wrapper of one of the ``wrappers`` kinds holds (``Bidirectional(LSTM(...))``,
    ``TimeDistributed(Dense(...))``), or ``layer`` itself when it is none of them or what it holds is not known."""
    inner = layer.args.get("layer") if layer.kind in wrappers else None
    inner = getattr(inner, "layer", inner)  # a front-end's layer object holds its Layer
    return inner if isinstance(inner, Layer) else layer

@dataclass
class Op:
    """One application of a layer: inputs and output values, and what inference concluded."""
    index: int
    layer: Layer
    inputs: list
    output: Any
    status: str = "ok"  # ok | error | unknown | unsupported
    diagnostics: list = field(default_factory=list)


@dataclass
class Program:
    """One model: its input values and the ops applied, in execution order."""
    name: str
    framework: str
    origin: Origin = field(default_factory=Origin)
    inputs: list = field(default_factory=list)
    ops: list = field(default_factory=list)
    output: Any = None
    input_note: Optional[str] = None  # where the input shape came from ("Input(shape=...)", "model(x) at line 12")
