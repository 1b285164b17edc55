"""Pooling: nn.MaxPool/AvgPool 1d-3d, AdaptiveAvg/MaxPool 1d-3d, LPPool 1d-3d, MaxUnpool 1d-3d (and the F.* cores).

Contract (torch 2.13, ``aten/src/ATen/native/Pool.h``): input (N, C, *spatial) or (C, *spatial); padding at most
half the kernel (``pad <= kernel // 2``, kernel without dilation); stride defaults to the kernel and is non-zero;
``out = floor_or_ceil((size + 2p - d(k-1) - 1) / s) + 1`` must be positive.
"""
from __future__ import annotations

from ...core.dims import dim_ne, is_known
from ...core.errors import Mismatch, Unresolved
from ...core.formulas import pool_out, unpool_out
from ...core.registry import rule
from ...core.values import UNKNOWN, Tensor, TensorTuple
from ...diagnostics import remedies
from ._common import FW, SPATIAL, is_int, missing_inputs, ntuple, spatial_rank_check
from ...core.program import UNRESOLVED


def pool_core(layer, x: Tensor, n: int, kernel, stride, padding=0, dilation=1, ceil_mode=False,
              return_indices=False, avg3d: bool = False, lp: bool = False):
    """``avg3d``: avg_pool3d also needs every spatial size >= the kernel (padding not counted); ``lp``: LPPool's
    kernel is unpacked into exactly n values (an int for LPPool1d)."""
    if lp and not is_int(kernel) and (n == 1 or not isinstance(kernel, (tuple, list)) or len(kernel) != n):
        return Mismatch("invalid-argument", arg="kernel_size", detail=f"expected an int or {n} ints, got {kernel!r}"
                        if n > 1 else f"LPPool1d needs an int kernel_size, got {kernel!r}",
                        remedy=remedies.pass_int_kernel_size())
    k = ntuple(kernel, n, "kernel_size", allow_single=True)
    s = k if stride is None or stride == () or stride == [] else ntuple(stride, n, "stride", allow_single=True)
    p = ntuple(padding, n, "padding", allow_single=True)
    d = ntuple(dilation, n, "dilation", allow_single=True)
    if any(v <= 0 for v in k):
        return Mismatch("invalid-argument", arg="kernel_size", detail="kernel size should be greater than zero",
                        remedy=remedies.pass_positive_kernel_size())
    if any(v == 0 for v in s):
        return Mismatch("invalid-argument", arg="stride", detail="stride should not be zero",
                        remedy=remedies.pass_positive_stride())
    if any(v <= 0 for v in d):
        return Mismatch("invalid-argument", arg="dilation", detail="dilation should be greater than zero",
                        remedy=remedies.pass_positive_dilation())
    bad = spatial_rank_check(x, n)
    if bad:
        return bad
    for ki, pi in zip(k, p):
        if pi < 0 or pi > ki // 2:
            return Mismatch("padding-too-large", arg="padding",
                            detail=f"padding {pi} must be at most half of the kernel size {ki}",
                            remedy=remedies.use_padding_at_most_half_kernel(ki // 2))
    out = []
    spatial = x.shape[-n:]
    for i, size in enumerate(spatial):
        if avg3d and is_known(size) and size < k[i]:
            return Mismatch("non-positive-output-size", arg="kernel_size",
                            detail=f"axis {SPATIAL[n][i]} of size {size} is smaller than the kernel size {k[i]} "
                                   "(avg_pool3d does not count padding here)",
                            remedy=remedies.use_smaller_kernel_or_larger_input())
        if s[i] == 1 and 2 * p[i] == d[i] * (k[i] - 1):
            o = size
        else:
            o = pool_out(size, k[i], s[i], p[i], d[i], bool(ceil_mode))
        if is_known(o) and o <= 0:
            return Mismatch("non-positive-output-size", arg="kernel_size",
                            detail=f"axis {SPATIAL[n][i]} of size {size} is smaller than the pooling window "
                                   f"(kernel {k[i]}, stride {s[i]}, padding {p[i]}" +
                                   (f", dilation {d[i]}" if d[i] != 1 else "") + ")",
                            remedy=remedies.use_smaller_kernel_or_larger_input())
        out.append(o)
    y = Tensor(x.shape[:-n] + tuple(out), x.dtype)
    return TensorTuple((y, Tensor(y.shape, "int64"))) if return_indices else y


def adaptive_core(layer, x: Tensor, n: int, output_size, return_indices=False, avg: bool = False):
    if n == 1 and (output_size is None or isinstance(output_size, (tuple, list)) and None in output_size):
        return Mismatch("invalid-argument", arg="output_size", detail="the 1-d adaptive pools need an int output_size",
                        remedy=remedies.pass_int_output_size())
    if output_size is None or is_int(output_size):
        sizes = (output_size,) * n
    elif isinstance(output_size, (tuple, list)) and all(v is None or is_int(v) for v in output_size):
        sizes = tuple(output_size)
        if len(sizes) == 1 and n > 1:
            sizes = sizes * n
        if len(sizes) != n:
            return Mismatch("invalid-argument", arg="output_size", detail=f"expected an int or {n} values, "
                            f"got {output_size!r}", remedy=remedies.pass_output_size_int_or_tuple(n))
    else:
        raise Unresolved("output_size")
    if any(v is not None and v < 0 for v in sizes):
        return Mismatch("invalid-argument", arg="output_size", detail="elements of output_size must be >= 0",
                        remedy=remedies.pass_non_negative_output_size())
    if avg and n > 1 and all(o == 1 for o in sizes) and x.rank >= n:
        # torch 2.13 computes a 1x1 (1x1x1) adaptive average as a mean over the last axes, for any rank >= n
        return Tensor(x.shape[:-n] + (1,) * n, x.dtype)
    bad = spatial_rank_check(x, n)
    if bad:
        return bad
    spatial = x.shape[-n:]
    if any(is_known(d) and d == 0 for d in spatial):
        return Mismatch("incompatible-input-shape", received_shape=x.shape,
                        detail="adaptive pooling needs a non-empty input in every spatial axis",
                        remedy=remedies.feed_non_empty_input())
    out = tuple(sz if o is None else o for o, sz in zip(sizes, spatial))
    y = Tensor(x.shape[:-n] + out, x.dtype)
    return TensorTuple((y, Tensor(y.shape, "int64"))) if return_indices else y


def _implied(n):
    return lambda layer: Tensor(("N", "C") + SPATIAL[n], "float32")


def _register(n: int):
    @rule(FW, f"MaxPool{n}d", "kernel_size, stride=None, padding=0, dilation=1, return_indices=False, "
                              "ceil_mode=False", implied_input=_implied(n), unbatched_rank=n + 1)
    def max_pool(layer, x):
        a = layer.arg
        return pool_core(layer, x, n, a("kernel_size"), a("stride"), a("padding"), a("dilation"), a("ceil_mode"),
                         a("return_indices"))

    sig = "kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True"
    if n > 1:
        sig += ", divisor_override=None"

    @rule(FW, f"AvgPool{n}d", sig, implied_input=_implied(n), unbatched_rank=n + 1)
    def avg_pool(layer, x):
        a = layer.arg
        if n > 1 and a("divisor_override") is not None and a("divisor_override") == 0:
            return Mismatch("invalid-argument", arg="divisor_override", detail="divisor must be not zero",
                            remedy=remedies.remove_or_fix_divisor_override())
        return pool_core(layer, x, n, a("kernel_size"), a("stride"), a("padding"), 1, a("ceil_mode"), avg3d=n == 3)

    @rule(FW, f"AdaptiveAvgPool{n}d", "output_size", implied_input=_implied(n), unbatched_rank=n + 1)
    def adaptive_avg(layer, x):
        return adaptive_core(layer, x, n, layer.arg("output_size"), avg=True)

    @rule(FW, f"AdaptiveMaxPool{n}d", "output_size, return_indices=False", implied_input=_implied(n),
          unbatched_rank=n + 1)
    def adaptive_max(layer, x):
        return adaptive_core(layer, x, n, layer.arg("output_size"), layer.arg("return_indices"))

    @rule(FW, f"LPPool{n}d", "norm_type, kernel_size, stride=None, ceil_mode=False", implied_input=_implied(n),
          unbatched_rank=n + 1)
    def lp_pool(layer, x):
        a = layer.arg
        return pool_core(layer, x, n, a("kernel_size"), a("stride"), 0, 1, a("ceil_mode"), avg3d=n == 3, lp=True)


for _n in (1, 2, 3):
    _register(_n)


def _fractional(n: int):
    @rule(FW, f"FractionalMaxPool{n}d", "kernel_size, output_size=None, output_ratio=None, return_indices=False, "
                                        "_random_samples=None", implied_input=_implied(n))
    def fractional_max_pool(layer, x):
        """out = output_size, or floor(size * output_ratio); each window must fit: out + kernel - 1 <= size (2-d),
        < size (3-d)."""
        a = layer.arg
        k = ntuple(a("kernel_size"), n, "kernel_size")
        size, ratio = a("output_size"), a("output_ratio")
        if size is None and ratio is None:
            return Mismatch("invalid-argument", arg="output_size", detail=f"{layer.kind} requires either an output "
                            "size or a pooling ratio", remedy=remedies.pass_output_size_or_ratio())
        if size is not None and ratio is not None:
            return Mismatch("invalid-argument", arg="output_ratio", detail="only one of output_size and "
                            "output_ratio may be specified", remedy=remedies.remove_one_of_them())
        if ratio is not None:
            ratios = (ratio,) * n if isinstance(ratio, (int, float)) else tuple(ratio)
            if len(ratios) != n or not all(isinstance(r, (int, float)) and 0 < r < 1 for r in ratios):
                return Mismatch("invalid-argument", arg="output_ratio", detail=f"output_ratio must be between 0 "
                                f"and 1, got {ratio!r}", remedy=remedies.pass_ratio_between_0_and_1())
        else:
            sizes = ntuple(size, n, "output_size")
        bad = spatial_rank_check(x, n)
        if bad:
            return bad
        out = []
        for i, sz in enumerate(x.shape[-n:]):
            if ratio is not None:
                o = int(sz * ratios[i]) if is_known(sz) else None
            else:
                o = sizes[i]
            # torch 2.13 checks ``out + kernel - 1 <= size`` in 2-d but ``< size`` in 3-d
            if is_known(o) and is_known(sz) and (o + k[i] - 1 > sz or (n == 3 and o + k[i] - 1 == sz)):
                need = "<=" if n == 2 else "<"
                return Mismatch("non-positive-output-size", arg="kernel_size",
                                detail=f"pool size {k[i]} is too large for output {o} from input size {sz} on axis "
                                       f"{SPATIAL[n][i]} (needs output + kernel - 1 {need} input)",
                                remedy=remedies.use_smaller_kernel_or_output_size())
            out.append(o)
        y = Tensor(x.shape[:-n] + tuple(out), x.dtype)
        return TensorTuple((y, Tensor(y.shape, "int64"))) if a("return_indices") else y


_fractional(2)
_fractional(3)


# -- max unpooling ---------------------------------------------------------------------------------------------
_INT64_ONLY = ("float16", "bfloat16", "float32", "float64", "float", "double", "half", "int32", "int16", "int8",
               "uint8", "bool")


def _unpool_sizes(output_size, n: int):
    """An output_size as n entries (int, or None where unknown), or None when it is unknown as a whole. torch takes
    the last n entries of an (N, C, *spatial) size."""
    if output_size is None:
        return None
    if not isinstance(output_size, (tuple, list)):
        if is_int(output_size):
            return Mismatch("invalid-argument", arg="output_size", detail=f"output_size must be a sequence of {n} "
                            f"or {n + 2} sizes, got the int {output_size}",
                            remedy=remedies.pass_output_size_tuple(n))
        return (None,) * n
    if len(output_size) == n + 2:
        output_size = output_size[2:]
    if len(output_size) != n:
        return Mismatch("invalid-argument", arg="output_size", detail=f"output_size must have {n} or {n + 2} "
                        f"elements, got {len(output_size)}",
                        remedy=remedies.pass_spatial_sizes(n))
    return tuple(v if is_int(v) else None for v in output_size)


def unpool_core(layer, n: int, x: Tensor, indices, kernel, stride, padding, output_size):
    """MaxUnpool{n}d / F.max_unpool{n}d (torch 2.13 ``_unpool_output_size`` and the max_unpooling kernels).

    default = (in - 1) * stride - 2 * padding + kernel per spatial axis (stride defaults to the kernel);
    an ``output_size`` (n sizes, or n + 2 of which the last n count) must lie strictly between default - stride and
    default + stride; every output size must be >= 0. Input (N, C, *spatial) or (C, *spatial), non-empty except the
    batch axis; ``indices`` has the input's shape and dtype int64. Which indices are valid depends on the data
    (torch raises "Found an invalid max index" at run time), so that is not checked here."""
    k = ntuple(kernel, n, "kernel_size")
    s = k if stride is None else ntuple(stride, n, "stride")
    p = ntuple(padding, n, "padding")
    sizes = _unpool_sizes(output_size, n)
    if isinstance(sizes, Mismatch):
        return sizes
    if x.shape is None and isinstance(indices, Tensor) and indices.shape is not None:
        x = Tensor(indices.shape, x.dtype)  # the indices have the input's shape
    if x.shape is None:
        return UNKNOWN
    bad = spatial_rank_check(x, n, remedy=remedies.feed_pooled_tensor())
    if bad:
        return bad
    if isinstance(indices, Tensor) and indices.shape is not None:
        if len(indices.shape) != len(x.shape) or any(dim_ne(a, b) for a, b in zip(x.shape, indices.shape)):
            return Mismatch("incompatible-input-shape", received_shape=x.shape,
                            detail=f"the indices {indices} must have the input's shape",
                            remedy=remedies.pass_maxpool_indices())
    if isinstance(indices, Tensor) and indices.dtype in _INT64_ONLY:
        return Mismatch("index-dtype-mismatch", received=indices.dtype, received_shape=indices.shape,
                        remedy=remedies.pass_int64_maxpool_indices())
    first = 1 if x.rank == n + 2 else 0
    for i in range(first, x.rank):
        if is_known(x.shape[i]) and x.shape[i] == 0:
            return Mismatch("incompatible-input-shape", received_shape=x.shape,
                            detail=f"axis {i} is empty (only the batch axis may be)",
                            remedy=remedies.feed_non_empty_input())
    out = []
    for i, size in enumerate(x.shape[-n:]):
        default = unpool_out(size, k[i], s[i], p[i])
        o = default if sizes is None else sizes[i]
        if sizes is not None and is_known(o) and is_known(default) and not default - s[i] < o < default + s[i]:
            return Mismatch("invalid-argument", arg="output_size",
                            detail=f"size {o} on axis {SPATIAL[n][i]} must be between {default - s[i]} and "
                                   f"{default + s[i]} (exclusive) for an input size {size}",
                            remedy=remedies.pass_size_before_pooling())
        if is_known(o) and o < 0:
            return Mismatch("non-positive-output-size", arg="kernel_size" if sizes is None else "output_size",
                            detail=f"axis {SPATIAL[n][i]} would have size {o}: (in - 1) * stride - 2 * padding + "
                                   f"kernel = ({size} - 1) * {s[i]} - 2 * {p[i]} + {k[i]}",
                            remedy=remedies.match_unpool_padding())
        out.append(o)
    return Tensor(x.shape[:-n] + tuple(out), x.dtype)


def _register_unpool(n: int):
    @rule(FW, f"MaxUnpool{n}d", "kernel_size, stride=None, padding=0", accepts_unknown=True,
          implied_input=_implied(n))
    def max_unpool(layer, x, indices=None, *rest):
        if indices is None:
            return missing_inputs(layer, ("input", "indices"), 1)
        a = layer.arg
        size = layer.call_kwargs.get("output_size")
        if rest or _contains_unknown(size):  # an output_size we could not read
            size = (None,) * n
        return unpool_core(layer, n, x, indices, a("kernel_size"), a("stride"), a("padding"), size)

    @rule(FW, f"F.max_unpool{n}d", "kernel_size, stride=None, padding=0, output_size=None", accepts_unknown=True)
    def f_max_unpool(layer, x, indices=None, *rest):
        if indices is None:
            return missing_inputs(layer, ("input", "indices"), 1)
        a = layer.arg
        size = layer.raw("output_size")
        if rest or _contains_unknown(size):
            size = (None,) * n
        return unpool_core(layer, n, x, indices, a("kernel_size"), a("stride"), a("padding"), size)


def _contains_unknown(v) -> bool:
    return v is UNRESOLVED or isinstance(v, (tuple, list)) and any(i is UNRESOLVED for i in v)


for _n in (1, 2, 3):
    _register_unpool(_n)
