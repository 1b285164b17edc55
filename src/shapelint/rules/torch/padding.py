"""Padding modules: nn.ZeroPad/ConstantPad/ReflectionPad/ReplicationPad/CircularPad 1d-3d (and F.pad's core).

Contract (torch 2.13, ``torch/nn/functional.py`` pad and ``aten/src/ATen/native/PadNd.cpp``): ``pad`` lists
(left, right) pairs starting from the last axis. Constant padding works on any rank >= len(pad)/2 and may be
negative (cropping) down to size 0. Reflect/replicate padding of m axes needs a rank of m+1 or m+2; reflection
padding must be smaller than the axis, circular padding at most the axis. CircularPad{n}d checks the rank itself.
"""
from __future__ import annotations

from ...core.dims import is_known
from ...core.errors import Mismatch, Unresolved
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from ._common import FW, SPATIAL, is_int, require_rank, spatial_rank_check

AXES = ("last", "second-to-last", "third-to-last")


def pad_core(layer, x: Tensor, pad, mode: str, arg: str = "padding"):
    if not isinstance(pad, (tuple, list)) or not all(is_int(v) for v in pad):
        raise Unresolved(arg)
    pad = tuple(pad)
    if len(pad) % 2:
        return Mismatch("invalid-argument", arg=arg, detail="padding length must be divisible by 2",
                        remedy=remedies.give_pad_pairs())
    m = len(pad) // 2
    if mode == "constant":
        if m > x.rank:
            return Mismatch("rank-mismatch", expected=f"at least {m}", received=x.rank, received_shape=x.shape,
                            remedy=remedies.pad_at_most_rank_axes(x.rank))
    elif mode in ("reflect", "replicate", "circular"):
        if x.rank not in (m + 1, m + 2) or m > 3:
            return require_rank(x, (m + 1, m + 2),
                                layout=f"for {mode} padding of {m} axes",
                                remedy=remedies.add_axes_or_pad_fewer())
    else:
        return Mismatch("invalid-argument", arg="mode", detail=f"unsupported padding mode {mode!r}",
                        remedy=remedies.use_valid_pad_mode())
    shape = list(x.shape)
    for j in range(m):
        i = x.rank - 1 - j
        left, right = pad[2 * j], pad[2 * j + 1]
        size = shape[i]
        if not is_known(size):
            shape[i] = size if left == right == 0 else None
            continue
        where = f"axis {i} of size {size}"
        if mode == "reflect" and (left >= size or right >= size):
            return Mismatch("padding-too-large", arg=arg, received_shape=x.shape,
                            detail=f"reflection padding ({left}, {right}) must be smaller than {where}",
                            remedy=remedies.use_padding_below_size(size))
        if mode == "circular" and (left > size or right > size):
            return Mismatch("padding-too-large", arg=arg, received_shape=x.shape,
                            detail=f"circular padding ({left}, {right}) wraps around {where} more than once",
                            remedy=remedies.use_padding_at_most(size))
        new = size + left + right
        if new < 0 or (new == 0 and mode != "constant"):
            return Mismatch("non-positive-output-size", arg=arg,
                            detail=f"padding ({left}, {right}) makes {where} {new}",
                            remedy=remedies.use_smaller_negative_padding())
        shape[i] = new
    return Tensor(tuple(shape), x.dtype)


def _pad_tuple(layer, n: int) -> tuple:
    p = layer.arg("padding")
    if is_int(p):
        return (p,) * (2 * n)
    if isinstance(p, (tuple, list)):
        return tuple(p)
    raise Unresolved("padding")


MODES = {"Zero": "constant", "Constant": "constant", "Reflection": "reflect", "Replication": "replicate",
         "Circular": "circular"}


def _register(prefix: str, n: int):
    sig = "padding, value" if prefix == "Constant" else "padding"
    # constant padding takes any rank, so only the reflect/replicate/circular modules imply an (N, C, *spatial) input
    implied = None if MODES[prefix] == "constant" else \
        (lambda layer: Tensor(("N", "C") + SPATIAL[n], "float32"))

    @rule(FW, f"{prefix}Pad{n}d", sig, implied_input=implied)
    def pad_module(layer, x: Tensor):
        if prefix == "Circular":
            bad = spatial_rank_check(x, n)
            if bad:
                return bad
        return pad_core(layer, x, _pad_tuple(layer, n), MODES[prefix])


for _p in MODES:
    for _n in (1, 2, 3):
        _register(_p, _n)

__all__ = ["pad_core", "require_rank"]
