"""torch.nn.functional ops (kind ``"F.<name>"``), sharing the cores of the module rules.

Signatures list only the non-tensor parameters (tensor arguments such as ``weight`` arrive as inputs, in call
order): ``F.conv2d(x, w, b, stride=2)`` is rule ``F.conv2d`` with inputs (x, w, b) and stride=2.
"""
from __future__ import annotations

from ...core.dims import dim_ne, is_known
from ...core.errors import Mismatch, Unresolved
from ...core.registry import rule
from ...core.values import UNKNOWN, Tensor
from ...diagnostics import remedies
from ._common import FW, axis, is_int, ntuple, require_rank
from .activation import glu_core, prelu_check, softmax_core
from .conv import conv_core
from .dropout import check_p, dropout_core
from .embedding import check_indices
from .normalization import group_norm_core, layer_norm_core
from .padding import pad_core
from .pooling import adaptive_core, pool_core
from .reshape import interpolate_core, pixel_shuffle_core
from .tensor_ops import broadcast_all

ELEMENTWISE = {
    "relu": "inplace=False", "relu6": "inplace=False", "selu": "inplace=False", "silu": "inplace=False",
    "mish": "inplace=False", "hardswish": "inplace=False", "hardsigmoid": "inplace=False",
    "elu": "alpha=1.0, inplace=False", "celu": "alpha=1.0, inplace=False",
    "leaky_relu": "negative_slope=0.01, inplace=False", "gelu": "approximate='none'",
    "rrelu": "lower=0.125, upper=0.3333333333333333, training=False, inplace=False",
    "hardshrink": "lambd=0.5", "softshrink": "lambd=0.5", "softplus": "beta=1.0, threshold=20.0",
    "threshold": "threshold, value, inplace=False", "hardtanh": "min_val=-1.0, max_val=1.0, inplace=False",
    "sigmoid": "", "tanh": "", "logsigmoid": "", "softsign": "", "tanhshrink": "",
    "relu_": "", "elu_": "alpha=1.0", "leaky_relu_": "negative_slope=0.01", "hardtanh_": "min_val=-1.0, max_val=1.0",
}


def _elementwise(name: str, sig: str):
    @rule(FW, "F." + name, sig)
    def act(layer, x: Tensor):
        return x


for _n, _s in ELEMENTWISE.items():
    _elementwise(_n, _s)


@rule(FW, ["F.softmax", "F.log_softmax", "F.softmin"], "dim=None, _stacklevel=3, dtype=None")
def softmax(layer, x: Tensor):
    return softmax_core(layer, x, layer.arg("dim"))


@rule(FW, "F.glu", "dim=-1")
def glu(layer, x: Tensor):
    return glu_core(layer, x, layer.arg("dim"))


@rule(FW, "F.prelu", "")
def prelu(layer, x: Tensor, weight: Tensor = None):
    if weight is None or weight.shape is None or weight.rank != 1 or not is_known(weight.shape[0]):
        return x
    return prelu_check(layer, x, weight.shape[0], arg="weight")


@rule(FW, ["F.dropout", "F.dropout1d", "F.dropout2d", "F.dropout3d", "F.feature_alpha_dropout"],
      "p=0.5, training=True, inplace=False")
def dropout(layer, x: Tensor):
    kind = {"F.dropout1d": "Dropout1d", "F.feature_alpha_dropout": "FeatureAlphaDropout", "F.dropout2d": "Dropout2d",
            "F.dropout3d": "Dropout3d"}.get(layer.kind, "Dropout")
    if kind != "Dropout" and not layer.arg("training"):
        return check_p(layer) or x
    return check_p(layer) or dropout_core(layer, x, kind)


@rule(FW, "F.alpha_dropout", "p=0.5, training=False, inplace=False")
def alpha_dropout(layer, x: Tensor):
    return check_p(layer) or x


def _register_pools(n: int):
    @rule(FW, f"F.max_pool{n}d", "kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, "
                                 "return_indices=False")
    def max_pool(layer, x):
        a = layer.arg
        return pool_core(layer, x, n, a("kernel_size"), a("stride"), a("padding"), a("dilation"), a("ceil_mode"),
                         a("return_indices"))

    sig = "kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True"

    @rule(FW, f"F.avg_pool{n}d", sig + (", divisor_override=None" if n > 1 else ""))
    def avg_pool(layer, x):
        a = layer.arg
        return pool_core(layer, x, n, a("kernel_size"), a("stride"), a("padding"), 1, a("ceil_mode"), avg3d=n == 3)

    @rule(FW, f"F.adaptive_avg_pool{n}d", "output_size")
    def adaptive_avg(layer, x):
        return adaptive_core(layer, x, n, layer.arg("output_size"), avg=True)

    @rule(FW, f"F.adaptive_max_pool{n}d", "output_size, return_indices=False")
    def adaptive_max(layer, x):
        return adaptive_core(layer, x, n, layer.arg("output_size"), layer.arg("return_indices"))

    @rule(FW, f"F.lp_pool{n}d", "norm_type, kernel_size, stride=None, ceil_mode=False")
    def lp_pool(layer, x):
        a = layer.arg
        return pool_core(layer, x, n, a("kernel_size"), a("stride"), 0, 1, a("ceil_mode"), avg3d=n == 3, lp=True)

    @rule(FW, f"F.conv{n}d", "stride=1, padding=0, dilation=1, groups=1")
    def conv(layer, x, weight=None, bias=None):
        return _conv(layer, x, weight, n, False)

    @rule(FW, f"F.conv_transpose{n}d", "stride=1, padding=0, output_padding=0, groups=1, dilation=1")
    def conv_t(layer, x, weight=None, bias=None):
        return _conv(layer, x, weight, n, True)


def _conv(layer, x: Tensor, w, n: int, transposed: bool):
    if w is None or w.shape is None:
        return UNKNOWN
    bad = require_rank(w, (n + 2,), layout="(out, in/groups, *kernel)" if not transposed else
                       "(in, out/groups, *kernel)", remedy=remedies.pass_nd_weight(n + 2))
    if bad:
        return bad
    g = layer.arg("groups")
    if not is_int(g) or g <= 0:
        raise Unresolved("groups")
    kernel = w.shape[2:]
    if not all(is_known(k) for k in kernel) or not is_known(w.shape[0]) or not is_known(w.shape[1]):
        return UNKNOWN
    cfg = {"groups": g, "kernel_size": tuple(kernel), "padding_mode": "zeros"}
    for name in ("stride", "dilation"):
        cfg[name] = ntuple(layer.arg(name), n, name, allow_single=True)
    pad = layer.arg("padding")
    if isinstance(pad, str):
        if transposed or pad not in ("same", "valid"):
            return Mismatch("invalid-argument", arg="padding", detail=f"invalid padding {pad!r}",
                            remedy=remedies.use_valid_conv_padding())
        if pad == "same" and any(s != 1 for s in cfg["stride"]):
            return Mismatch("invalid-argument", arg="padding", detail="padding='same' is not supported for strided "
                            "convolutions", remedy=remedies.use_explicit_integer_padding())
        cfg["padding"] = pad
    else:
        cfg["padding"] = ntuple(pad, n, "padding", allow_single=True)
    if transposed:
        cfg["output_padding"] = ntuple(layer.arg("output_padding"), n, "output_padding", allow_single=True)
        cin, cout = w.shape[0], w.shape[1] * g
    else:
        cin, cout = w.shape[1] * g, w.shape[0]
        if cout % g:
            return Mismatch("invalid-argument", arg="groups", detail=f"the weight's {cout} output channels are not "
                            f"divisible by groups={g}", remedy=remedies.choose_groups_dividing_out_channels())
    out = conv_core(layer, x, n, cin, cout, cfg, transposed, arg_in="weight", fixable=False)
    layer.params = None
    return out


for _n in (1, 2, 3):
    _register_pools(_n)


@rule(FW, ["F.interpolate", "F.upsample"], "size=None, scale_factor=None, mode='nearest', align_corners=None, "
                                           "recompute_scale_factor=None, antialias=False")
def interpolate(layer, x: Tensor):
    a = layer.arg
    return interpolate_core(layer, x, a("size"), a("scale_factor"), a("mode"), a("align_corners"))


@rule(FW, "F.pad", "pad, mode='constant', value=None")
def pad(layer, x: Tensor):
    mode = layer.arg("mode")
    return pad_core(layer, x, layer.arg("pad"), mode, arg="pad")


@rule(FW, "F.linear", "")
def linear(layer, x: Tensor, weight: Tensor = None, bias: Tensor = None):
    if weight is None or weight.shape is None:
        return UNKNOWN
    bad = require_rank(x, min_rank=1) or require_rank(weight, (1, 2), layout="(out_features, in_features)")
    if bad:
        return bad
    w_in = weight.shape[-1]
    if dim_ne(x.shape[-1], w_in):
        return Mismatch("matmul-shape-mismatch", left_shape=x.shape, right_shape=weight.shape[::-1],
                        left_inner=x.shape[-1], right_inner=w_in,
                        remedy=remedies.match_weight_to_input_features())
    return Tensor(x.shape[:-1] + ((weight.shape[0],) if weight.rank == 2 else ()), x.dtype)


@rule(FW, "F.bilinear", "")
def bilinear(layer, x1: Tensor, x2: Tensor = None, weight: Tensor = None, bias: Tensor = None):
    if x2 is None or weight is None or weight.shape is None or weight.rank != 3:
        return UNKNOWN
    return Tensor(x1.shape[:-1] + (weight.shape[0],), x1.dtype)


@rule(FW, "F.layer_norm", "normalized_shape, eps=1e-05")
def layer_norm(layer, x: Tensor, *weights):
    ns = layer.arg("normalized_shape")
    ns = (ns,) if is_int(ns) else tuple(ns) if isinstance(ns, (tuple, list)) else None
    if ns is None or not all(is_int(v) for v in ns):
        raise Unresolved("normalized_shape")
    return layer_norm_core(layer, x, ns, fixable=False)


@rule(FW, "F.rms_norm", "normalized_shape, eps=None")
def rms_norm(layer, x: Tensor, *weights):
    return layer_norm(layer, x)


@rule(FW, "F.group_norm", "num_groups, eps=1e-05")
def group_norm(layer, x: Tensor, *weights):
    g = layer.arg("num_groups")
    if not is_int(g) or g <= 0:
        raise Unresolved("num_groups")
    return group_norm_core(layer, x, g, None)


@rule(FW, ["F.batch_norm", "F.instance_norm"], "training=False, momentum=0.1, eps=1e-05, use_input_stats=True")
def batch_norm(layer, x: Tensor, *stats):
    if layer.kind == "F.batch_norm":
        bad = require_rank(x, min_rank=2, layout="(N, C, *)")
        if bad:
            return bad
        for s in stats[:2]:
            if isinstance(s, Tensor) and s.shape is not None and s.rank == 1 and dim_ne(s.shape[0], x.shape[1]):
                return Mismatch("channel-count-mismatch", arg="running_mean", expected=s.shape[0],
                                received=x.shape[1], recover=x)
    return x


@rule(FW, "F.local_response_norm", "size, alpha=0.0001, beta=0.75, k=1.0")
def local_response_norm(layer, x: Tensor):
    return require_rank(x, min_rank=3, layout="(N, C, *)", remedy=remedies.add_batch_channel_axes()) or x


@rule(FW, "F.normalize", "p=2.0, dim=1, eps=1e-12, out=None")
def normalize(layer, x: Tensor):
    axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    return x


@rule(FW, "F.one_hot", "num_classes=-1")
def one_hot(layer, x: Tensor):
    n = layer.arg("num_classes")
    bad = check_indices(x)
    if bad:
        return bad
    return Tensor(x.shape + (n if is_int(n) and n >= 0 else None,), "int64")


@rule(FW, "F.embedding", "padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False")
def embedding(layer, x: Tensor, weight: Tensor = None):
    if weight is None or weight.shape is None:
        return UNKNOWN
    bad = check_indices(x) or require_rank(weight, (2,), layout="(num_embeddings, embedding_dim)")
    if bad:
        return bad
    return Tensor(x.shape + (weight.shape[1],), weight.dtype or "float32")


@rule(FW, "F.pixel_shuffle", "upscale_factor")
def pixel_shuffle(layer, x: Tensor):
    return pixel_shuffle_core(layer, x, layer.arg("upscale_factor"), False, "upscale_factor")


@rule(FW, "F.pixel_unshuffle", "downscale_factor")
def pixel_unshuffle(layer, x: Tensor):
    return pixel_shuffle_core(layer, x, layer.arg("downscale_factor"), True, "downscale_factor")


# F.scaled_dot_product_attention (with its mask checks) is in attention.py


@rule(FW, "F.cosine_similarity", "dim=1, eps=1e-08", per_row=True)
def cosine_similarity(layer, a: Tensor, b: Tensor = None):
    if b is None or b.shape is None:
        return UNKNOWN
    out = broadcast_all(layer, [a, b])
    if not isinstance(out, Tensor) or out.shape is None:
        return out
    d = axis(layer.arg("dim"), out.rank, "dim", shape=out.shape)
    return Tensor(out.shape[:d] + out.shape[d + 1:], out.dtype)


