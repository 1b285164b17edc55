"""einops on PyTorch tensors: einops.rearrange / reduce / repeat and the einops.layers.torch
Rearrange / Reduce modules; the pattern semantics are in rules/_einops.py."""
from __future__ import annotations

from ...core.registry import rule
from ...core.values import Tensor
from .._einops import einops_shape

FW = "torch"
_OWN = ("pattern", "reduction")


def _lengths(layer) -> dict:
    return {k: v for k, v in layer.args.items() if k not in _OWN}


@rule(FW, ["einops.rearrange", "Rearrange"], "pattern, **axes_lengths")
def rearrange(layer, x: Tensor):
    return einops_shape("rearrange", x, layer.arg("pattern"), _lengths(layer))


@rule(FW, ["einops.reduce", "Reduce"], "pattern, reduction='mean', **axes_lengths")
def reduce(layer, x: Tensor):
    return einops_shape("reduce", x, layer.arg("pattern"), _lengths(layer))


@rule(FW, "einops.repeat", "pattern, **axes_lengths")
def repeat(layer, x: Tensor):
    return einops_shape("repeat", x, layer.arg("pattern"), _lengths(layer))
