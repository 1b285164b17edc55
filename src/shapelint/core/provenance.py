"""Where a size came from: ints that remember the source they were written in.

A static check reads ``nn.Linear(16 * 5 * 5, 120)`` and gets 400; to say *where the wrong number was written* (the
formula at line 12, a parameter default at line 6, a shared ``hidden_size`` argument, the batch size of the data at
line 19) the number must carry its history. :class:`Sized` is an ``int`` that does: every piece of code that treats
sizes as ints keeps working, and arithmetic on them builds the history as it goes.

Origins (all immutable):

* :class:`Written` -- an int literal in the source (``64`` in ``Tagger(hidden_size=64)``);
* :class:`Default` -- a parameter's default value, used because a call did not pass it (``img_size=224``);
* :class:`Computed` -- an expression of other sizes (``(img_size // patch_size) ** 2``, ``len(vocab)``), with its
  source span when the evaluator computed it, without one when a shape rule did;
* :class:`Produced` -- a size a layer computed (``Conv2d``'s output height), wrapping how.

Identity matters: the ``64`` passed as ``hidden_size`` is one object wherever it flows, so "both sides of a mismatch
come from the same argument" is a question of identity, never of equal values. Plain ints (live models, the
differential tests) simply have no origin. Provenance never crosses a process boundary (``__reduce__`` gives a plain
int), and a history grows to a bounded size only: beyond it the value is kept and its history dropped.
"""
from __future__ import annotations

import contextvars
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from .program import Span

MAX_WEIGHT = 200  # depth of one history (histories share their parts, so depth, not size, is what grows: a loop
# that adds 1 ten thousand times keeps its value, not its story)


@dataclass(frozen=True, eq=False)
class Written:
    """An int literal in the source."""
    span: Span


@dataclass(frozen=True, eq=False)
class Default:
    """The default value of parameter ``param`` of ``callee``, used by the call at ``call`` (which did not pass it)."""
    param: str
    callee: str
    span: Optional[Span]  # the default expression in the ``def`` line
    call: Optional[Span]  # the call that relied on it
    inner: Any = None  # the default expression's own origin


@dataclass(frozen=True, eq=False)
class Computed:
    """``op`` applied to ``operands`` (ints, Sized or plain). ``span`` is the source expression when there is one."""
    op: str
    operands: tuple
    span: Optional[Span] = None
    text: Optional[str] = None  # for a call such as ``len(vocab)``: its source text


@dataclass(frozen=True, eq=False)
class Produced:
    """A size computed by the layer at op ``index`` of a model run (``layer`` is the core Layer)."""
    layer: Any
    index: int
    inner: Any = None


class Sized(int):
    """An int with an ``origin`` (one of the classes above)."""

    def __new__(cls, value: int, origin: Any = None, weight: int = 1):
        obj = int.__new__(cls, value)
        obj.origin = origin
        obj.weight = weight
        return obj

    def __reduce__(self):  # pickled, copied or sent to another process: a plain int
        return (int, (int(self),))

    def __repr__(self) -> str:
        return int.__repr__(self)

    __str__ = __repr__

    # arithmetic keeps the history; anything that is not int arithmetic falls back to int's
    def __add__(self, other): return _arith("+", int.__add__, self, other)
    def __radd__(self, other): return _arith("+", int.__radd__, self, other, reflected=True)
    def __sub__(self, other): return _arith("-", int.__sub__, self, other)
    def __rsub__(self, other): return _arith("-", int.__rsub__, self, other, reflected=True)
    def __mul__(self, other): return _arith("*", int.__mul__, self, other)
    def __rmul__(self, other): return _arith("*", int.__rmul__, self, other, reflected=True)
    def __floordiv__(self, other): return _arith("//", int.__floordiv__, self, other)
    def __rfloordiv__(self, other): return _arith("//", int.__rfloordiv__, self, other, reflected=True)
    def __mod__(self, other): return _arith("%", int.__mod__, self, other)
    def __rmod__(self, other): return _arith("%", int.__rmod__, self, other, reflected=True)

    def __pow__(self, other, mod=None):
        if mod is not None:
            return int.__pow__(self, other, mod)
        return _arith("**", int.__pow__, self, other)

    def __rpow__(self, other):
        return _arith("**", int.__rpow__, self, other, reflected=True)

    def __truediv__(self, other):
        return _quotient(int.__truediv__(self, other), self, other)

    def __rtruediv__(self, other):
        return _quotient(int.__rtruediv__(self, other), other, self)

    def __neg__(self):
        return _make(int.__neg__(self), "neg", (self,))

    def __pos__(self):
        return self

    def __abs__(self):
        return self if self >= 0 else -self


class Quotient(float):
    """``size / k``: a float that remembers its operands, so that ``int(H / 4)`` -- the same as ``H // 4`` for
    positive sizes -- keeps where ``H`` came from (``floor_of``)."""
    __slots__ = ("operands",)


def _quotient(value, num, den):
    if value.__class__ is not float or _PLAIN.get():
        return value
    q = Quotient(value)
    q.operands = (num, den)
    return q


def floor_of(value):
    """``int(value)`` for a Quotient of positive ints: ``num // den`` with its history; else None."""
    if value.__class__ is not Quotient:
        return None
    num, den = value.operands
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (num, den)):
        return None
    return num // den if isinstance(num, Sized) else _arith("//", int.__rfloordiv__, den, num, reflected=True)


def _weight(v) -> int:
    return v.weight if v.__class__ is Sized else 1


def _make(value, op: str, operands: tuple):
    if value.__class__ is not int:
        return value
    weight = 1
    for o in operands:
        if o.__class__ is Sized and o.weight >= weight:
            weight = o.weight + 1
    if weight > MAX_WEIGHT:
        return value
    return Sized(value, Computed(op, operands), weight)


_PLAIN: contextvars.ContextVar = contextvars.ContextVar("shapelint_plain_sizes", default=False)


class plain_sizes:
    """Within it, arithmetic on Sized values gives plain ints, keeping no history: for work that reads only the
    values and throws the rest away (the input-size note replays a model on hundreds of sizes; building each size's
    history was half of that). No rule reads a size's history, so the values are the same."""

    def __enter__(self):
        self.token = _PLAIN.set(True)
        return self

    def __exit__(self, *exc):
        _PLAIN.reset(self.token)
        return False


def _arith(op: str, fn, self, other, reflected: bool = False):
    """``self op other`` by int's own method ``fn``; an int result keeps both operands as its history (int's methods
    return NotImplemented for non-ints and a float for ``**`` with a negative exponent: those pass through)."""
    value = fn(self, other)
    if value.__class__ is not int or _PLAIN.get():
        return value
    if op == "+" and other.__class__ is int and other == 0:  # `sum(sizes)` starts at 0: x + 0 is x itself
        return self
    weight = max(self.weight, other.weight if other.__class__ is Sized else 0) + 1
    if weight > MAX_WEIGHT:
        return value
    return Sized(value, Computed(op, (other, self) if reflected else (self, other)), weight)


# -- building ------------------------------------------------------------------------------------------------------
def written(value: int, span: Optional[Span]):
    """The int literal ``value`` written at ``span``."""
    if span is None or isinstance(value, bool) or not isinstance(value, int):
        return value
    return Sized(value, Written(span))


def at(value, span: Optional[Span], text: Optional[str] = None):
    """``value`` computed by the source expression at ``span``: its history gets that span."""
    if not isinstance(value, Sized) or span is None:
        return value
    o = value.origin
    if isinstance(o, Computed) and o.span is None:
        return Sized(int(value), Computed(o.op, o.operands, span, text), value.weight)
    return value


def computed(value, op: str, operands: tuple, span: Optional[Span] = None, text: Optional[str] = None):
    """A size the evaluator worked out from ``operands`` (``len(vocab)``: op ``len``, no operands, its text)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    weight = 1 + max((_weight(o) for o in operands), default=0)
    if weight > MAX_WEIGHT:
        return int(value)
    return Sized(int(value), Computed(op, tuple(operands), span, text), weight)


def defaulted(value, param: str, callee: str, span: Optional[Span], call: Optional[Span]):
    """``value`` is the default of ``param``: remember that, so a fix can pass the parameter where it was omitted."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    inner = value.origin if isinstance(value, Sized) else None
    return Sized(int(value), Default(param, callee, span, call, inner), _weight(value) + 1)


def produced(value, layer, index: int):
    """A size a layer's rule computed from other sizes: keep how, and say which layer. Sizes passed on as they are
    (a constructor argument, an input's size, an earlier layer's) and plain ints are returned unchanged."""
    if not isinstance(value, Sized):
        return value
    inner = value.origin
    if not isinstance(inner, Computed) or inner.span is not None:
        return value
    return Sized(int(value), Produced(layer, index, inner), value.weight + 1)


# -- reading -------------------------------------------------------------------------------------------------------
def origin_of(value):
    return value.origin if isinstance(value, Sized) else None


def made_as(value):
    """The origin of ``value`` with the layers that carried it on looked through: a size a layer passed along
    (``Produced``) is what its inner origin says it was made as (a product written in a view, a literal)."""
    o = origin_of(value)
    for _ in range(8):
        if not isinstance(o, Produced) or o.inner is None:
            break
        o = o.inner
    return o


def _children(origin) -> tuple:
    if isinstance(origin, Computed):
        return origin.operands
    return ()


def operands_deep(value) -> Iterator[Sized]:
    """The sizes a computed size was built from, at every depth (each once, by identity), itself excluded."""
    seen: set = {id(value)}
    stack = list(_children(value.origin)) if isinstance(value, Sized) else []
    while stack:
        v = stack.pop()
        if not isinstance(v, Sized) or id(v) in seen:
            continue
        seen.add(id(v))
        yield v
        stack.extend(_children(v.origin))


def leaves(value) -> Iterator[Sized]:
    """The written sizes (literals, defaults) a size depends on, each once, by identity."""
    seen: set = set()
    stack = [value]
    while stack:
        v = stack.pop()
        if not isinstance(v, Sized) or id(v) in seen:
            continue
        seen.add(id(v))
        o = v.origin
        if isinstance(o, (Written, Default)):
            yield v
            continue
        if isinstance(o, Produced):
            inner = o.inner
            if isinstance(inner, Computed):
                stack.extend(inner.operands)
            continue
        stack.extend(_children(o))


def depends_on(value, target) -> bool:
    """Whether ``value`` is ``target`` or was computed from it (identity)."""
    if not isinstance(target, Sized):
        return False
    seen: set = set()
    stack = [value]
    while stack:
        v = stack.pop()
        if v is target:
            return True
        if not isinstance(v, Sized) or id(v) in seen:
            continue
        seen.add(id(v))
        o = v.origin
        if isinstance(o, Produced):
            o = o.inner
        if isinstance(o, Computed):
            stack.extend(o.operands)
    return False


def root_span(value) -> Optional[Span]:
    """The source span that best says where a size was written: its literal, its default, or the expression that
    computed it (a layer's own computation has none)."""
    o = origin_of(value)
    if isinstance(o, Written):
        return o.span
    if isinstance(o, Default):
        return o.span
    if isinstance(o, Computed):
        return o.span
    return None


def describe(value) -> Optional[dict]:
    """A small JSON-able summary of where a size came from, for reports: kind, line and (for layers) which one."""
    o = origin_of(value)
    if isinstance(o, Written):
        return {"kind": "literal", "line": o.span.line}
    if isinstance(o, Default):
        out = {"kind": "default", "param": o.param, "line": o.span.line if o.span else None}
        if o.call is not None:
            out["call_line"] = o.call.line
        return out
    if isinstance(o, Computed):
        out = {"kind": "computed", "line": o.span.line if o.span else None}
        return out
    if isinstance(o, Produced):
        span = o.layer.origin.span if getattr(o.layer, "origin", None) is not None else None
        return {"kind": "layer", "layer": o.index, "line": span.line if span else None}
    return None


_OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "//": lambda a, b: a // b,
        "%": lambda a, b: a % b, "**": lambda a, b: a ** b if 0 <= b <= 64 else None, "neg": lambda a: -a}


def recompute(value, subst: dict, _memo: Optional[dict] = None) -> Optional[int]:
    """``value`` computed again with some written sizes replaced (``subst``: id of a Sized -> int), following its
    history; None when the history cannot be followed that far."""
    if id(value) in subst:
        return subst[id(value)]
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    if not isinstance(value, Sized):
        return int(value)
    memo = {} if _memo is None else _memo
    if id(value) in memo:
        return memo[id(value)]
    o = value.origin
    if isinstance(o, Produced):
        o = o.inner
    if isinstance(o, Default) and isinstance(o.inner, Computed):
        o = o.inner
    out = int(value)
    if isinstance(o, Computed) and o.operands and o.op in _OPS:
        vals = [recompute(v, subst, memo) for v in o.operands]
        if any(v is None for v in vals):
            out = None
        else:
            try:
                out = _OPS[o.op](*vals)
            except (ZeroDivisionError, OverflowError, ValueError):
                out = None
            out = out if isinstance(out, int) else None
    memo[id(value)] = out
    return out


def affects(value, leaf) -> bool:
    """Whether changing the written size ``leaf`` changes ``value`` (a dependence that matters, not a ``* 1``)."""
    if not isinstance(leaf, Sized) or not depends_on(value, leaf):
        return False
    base = int(value)
    v = int(leaf)
    for probe in (v + 1, v + 7, 2 * v + 1, max(1, v // 2) if v > 2 else v + 3):  # floor division hides small steps
        got = recompute(value, {id(leaf): probe})
        if got is not None and got != base:
            return True
    return False
