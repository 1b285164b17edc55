"""Shape-changing modules without weights: nn.Flatten, nn.Unflatten, nn.PixelShuffle/PixelUnshuffle,
nn.ChannelShuffle, nn.Upsample / UpsamplingNearest2d / UpsamplingBilinear2d (and the cores of torch.flatten,
F.interpolate, F.pixel_shuffle)."""
from __future__ import annotations

import math

from ...core.dims import is_known, prod
from ...core.errors import Mismatch, Unresolved
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from ._common import FW, axis, is_int, ntuple, require_rank


def flatten_core(layer, x: Tensor, start, end) -> Tensor:
    """torch.flatten: axes start..end (inclusive) merged into one; a 0-D tensor becomes (1,)."""
    r = x.rank
    s = axis(start, r, "start_dim", shape=x.shape)
    e = axis(end, r, "end_dim", shape=x.shape)
    if r == 0:
        return Tensor((1,), x.dtype)
    if s > e:
        return Mismatch("invalid-argument", arg="start_dim", detail=f"start_dim ({start}) cannot come after "
                        f"end_dim ({end}) for a {r}-D input", remedy=remedies.swap_start_end_dim())
    if s == e:
        return x
    return Tensor(x.shape[:s] + (prod(x.shape[s:e + 1]),) + x.shape[e + 1:], x.dtype)


@rule(FW, "Flatten", "start_dim=1, end_dim=-1")
def flatten(layer, x: Tensor):
    return flatten_core(layer, x, layer.arg("start_dim"), layer.arg("end_dim"))


@rule(FW, "Unflatten", "dim, unflattened_size")
def unflatten(layer, x: Tensor):
    sizes = layer.arg("unflattened_size")
    if is_int(sizes):
        sizes = (sizes,)
    if not isinstance(sizes, (tuple, list)) or not all(is_int(v) for v in sizes):
        raise Unresolved("unflattened_size")
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    if x.rank == 0:
        return Mismatch("rank-mismatch", expected="at least 1", received=0, received_shape=x.shape,
                        remedy=remedies.unflatten_tensor_with_axes())
    sizes = tuple(sizes)
    if sum(1 for v in sizes if v == -1) > 1 or any(v < -1 for v in sizes):
        return Mismatch("invalid-argument", arg="unflattened_size",
                        detail=f"{sizes} may contain at most one -1 and no other negative size",
                        remedy=remedies.use_single_minus_one())
    size = x.shape[d]
    known = prod(v for v in sizes if v != -1)
    new = sizes
    if is_known(size):
        ok = (size % known == 0 if known else size == 0) if -1 in sizes else known == size
        if not ok:
            return Mismatch("reshape-size-mismatch", arg="unflattened_size", per=f" on axis {d}", received=size,
                            expected=known,
                            target=sizes, received_shape=x.shape,
                            remedy=remedies.choose_sizes_with_product(size))
        if -1 in sizes:
            new = tuple(size // known if v == -1 else v for v in sizes)
    elif -1 in sizes:
        new = tuple(None if v == -1 else v for v in sizes)
    return Tensor(x.shape[:d] + new + x.shape[d + 1:], x.dtype)


def pixel_shuffle_core(layer, x: Tensor, r, unshuffle: bool, arg: str):
    if not is_int(r) or r <= 0:
        return Mismatch("invalid-argument", arg=arg, detail=f"must be a positive integer, got {r!r}",
                        remedy=remedies.pass_positive(arg))
    bad = require_rank(x, min_rank=3, layout="(*, C, H, W)", remedy=remedies.give_input_chw_axes())
    if bad:
        return bad
    c, h, w = x.shape[-3:]
    if not unshuffle:
        if is_known(c) and c % (r * r):
            return Mismatch("incompatible-input-shape", arg=arg, received_shape=x.shape,
                            detail=f"the channel axis ({c}) must be divisible by upscale_factor² ({r * r})",
                            remedy=remedies.give_channel_multiple(r * r))
        new = (c // (r * r) if is_known(c) else None, h * r if is_known(h) else None, w * r if is_known(w) else None)
    else:
        for name, v in (("height", h), ("width", w)):
            if is_known(v) and v % r:
                return Mismatch("incompatible-input-shape", arg=arg, received_shape=x.shape,
                                detail=f"the {name} ({v}) must be divisible by downscale_factor ({r})",
                                remedy=remedies.feed_height_width_multiple(r))
        new = (c * r * r if is_known(c) else None, h // r if is_known(h) else None, w // r if is_known(w) else None)
    return Tensor(x.shape[:-3] + new, x.dtype)


def _image(layer):
    return Tensor(("N", "C", "H", "W"), "float32")


@rule(FW, "PixelShuffle", "upscale_factor", implied_input=_image)
def pixel_shuffle(layer, x: Tensor):
    return pixel_shuffle_core(layer, x, layer.arg("upscale_factor"), False, "upscale_factor")


@rule(FW, "PixelUnshuffle", "downscale_factor", implied_input=_image)
def pixel_unshuffle(layer, x: Tensor):
    return pixel_shuffle_core(layer, x, layer.arg("downscale_factor"), True, "downscale_factor")


@rule(FW, "ChannelShuffle", "groups")
def channel_shuffle(layer, x: Tensor):
    g = layer.arg("groups")
    bad = require_rank(x, min_rank=3, layout="(N, C, *)")
    if bad:
        return bad
    c = x.shape[1]
    if is_int(g) and is_known(c) and g > 0 and c % g:
        return Mismatch("incompatible-input-shape", arg="groups", received_shape=x.shape,
                        detail=f"the number of channels ({c}) must be divisible by groups ({g})",
                        remedy=remedies.choose_dividing_groups(c))
    return x


MODES = {"nearest": None, "nearest-exact": None, "area": None, "linear": 3, "bilinear": 4, "bicubic": 4,
         "trilinear": 5}


def interpolate_core(layer, x: Tensor, size, scale_factor, mode, align_corners, arg_size="size",
                     arg_scale="scale_factor"):
    """F.interpolate: out = size, or floor(in * scale_factor) per spatial axis (computed in float64)."""
    r = x.rank
    if r not in (3, 4, 5) or mode not in MODES:
        if mode not in MODES and r in (3, 4, 5):
            return Mismatch("invalid-argument", arg="mode", detail=f"unknown mode {mode!r}",
                            remedy=remedies.use_one_of(MODES))
        return require_rank(x, (3, 4, 5), layout="(N, C, L), (N, C, H, W) or (N, C, D, H, W)",
                            remedy=remedies.add_axes_for_interpolation())
    need = MODES[mode]
    if need is not None and r != need:
        return require_rank(x, (need,), layout=f"for mode={mode!r}", remedy=remedies.choose_mode_for_rank())
    if align_corners is not None and need is None:
        return Mismatch("invalid-argument", arg="align_corners", detail="align_corners can only be set with the "
                        "interpolating modes linear, bilinear, bicubic, trilinear",
                        remedy=remedies.remove_align_corners())
    n = r - 2
    if size is not None and scale_factor is not None:
        return Mismatch("invalid-argument", arg=arg_scale, detail="only one of size or scale_factor should be defined",
                        remedy=remedies.pass_size_or_scale_factor_not_both())
    spatial = x.shape[2:]
    if size is not None:
        if is_int(size):
            out = (size,) * n
        elif isinstance(size, (tuple, list)) and all(is_int(v) for v in size):
            if len(size) != n:
                return Mismatch("invalid-argument", arg=arg_size, detail=f"the input has {n} spatial axes but "
                                f"size has {len(size)} values", remedy=remedies.pass_output_sizes(n))
            out = tuple(size)
        else:
            raise Unresolved(arg_size)
    elif scale_factor is not None:
        if isinstance(scale_factor, (int, float)) and not isinstance(scale_factor, bool):
            scales = (float(scale_factor),) * n
        elif isinstance(scale_factor, (tuple, list)) and all(isinstance(v, (int, float)) for v in scale_factor):
            if len(scale_factor) != n:
                return Mismatch("invalid-argument", arg=arg_scale, detail=f"the input has {n} spatial axes but "
                                f"scale_factor has {len(scale_factor)} values", remedy=remedies.pass_scale_factors(n))
            scales = tuple(float(v) for v in scale_factor)
        else:
            raise Unresolved(arg_scale)
        out = tuple((sz if sc == 1.0 else None) if not is_known(sz) else math.floor(sz * sc)
                    for sz, sc in zip(spatial, scales))
    else:
        return Mismatch("invalid-argument", arg=arg_size, detail="either size or scale_factor should be defined",
                        remedy=remedies.pass_size_or_scale_factor())
    for o, sz in zip(out, spatial):
        if mode == "area":  # 'area' is adaptive average pooling: an empty output is fine, an empty input is not
            if is_known(sz) and sz == 0:
                return Mismatch("non-positive-output-size", arg=arg_size, detail="an axis of the input is empty",
                                remedy=remedies.feed_non_empty_input())
            continue
        if (is_known(o) and o <= 0) or (is_known(sz) and sz <= 0):
            return Mismatch("non-positive-output-size", arg=arg_scale if scale_factor is not None else arg_size,
                            detail=f"input size {sz} would become {o}", remedy=remedies.use_larger_size_or_scale())
    return Tensor(x.shape[:2] + tuple(out), x.dtype)


@rule(FW, "Upsample", "size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None",
      scale_arg="scale_factor")  # scale_arg: the argument that multiplies the spatial sizes
def upsample(layer, x: Tensor):
    a = layer.arg
    return interpolate_core(layer, x, a("size"), a("scale_factor"), a("mode"), a("align_corners"))


@rule(FW, ["UpsamplingNearest2d", "UpsamplingBilinear2d"], "size=None, scale_factor=None")
def upsampling2d(layer, x: Tensor):
    mode = "nearest" if layer.kind == "UpsamplingNearest2d" else "bilinear"
    return interpolate_core(layer, x, layer.arg("size"), layer.arg("scale_factor"), mode,
                            True if mode == "bilinear" else None)


def _pair(layer, name):
    return ntuple(layer.arg(name), 2, name)


def _blocks(layer, spatial, k, d, p, s):
    """Sliding-block counts per axis: ``floor((size + 2p - d(k-1) - 1) / s) + 1`` (as a convolution)."""
    return tuple((sz + 2 * p[i] - d[i] * (k[i] - 1) - 1) // s[i] + 1 if is_known(sz) else None
                 for i, sz in enumerate(spatial))


@rule(FW, "Unfold", "kernel_size, dilation=1, padding=0, stride=1", implied_input=_image)
def unfold(layer, x: Tensor):
    """(N, C, H, W) -> (N, C*kh*kw, L), L = number of sliding blocks."""
    k, d, p, s = (_pair(layer, n) for n in ("kernel_size", "dilation", "padding", "stride"))
    bad = require_rank(x, (3, 4), layout="(N, C, H, W) or (C, H, W)", remedy=remedies.give_input_channel_image_axes())
    if bad:
        return bad
    blocks = _blocks(layer, x.shape[-2:], k, d, p, s)
    if any(is_known(b) and b <= 0 for b in blocks):
        return Mismatch("non-positive-output-size", arg="kernel_size",
                        detail=f"no {k[0]}x{k[1]} block fits in the {x.shape[-2]}x{x.shape[-1]} input",
                        remedy=remedies.use_smaller_kernel())
    c = x.shape[-3]
    return Tensor(x.shape[:-3] + (c * k[0] * k[1] if is_known(c) else None, prod(blocks)), x.dtype)


@rule(FW, "Fold", "output_size, kernel_size, dilation=1, padding=0, stride=1")
def fold(layer, x: Tensor):
    """(N, C*kh*kw, L) -> (N, C, H, W) with L = number of sliding blocks of (H, W)."""
    out = _pair(layer, "output_size")
    k, d, p, s = (_pair(layer, n) for n in ("kernel_size", "dilation", "padding", "stride"))
    bad = require_rank(x, (2, 3), layout="(N, C*kh*kw, L) or (C*kh*kw, L)", remedy=remedies.fold_unfold_output())
    if bad:
        return bad
    ck, length = x.shape[-2], x.shape[-1]
    if is_known(ck) and ck % (k[0] * k[1]):
        return Mismatch("incompatible-input-shape", arg="kernel_size", received_shape=x.shape,
                        detail=f"axis -2 ({ck}) must be divisible by the kernel area {k[0] * k[1]}",
                        remedy=remedies.fold_with_unfold_kernel_size())
    blocks = prod(_blocks(layer, out, k, d, p, s))
    if is_known(length) and is_known(blocks) and length != blocks:
        return Mismatch("incompatible-input-shape", arg="output_size", received_shape=x.shape,
                        detail=f"output_size={out} with this kernel makes {blocks} blocks, but the input has {length}",
                        remedy=remedies.fold_into_unfolded_size())
    return Tensor(x.shape[:-2] + (ck // (k[0] * k[1]) if is_known(ck) else None,) + out, x.dtype)
