"""The trunk of a torchvision classification model (``torchvision.models.resnet18()``, ``vgg16``, ``densenet121``,
``mobilenet_v2``, ``efficientnet_b0``...), from the output of its first conv up to its pooling: one op, not
unfolded (frontends/source/torchvision_api.py builds the model: its first conv and its head are real modules a user
can replace, ``model.fc = nn.Linear(...)``; this is what lies between).

What a trunk does to its input, as torchvision 0.28 computes it (checked against it, weights=None):
- it takes (N, C0, H, W), C0 the first conv's out_channels; a 3-D input fails at its first BatchNorm2d;
- it ends with ``out_channels`` feature maps; each of its halvings rounds up (a stride-2 conv or pool padded by
  half its kernel: ``ceil``) or down (a 2x2 pool: ``floor``), in the order ``halvings`` spells (``c`` / ``f``);
  AlexNet's trunk is its own sequence of 3x3 stride-2 pools (``a``);
- a map that shrinks to nothing fails (a VGG fed 16-px images).
"""
from __future__ import annotations

from ...core.dims import is_known
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from ._common import FW, require_rank


def _halve(size, how: str):
    if not is_known(size):
        return None
    if how == "c":  # stride 2, padded by half the kernel: ceil
        return (size + 1) // 2
    if how == "f":  # a 2x2 pool: floor
        return size // 2
    return (size - 3) // 2 + 1 if size >= 3 else 0  # "a": a 3x3 pool with stride 2, no padding


@rule(FW, "TorchvisionTrunk", "model, in_channels, out_channels, halvings, trunk_params")
def trunk(layer, x: Tensor):
    bad = require_rank(x, (4,), layout="(N, C, H, W)", remedy=remedies.add_batch_axis_unsqueeze())
    if bad:
        return bad
    cin, cout = layer.arg("in_channels"), layer.arg("out_channels")
    layer.params = layer.arg("trunk_params")
    if is_known(x.shape[1]) and x.shape[1] != cin:  # a first conv replaced with other out_channels
        return Mismatch("channel-count-mismatch", expected=cin, received=x.shape[1],
                        recover=Tensor((x.shape[0], cout, None, None), x.dtype))
    spatial = list(x.shape[2:])
    for how in layer.arg("halvings"):
        spatial = [_halve(s, how) for s in spatial]
        if any(is_known(s) and s <= 0 for s in spatial):
            return Mismatch("non-positive-output-size",
                            detail=f"`{layer.arg('model')}` shrinks the input {x} to nothing before its last block",
                            remedy=remedies.feed_non_empty_spatial_input())
    return Tensor((x.shape[0], cout) + tuple(spatial), x.dtype)
