"""Basic indexing, as numpy, PyTorch and Keras share it: ints remove an axis (and must be in range), slices keep it
(sized by Python's slice arithmetic), None adds one, Ellipsis fills the rest."""
from __future__ import annotations

from ..core.dims import is_known
from ..core.errors import Mismatch
from ..core.program import UNRESOLVED
from ..core.values import UNKNOWN, Tensor
from ..diagnostics import remedies


def is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def basic_index(layer, x: Tensor):
    """The result of ``x[index]`` for the index in ``layer.raw("index")``; unknown for anything but ints, slices of
    ints, None and one Ellipsis."""
    idx = layer.raw("index")
    if idx is UNRESOLVED:
        return UNKNOWN
    parts = idx if isinstance(idx, tuple) else (idx,)
    if any(p is UNRESOLVED or isinstance(p, (list, bool, Tensor)) for p in parts):
        return UNKNOWN
    if sum(1 for p in parts if p is Ellipsis) > 1:
        return UNKNOWN  # torch 2.13 accepts several `...` with irregular results (sometimes an IndexError)
    consumed = sum(1 for p in parts if p is not None and p is not Ellipsis)
    if consumed > x.rank:
        return Mismatch("rank-mismatch", arg="index", expected=f"at least {consumed}", received=x.rank,
                        received_shape=x.shape, remedy=remedies.use_fewer_indices(x.rank))
    expanded = []
    for p in parts:
        if p is Ellipsis:
            expanded.extend([slice(None)] * (x.rank - consumed))
        else:
            expanded.append(p)
    expanded.extend([slice(None)] * (x.rank - sum(1 for p in expanded if p is not None)))
    out, i = [], 0
    for p in expanded:
        if p is None:
            out.append(1)
            continue
        size = x.shape[i]
        if is_int(p):
            if is_known(size) and not -size <= p < size:
                return Mismatch("index-out-of-range", arg="index", index=p, axis=i, size=size,
                                received_shape=x.shape, remedy=remedies.use_index_in_range(-size, size - 1))
        elif isinstance(p, slice):
            parts3 = (p.start, p.stop, p.step)
            if any(v is not None and not is_int(v) for v in parts3):
                out.append(None)
            elif p.step is not None and p.step <= 0:
                return Mismatch("invalid-argument", arg="index", detail="slice step must be positive",
                                remedy=remedies.use_positive_step())
            elif p.start is None and p.stop is None and p.step in (None, 1):
                out.append(size)
            elif p.start in (None, 0) and p.step in (None, 1) and is_known(size) and p.stop >= size:
                out.append(size)  # x[:, :n] past the end keeps the whole axis: the size, and where it came from
            elif is_known(size):
                out.append(len(range(*p.indices(size))))
            else:
                out.append(None)
        else:
            return UNKNOWN
        i += 1
    return Tensor(tuple(out), x.dtype)
