"""Convolutions: nn.Conv1d/2d/3d, nn.ConvTranspose1d/2d/3d and their Lazy* variants (and F.conv*d's core).

Contract (torch 2.13, ``torch/nn/modules/conv.py`` and ``aten/src/ATen/native/Convolution.cpp``):
input (N, C_in, *spatial) or unbatched (C_in, *spatial); C_in == in_channels; in/out_channels divisible by groups;
padding 'same' only with stride 1; padded input >= dilated kernel; ConvTranspose: output_padding < stride or
< dilation, padding_mode 'zeros' only.
"""
from __future__ import annotations

from ...core.dims import dim_ne, is_known, prod
from ...core.errors import Mismatch, Unresolved
from ...core.formulas import conv_transpose_out, effective_kernel
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes import DisplayOnly, InsertBefore, SetArg, WrapInput
from ._common import FW, SPATIAL, is_int, ntuple, spatial_rank_check

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _invalid(arg, detail, remedy):
    return Mismatch("invalid-argument", arg=arg, detail=detail, remedy=remedy)


def conv_config(layer, n: int, transposed: bool, names=None) -> dict:
    """Validate and normalise a conv layer's hyper-parameters (what the constructor and forward reject)."""
    g = layer.arg("groups")
    if not is_int(g) or g <= 0:
        raise _invalid("groups", f"must be a positive integer, got {g!r}", remedies.pass_positive_groups())
    cfg = {"groups": g}
    for name in ("kernel_size", "stride", "dilation"):
        cfg[name] = ntuple(layer.arg(name), n, name)
    if any(v <= 0 for v in cfg["kernel_size"]):
        raise _invalid("kernel_size", "must be positive", remedies.pass_positive_kernel_size())
    if any(v <= 0 for v in cfg["stride"]):
        raise _invalid("stride", "non-positive stride is not supported", remedies.pass_positive_conv_stride())
    if any(v <= 0 for v in cfg["dilation"]):
        raise _invalid("dilation", "dilation should be greater than zero", remedies.pass_positive_dilation())
    pad = layer.arg("padding")
    if isinstance(pad, str):
        if transposed:
            raise _invalid("padding", f"{layer.kind} does not accept padding={pad!r}",
                           remedies.pass_padding_int_or_tuple())
        if pad not in ("same", "valid"):
            raise _invalid("padding", f"invalid padding string {pad!r}, should be one of 'valid', 'same'",
                           remedies.use_valid_torch_padding())
        if pad == "same" and any(s != 1 for s in cfg["stride"]):
            raise _invalid("padding", "padding='same' is not supported for strided convolutions",
                           remedies.use_explicit_integer_padding())
        cfg["padding"] = pad
    else:
        cfg["padding"] = ntuple(pad, n, "padding")
        if any(p < 0 for p in cfg["padding"]):
            raise _invalid("padding", "negative padding is not supported", remedies.pass_non_negative_padding())
    mode = layer.arg("padding_mode")
    if mode not in PADDING_MODES:
        raise _invalid("padding_mode", f"must be one of {', '.join(PADDING_MODES)}, got {mode!r}",
                       remedies.use_padding_mode_zeros())
    if transposed and mode != "zeros":
        raise _invalid("padding_mode", f'only "zeros" padding mode is supported for {layer.kind}',
                       remedies.remove_padding_mode())
    cfg["padding_mode"] = mode
    if transposed:
        op = ntuple(layer.arg("output_padding"), n, "output_padding")
        cfg["output_padding"] = op
    return cfg


def _pads(cfg, i: int) -> tuple:
    """(left, right) padding of spatial axis i."""
    p = cfg["padding"]
    if p == "valid":
        return 0, 0
    if p == "same":
        total = cfg["dilation"][i] * (cfg["kernel_size"][i] - 1)
        return total // 2, total - total // 2
    return p[i], p[i]


def _shrink_kernel_fix(cfg, spatial):
    """A kernel larger than its (padded) input -- a DCGAN discriminator sized for 64x64 images fed 28x28 ones:
    shrink the kernel to the padded input, so the layer still collapses what it sees (unsafe: the architecture
    changes; feeding the size the model was designed for is the other remedy)."""
    if cfg["padding"] == "same" or not all(is_known(v) for v in spatial):
        return None
    ks = []
    for i, size in enumerate(spatial):
        left, right = _pads(cfg, i)
        d = cfg["dilation"][i]
        ks.append(min(cfg["kernel_size"][i], (size + left + right - 1) // d + 1))
    if min(ks) < 1:
        return None
    value = str(ks[0]) if len(set(ks)) == 1 else "(" + ", ".join(map(str, ks)) + ")"
    return SetArg("kernel_size", value, "unsafe", title=f"shrink the kernel to {value} to fit the input", per_shape=True)


def _unflatten_fix(layer, x: Tensor, n: int, cin, cout, cfg, transposed: bool) -> tuple:
    """(fix, recovered output) for flat vectors (batch, C*H*W) fed to a 2-d/3-d convolution -- flattened MNIST
    images, or a decoder's Linear without the reshape back to a feature map: unflatten them into ``in_channels``
    square (cubic) maps first, when the size allows exactly one such shape."""
    feats = x.shape[1]
    if n < 2 or not is_known(feats) or feats % cin:
        return None, None
    side = round((feats // cin) ** (1.0 / n))
    if side < 1 or side ** n * cin != feats:
        return None, None
    dims = ", ".join(str(d) for d in (cin,) + (side,) * n)
    out = conv_core(layer, Tensor((x.shape[0], cin) + (side,) * n, x.dtype), n, cin, cout, cfg, transposed,
                    fixable=False)
    return (InsertBefore(f"Unflatten(1, ({dims}))",
                         title=f"insert `nn.Unflatten(1, ({dims}))` to turn the vectors into feature maps"),
            out if isinstance(out, Tensor) else None)


_CHANNELS_FIRST_PRODUCERS = ("Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
                              "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "MaxPool1d", "MaxPool2d", "MaxPool3d",
                              "AvgPool1d", "AvgPool2d", "AvgPool3d", "Upsample", "cat")


def conv_core(layer, x: Tensor, n: int, cin, cout: int, cfg: dict, transposed: bool = False,
              arg_in: str = "in_channels", fixable: bool = True):
    """Output of an n-d (transposed) convolution; ``cin=None`` takes the input's channels (Lazy modules)."""
    bad = spatial_rank_check(x, n)
    if bad:
        if fixable and x.rank == 2 and is_known(cin):
            bad.fix, bad.recover = _unflatten_fix(layer, x, n, cin, cout, cfg, transposed)
        return bad
    batched = x.rank == n + 2
    ch = x.shape[1] if batched else x.shape[0]
    spatial = x.shape[-n:]
    g = cfg["groups"]
    if cin is None:
        cin = ch
        if is_known(cin) and cin % g:
            return _invalid("groups", f"in_channels ({cin}) must be divisible by groups ({g})",
                            remedies.choose_groups_dividing_input_channels())
    if dim_ne(ch, cin):
        if batched and not dim_ne(x.shape[-1], cin) and is_known(x.shape[-1]) and \
                not (is_known(x.shape[-2]) and x.shape[-2] == cin) and not (n == 1 and x.shape[1] == 1) and \
                layer.extra.get("producer_kind") not in _CHANNELS_FIRST_PRODUCERS:
            # (N, H, W, C) images, or (N, L, C) sequences into Conv1d: the channels are last. Not when the size
            # is also the axis before (a 64x64 map fed to a conv wanting 64 channels: a coincidence, not a
            # layout), nor for (N, 1, L) -- one channel made on purpose, not a signal of one step -- nor after a
            # layer that makes channels-first maps
            order = (0, n + 1) + tuple(range(1, n + 1))
            permuted = Tensor(tuple(x.shape[i] for i in order), x.dtype)
            rec = conv_core(layer, permuted, n, cin, cout, cfg, transposed, arg_in, fixable)
            layout = {1: "(N, C, L)", 2: "(N, C, H, W)", 3: "(N, C, D, H, W)"}[n]
            return Mismatch("channels-last-input", arg=arg_in, expected=cin, received=ch, layout=layout,
                            remedy=remedies.permute_input(order), order=order,
                            # in a forward(): permute the layer's input there; else the data where it is fed
                            # to the model (checks/data_input.py)
                            fix=WrapInput(0, "{x}.permute%s" % (order,),
                                          title=f"permute the input to channels-first with `.permute{order}`"),
                            recover=rec if isinstance(rec, Tensor) else None)
        if not batched and is_known(cin) and is_known(x.shape[-1]) and x.shape[-1] == cin and \
                not (is_known(x.shape[0]) and x.shape[0] == cin) and \
                layer.extra.get("producer_kind") not in _CHANNELS_FIRST_PRODUCERS:
            # (400, 7) rows of 7 sensor channels: read as ONE unbatched sample of 400 channels. The channels are
            # the last axis and the batch axis is missing; `in_channels=400` would run and mix every row
            layout = {1: "(N, C, L)", 2: "(N, C, H, W)", 3: "(N, C, D, H, W)"}[n]
            return Mismatch("channels-last-input", arg=arg_in, expected=cin, received=ch, variant="unbatched-rows",
                            layout=layout, rows=x.shape[0],
                            help_override=remedies.rows_of_channels(tuple(x.shape), cin),
                            fix=DisplayOnly(remedies.rows_of_channels(tuple(x.shape), cin)))
        rec = conv_core(layer, Tensor(_set_channels(x, batched, cin), x.dtype), n, cin, cout, cfg, transposed,
                        arg_in, fixable)
        fix = SetArg(arg_in, str(ch), "safe" if ch % g == 0 else "unsafe") if fixable else None
        at = [i for i, d in enumerate(spatial) if is_known(cin) and d == cin]
        if len(at) == 1 and is_known(cin) and cin <= 4:
            # (N, W, C, H) after a wrong permute: the image channels sit on a spatial axis; declaring the width
            # as channels would run and hide the layout bug, so no edit is offered
            axis_i = x.rank - n + at[0]
            layout = {1: "(N, C, L)", 2: "(N, C, H, W)", 3: "(N, C, D, H, W)"}[n]
            return Mismatch("channels-last-input", arg=arg_in, expected=cin, received=ch, variant="axis",
                            axis=axis_i, layout=layout, recover=rec if isinstance(rec, Tensor) else None,
                            help_override=remedies.channels_on_spatial_axis(cin, axis_i, x.shape),
                            fix=DisplayOnly(f"bring the {cin} channels from axis {axis_i} to axis 1 (check the "
                                            "permute/transpose that made this input)"))
        return Mismatch("channel-count-mismatch", arg=arg_in, expected=cin, received=ch, fix=fix,
                        recover=rec if isinstance(rec, Tensor) else None)
    empty_batch = batched and is_known(x.shape[0]) and x.shape[0] == 0
    if any(is_known(d) and d == 0 for d in spatial) and not empty_batch and not (is_known(ch) and ch == 0):
        return Mismatch("non-positive-output-size", detail=f"the input {x} has an empty spatial axis",
                        remedy=remedies.feed_non_empty_spatial_input())
    out = []
    for i, size in enumerate(spatial):
        k, s, d = cfg["kernel_size"][i], cfg["stride"][i], cfg["dilation"][i]
        if transposed:
            p, op = cfg["padding"][i], cfg["output_padding"][i]
            if op >= s and op >= d:
                return _invalid("output_padding", f"output padding must be smaller than either stride or dilation, "
                                f"got output_padding={op}, stride={s}, dilation={d}",
                                remedies.make_output_padding_smaller_than_stride())
            if s == 1 and 2 * p == d * (k - 1) + op:
                o = size
            else:
                o = conv_transpose_out(size, k, s, p, op, d)
            # torch 2.13 on CPU: a size-0 output always fails for a batch of 1 or an unbatched input ("Output size
            # is too small"); for larger batches it depends on the backend torch picks (oneDNN accepts it), so the
            # result is unknown rather than an error. A negative size always fails.
            single = not batched or x.shape[0] == 1
            if is_known(o) and o == 0 and not single:
                return Tensor(None)
            if is_known(o) and (o < 0 or (o == 0 and single)):
                return Mismatch("non-positive-output-size", detail=f"axis {SPATIAL[n][i]} of size {size} would become "
                                f"{o} (kernel {k}, stride {s}, padding {p})",
                                remedy=remedies.reduce_padding_or_feed_larger_input())
            out.append(o)
            continue
        left, right = _pads(cfg, i)
        mode = cfg["padding_mode"]
        if mode != "zeros" and is_known(size):
            if mode == "reflect" and (left >= size or right >= size):
                return Mismatch("padding-too-large", arg="padding", detail=f"reflection padding ({left}, {right}) "
                                f"must be smaller than the size {size} of axis {SPATIAL[n][i]}",
                                remedy=remedies.reduce_padding_or_use_zeros_mode())
            if mode == "circular" and (left > size or right > size):
                return Mismatch("padding-too-large", arg="padding", detail=f"circular padding ({left}, {right}) "
                                f"wraps around axis {SPATIAL[n][i]} of size {size} more than once",
                                remedy=remedies.reduce_padding_or_use_zeros_mode())
        ke = effective_kernel(k, d)
        if s == 1 and left + right == ke - 1:
            o = size
        elif is_known(size):
            padded = size + left + right
            if padded < ke:
                return Mismatch("non-positive-output-size", arg="kernel_size",
                                detail=f"the padded input size {padded} on axis {SPATIAL[n][i]} is smaller than the "
                                       f"kernel size {ke}" + (f" (kernel {k}, dilation {d})" if d != 1 else ""),
                                remedy=remedies.use_smaller_kernel(),
                                fix=_shrink_kernel_fix(cfg, x.shape[-n:]))
            o = (padded - ke) // s + 1
        else:
            o = None
        out.append(o)
    shape = ((x.shape[0], cout) if batched else (cout,)) + tuple(out)
    if is_known(cin):
        per = cin * (cout // g)
        layer.params = per * prod(cfg["kernel_size"]) + (cout if _bias(layer) else 0)
    return Tensor(shape, x.dtype)


def _bias(layer) -> bool:
    try:
        return bool(layer.arg("bias"))
    except Unresolved:
        return True


def _set_channels(x: Tensor, batched: bool, c) -> tuple:
    return (x.shape[0], c) + x.shape[2:] if batched else (c,) + x.shape[1:]


def _channels(layer, name: str):
    v = layer.arg(name)
    if not is_int(v) or v <= 0:
        raise _invalid(name, f"must be a positive integer, got {v!r}", remedies.pass_positive(name))
    return v


def _module(layer, x: Tensor, n: int, transposed: bool, lazy: bool):
    cin = None if lazy else _channels(layer, "in_channels")
    cout = _channels(layer, "out_channels")
    cfg = conv_config(layer, n, transposed)
    g = cfg["groups"]
    if cin is not None and cin % g:
        return _invalid("groups", "in_channels must be divisible by groups",
                        remedies.choose_groups_dividing_in_channels())
    if cout % g:
        return _invalid("groups", "out_channels must be divisible by groups",
                        remedies.choose_groups_dividing_out_channels_arg())
    if cin is not None:
        layer.params = cin * (cout // g) * prod(cfg["kernel_size"]) + (cout if _bias(layer) else 0)
    return conv_core(layer, x, n, cin, cout, cfg, transposed)


def _implied(n: int, lazy: bool):
    def implied(layer):
        c = "C" if lazy else layer.arg("in_channels")
        return Tensor(("N", c) + SPATIAL[n], "float32")
    return implied


_CONV = "in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, " \
        "padding_mode='zeros', device=None, dtype=None"
_CONVT = "in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True, " \
         "dilation=1, padding_mode='zeros', device=None, dtype=None"
_LAZY = _CONV.replace("in_channels, ", "")
_LAZYT = _CONVT.replace("in_channels, ", "")


def _register(n: int):
    # conv_rank: a plain convolution over n spatial axes; width_arg / input_width_arg / width_axis as for Linear
    @rule(FW, f"Conv{n}d", _CONV, implied_input=_implied(n, False), unbatched_rank=n + 1, conv_rank=n,
          width_arg="out_channels", input_width_arg="in_channels", width_axis=1)
    def conv(layer, x):
        return _module(layer, x, n, False, False)

    @rule(FW, f"LazyConv{n}d", _LAZY, implied_input=_implied(n, True), unbatched_rank=n + 1,
          width_arg="out_channels", width_axis=1)
    def lazy_conv(layer, x):
        return _module(layer, x, n, False, True)

    @rule(FW, f"ConvTranspose{n}d", _CONVT, implied_input=_implied(n, False), unbatched_rank=n + 1,
          width_arg="out_channels", input_width_arg="in_channels", width_axis=1)
    def conv_t(layer, x):
        return _module(layer, x, n, True, False)

    @rule(FW, f"LazyConvTranspose{n}d", _LAZYT, implied_input=_implied(n, True), unbatched_rank=n + 1,
          width_arg="out_channels", width_axis=1)
    def lazy_conv_t(layer, x):
        return _module(layer, x, n, True, True)


for _n in (1, 2, 3):
    _register(_n)
