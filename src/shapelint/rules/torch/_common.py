"""Helpers shared by the PyTorch rules: argument normalisation (torch's ``_single``/``_pair``/``_triple``), the rank
contract with both layouts PyTorch accepts (batched and unbatched), and small dimension helpers.

Every check here answers only for *known* sizes: a symbol (``"H"``) or ``None`` never produces a Mismatch.
"""
from __future__ import annotations

from typing import Optional

from ...core.dims import normalize_axis
from ...core.errors import Mismatch, Unresolved
from ...core.values import Tensor
from ...diagnostics import remedies

FW = "torch"
SPATIAL = {1: ("L",), 2: ("H", "W"), 3: ("D", "H", "W")}


def is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def ntuple(value, n: int, name: str, *, allow_single: bool = False) -> tuple:
    """torch's ``_ntuple``: an int is repeated ``n`` times; a sequence is taken as is and must have ``n`` entries
    (``allow_single``: one entry is broadcast, as the pooling functions allow)."""
    if is_int(value):
        return (value,) * n
    if isinstance(value, (tuple, list)) and all(is_int(v) for v in value):
        t = tuple(value)
        if allow_single and len(t) == 1:
            return t * n
        if len(t) == n:
            return t
        raise Mismatch("invalid-argument", arg=name, detail=f"expected an int or {n} ints, got {value!r}",
                       remedy=remedies.pass_int_or_tuple(name, n))
    raise Unresolved(name)



def rank_text(ranks) -> str:
    ranks = sorted(ranks)
    if len(ranks) == 1:
        return str(ranks[0])
    return ", ".join(str(r) for r in ranks[:-1]) + "- or " + str(ranks[-1])


def require_rank(x: Tensor, ranks=None, *, min_rank: Optional[int] = None, layout: str = "",
                 remedy: str = "", fix=None, recover=None) -> Optional[Mismatch]:
    """A rank-mismatch Mismatch when ``x.rank`` is not in ``ranks`` (or below ``min_rank``), else None."""
    r = x.rank
    if ranks is not None and r not in ranks:
        expected = rank_text(ranks)
    elif min_rank is not None and r < min_rank:
        expected = f"at least {min_rank}"
    else:
        return None
    return Mismatch("rank-mismatch", expected=expected, received=r, received_shape=x.shape,
                    layout=f" {layout}" if layout else "", remedy=remedy or remedies.reshape_to_expected_rank(),
                    fix=fix, recover=recover)


def spatial_rank_check(x: Tensor, n: int, kind_layout: Optional[str] = None, batched_only: bool = False,
                       remedy: str = "") -> Optional[Mismatch]:
    """(N, C, *spatial) or (C, *spatial) for an n-d spatial layer."""
    ranks = (n + 2,) if batched_only else (n + 1, n + 2)
    sp = ", ".join(SPATIAL[n])
    layout = kind_layout or (f"(N, C, {sp})" if batched_only else f"(N, C, {sp}) or (C, {sp})")
    if not remedy:
        if x.rank is not None and x.rank < min(ranks):
            remedy = "add the missing axes (e.g. x.unsqueeze(0) for a batch axis, or x.unsqueeze(1) for channels)"
        else:
            variant = x.rank - 2 if x.rank and x.rank > 2 else "?"
            remedy = f"use the {variant}-d variant of this layer, or reshape the input"
    return require_rank(x, ranks, layout=layout, remedy=remedy)


def axis(dim, rank: int, name: str = "dim", kind: str = "", shape=None) -> int:
    """Normalise a possibly negative axis like torch does (``maybe_wrap_dim``: a 0-D tensor accepts -1 and 0)."""
    if not is_int(dim):
        raise Unresolved(name)
    r = max(rank, 1)
    a = normalize_axis(dim, r)
    if a is None:
        raise Mismatch("axis-out-of-range", arg=name, axis=dim, rank=rank, received_shape=shape,
                       remedy=remedies.use_axis_in_range(-r, r - 1))
    return a


def missing_inputs(layer, needed: tuple, got: int) -> Mismatch:
    """A module that takes several inputs (``needed``, by name) called with ``got`` of them."""
    return Mismatch("missing-input", expected=len(needed), received=got, inputs=", ".join(needed),
                    remedy=remedies.call_from_forward(layer.kind, ', '.join(needed)))
