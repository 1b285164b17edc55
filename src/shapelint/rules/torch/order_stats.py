"""Order statistics and paired reductions (torch 2.13): median / nanmedian / mode / kthvalue / sort / msort / aminmax /
std_mean / var_mean / any / all.

The ones that take a ``dim`` return a named tuple ``(values, indices)`` (``aminmax``: ``(min, max)``); the front-end
gives the tuple those field names (torch_ops.NAMED_FIELDS) so ``x.median(1).values`` and ``v, i = x.sort()`` both
work. Reduced shapes follow ``reduce_core`` (keepdim keeps a size-1 axis).
"""
from __future__ import annotations

from ...core.dims import is_known
from ...core.errors import Mismatch, Unresolved
from ...core.registry import rule
from ...core.values import Tensor, TensorTuple
from ...diagnostics import remedies
from ._common import FW, axis, is_int
from .tensor_ops import reduce_core


def _pair(values: Tensor, dtype2: str = "int64") -> TensorTuple:
    return TensorTuple((values, Tensor(values.shape, dtype2)))


@rule(FW, ["median", "nanmedian"], "dim=None, keepdim=False")
def median(layer, x: Tensor):
    """x.median() -> 0-D (the lower median of all values); x.median(dim) -> (values, indices)."""
    dim = layer.arg("dim")
    if dim is None:
        return Tensor((), x.dtype)
    if not is_int(dim):
        raise Unresolved("dim")
    return _pair(reduce_core(layer, x, dim, bool(layer.arg("keepdim"))))


@rule(FW, "mode", "dim=-1, keepdim=False")
def mode(layer, x: Tensor):
    dim = layer.arg("dim")
    if not is_int(dim):
        raise Unresolved("dim")
    return _pair(reduce_core(layer, x, dim, bool(layer.arg("keepdim"))))


@rule(FW, "kthvalue", "k, dim=-1, keepdim=False")
def kthvalue(layer, x: Tensor):
    """torch raises "selected number k out of range" unless 1 <= k <= the size of dim."""
    k, dim = layer.arg("k"), layer.arg("dim")
    if not is_int(k) or not is_int(dim):
        raise Unresolved("k" if not is_int(k) else "dim")
    size = x.shape[axis(dim, x.rank, "dim", shape=x.shape)] if x.rank else 1
    if k < 1 or (is_known(size) and k > size):
        return Mismatch("incompatible-input-shape", arg="k", received_shape=x.shape,
                        detail=f"k={k} is not in [1, {size}], the size of dim {dim}",
                        remedy=remedies.pick_smaller_k())
    return _pair(reduce_core(layer, x, dim, bool(layer.arg("keepdim"))))


@rule(FW, "sort", "dim=-1, descending=False, stable=False")
def sort(layer, x: Tensor):
    dim = layer.arg("dim")
    if not is_int(dim):
        raise Unresolved("dim")
    axis(dim, x.rank, "dim", shape=x.shape)
    return _pair(x)


@rule(FW, "msort", "")
def msort(layer, x: Tensor):
    return x


@rule(FW, "aminmax", "dim=None, keepdim=False")
def aminmax(layer, x: Tensor):
    """(min, max) over everything (0-D each) or over ``dim``."""
    dim = layer.arg("dim")
    if dim is None:
        out = Tensor((1,) * x.rank if layer.arg("keepdim") else (), x.dtype)
    else:
        out = reduce_core(layer, x, dim, bool(layer.arg("keepdim")))
    return TensorTuple((out, out))


@rule(FW, ["std_mean", "var_mean"], "dim=None, unbiased=True, keepdim=False, correction=None")
def moments(layer, x: Tensor):
    out = reduce_core(layer, x, layer.arg("dim"), bool(layer.arg("keepdim")))
    return TensorTuple((out, out))


@rule(FW, ["any", "all"], "dim=None, keepdim=False")
def any_all(layer, x: Tensor):
    out = reduce_core(layer, x, layer.arg("dim"), bool(layer.arg("keepdim")))
    return Tensor(out.shape, "bool")
