"""Keras 3 pooling layers: MaxPooling1D/2D/3D, AveragePooling1D/2D/3D, GlobalMax/GlobalAveragePooling1D/2D/3D and
their aliases (MaxPool2D, AvgPool2D, GlobalMaxPool2D, GlobalAvgPool2D, ...).

Mirrors keras/src/layers/pooling/base_pooling.py and base_global_pooling.py (3.15):

* construction: pool_size is n positive ints; strides (default: pool_size) n ints >= 0 -- zero is accepted here and
  only fails when the layer is called; data_format must be channels_last/channels_first; padding is NOT checked
  (and not lower-cased) until the call;
* call: exactly n+2 axes (InputSpec(ndim)); padding must be exactly 'valid' or 'same'; a zero stride fails
  (division by zero); with 'valid' each spatial output ``floor((size - pool) / stride) + 1`` must be > 0.
* global pooling: exactly n+2 axes; output (batch, channels), or with keepdims (batch, 1, ..., 1, channels).
"""
from __future__ import annotations

from ...core.dims import fmt_shape, is_known
from ...core.errors import Mismatch
from ...core.formulas import pool_out_keras
from ...core.program import UNRESOLVED
from ...core.registry import rule
from ...core.values import UNKNOWN, Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes import SetArg
from ._spec import FW
from ._window import (assemble, check_window_rank, data_format, invalid, layout, require, spatial_axis, spatial_rank, thin_axis,
                      standardize_tuple, value, window_rule)

_REST = "strides=None, padding='valid', data_format=None, name=None, **kwargs"
MAX_KINDS = {1: ["MaxPooling1D", "MaxPool1D"], 2: ["MaxPooling2D", "MaxPool2D"], 3: ["MaxPooling3D", "MaxPool3D"]}
AVG_KINDS = {1: ["AveragePooling1D", "AvgPool1D"], 2: ["AveragePooling2D", "AvgPool2D"],
             3: ["AveragePooling3D", "AvgPool3D"]}
GLOBAL_KINDS = ["GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D",
                "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPool1D", "GlobalMaxPool2D",
                "GlobalMaxPool3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D"]


def _family(kind: str) -> str:
    return kind[: kind.index(f"{spatial_rank(kind)}D")]


def _check_rank(layer, x: Tensor, rank: int, fmt) -> None:
    check_window_rank(layer, x, rank, fmt, _family(layer.kind))


# -- windowed pooling -----------------------------------------------------------------------------------------
@rule(FW, MAX_KINDS[1], "pool_size=2, " + _REST, accepts_unknown=True)
@rule(FW, MAX_KINDS[2], "pool_size=(2, 2), " + _REST, accepts_unknown=True)
@rule(FW, MAX_KINDS[3], "pool_size=(2, 2, 2), " + _REST, accepts_unknown=True)
@rule(FW, AVG_KINDS[1] + AVG_KINDS[2] + AVG_KINDS[3], "pool_size, " + _REST, accepts_unknown=True)
@window_rule
def pooling(layer, x: Tensor):
    rank = spatial_rank(layer.kind)
    raw_pool = value(layer, "pool_size")
    pool = raw_pool if raw_pool is UNRESOLVED else standardize_tuple(raw_pool, rank, "pool_size")
    raw_strides = value(layer, "strides")
    if raw_strides is None:
        raw_strides, strides_arg = raw_pool, "pool_size"
    else:
        strides_arg = "strides"
    strides = raw_strides if raw_strides is UNRESOLVED else standardize_tuple(
        raw_strides, rank, "strides", allow_zero=True, arg=strides_arg)
    fmt = value(layer, "data_format")
    fmt = fmt if fmt is UNRESOLVED else data_format(fmt)
    if x.shape is None:
        return UNKNOWN
    # everything below happens when the layer is called
    _check_rank(layer, x, rank, fmt)
    padding = value(layer, "padding")
    if padding is not UNRESOLVED and padding not in ("valid", "same"):
        hint = f"padding={padding.lower()!r}" if isinstance(padding, str) and padding.lower() in ("valid", "same") \
            else "padding='valid' or padding='same'"
        raise invalid("padding", f"must be exactly 'valid' or 'same' (pooling does not lower-case it), "
                      f"got {padding!r}", remedies.pass_hint(hint))
    if strides is not UNRESOLVED and 0 in strides:
        raise invalid("strides", f"a stride of 0 divides by zero when the layer is called, got strides={strides}",
                      remedies.pass_positive_strides_or_none())
    require(pool_size=pool, strides=strides, data_format=fmt, padding=padding)
    spatial, channels = layout(x, fmt)
    batch = x.shape[0]
    out = tuple(pool_out_keras(s, p, t, padding) for s, p, t in zip(spatial, pool, strides))
    for axis, (s, o, p) in enumerate(zip(spatial, out, pool)):
        if padding == "valid" and is_known(o) and o <= 0:
            same = tuple(pool_out_keras(s2, p2, t2, "same") for s2, p2, t2 in zip(spatial, pool, strides))
            # a map already 1 pixel wide everywhere has been pooled all the way down: `padding='same'` would add a
            # pooling that does nothing; the model has a downsampling stage too many for its input size
            spent = all(is_known(v) and v == 1 for v in spatial)
            thin = thin_axis(spatial, axis)
            raise Mismatch(
                "non-positive-output-size", arg="pool_size", expected=f"at most {s}", received=p,
                detail=(f"pool_size={pool} is larger than the input {fmt_shape(x.shape)} along "
                        f"{spatial_axis(rank, axis, fmt)} ({p} > {s}), so padding='valid' gives {o}"),
                remedy=remedies.one_stage_too_many() if spent else remedies.check_layout_of_thin_axis() if thin
                else remedies.use_smaller_pool_size(),
                fix=None if spent or thin else SetArg("padding", "'same'", "unsafe", title="use padding='same'"),
                recover=Tensor(assemble(batch, same, channels, fmt), x.dtype))
    layer.params = 0
    return Tensor(assemble(batch, out, channels, fmt), x.dtype)


# -- global pooling -------------------------------------------------------------------------------------------
@rule(FW, GLOBAL_KINDS, "data_format=None, keepdims=False, **kwargs", accepts_unknown=True)
@window_rule
def global_pooling(layer, x: Tensor):
    rank = spatial_rank(layer.kind)
    fmt = value(layer, "data_format")
    fmt = fmt if fmt is UNRESOLVED else data_format(fmt)
    if x.shape is None:
        return UNKNOWN
    _check_rank(layer, x, rank, fmt)
    keepdims = value(layer, "keepdims")
    require(data_format=fmt, keepdims=keepdims)
    spatial, channels = layout(x, fmt)
    layer.params = 0
    if keepdims:
        return Tensor(assemble(x.shape[0], (1,) * rank, channels, fmt), x.dtype)
    return Tensor((x.shape[0], channels), x.dtype)
