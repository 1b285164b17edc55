"""Selecting and rearranging entries (torch 2.13): gather, index_select, narrow, masked_fill / masked_select / where,
nonzero, repeat_interleave, unfold (the tensor method), diagonal, diag, tensor_split.

Contracts from the ATen checks: ``gather`` needs an index of the input's rank, no larger than the input on every axis
but ``dim``, and returns the index's shape; ``index_select`` a 0-D or 1-D index; ``narrow`` start + length within the
axis; ``masked_fill`` a mask that broadcasts with the input (the result is the broadcast shape) and is bool;
``where(cond, a, b)`` broadcasts all three; ``unfold(dim, size, step)`` a window no larger than the axis.
"""
from __future__ import annotations

from ...core.dims import dim_ne, is_known
from ...core.errors import Mismatch, Unresolved
from ...core.registry import rule
from ...core.values import UNKNOWN, Tensor, TensorTuple
from ...diagnostics import remedies
from .. import _dtypes as dtypes
from ._common import FW, axis, is_int
from .tensor_ops import broadcast_all


@rule(FW, "gather", "dim, sparse_grad=False")
def gather(layer, x: Tensor, index: Tensor = None):
    if index is None or index.shape is None:
        return UNKNOWN
    d = axis(layer.arg("dim"), max(x.rank, 1), "dim", shape=x.shape)
    if x.rank != index.rank and not (x.rank <= 1 and index.rank <= 1):
        return Mismatch("rank-mismatch", expected=str(x.rank), received=index.rank, received_shape=index.shape,
                        layout=" index (the same rank as the input)", remedy=remedies.gather_index_rank(x.rank))
    for i, (a, b) in enumerate(zip(index.shape, x.shape)):
        if i != d and is_known(a) and is_known(b) and a > b:
            return Mismatch("incompatible-input-shape", received_shape=f"{x} and index {index}",
                            detail=f"the index has size {a} on axis {i}, larger than the input's {b}",
                            remedy=remedies.gather_index_sizes(d))
    return Tensor(index.shape, x.dtype)


@rule(FW, "index_select", "dim")
def index_select(layer, x: Tensor, index: Tensor = None):
    if index is None or index.shape is None:
        return UNKNOWN
    if index.rank > 1:
        return Mismatch("rank-mismatch", expected="0- or 1", received=index.rank, received_shape=index.shape,
                        layout=" index (a vector of positions)", remedy=remedies.flatten_index())
    if x.rank == 0:
        return x
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    n = index.shape[0] if index.rank == 1 else 1
    return Tensor(x.shape[:d] + (n,) + x.shape[d + 1:], x.dtype)


@rule(FW, "narrow", "dim, start, length")
def narrow(layer, x: Tensor, *rest):
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    start, length = layer.arg("start"), layer.arg("length")
    if not is_int(start) or not is_int(length):
        raise Unresolved("start" if not is_int(start) else "length")
    size = x.shape[d]
    if is_known(size):
        s = start + size if start < 0 else start
        if length < 0 or s < 0 or s + length > size:
            return Mismatch("incompatible-input-shape", arg="length", received_shape=x.shape,
                            detail=f"start ({start}) + length ({length}) exceeds the size {size} of axis {d}",
                            remedy=remedies.narrow_within(size))
    return Tensor(x.shape[:d] + (length,) + x.shape[d + 1:], x.dtype)


def _bool_mask(layer, mask: Tensor):
    if isinstance(mask.dtype, str) and mask.dtype not in ("bool",) and not mask.dtype.startswith("uint8"):
        return Mismatch("index-dtype-mismatch", variant="mask", received=mask.dtype, received_shape=mask.shape,
                        remedy=remedies.make_mask_bool())
    return None


@rule(FW, ["masked_fill", "masked_fill_"], "value=None", accepts_unknown=True)
def masked_fill(layer, x: Tensor, mask: Tensor = None, *rest):
    """The out-of-place ``masked_fill`` broadcasts the input and the mask (the result may be larger than the input);
    the in-place ``masked_fill_`` needs the mask to broadcast to the input's shape."""
    if mask is None or mask.shape is None or x.shape is None:
        return x if mask is None or mask.shape is None else Tensor(None)
    bad = _bool_mask(layer, mask)
    if bad:
        bad.recover = x
        return bad
    out = broadcast_all(layer, [x, mask], dtype=x.dtype)  # the mask selects; the values are x's
    if isinstance(out, Tensor) and layer.kind.endswith("_") and out.shape is not None and \
            (len(out.shape) != x.rank or any(dim_ne(a, b) for a, b in zip(out.shape, x.shape))):
        return Mismatch("merge-shape-mismatch", shapes=f"{x} and mask {mask}",
                        detail="the in-place masked_fill_ cannot grow the tensor to the mask's shape",
                        remedy=remedies.mask_to_input_shape())
    return out


@rule(FW, "masked_select", "")
def masked_select(layer, x: Tensor, mask: Tensor = None):
    if mask is not None and mask.shape is not None:
        bad = _bool_mask(layer, mask)
        if bad:
            return bad
        out = broadcast_all(layer, [x, mask], dtype=x.dtype)
        if not isinstance(out, Tensor):
            return out
    return Tensor((None,), x.dtype)


@rule(FW, "where", "*scalars", accepts_unknown=True)
def where(layer, cond: Tensor, *xs: Tensor):
    """where(cond, a, b): the broadcast shape; where(cond) -> one index vector per axis (nonzero, as a tuple)."""
    if cond.shape is None:
        return UNKNOWN if xs else UNKNOWN
    if not xs:
        return TensorTuple(tuple(Tensor((None,), "int64") for _ in range(max(cond.rank, 1))))
    if any(v.shape is None for v in xs):
        return UNKNOWN
    # cond only selects; a Python scalar in place of a tensor (`where(m, x, 0.0)`) may promote: not worked out here
    return broadcast_all(layer, [cond] + list(xs), dtype=dtypes.of_all([v.dtype for v in xs]) if len(xs) == 2 else None)


@rule(FW, "nonzero", "as_tuple=False")
def nonzero(layer, x: Tensor):
    if layer.arg("as_tuple"):
        return TensorTuple(tuple(Tensor((None,), "int64") for _ in range(max(x.rank, 1))))
    return Tensor((None, x.rank), "int64")


@rule(FW, "repeat_interleave", "repeats=None, dim=None, output_size=None")
def repeat_interleave(layer, x: Tensor, *tensor_repeats: Tensor):
    r, dim = layer.arg("repeats"), layer.arg("dim")
    if tensor_repeats or not is_int(r):
        out = layer.arg("output_size")
        size = out if is_int(out) else None
        if dim is None:
            return Tensor((size,), x.dtype)
        d = axis(dim, x.rank, "dim", shape=x.shape)
        return Tensor(x.shape[:d] + (size,) + x.shape[d + 1:], x.dtype)
    if dim is None:
        n = 1
        for v in x.shape:
            n = n * v if is_known(v) and is_known(n) else None
        return Tensor((n * r if is_known(n) else None,), x.dtype)
    d = axis(dim, x.rank, "dim", shape=x.shape)
    size = x.shape[d]
    return Tensor(x.shape[:d] + (size * r if is_known(size) else None,) + x.shape[d + 1:], x.dtype)


@rule(FW, "unfold", "dimension, size, step")
def unfold(layer, x: Tensor):
    """x.unfold(dim, size, step): dim becomes the number of windows (n - size) // step + 1; a last axis of size is
    added. torch raises when size exceeds the axis or step < 1."""
    size, step = layer.arg("size"), layer.arg("step")
    if not is_int(size) or not is_int(step):
        raise Unresolved("size" if not is_int(size) else "step")
    if x.rank == 0:
        return Tensor((size,), x.dtype)
    d = axis(layer.arg("dimension"), x.rank, "dimension", shape=x.shape)
    n = x.shape[d]
    if step < 1 or (is_known(n) and size > n):
        return Mismatch("non-positive-output-size", arg="size", received_shape=x.shape,
                        detail=f"a window of {size} does not fit in axis {d} of size {n}" if step >= 1 else
                        f"step must be positive, got {step}", remedy=remedies.window_within(n))
    windows = (n - size) // step + 1 if is_known(n) else None
    return Tensor(x.shape[:d] + (windows,) + x.shape[d + 1:] + (size,), x.dtype)


def _diag_len(n1, n2, offset: int):
    if not (is_known(n1) and is_known(n2)):
        return None
    return max(0, min(n1, n2 - offset) if offset >= 0 else min(n1 + offset, n2))


@rule(FW, "diagonal", "offset=0, dim1=0, dim2=1")
def diagonal(layer, x: Tensor):
    off = layer.arg("offset")
    if not is_int(off):
        raise Unresolved("offset")
    a = axis(layer.arg("dim1"), x.rank, "dim1", shape=x.shape)
    b = axis(layer.arg("dim2"), x.rank, "dim2", shape=x.shape)
    if a == b:
        return Mismatch("invalid-argument", arg="dim2", detail="diagonal dimensions cannot be identical",
                        remedy=remedies.two_different_axes())
    rest = tuple(v for i, v in enumerate(x.shape) if i not in (a, b))
    return Tensor(rest + (_diag_len(x.shape[a], x.shape[b], off),), x.dtype)


@rule(FW, "diag", "diagonal=0")
def diag(layer, x: Tensor):
    k = layer.arg("diagonal")
    if not is_int(k):
        raise Unresolved("diagonal")
    if x.rank == 1:
        n = x.shape[0]
        size = n + abs(k) if is_known(n) else None
        return Tensor((size, size), x.dtype)
    if x.rank == 2:
        return Tensor((_diag_len(x.shape[0], x.shape[1], k),), x.dtype)
    return Mismatch("rank-mismatch", expected="1- or 2", received=x.rank, received_shape=x.shape, layout="",
                    remedy=remedies.use_diagonal())


@rule(FW, "tensor_split", "indices_or_sections, dim=0")
def tensor_split(layer, x: Tensor):
    s = layer.arg("indices_or_sections")
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    n = x.shape[d]
    if is_int(s):
        if s < 1:
            return Mismatch("invalid-argument", arg="indices_or_sections",
                            detail=f"the number of sections must be at least 1, got {s}",
                            remedy=remedies.pass_positive_chunks())
        if not is_known(n):
            sizes = [None] * s
        else:
            sizes = [n // s + 1] * (n % s) + [n // s] * (s - n % s)
    elif isinstance(s, (list, tuple)) and all(is_int(i) for i in s):
        if not is_known(n):
            sizes = [None] * (len(s) + 1)
        else:
            bounds = [0] + [min(max(i + n if i < 0 else i, 0), n) for i in s] + [n]
            sizes = [max(0, b - a) for a, b in zip(bounds, bounds[1:])]
    else:
        raise Unresolved("indices_or_sections")
    return TensorTuple(tuple(Tensor(x.shape[:d] + (v,) + x.shape[d + 1:], x.dtype) for v in sizes))
