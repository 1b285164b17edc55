"""Activation modules. Element-wise ones keep the shape; Softmax/LogSoftmax/Softmin check their `dim`, GLU halves
`dim` (which must be even), Softmax2d needs 3-D/4-D, PReLU's `num_parameters` must match the channel axis."""
from __future__ import annotations

from ...core.dims import dim_ne, is_known
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes import SetArg
from ._common import FW, axis, require_rank

ELEMENTWISE = {
    "ReLU": "inplace=False", "ReLU6": "inplace=False", "SELU": "inplace=False", "SiLU": "inplace=False",
    "Mish": "inplace=False", "Hardswish": "inplace=False", "Hardsigmoid": "inplace=False",
    "ELU": "alpha=1.0, inplace=False", "CELU": "alpha=1.0, inplace=False",
    "LeakyReLU": "negative_slope=0.01, inplace=False", "GELU": "approximate='none'",
    "RReLU": "lower=0.125, upper=0.3333333333333333, inplace=False",
    "Hardshrink": "lambd=0.5", "Softshrink": "lambd=0.5", "Softplus": "beta=1.0, threshold=20.0",
    "Threshold": "threshold, value, inplace=False",
    "Sigmoid": "*args, **kwargs", "Tanh": "*args, **kwargs", "LogSigmoid": "*args, **kwargs",
    "Softsign": "*args, **kwargs", "Tanhshrink": "*args, **kwargs",
}


def _elementwise(kind: str, sig: str):
    @rule(FW, kind, sig)
    def act(layer, x: Tensor):
        if layer.kind == "GELU" and layer.arg("approximate") not in ("none", "tanh"):
            return Mismatch("invalid-argument", arg="approximate", detail="must be 'none' or 'tanh'",
                            remedy=remedies.use_valid_gelu_approximate())
        return x


for _k, _s in ELEMENTWISE.items():
    _elementwise(_k, _s)


@rule(FW, "Hardtanh", "min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None")
def hardtanh(layer, x: Tensor):
    lo, hi = layer.arg("min_val"), layer.arg("max_val")
    if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and hi < lo:
        return Mismatch("invalid-argument", arg="max_val", detail=f"max_val ({hi}) must be greater than or equal to "
                        f"min_val ({lo})", remedy=remedies.swap_min_max_val())
    return x


def softmax_core(layer, x: Tensor, dim, arg: str = "dim"):
    """dim=None is torch's legacy implicit choice (0 for 0-D/1-D/3-D inputs, else 1): the shape is unchanged."""
    if dim is not None:
        axis(dim, x.rank, arg, shape=x.shape)
    return x


@rule(FW, ["Softmax", "LogSoftmax", "Softmin"], "dim=None")
def softmax(layer, x: Tensor):
    return softmax_core(layer, x, layer.arg("dim"))


@rule(FW, "Softmax2d", "*args, **kwargs", implied_input=lambda layer: Tensor(("N", "C", "H", "W"), "float32"))
def softmax2d(layer, x: Tensor):
    return require_rank(x, (3, 4), layout="(N, C, H, W) or (C, H, W)",
                        remedy=remedies.use_softmax_with_dim()) or x


def glu_core(layer, x: Tensor, dim, arg: str = "dim"):
    if x.rank == 0:
        return Mismatch("rank-mismatch", expected="at least 1", received=0, received_shape=x.shape,
                        remedy=remedies.give_glu_an_axis())
    d = axis(dim, x.rank, arg, shape=x.shape)
    size = x.shape[d]
    if is_known(size) and size % 2:
        return Mismatch("incompatible-input-shape", arg=arg, received_shape=x.shape,
                        detail=f"GLU halves axis {dim}, whose size {size} is odd",
                        remedy=remedies.give_even_size_for_glu())
    return Tensor(x.shape[:d] + (size // 2 if is_known(size) else None,) + x.shape[d + 1:], x.dtype)


@rule(FW, "GLU", "dim=-1")
def glu(layer, x: Tensor):
    return glu_core(layer, x, layer.arg("dim"))


def prelu_check(layer, x: Tensor, n, arg="num_parameters"):
    if n == 1:
        return x
    if x.rank == 0:
        return Mismatch("rank-mismatch", expected="at least 1", received=0, received_shape=x.shape,
                        remedy=remedies.give_prelu_channel_axis())
    ch = x.shape[1] if x.rank >= 2 else 1
    if dim_ne(ch, n):
        return Mismatch("channel-count-mismatch", arg=arg, expected=n, received=ch,
                        fix=SetArg(arg, str(ch), "safe") if arg == "num_parameters" else None, recover=x)
    return x


@rule(FW, "PReLU", "num_parameters=1, init=0.25, device=None, dtype=None")
def prelu(layer, x: Tensor):
    n = layer.arg("num_parameters")
    layer.params = n
    return prelu_check(layer, x, n)
