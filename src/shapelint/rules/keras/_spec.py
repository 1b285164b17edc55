"""Input-contract helpers for Keras rules, in the spirit of keras' InputSpec: layers *declare* what they need and
one function checks it and words the mismatch."""
from __future__ import annotations

from typing import Optional

from ...core.errors import Mismatch
from ...core.values import Tensor
from ...diagnostics import remedies

FW = "keras"


def require_rank(x: Tensor, *, ndim: Optional[int] = None, min_ndim: Optional[int] = None,
                 max_ndim: Optional[int] = None, layout: str = "", remedy: str = "", fix=None) -> Optional[Mismatch]:
    """A rank-mismatch Mismatch when ``x`` violates the declared rank, else None. ``layout`` names the axes the
    layer expects, e.g. ``(batch, steps, features)``; it is shown after the expected rank."""
    rank = x.rank
    expected = None
    if ndim is not None and rank != ndim:
        expected = ndim
    elif min_ndim is not None and rank < min_ndim:
        expected = f"at least {min_ndim}" if max_ndim is None else f"{min_ndim}- to {max_ndim}"
    elif max_ndim is not None and rank > max_ndim:
        expected = f"at most {max_ndim}" if min_ndim is None else f"{min_ndim}- to {max_ndim}"
    if expected is None:
        return None
    return Mismatch("rank-mismatch", expected=expected, received=rank, received_shape=x.shape,
                    layout=f" {layout}" if layout else "", remedy=remedy, fix=fix)


def tuple_arg(value, n: int, name: str):
    """Keras' standardize_tuple: an int becomes an n-tuple; a sequence must have length n."""
    if isinstance(value, int):
        return (value,) * n
    value = tuple(value)
    if len(value) != n:
        raise Mismatch("invalid-argument", arg=name, detail=f"expected {n} values, got {len(value)}",
                       remedy=remedies.pass_int_or_tuple(name, n))
    return value
