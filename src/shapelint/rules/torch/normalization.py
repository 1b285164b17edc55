"""Normalisation: nn.BatchNorm1d/2d/3d (+Lazy), nn.SyncBatchNorm, nn.InstanceNorm1d/2d/3d (+Lazy), nn.LayerNorm,
nn.RMSNorm, nn.GroupNorm, nn.LocalResponseNorm.

Contracts (torch 2.13, ``torch/nn/modules/batchnorm.py``, ``instancenorm.py``, ``normalization.py``):
BatchNorm1d takes (N, C) or (N, C, L), BatchNorm2d (N, C, H, W), BatchNorm3d (N, C, D, H, W), SyncBatchNorm any
rank >= 2 with C > 0, with C == num_features (unless affine=False and track_running_stats=False); in training mode
they need more than one value per channel. InstanceNorm{n}d takes (N, C, *sp) or (C, *sp); a channel mismatch is an
error only with affine=True; with the default track_running_stats=False it always needs more than one spatial
element. LayerNorm/RMSNorm: the trailing dims equal normalized_shape. GroupNorm: C divisible by num_groups,
C == num_channels when affine.
"""
from __future__ import annotations

from ...core.dims import dim_ne, is_known, prod
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes import SetArg, WrapCall
from ._common import FW, SPATIAL, is_int, require_rank, spatial_rank_check

_BN = "num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None, *, " \
      "bias=True"
_LAZY_BN = "eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None, *, bias=True"
_IN = "num_features, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False, device=None, dtype=None, *, " \
      "bias=True"


def _num(layer, name: str) -> int:
    v = layer.arg(name)
    if not is_int(v) or v <= 0:
        raise Mismatch("invalid-argument", arg=name, detail=f"must be a positive integer, got {v!r}",
                       remedy=remedies.pass_positive(name))
    return v


def _affine_params(layer, c, affine_arg="affine") -> None:
    if is_known(c) and layer.arg(affine_arg):
        layer.params = c * (2 if layer.arg("bias") else 1)
    elif not layer.arg(affine_arg):
        layer.params = 0


def _features_after_linear(x: Tensor, nf) -> bool:
    """(N, C) or (N, C, L) whose axis 1 is the layer's num_features: the features of a Linear, not an image that
    lost its batch axis."""
    return x.rank == 2 and nf is not None and not dim_ne(x.shape[1], nf) and is_known(x.shape[1])


def batch_norm_core(layer, x: Tensor, n: int, nf, arg: str = "num_features"):
    """BatchNorm{n}d; ``nf=None`` for the Lazy variants; ``n=0`` for SyncBatchNorm (any rank >= 2, non-empty C).
    Without affine weights and running statistics nothing is sized by ``num_features``, so any C passes."""
    if n == 0:
        bad = require_rank(x, min_rank=2, layout="(N, C, *)",
                           remedy=remedies.add_batch_axis_for_syncbatchnorm())
        if not bad and is_known(x.shape[1]) and x.shape[1] == 0:
            bad = Mismatch("incompatible-input-shape", received_shape=x.shape,
                           detail="the number of input channels (axis 1) must be non-zero",
                           remedy=remedies.put_channels_on_axis_1())
    elif n == 1:
        bad = require_rank(x, (2, 3), layout="(N, C) or (N, C, L)",
                           remedy=remedies.use_batchnorm2d_for_images())
    else:
        sp = ", ".join(SPATIAL[n])
        bad = require_rank(x, (n + 2,), layout=f"(N, C, {sp})",
                           remedy=remedies.add_batch_axis_unsqueeze() if x.rank == n + 1 and n > 1 and
                           not _features_after_linear(x, nf) else
                           remedies.use_batchnorm_for_rank(max(x.rank - 2, 1)) if 2 <= x.rank <= 5 else
                           remedies.reshape_input())
    if bad:
        return bad
    c = x.shape[1]
    if nf is not None:
        _affine_params(layer, nf)
    if nf is not None and dim_ne(c, nf) and (layer.arg("affine") or layer.arg("track_running_stats")):
        if n == 1 and x.rank == 3 and not dim_ne(x.shape[2], nf) and is_known(x.shape[2]):
            return Mismatch("channel-count-mismatch", arg=arg, expected=nf, received=c, recover=x,
                            help_override="transpose the input to (N, C, L) with x.transpose(1, 2), or use "
                                          f"nn.LayerNorm({nf}) to normalise the last axis",
                            fix=WrapCall(".transpose(1, 2)", ".transpose(1, 2)",
                                         title="normalise the channels: transpose to (N, C, L) and back"),
                            notes=[f"the input {x} looks like (N, L, C): BatchNorm1d normalises axis 1 of (N, C, L), "
                                   "so transpose it first with x.transpose(1, 2) (or use nn.LayerNorm"
                                   f"({nf}) to normalise the last axis)"])
        return Mismatch("channel-count-mismatch", arg=arg, expected=nf, received=c,
                        fix=SetArg(arg, str(c), "safe"), recover=x)
    _affine_params(layer, c if nf is None else nf)
    values = prod(d for i, d in enumerate(x.shape) if i != 1)
    if is_known(values) and values == 1:
        layer.warn("single-value-per-channel", detail=f"one value per channel in {x}",
                   remedy=remedies.use_larger_batch_or_eval())
    return x


def _register_bn(n: int):
    # BatchNorm1d takes (N, C) and (N, C, L) alike, so it implies no input: guessing the rank could turn a later
    # size check into a false alarm.
    @rule(FW, f"BatchNorm{n}d", _BN, statistics_per_channel=True,
          implied_input=None if n == 1 else
          lambda layer: Tensor(("N", layer.arg("num_features")) + SPATIAL[n], "float32"))
    def bn(layer, x):
        return batch_norm_core(layer, x, n, _num(layer, "num_features"))

    @rule(FW, f"LazyBatchNorm{n}d", _LAZY_BN, statistics_per_channel=True)
    def lazy_bn(layer, x):
        return batch_norm_core(layer, x, n, None)

    @rule(FW, f"InstanceNorm{n}d", _IN,
          implied_input=lambda layer: Tensor(("N", layer.arg("num_features")) + SPATIAL[n], "float32"))
    def inorm(layer, x):
        return instance_norm_core(layer, x, n, _num(layer, "num_features"))

    @rule(FW, f"LazyInstanceNorm{n}d", _LAZY_BN.replace("affine=True, track_running_stats=True",
                                                         "affine=True, track_running_stats=True"))
    def lazy_inorm(layer, x):
        # the lazy module takes num_features from axis 1 even for an unbatched input, whose channels are axis 0
        return instance_norm_core(layer, x, n, x.shape[1] if x.rank >= 2 else None)


def instance_norm_core(layer, x: Tensor, n: int, nf):
    bad = spatial_rank_check(x, n)
    if bad:
        return bad
    c = x.shape[x.rank - n - 1]
    affine = bool(layer.arg("affine"))
    if nf is not None and dim_ne(c, nf) and (affine or layer.arg("track_running_stats")):
        return Mismatch("channel-count-mismatch", arg="num_features", expected=nf, received=c,
                        fix=SetArg("num_features", str(c), "safe"), recover=x)
    _affine_params(layer, c if nf is None else nf)
    spatial = prod(x.shape[-n:])
    if is_known(spatial) and spatial == 1:
        detail = f"one spatial element per channel in {x}"
        if not layer.arg("track_running_stats"):
            return Mismatch("incompatible-input-shape", received_shape=x.shape,
                            detail="instance normalisation needs more than one spatial element per channel",
                            remedy=remedies.normalise_larger_feature_map())
        layer.warn("single-value-per-channel", detail=detail,
                   remedy=remedies.feed_larger_feature_map_or_eval())
    return x


for _n in (1, 2, 3):
    _register_bn(_n)


# SyncBatchNorm runs as plain batch norm outside a distributed process group (and on CPU): same channel contract,
# for any input of rank >= 2. It implies no input rank.
@rule(FW, "SyncBatchNorm", "num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, "
                           "process_group=None, device=None, dtype=None, *, bias=True")
def sync_bn(layer, x):
    return batch_norm_core(layer, x, 0, _num(layer, "num_features"))


def _normalized_shape(layer, name="normalized_shape") -> tuple:
    ns = layer.arg(name)
    if is_int(ns):
        return (ns,)
    if isinstance(ns, (tuple, list)) and all(is_int(v) for v in ns):
        return tuple(ns)
    raise Mismatch("invalid-argument", arg=name, detail=f"must be an int or a sequence of ints, got {ns!r}",
                   remedy=remedies.pass_trailing_dims(name))


def layer_norm_core(layer, x: Tensor, ns: tuple, arg: str = "normalized_shape", fixable: bool = True):
    k = len(ns)
    trailing = x.shape[-k:] if k and x.rank >= k else None
    fits = f"{tuple(x.shape[1:])} (every axis after the batch) or {x.shape[-1]} (the last axis)" \
        if x.rank > 2 else f"{x.shape[-1]}" if x.rank == 2 else "the trailing dims of the input"
    if trailing is None and k:
        return Mismatch("incompatible-input-shape", arg=arg, received_shape=x.shape,
                        detail=f"normalized_shape={list(ns)} needs an input ending in {tuple(ns)}",
                        remedy=remedies.set_argument(arg, fits))
    if any(dim_ne(a, b) for a, b in zip(trailing or (), ns)):
        if k == 1:
            return Mismatch("feature-count-mismatch", arg=arg, expected=ns[0], received=trailing[0],
                            fix=SetArg(arg, str(trailing[0]), "safe") if fixable else None, recover=x)
        return Mismatch("incompatible-input-shape", arg=arg, received_shape=x.shape,
                        detail=f"normalized_shape={list(ns)} needs an input ending in {tuple(ns)}",
                        remedy=remedies.set_argument(arg, fits), recover=x)
    return x


@rule(FW, "LayerNorm", "normalized_shape, eps=1e-05, elementwise_affine=True, bias=True, device=None, dtype=None",
      implied_input=lambda layer: Tensor(("N",) + _normalized_shape(layer), "float32"), implied_any_rank=True)
def layer_norm(layer, x: Tensor):
    ns = _normalized_shape(layer)
    if layer.arg("elementwise_affine"):
        layer.params = prod(ns) * (2 if layer.arg("bias") else 1)
    else:
        layer.params = 0
    return layer_norm_core(layer, x, ns)


@rule(FW, "RMSNorm", "normalized_shape, eps=None, elementwise_affine=True, device=None, dtype=None",
      implied_input=lambda layer: Tensor(("N",) + _normalized_shape(layer), "float32"), implied_any_rank=True)
def rms_norm(layer, x: Tensor):
    ns = _normalized_shape(layer)
    layer.params = prod(ns) if layer.arg("elementwise_affine") else 0
    return layer_norm_core(layer, x, ns)


def group_norm_core(layer, x: Tensor, g: int, c_decl, arg_groups="num_groups"):
    bad = require_rank(x, min_rank=2, layout="(N, C, *)", remedy=remedies.add_batch_axis_unsqueeze())
    if bad:
        return bad
    c = x.shape[1]
    if is_known(c) and c % g:
        return Mismatch("incompatible-input-shape", arg=arg_groups, received_shape=x.shape,
                        detail=f"the number of channels ({c}) must be divisible by num_groups ({g})",
                        remedy=remedies.choose_dividing_num_groups(c))
    if c_decl is not None and dim_ne(c, c_decl):
        return Mismatch("channel-count-mismatch", arg="num_channels", expected=c_decl, received=c,
                        fix=SetArg("num_channels", str(c), "safe"), recover=x)
    per = prod((x.shape[0], c if not is_known(c) else c // g) + x.shape[2:])
    if is_known(per) and per == 1:
        return Mismatch("incompatible-input-shape", received_shape=x.shape,
                        detail="group normalisation needs more than one value per group",
                        remedy=remedies.use_fewer_groups_or_larger_input())
    return x


@rule(FW, "GroupNorm", "num_groups, num_channels, eps=1e-05, affine=True, device=None, dtype=None, *, bias=True")
def group_norm(layer, x: Tensor):
    g, c = _num(layer, "num_groups"), _num(layer, "num_channels")
    if c % g:
        return Mismatch("invalid-argument", arg="num_groups", detail=f"num_channels ({c}) must be divisible by "
                        f"num_groups ({g})", remedy=remedies.choose_dividing_num_groups(c))
    affine = bool(layer.arg("affine"))
    layer.params = c * (2 if layer.arg("bias") else 1) if affine else 0
    return group_norm_core(layer, x, g, c if affine else None)


@rule(FW, ["LocalResponseNorm", "CrossMapLRN2d"], "size, alpha=0.0001, beta=0.75, k=1.0")
def local_response_norm(layer, x: Tensor):
    if layer.kind == "CrossMapLRN2d":
        return require_rank(x, (4,), layout="(N, C, H, W)") or x
    return require_rank(x, min_rank=3, layout="(N, C, *)", remedy=remedies.add_batch_channel_axes()) or x
