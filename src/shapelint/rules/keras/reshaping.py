"""Keras 3 reshaping layers: Reshape, Permute, RepeatVector, UpSampling1D/2D/3D, ZeroPadding1D/2D/3D,
Cropping1D/2D/3D.

Mirrors keras/src/layers/reshaping/*.py and operation_utils.compute_reshape_output_shape (3.15). Notable facts
checked against real Keras:

* Reshape accepts 0 in target_shape and at most one -1; any dimension < -1 is rejected at construction. When the
  input has an unknown dimension nothing is checked (the -1 becomes None).
* ZeroPadding2D/3D accept a negative *int* padding without complaint (only tuple entries are validated); the result
  fails only if a size becomes negative (a KerasTensor shape cannot hold negative sizes). A size of 0 is accepted.
* Cropping raises when the crop leaves 0 or fewer positions.
* UpSampling1D and RepeatVector need a real int (bools and floats raise TypeError).
"""
from __future__ import annotations

import math

from ...core import provenance
from ...core.dims import fmt_shape, is_known
from ...core.errors import Mismatch
from ...core.formulas import crop_out, pad_out
from ...core.program import UNRESOLVED
from ...core.registry import rule
from ...core.values import UNKNOWN, Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes import InsertBefore, ReplaceText, SetArg
from ._reorder import warn_reorder
from ._spec import FW
from ._window import (Odd, assemble, axes_text, data_format, invalid, layout, window_rule, require,
                      spatial_axis, standardize_tuple, value)

_ORD = ("1st", "2nd", "3rd")


def _rank_error(x: Tensor, ndim: int, layout_text: str, remedy: str) -> Mismatch:
    return Mismatch("rank-mismatch", expected=ndim, received=x.rank, received_shape=x.shape,
                    layout=f" {layout_text}" if layout_text else "", remedy=remedy)


def _fmt(layer):
    v = value(layer, "data_format")
    return v if v is UNRESOLVED else data_format(v)


# -- Reshape --------------------------------------------------------------------------------------------------
@rule(FW, "Reshape", "target_shape, **kwargs", accepts_unknown=True)
@window_rule
def reshape(layer, x: Tensor):
    raw = layer.raw("target_shape")
    if isinstance(raw, (tuple, list)):  # sizes we cannot resolve are dynamic sizes, as Keras treats non-ints
        raw = tuple(None if d is UNRESOLVED else d for d in raw)
    if raw is not UNRESOLVED:
        if not isinstance(raw, (tuple, list, str)):
            raise invalid("target_shape", f"must be a tuple of sizes, got {raw!r}",
                          f"pass a tuple, e.g. target_shape=({raw!r},)" if isinstance(raw, int)
                          else "pass a tuple of sizes")
        target = tuple(d if isinstance(d, int) else None for d in raw)  # non-ints are dynamic to Keras
        if any(d is not None and d < -1 for d in target):
            raise invalid("target_shape", f"sizes must be >= 0, or -1 for one inferred size; got {tuple(raw)!r}",
                          remedies.use_one_minus_one_to_infer())
        if target.count(-1) > 1:
            raise invalid("target_shape", f"at most one size may be -1, got {tuple(raw)!r}",
                          remedies.give_all_sizes_but_one())
    if x.shape is None:
        return UNKNOWN
    require(target_shape=raw)
    layer.params = 0
    sample = x.shape[1:]
    if not all(is_known(d) for d in sample) or None in target:
        return Tensor((x.shape[0],) + tuple(None if d == -1 else d for d in target), x.dtype)
    size = math.prod(sample)
    if -1 not in target:
        want = math.prod(target)
        if want != size:
            raise _reshape_mismatch(x, target, size, expected=want)
    else:
        known = math.prod(d for d in target if d != -1)
        if known == 0 or size % known:
            raise _reshape_mismatch(x, target, size, expected=f"a multiple of {known}" if known else
                                    "a non-zero number of")
        target = tuple(size // known if d == -1 else d for d in target)
    warn_reorder(layer, sample, target, lambda perm: _permute_instead(layer, perm))
    return Tensor((x.shape[0],) + target, x.dtype)


def _permute_instead(layer, perm: tuple):
    """The reshape only reorders the axes: the layer is replaced by the ``Permute`` that moves them (putting a
    Permute in front would leave the Reshape re-reading the permuted values as they are: it does nothing then)."""
    axes = tuple(a + 1 for a in perm)
    callee, span = layer.callee or "", layer.origin.span
    if span is None or not callee.endswith("Reshape"):
        return InsertBefore(f"Permute({axes})", title="permute the axes before the reshape")
    return ReplaceText(span, f"{callee[:-len('Reshape')]}Permute({axes})",
                       title=f"the reshape only reorders the axes: `Permute({axes})` moves them")


def _reshape_remedy(target: tuple, size: int) -> str:
    fixed = _fitting_target(target, size)
    if fixed is not None:
        return remedies.fit_target_shape_to(size, fixed)
    return remedies.fit_target_shape(size)


def _reshape_mismatch(x: Tensor, target: tuple, size: int, **kw) -> Mismatch:
    """The mismatch, with a fix that changes one size of ``target_shape`` (the last that can be changed: the
    channels of a generator's ``Reshape((7, 7, 256))`` after a ``Dense(7 * 7 * 64)``)."""
    fixed = _fitting_target(target, size)
    # sizes computed by a formula (`(img_width // 4, (img_height // 4) * 64)`) follow other sizes: numbers written
    # over them would fit this run and hide where the mistake is -- shown, never applied
    how = "display-only" if _computed(target) else "unsafe"
    fix = SetArg("target_shape", str(fixed), how, title=f"reshape to {fixed}", per_shape=True) \
        if fixed is not None else None
    recover = Tensor((x.shape[0],) + tuple(size // math.prod(d for d in fixed if d != -1) if d == -1 else d
                                           for d in fixed), x.dtype) if fixed is not None else None
    return Mismatch("reshape-size-mismatch", arg="target_shape", received=size, received_shape=x.shape,
                    target=tuple(target), remedy=_reshape_remedy(target, size), fix=fix, recover=recover, **kw)


def _computed(target: tuple) -> bool:
    """Some size of the target was computed from others by a formula written in the source."""
    return any(isinstance(provenance.origin_of(d), provenance.Computed) for d in target)


def _fitting_target(target: tuple, size: int):
    """A target of the same rank whose product works: one size changed (the nearest divisor when -1 is used),
    the user's other sizes kept."""
    for i in reversed(range(len(target))):
        if target[i] == -1:
            continue
        rest = math.prod(d for j, d in enumerate(target) if j != i and d != -1)
        if not rest or size % rest:
            continue
        room = size // rest
        if -1 in target:  # the size at i must divide what is left; the -1 takes the rest
            best = min((d for d in range(1, room + 1) if room % d == 0), key=lambda d: (abs(d - target[i]), -d))
        else:
            best = room
        return tuple(best if j == i else d for j, d in enumerate(target))
    return None


# -- Permute --------------------------------------------------------------------------------------------------
@rule(FW, "Permute", "dims, **kwargs", accepts_unknown=True)
@window_rule
def permute(layer, x: Tensor):
    dims = value(layer, "dims")
    if dims is not UNRESOLVED:
        if not isinstance(dims, (tuple, list)):
            raise invalid("dims", f"must be a tuple of axis indices, got {dims!r}", remedies.pass_dims_tuple())
        if not all(isinstance(d, int) for d in dims) or sorted(dims) != list(range(1, len(dims) + 1)):
            raise invalid("dims", f"must be a permutation of 1..{len(dims)} (the batch axis 0 stays first), "
                          f"got {tuple(dims)!r}", remedies.list_axes_exactly_once(len(dims)))
    if x.shape is None:
        return UNKNOWN
    require(dims=dims)
    if x.rank != len(dims) + 1:
        n = x.rank - 1
        return _rank_error(x, len(dims) + 1, "", f"give `dims` one entry per non-batch axis: {n} entries, "
                           f"a permutation of {tuple(range(1, n + 1))}")
    layer.params = 0
    return Tensor((x.shape[0],) + tuple(x.shape[d] for d in dims), x.dtype)


# -- RepeatVector ---------------------------------------------------------------------------------------------
@rule(FW, "RepeatVector", "n, **kwargs", accepts_unknown=True)
@window_rule
def repeat_vector(layer, x: Tensor):
    n = _strict_positive_int(layer, "n", "number of repetitions")
    if x.shape is None:
        return UNKNOWN
    if x.rank != 2:
        remedy = ("flatten the input first (insert `layers.Flatten()` before this layer)" if x.rank > 2
                  else "pass a (batch, features) tensor")
        return _rank_error(x, 2, "(batch, features)", remedy)
    require(n=n)
    layer.params = 0
    return Tensor((x.shape[0], n, x.shape[1]), x.dtype)


def _strict_positive_int(layer, arg: str, what: str):
    """``not isinstance(v, int) or isinstance(v, bool)`` -> TypeError; ``v <= 0`` -> ValueError."""
    v = value(layer, arg)
    if v is UNRESOLVED:
        return v
    if not isinstance(v, int) or isinstance(v, bool):
        raise invalid(arg, f"must be an integer, got {v!r}", remedies.pass_positive_integer(what))
    if v <= 0:
        raise invalid(arg, f"must be positive, got {v}", remedies.pass_positive_integer(what))
    return v


# -- UpSampling -----------------------------------------------------------------------------------------------
@rule(FW, "UpSampling1D", "size=2, **kwargs", accepts_unknown=True, scale_arg="size")  # scales the steps by `size`
@window_rule
def upsampling1d(layer, x: Tensor):
    size = _strict_positive_int(layer, "size", "upsampling factor")
    if x.shape is None:
        return UNKNOWN
    if x.rank != 3:
        return _rank_error(x, 3, "(batch, steps, features)", _wrong_rank_hint(x, 1, "channels_last", "UpSampling"))
    require(size=size)
    layer.params = 0
    steps = x.shape[1] * size if is_known(x.shape[1]) else None
    return Tensor((x.shape[0], steps, x.shape[2]), x.dtype)


@rule(FW, "UpSampling2D", "size=(2, 2), data_format=None, interpolation='nearest', **kwargs", accepts_unknown=True,
      scale_arg="size")
@window_rule
def upsampling2d(layer, x: Tensor):
    return _upsampling(layer, x, 2)


@rule(FW, "UpSampling3D", "size=(2, 2, 2), data_format=None, **kwargs", accepts_unknown=True, scale_arg="size")
@window_rule
def upsampling3d(layer, x: Tensor):
    return _upsampling(layer, x, 3)


def _upsampling(layer, x: Tensor, rank: int):
    fmt = _fmt(layer)
    size = value(layer, "size")
    if size is not UNRESOLVED:
        size = standardize_tuple(size, rank, "size")
    if rank == 2:
        interp = value(layer, "interpolation")
        if interp is not UNRESOLVED and not isinstance(interp, str):
            raise invalid("interpolation", f"must be a string, got {interp!r}", remedies.pass_interpolation_nearest())
    if x.shape is None:
        return UNKNOWN
    if x.rank != rank + 2:
        f = fmt if isinstance(fmt, str) else "channels_last"
        return _rank_error(x, rank + 2, axes_text(rank, f), _wrong_rank_hint(x, rank, f, "UpSampling"))
    require(size=size, data_format=fmt)
    spatial, channels = layout(x, fmt)
    out = tuple(s * f if is_known(s) else None for s, f in zip(spatial, size))
    layer.params = 0
    return Tensor(assemble(x.shape[0], out, channels, fmt), x.dtype)


def _wrong_rank_hint(x: Tensor, rank: int, fmt: str, family: str) -> str:
    other = x.rank - 2
    if 1 <= other <= 3:
        return f"use `{family}{other}D` for {x.rank}-D input, or reshape the input to {axes_text(rank, fmt)}"
    return f"reshape the input to {axes_text(rank, fmt)}"


# -- ZeroPadding / Cropping -----------------------------------------------------------------------------------
def _pairs(v, rank: int, arg: str, negative_int_ok: bool) -> tuple:
    """ZeroPadding2D/3D and Cropping2D/3D argument: an int (used on every side; cropping rejects negatives), or a
    sequence of `rank` entries, each an int or a pair of ints >= 0."""
    if isinstance(v, int):
        if v < 0 and not negative_int_ok:
            raise invalid(arg, f"cannot be negative, got {v}", remedies.pass_non_negative_value(arg))
        return ((v, v),) * rank
    if isinstance(v, (tuple, list, str)):
        if len(v) != rank:
            raise invalid(arg, f"must have {rank} entries (one per spatial axis), got {v!r}",
                          remedies.pass_padding_int_tuple_or_pairs(rank))
        return tuple(standardize_tuple(e, 2, f"{_ORD[i]} entry of {arg}", allow_zero=True, arg=arg)
                     for i, e in enumerate(v))
    if v is None or isinstance(v, (float, complex, bool)):
        raise invalid(arg, f"must be an int or a tuple, got {v!r}",
                      remedies.pass_padding_int_tuple_or_pairs(rank))
    raise Odd(arg)


@rule(FW, "ZeroPadding1D", "padding=1, data_format=None, **kwargs", accepts_unknown=True)
@window_rule
def zero_padding1d(layer, x: Tensor):
    fmt = _fmt(layer)
    pad = value(layer, "padding")
    pads = pad if pad is UNRESOLVED else (standardize_tuple(pad, 2, "padding", allow_zero=True),)
    return _pad_or_crop(layer, x, 1, fmt, pads, "padding", crop=False)


@rule(FW, "ZeroPadding2D", "padding=(1, 1), data_format=None, **kwargs", accepts_unknown=True)
@rule(FW, "ZeroPadding3D", "padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs", accepts_unknown=True)
@window_rule
def zero_padding(layer, x: Tensor):
    rank = 2 if "2D" in layer.kind else 3
    fmt = _fmt(layer)
    pad = value(layer, "padding")
    pads = pad if pad is UNRESOLVED else _pairs(pad, rank, "padding", negative_int_ok=True)
    return _pad_or_crop(layer, x, rank, fmt, pads, "padding", crop=False)


@rule(FW, "Cropping1D", "cropping=(1, 1), **kwargs", accepts_unknown=True)
@window_rule
def cropping1d(layer, x: Tensor):
    crop = value(layer, "cropping")
    crops = crop if crop is UNRESOLVED else (standardize_tuple(crop, 2, "cropping", allow_zero=True),)
    return _pad_or_crop(layer, x, 1, "channels_last", crops, "cropping", crop=True)


@rule(FW, "Cropping2D", "cropping=((0, 0), (0, 0)), data_format=None, **kwargs", accepts_unknown=True)
@rule(FW, "Cropping3D", "cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs", accepts_unknown=True)
@window_rule
def cropping(layer, x: Tensor):
    rank = 2 if "2D" in layer.kind else 3
    fmt = _fmt(layer)
    crop = value(layer, "cropping")
    crops = crop if crop is UNRESOLVED else _pairs(crop, rank, "cropping", negative_int_ok=False)
    return _pad_or_crop(layer, x, rank, fmt, crops, "cropping", crop=True)


def _pad_or_crop(layer, x: Tensor, rank: int, fmt, amounts, arg: str, crop: bool):
    if x.shape is None:
        return UNKNOWN
    if x.rank != rank + 2:
        f = fmt if isinstance(fmt, str) else "channels_last"
        family = "Cropping" if crop else "ZeroPadding"
        return _rank_error(x, rank + 2, axes_text(rank, f), _wrong_rank_hint(x, rank, f, family))
    require(**{arg: amounts, "data_format": fmt})
    spatial, channels = layout(x, fmt)
    if crop:
        out = tuple(crop_out(s, a, b) for s, (a, b) in zip(spatial, amounts))
        for axis, (s, o, (a, b)) in enumerate(zip(spatial, out, amounts)):
            if is_known(o) and o <= 0:
                raise Mismatch(
                    "non-positive-output-size", arg=arg, expected=f"less than {s}", received=a + b,
                    detail=(f"cropping {a} + {b} positions from {spatial_axis(rank, axis, fmt)} of the input "
                            f"{fmt_shape(x.shape)} leaves {o}"),
                    remedy=remedies.crop_fewer_positions(s))
    else:
        out = tuple(pad_out(s, a, b) for s, (a, b) in zip(spatial, amounts))
        for axis, (s, o) in enumerate(zip(spatial, out)):
            if is_known(o) and o < 0:
                raise Mismatch("non-positive-output-size", arg=arg, expected=">= 0", received=o,
                               detail=(f"the negative padding shrinks {spatial_axis(rank, axis, fmt)} of the "
                                       f"input {fmt_shape(x.shape)} from {s} to {o}"),
                               remedy=remedies.use_non_negative_padding(),
                               fix=SetArg(arg, "0", "unsafe"))
    layer.params = 0
    return Tensor(assemble(x.shape[0], out, channels, fmt), x.dtype)
