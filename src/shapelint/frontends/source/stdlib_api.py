"""The standard-library containers and draws a replay buffer is made of: ``collections.deque(maxlen=N)`` (a list
that keeps its last N items), ``random.sample(memory, k)`` and ``random.choices(memory, k=k)`` (k items of the
list). A draw's items are the list's own when every item has the same structure and shapes (transitions pushed
by one ``append`` in a loop): any k of them look like the first k. Items of different shapes make the draw
unknown -- which ones are drawn is decided at run time."""
from __future__ import annotations

from ...core.program import UNRESOLVED
from . import api
from .objects import Number


class Deque(list):
    """A ``collections.deque``: a list whose appends drop items from the other end beyond ``maxlen``."""
    maxlen = None


@api.handles("collections.deque")
def deque(ev, call):
    items = call.get(0, "iterable", ())
    maxlen = call.get(1, "maxlen", None)
    listed = ev.iterate(items, call.node) if items != () else []
    if listed is None or maxlen is not None and (not isinstance(maxlen, int) or isinstance(maxlen, bool)):
        return UNRESOLVED
    out = Deque(listed)
    out.maxlen = maxlen
    if maxlen is not None and len(out) > maxlen:
        del out[:len(out) - maxlen]
    return out


@api.handles("random.random", "random.uniform", "random.gauss", "random.normalvariate", "random.expovariate",
             "random.betavariate", "random.triangular", "random.lognormvariate")
def random_float(ev, call):
    return Number("float")


@api.handles("random.randint", "random.randrange", "random.getrandbits")
def random_int(ev, call):
    return Number("int")


@api.handles("random.sample")
def sample(ev, call):
    return _drawn(call.get(0, "population", UNRESOLVED), call.get(1, "k", UNRESOLVED), distinct=True)


@api.handles("random.choices")
def choices(ev, call):
    return _drawn(call.get(0, "population", UNRESOLVED), call.kwargs.get("k", 1), distinct=False)


def _drawn(population, k, distinct: bool):
    if not isinstance(population, (list, tuple)) or not isinstance(k, int) or isinstance(k, bool) or k < 0 or \
            not population or distinct and k > len(population):
        return UNRESOLVED
    first = _structure(population[0])
    if first is None or any(_structure(item) != first for item in population[1:]):
        return UNRESOLVED
    return [population[i % len(population)] for i in range(k)]


def _structure(value):
    """What a draw keeps of an item: tuples and lists item by item, tensors by shape and library, numbers by type;
    None for anything else. A value not followed is "?": drawn, it stays a value not followed, so transitions
    pushed by one ``append`` (a reward from the environment) still draw alike."""
    if value is UNRESOLVED:
        return "?"
    if isinstance(value, (tuple, list)):
        parts = tuple(_structure(v) for v in value)
        return None if None in parts else (type(value).__name__, parts)
    shape = getattr(value, "shape", None)
    if shape is not None:
        return ("tensor", tuple(shape), getattr(value, "lib", None))
    if isinstance(value, (bool, int, float, str)):
        return type(value).__name__
    if isinstance(value, Number):  # `float(reward)` pushed, 0.0 pushed elsewhere: both a float
        return value.kind
    return None
