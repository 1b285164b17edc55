"""Abstract values the source evaluator works with.

Plain Python constants (int, float, str, bool, None, tuple, list, dict) are represented by themselves; anything the
evaluator cannot know is :data:`UNRESOLVED` (the same marker layer arguments use, so an unknown argument flows
straight into a Layer).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ...core.program import UNRESOLVED, Layer, Span  # noqa: F401  (re-exported)
from ...core.values import Tensor


@dataclass(frozen=True)
class Number:
    """A Python number whose value cannot be known but whose type can: ``float(reward)``, ``loss.item()``, an item of
    ``labels.tolist()``, ``random.random()``. A list of them has a known length, so ``np.array(rewards)`` has a known
    shape; arithmetic among numbers gives a number; every library call other than the array constructors sees
    UNRESOLVED in its place (``Evaluator.call``), as before numbers had a type."""
    kind: str  # "int", "float" or "bool"

    def __repr__(self) -> str:
        return f"<{self.kind}>"


@dataclass(frozen=True)
class Text:
    """A Python str whose value cannot be known: ``" ".join(words)``, ``str(label)``, an f-string with a part not
    known. A list of them has a known length, so ``np.array(texts)`` is an array of strings of a known shape (the
    texts a ``TextVectorization`` reads); every library call other than the array constructors sees UNRESOLVED in
    its place, and comparing it gives an unknown truth, as for a :class:`Number`."""

    def __repr__(self) -> str:
        return "<str>"


_EXAMPLES = {"int": 1, "float": 1.0, "bool": True}
MAX_LISTED_NUMBERS = 4096  # ``x.tolist()`` of a bigger tensor: a list we do not write out (unknown)


def number_of_dtype(dtype: Optional[str]) -> Optional[Number]:
    """The Python number one item of a tensor of ``dtype`` is (``.item()``); None for a dtype not known."""
    if not dtype:
        return None
    if dtype == "bool":
        return Number("bool")
    if dtype.startswith(("int", "uint", "long")):
        return Number("int")
    if dtype.startswith(("float", "bfloat", "half", "double")):
        return Number("float")
    return None


def numbers_of(ev, value, whole: bool):
    """``t.item()`` (``whole`` False) or ``t.tolist()`` (True) of a tensor value: a Number, or nested lists of them
    as long as the shape's known sizes say; unknown where the dtype, the shape or a size is not known, or the list
    would be long."""
    number = number_of_dtype(getattr(value, "dtype", None))
    shape = getattr(value, "shape", None)
    if number is None or shape is None:
        return UNRESOLVED
    if not whole:
        return number
    count = 1
    for d in shape:
        if not isinstance(d, int) or isinstance(d, bool):
            return UNRESOLVED
        count *= d
    if count > MAX_LISTED_NUMBERS:
        return UNRESOLVED
    ev.tick(count)

    def listed(dims):  # a list of its own at every level: the script may change one row
        return number if not dims else [listed(dims[1:]) for _ in range(dims[0])]
    return listed(tuple(shape))


def number_example(value):
    """A Python number of a :class:`Number`'s type, for the rules that read a scalar's type only (the dtype
    ``tensor * 0.5`` has); any other value as it is. Never for a rule that reads the value."""
    return _EXAMPLES[value.kind] if isinstance(value, Number) else value


@dataclass(eq=False)
class QualName:
    """A reference to something from an imported library, by canonical dotted name (``keras.layers.Dense``)."""
    name: str

    def attr(self, attr: str) -> "QualName":
        return QualName(f"{self.name}.{attr}")


@dataclass(eq=False)
class LayerObj:
    """A constructed layer or module that has not been applied yet (``layers.Dense(10)``, ``nn.Linear(4, 2)``)."""
    layer: Layer
    node: Any = None  # the ast.Call that built it
    changed: bool = False  # an attribute set on it by hand (weight surgery): not what its constructor says


@dataclass(eq=False)
class TensorVal:
    """A tensor-like value: a numpy array, a torch/tf tensor, or a Keras symbolic tensor.

    ``lib`` says whose semantics apply to methods (numpy / torch / tf / keras). ``run`` is the model run
    (an Inference) the tensor belongs to, when it was produced inside one.
    """
    value: Tensor
    lib: str = "numpy"
    run: Any = None
    origin: Optional[Span] = None
    note: Optional[str] = None  # how the shape was learnt ("np.random.rand(32, 20)")
    meta: dict = field(default_factory=dict)  # e.g. {"labels": "class-ids", "num_classes": 5}
    # where the value's layout (its shape, apart from how many samples it holds) was last set: casts, conversions,
    # batching and taking one sample keep it, a reshape or transpose sets it (rootcause/ points there)
    shaped_at: Optional[Span] = None

    @property
    def shape(self):
        return self.value.shape


@dataclass(eq=False)
class UserFunction:
    node: Any  # ast.FunctionDef / ast.Lambda
    env: Any  # the defining scope
    owner: Any = None  # UserClass for methods


@dataclass(eq=False)
class UserClass:
    node: Any
    env: Any
    bases: list = field(default_factory=list)  # evaluated base classes (QualName / UserClass)
    methods: dict = field(default_factory=dict)

    def find_method(self, name: str):
        if name in self.methods:
            return self.methods[name]
        for b in self.bases:
            if isinstance(b, UserClass):
                m = b.find_method(name)
                if m is not None:
                    return m
        return None

    def base_names(self) -> list:
        out = []
        for b in self.bases:
            if isinstance(b, QualName):
                out.append(b.name)
            elif isinstance(b, UserClass):
                out.extend(b.base_names())
        return out


@dataclass(eq=False)
class Instance:
    cls: UserClass
    attrs: dict = field(default_factory=dict)
    node: Any = None  # the instantiation call
    meta: dict = field(default_factory=dict)


@dataclass(eq=False)
class BoundMethod:
    obj: Any
    name: str
    func: Any = None  # UserFunction for user methods, None for library methods handled by the API modules


@dataclass(eq=False)
class FieldFactory:
    """``field(default_factory=f)`` as a dataclass's class default: ``f`` is called for each instance that reads
    the field without having been given it (the evaluator's attribute read), so instances never share one list or
    config object -- whichever ``__init__`` made the instance (the dataclass's own, a subclass's, a base's)."""
    factory: Any
    node: Any


@dataclass(eq=False)
class Opaque:
    """An object from a library we know by name but do not model in detail (an optimizer, a loss instance...)."""
    kind: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    node: Any = None
    meta: dict = field(default_factory=dict)


class SymDim:
    """``x.size(0)`` (torch) or ``ops.shape(x)[0]`` (Keras) when the size is a named symbol (``"N"``): no Python arithmetic or comparison resolves on it
    (so no branch is decided by it), but passed to an op it arrives as the symbol, so ``x.view(x.size(0), -1)``
    keeps the batch axis."""
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"SymDim({self.name!r})"
