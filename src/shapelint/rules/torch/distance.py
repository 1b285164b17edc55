"""Two-input similarity modules: nn.CosineSimilarity (reduces `dim` of the broadcast inputs) and nn.PairwiseDistance /
F.pairwise_distance (reduce the last axis)."""
from __future__ import annotations

from ...core.registry import rule
from ...core.values import Tensor
from ._common import FW, axis, missing_inputs
from .tensor_ops import broadcast_all


@rule(FW, "CosineSimilarity", "dim=1, eps=1e-08", accepts_unknown=True, per_row=True)
def cosine_similarity(layer, *xs: Tensor):
    if len(xs) < 2:
        return missing_inputs(layer, ("x1", "x2"), len(xs))
    out = broadcast_all(layer, list(xs[:2]))
    if not isinstance(out, Tensor) or out.shape is None:
        return out
    d = axis(layer.arg("dim"), out.rank, "dim", shape=out.shape)
    return Tensor(out.shape[:d] + out.shape[d + 1:], out.dtype)


def pairwise_distance_core(layer, xs: list):
    """torch 2.13 ``pairwise_distance``: the p-norm of ``x1 - x2 + eps`` over the last axis of the broadcast inputs
    (kept as size 1 with keepdim); two 0-d inputs give a 0-d result."""
    if len(xs) < 2:
        return missing_inputs(layer, ("x1", "x2"), len(xs))
    out = broadcast_all(layer, list(xs[:2]))
    if not isinstance(out, Tensor) or out.shape is None:
        return out
    if out.rank == 0:
        return out
    keepdim = layer.arg("keepdim")
    return Tensor(out.shape[:-1] + ((1,) if keepdim else ()), out.dtype)


@rule(FW, "PairwiseDistance", "p=2.0, eps=1e-06, keepdim=False", accepts_unknown=True, per_row=True)
def pairwise_distance(layer, *xs: Tensor):
    return pairwise_distance_core(layer, list(xs))


@rule(FW, "F.pairwise_distance", "p=2.0, eps=1e-06, keepdim=False", accepts_unknown=True, per_row=True)
def f_pairwise_distance(layer, *xs: Tensor):
    return pairwise_distance_core(layer, list(xs))
