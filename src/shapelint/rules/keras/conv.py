"""Keras 3 convolution layers: Conv1D/2D/3D, Conv1D/2D/3DTranspose, SeparableConv1D/2D, DepthwiseConv1D/2D.

Mirrors keras/src/layers/convolutional/base_*.py (3.15):

* construction (``__init__``): kernel_size / strides / dilation_rate are standardised to n positive ints, padding is
  'valid' / 'same' ('causal' only for Conv1D), filters and depth_multiplier > 0, groups > 0 and dividing filters,
  ``strides > 1`` together with ``dilation_rate > 1`` is rejected (Conv and ConvTranspose only; the depthwise and
  separable layers accept it), output_padding must be < strides;
* build: the input needs exactly rank+2 axes (InputSpec(min_ndim) plus the kernel-length check), input channels
  divisible by groups, and with padding='valid' every spatial output must be > 0
  (operation_utils.compute_conv_output_shape). A transposed convolution never checks positivity, but a negative size
  cannot become a KerasTensor shape.
"""
from __future__ import annotations

import math

from ...core.dims import fmt_shape, is_known, prod
from ...core.errors import Mismatch, Unresolved
from ...core.formulas import conv_out_keras, conv_transpose_out_keras, effective_kernel
from ...core.program import UNRESOLVED
from ...core.registry import rule
from ...core.values import UNKNOWN, Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes import SetArg
from ._args import check_activation  # activation names Keras accepts (shared with the core rules)
from ._spec import FW
from ._window import (Odd, assemble, check_window_rank, data_format, invalid, layout, require, spatial_axis, thin_axis,
                      spatial_rank, standardize_padding, standardize_tuple, value, window_rule)


_COMMON = ("activation=None, use_bias=True, kernel_initializer='glorot_uniform', bias_initializer='zeros', "
           "kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, "
           "bias_constraint=None, **kwargs")
CONV_SIG = ("filters, kernel_size, strides=1, padding='valid', data_format=None, dilation_rate=1, groups=1, "
            + _COMMON)
TRANSPOSE_SIG = ("filters, kernel_size, strides=1, padding='valid', output_padding=None, data_format=None, "
                 "dilation_rate=1, " + _COMMON)
TRANSPOSE_3D_SIG = ("filters, kernel_size, strides=1, padding='valid', data_format=None, output_padding=None, "
                    "dilation_rate=1, " + _COMMON)
SEPARABLE_SIG = ("filters, kernel_size, strides=1, padding='valid', data_format=None, dilation_rate=1, "
                 "depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer='glorot_uniform', "
                 "pointwise_initializer='glorot_uniform', bias_initializer='zeros', depthwise_regularizer=None, "
                 "pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None, "
                 "depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs")
DEPTHWISE_SIG = ("kernel_size, strides=1, padding='valid', depth_multiplier=1, data_format=None, dilation_rate=1, "
                 "activation=None, use_bias=True, depthwise_initializer='glorot_uniform', bias_initializer='zeros', "
                 "depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None, "
                 "depthwise_constraint=None, bias_constraint=None, **kwargs")




# -- construction ---------------------------------------------------------------------------------------------
def _geometry(layer, rank: int, causal_ok: bool = False) -> dict:
    """kernel_size / strides / dilation_rate / padding / data_format as BaseConv.__init__ standardises them
    (UNRESOLVED where unknown)."""
    g = {}
    for name in ("kernel_size", "strides", "dilation_rate"):
        v = value(layer, name)
        g[name] = v if v is UNRESOLVED else standardize_tuple(v, rank, name, weight_shape=name == "kernel_size")
    v = value(layer, "padding")
    g["padding"] = v if v is UNRESOLVED else standardize_padding(v, allow_causal=causal_ok)
    v = value(layer, "data_format")
    g["data_format"] = v if v is UNRESOLVED else data_format(v)
    return g


def _activation_error(layer):
    """activations.get() rejects an unknown name at construction; the shape does not depend on it, so the rule
    reports it after working out the output (which becomes the recovery value)."""
    try:
        check_activation(layer)
    except Mismatch as m:
        return m
    return None


def _then(deferred, compute):
    """Run ``compute()`` (the shape part of a rule). A construction error that does not change the shape
    (``deferred``) is raised afterwards with the computed output as its recovery value; it also wins over any shape
    error, as Keras raises it first."""
    if deferred is None:
        return compute()
    try:
        out = compute()
    except Mismatch as m:
        deferred.recover = m.recover
        raise deferred
    except Unresolved:
        raise deferred
    if isinstance(out, Tensor) and out.shape is not None:
        deferred.recover = out
    raise deferred


def _positive(layer, name: str, what: str):
    """filters / depth_multiplier: ``v is not None and v <= 0`` raises at construction; None or a float passes
    construction but cannot become part of a weight shape, so the build fails (same layer, same outcome)."""
    v = value(layer, name)
    if v is UNRESOLVED:
        return v
    if isinstance(v, (int, float)) and v <= 0:
        raise invalid(name, f"must be a positive number of {what}, got {v!r}", remedies.pass_positive(name))
    if v is None or isinstance(v, (float, str, bytes, tuple, list, dict, set)):  # `v <= 0` or the build fails
        raise invalid(name, f"must be a positive integer ({what}), got {v!r}", remedies.pass_positive_integer_arg(name))
    if not isinstance(v, int):
        raise Odd(name)
    return v


def _no_strided_dilation(g: dict) -> None:
    st, dl = g["strides"], g["dilation_rate"]
    if st is not UNRESOLVED and dl is not UNRESOLVED and max(st) > 1 and max(dl) > 1:
        raise invalid("dilation_rate", f"`strides > 1` cannot be combined with `dilation_rate > 1` "
                      f"(strides={st}, dilation_rate={dl})",
                      remedies.use_strides_or_dilation())


# -- build ----------------------------------------------------------------------------------------------------
def _check_rank(layer, x: Tensor, rank: int, fmt) -> None:
    check_window_rank(layer, x, rank, fmt, _family(layer.kind))


def _family(kind: str) -> str:
    for stem in ("SeparableConvolution", "SeparableConv", "DepthwiseConv", "Convolution", "Conv"):
        if kind.startswith(stem):
            return stem
    return ""


def _window_out(layer, x: Tensor, g: dict, fmt: str, out_channels) -> tuple:
    """Spatial output sizes of a (non-transposed) convolution; with padding='valid' each must be > 0."""
    ks, st, dl, pad = g["kernel_size"], g["strides"], g["dilation_rate"], g["padding"]
    batch, spatial, channels = _split(x, fmt)
    if not isinstance(pad, str):
        raise invalid("padding", f"must be 'valid' or 'same', got {pad!r}",
                      remedies.pass_valid_or_same_padding_no_pad_sizes())
    out = tuple(conv_out_keras(s, k, t, pad, d) for s, k, t, d in zip(spatial, ks, st, dl))
    for axis, (s, o, k, d) in enumerate(zip(spatial, out, ks, dl)):
        if pad == "valid" and is_known(o) and o <= 0:
            span = effective_kernel(k, d)
            arg = "kernel_size" if k > s or d == 1 else "dilation_rate"
            dil = f" with dilation_rate={d}" if d != 1 else ""
            same = tuple(conv_out_keras(s2, 1, t, "same") for s2, t in zip(spatial, st))
            thin = thin_axis(spatial, axis)
            raise Mismatch(
                "non-positive-output-size", arg=arg, expected=f"at most {s}", received=span,
                detail=(f"kernel_size={ks}{dil} spans {span} positions along "
                        f"{spatial_axis(len(spatial), axis, fmt)}, but the input "
                        f"{_shape(batch, spatial, channels, fmt)} has only {s} there (padding='valid' gives "
                        f"{o})"),
                remedy=remedies.check_layout_of_thin_axis() if thin else
                remedies.use_same_padding_smaller_kernel_or_larger_input(),
                fix=None if thin else SetArg("padding", "'same'", "unsafe", title="use padding='same'"),
                recover=Tensor(assemble(batch, same, out_channels, fmt), x.dtype))
    return out



def _shape(batch, spatial, channels, fmt):
    return fmt_shape(assemble(batch, spatial, channels, fmt))


def _split(x: Tensor, fmt: str):
    spatial, channels = layout(x, fmt)
    return x.shape[0], spatial, channels


# -- rules ----------------------------------------------------------------------------------------------------
CONV_KINDS = ["Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D"]


# a plain convolution (rank in its name); `filters` sets the channels (the axis follows data_format)
@rule(FW, CONV_KINDS, CONV_SIG, accepts_unknown=True, conv_rank=True, width_arg="filters")
@window_rule
def conv(layer, x: Tensor):
    rank = spatial_rank(layer.kind)
    g = _geometry(layer, rank, causal_ok=rank == 1)
    deferred = _activation_error(layer)
    filters = _positive(layer, "filters", "filters")
    groups = value(layer, "groups")
    if groups is not UNRESOLVED:
        if isinstance(groups, (int, float)) and groups <= 0:
            raise invalid("groups", f"must be a positive integer, got {groups!r}", remedies.pass_groups_at_least_1())
        if isinstance(groups, float):  # in_channels // groups becomes a float kernel dimension at build
            raise invalid("groups", f"must be an integer, got {groups!r}", remedies.pass_groups_value(int(groups) or 1))
        if not isinstance(groups, int):
            raise Odd("groups")
        if filters is not UNRESOLVED and filters % groups and deferred is None:
            deferred = invalid("groups", f"filters={filters} is not divisible by groups={groups}",
                               remedies.use_groups_dividing_filters(filters, groups))
    _no_strided_dilation(g)
    return _then(deferred, lambda: _conv_shape(layer, x, rank, g, filters, groups))


def _conv_shape(layer, x: Tensor, rank: int, g: dict, filters, groups):
    if x.shape is None:
        return UNKNOWN
    _check_rank(layer, x, rank, g["data_format"])
    require(**g, filters=filters, groups=groups)
    fmt = g["data_format"]
    batch, spatial, channels = _split(x, fmt)
    out = _window_out(layer, x, g, fmt, filters)
    result = Tensor(assemble(batch, out, filters, fmt), x.dtype)
    if is_known(channels) and channels % groups:
        good = math.gcd(channels, filters)
        raise Mismatch("incompatible-input-shape", arg="groups", expected=f"a multiple of {groups} channels",
                       received=channels,
                       detail=f"its {channels} input channels cannot be split into groups={groups} equal groups",
                       remedy=remedies.use_dividing_groups(channels, filters, good),
                       fix=SetArg("groups", str(good), "unsafe"), recover=result)
    if is_known(channels) and _bias(layer) is not None:
        fan_in = prod(g["kernel_size"]) * (channels // groups)
        layer.params = fan_in * filters + (filters if _bias(layer) else 0)
        lora = layer.raw("lora_rank")
        if isinstance(lora, int) and lora > 0:  # enable_lora adds kernel_a (..., in, r) and kernel_b (r, filters)
            layer.params += fan_in * lora + lora * filters
    return result


TRANSPOSE_KINDS = ["Conv1DTranspose", "Conv2DTranspose", "Convolution1DTranspose", "Convolution2DTranspose"]
TRANSPOSE_3D_KINDS = ["Conv3DTranspose", "Convolution3DTranspose"]


@rule(FW, TRANSPOSE_KINDS, TRANSPOSE_SIG, accepts_unknown=True)
@window_rule
def conv_transpose(layer, x: Tensor):
    return _conv_transpose(layer, x)


@rule(FW, TRANSPOSE_3D_KINDS, TRANSPOSE_3D_SIG, accepts_unknown=True)
@window_rule
def conv3d_transpose(layer, x: Tensor):
    return _conv_transpose(layer, x)


def _conv_transpose(layer, x: Tensor):
    rank = spatial_rank(layer.kind)
    g = _geometry(layer, rank)
    deferred = _activation_error(layer)
    op = value(layer, "output_padding")
    if op is not None and op is not UNRESOLVED:
        op = standardize_tuple(op, rank, "output_padding", allow_zero=True)
    filters = _positive(layer, "filters", "filters")
    st = g["strides"]
    if op not in (None, UNRESOLVED) and st is not UNRESOLVED:
        for i, (p, s) in enumerate(zip(op, st)):
            if p >= s:
                raise invalid("output_padding", f"must be smaller than `strides` on every axis, but axis {i} has "
                              f"output_padding={p} and strides={s}",
                              remedies.pass_output_padding_below_strides(s - 1))
    _no_strided_dilation(g)
    return _then(deferred, lambda: _transpose_shape(layer, x, rank, g, filters, op))


def _transpose_shape(layer, x: Tensor, rank: int, g: dict, filters, op):
    if x.shape is None:
        return UNKNOWN
    _check_rank(layer, x, rank, g["data_format"])
    require(**g, filters=filters, output_padding=op)
    st = g["strides"]
    fmt = g["data_format"]
    pad = g["padding"]
    if not isinstance(pad, str):
        raise invalid("padding", f"must be 'valid' or 'same', got {pad!r}", remedies.pass_valid_or_same_padding())
    batch, spatial, channels = _split(x, fmt)
    ops = op if op is not None else (None,) * rank
    out = tuple(conv_transpose_out_keras(s, k, t, pad, p, d)
                for s, k, t, p, d in zip(spatial, g["kernel_size"], st, ops, g["dilation_rate"]))
    for axis, o in enumerate(out):
        if is_known(o) and o < 0:
            raise Mismatch("non-positive-output-size", arg="output_padding",
                           detail=f"{spatial_axis(rank, axis, fmt)} of size {spatial[axis]} would become {o}",
                           remedy=remedies.use_larger_input_or_no_output_padding())
    if is_known(channels) and _bias(layer) is not None:
        layer.params = prod(g["kernel_size"]) * filters * channels + (filters if _bias(layer) else 0)
    return Tensor(assemble(batch, out, filters, fmt), x.dtype)


SEPARABLE_KINDS = ["SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D"]
DEPTHWISE_KINDS = ["DepthwiseConv1D", "DepthwiseConv2D"]


@rule(FW, SEPARABLE_KINDS, SEPARABLE_SIG, accepts_unknown=True)
@window_rule
def separable_conv(layer, x: Tensor):
    return _depthwise(layer, x, separable=True)


@rule(FW, DEPTHWISE_KINDS, DEPTHWISE_SIG, accepts_unknown=True)
@window_rule
def depthwise_conv(layer, x: Tensor):
    return _depthwise(layer, x, separable=False)


def _depthwise(layer, x: Tensor, separable: bool):
    rank = spatial_rank(layer.kind)
    g = _geometry(layer, rank)
    deferred = _activation_error(layer)
    dm = _positive(layer, "depth_multiplier", "channels per input channel")
    filters = _positive(layer, "filters", "filters") if separable else None
    return _then(deferred, lambda: _depthwise_shape(layer, x, rank, g, dm, filters, separable))


def _depthwise_shape(layer, x: Tensor, rank: int, g: dict, dm, filters, separable: bool):
    if x.shape is None:
        return UNKNOWN
    _check_rank(layer, x, rank, g["data_format"])
    require(**g, depth_multiplier=dm, filters=filters)
    fmt = g["data_format"]
    batch, spatial, channels = _split(x, fmt)
    dm_channels = channels * dm if is_known(channels) else None
    out = _window_out(layer, x, g, fmt, filters if separable else dm_channels)
    if not is_known(channels):
        return Tensor(assemble(batch, out, filters if separable else None, fmt), x.dtype)
    k = prod(g["kernel_size"])
    bias = _bias(layer)
    if separable:
        if bias is not None:
            layer.params = k * channels * dm + channels * dm * filters + (filters if bias else 0)
        return Tensor(assemble(batch, out, filters, fmt), x.dtype)
    if bias is not None:
        layer.params = k * channels * dm + (channels * dm if bias else 0)
    return Tensor(assemble(batch, out, channels * dm, fmt), x.dtype)


def _bias(layer):
    """use_bias as Keras tests it (truthiness); None when not known statically."""
    v = value(layer, "use_bias")
    return None if v is UNRESOLVED else bool(v)
