"""Dimensions and shapes.

A dimension (`Dim`) is one of
  * an ``int`` -- a size known exactly,
  * a ``str``  -- a named symbol such as ``"N"`` or ``"H"`` (unknown size, but the same symbol is the same size),
  * ``None``   -- unknown (Keras' batch dimension, or anything we could not work out).

Equality is three-valued: :func:`dim_eq` answers True, False or None ("cannot tell"). Only a *definite*
inequality (False) may ever be reported as a mismatch -- unknown is never an error.

A shape is a tuple of dims. An unknown *rank* is represented one level up (``Tensor(shape=None)``).
"""
from __future__ import annotations

from typing import Iterable, Optional, Union

Dim = Union[int, str, None]
Shape = tuple  # tuple[Dim, ...]


def is_known(d: Dim) -> bool:
    """True when `d` is a concrete size."""
    return isinstance(d, int) and not isinstance(d, bool)


def dim_eq(a: Dim, b: Dim) -> Optional[bool]:
    """Three-valued equality: True / False when certain, None when it depends on unknown sizes."""
    if is_known(a) and is_known(b):
        return a == b
    if isinstance(a, str) and isinstance(b, str) and a == b:
        return True
    return None


def dim_ne(a: Dim, b: Dim) -> bool:
    """True only when `a` and `b` are *definitely* different."""
    return dim_eq(a, b) is False


def unify(a: Dim, b: Dim) -> Dim:
    """The more informative of two dims believed equal (a known size beats a symbol beats unknown)."""
    if is_known(a):
        return a
    if is_known(b):
        return b
    return a if a is not None else b


def prod(dims: Iterable[Dim]) -> Dim:
    """Product of dims; unknown if any factor is unknown (0 if any factor is a known 0)."""
    total = 1
    unknown = False
    for d in dims:
        if is_known(d):
            total *= d
        else:
            unknown = True
    if unknown:
        return 0 if total == 0 else None
    return total


def add(a: Dim, b: Dim) -> Dim:
    return a + b if is_known(a) and is_known(b) else None


def mul(a: Dim, b: Dim) -> Dim:
    if is_known(a) and is_known(b):
        return a * b
    if (is_known(a) and a == 0) or (is_known(b) and b == 0):
        return 0
    return None


def fmt_dim(d: Dim) -> str:
    return "None" if d is None else str(d)


def fmt_shape(shape: Optional[Shape]) -> str:
    """Render like Python prints a tuple: (None, 28, 28, 1), (8,), or '?' for an unknown rank."""
    if shape is None:
        return "(?)"
    inner = ", ".join(fmt_dim(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def normalize_axis(axis: int, rank: int) -> Optional[int]:
    """Python-style axis (may be negative) to 0..rank-1, or None when out of range."""
    a = axis + rank if axis < 0 else axis
    return a if 0 <= a < rank else None


def broadcast_shapes(shapes: list):
    """NumPy/PyTorch broadcasting of several shapes, three-valued.

    Returns (shape, None), or (None, (axis, a, b)) for the last pair of sizes that definitely cannot broadcast
    (axis counted from the left of the result; the last, as PyTorch's message names it: "at non-singleton dimension
    2"). Unknown sizes broadcast to unknown unless the other side pins them.
    """
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(-1, -rank - 1, -1):  # from the last axis, as the frameworks line the axes up
        dims = [s[i] for s in shapes if len(s) >= -i]
        res: Dim = 1
        for d in dims:
            if is_known(d) and d == 1:
                continue
            if is_known(res) and res == 1:
                res = d
                continue
            if dim_ne(res, d):
                return None, (rank + i, res, d)
            if dim_eq(res, d):
                continue
            # one side unknown: if both compatible the result is the known non-1 size
            if is_known(d):
                res = d
            elif not is_known(res):
                res = None if res != d else res
        out.append(res)
    return tuple(reversed(out)), None
