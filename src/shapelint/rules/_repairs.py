"""Shape reasoning behind the structural fixes of merge ops, shared by the Keras and PyTorch rules.

When two tensors cannot be concatenated or added, the shapes alone often say which input is "off" and how to
bring it in line -- the decoder feature map of an odd-sized U-Net is one pixel short (pad it), a class token was
never expanded over the batch (expand it), a residual shortcut has fewer channels and more pixels than the main
path (project it with a strided 1x1 convolution). These functions only plan the repair on shapes; each rule spells
it for its framework as a fix intent. They return None when the shapes do not point to one clear repair.
"""
from __future__ import annotations

from typing import Optional

from ..core.dims import is_known


def _differing_axes(a: tuple, b: tuple, skip: set) -> Optional[list]:
    """Axes (not in ``skip``) where the two shapes differ; None if any such axis has an unknown size."""
    out = []
    for i, (x, y) in enumerate(zip(a, b)):
        if i in skip or x == y:
            continue
        if not (is_known(x) and is_known(y)):
            return None
        out.append(i)
    return out


def pad_plan(a: tuple, b: tuple, skip: set, spatial: set) -> Optional[tuple]:
    """(input index to pad, {axis: (before, after)}) making the smaller input as large as the other on every
    differing axis, when all differing axes are spatial, the same input is smaller on each of them, and by a few
    pixels only (an odd size rounded down on the way through a U-Net). A map half the other's size was made at
    another scale: zeros around it would leave most of the larger map without it, so no padding is proposed."""
    if len(a) != len(b):
        return None
    axes = _differing_axes(a, b, skip)
    if not axes or not set(axes) <= spatial:
        return None
    small = {0 if a[i] < b[i] else 1 for i in axes}
    if len(small) != 1:
        return None
    index = small.pop()
    lo, hi = (a, b) if index == 0 else (b, a)
    pads = {}
    for i in axes:
        diff = hi[i] - lo[i]
        if 4 * diff > hi[i]:
            return None
        pads[i] = (diff // 2, diff - diff // 2)  # centred, as the U-Net reference implementations pad
    return index, pads


def expand_plan(a: tuple, b: tuple, skip: set) -> Optional[tuple]:
    """(input index to expand, differing axes) when one input has size 1 on every differing axis: a learned token
    or a per-sample constant concatenated without ``.expand(batch, ...)``."""
    if len(a) != len(b):
        return None
    axes = _differing_axes(a, b, skip)
    if not axes:
        return None
    for index, (x, y) in enumerate(((a, b), (b, a))):
        if all(x[i] == 1 for i in axes):
            return index, axes
    return None


def projection_plan(a: tuple, b: tuple, channel_axis: int, spatial: list) -> Optional[tuple]:
    """(input index to project, channels, stride) for a residual sum whose shortcut has a different channel count
    or a larger spatial size (by one integer factor) than the main path: the input with fewer channels -- or, with
    equal channels, the larger one -- is the shortcut, and a 1x1 convolution with that stride maps it onto the
    other. None when the shapes do not fit that pattern."""
    if len(a) != len(b) or not all(is_known(d) for d in a[1:] + b[1:]):
        return None
    ca, cb = a[channel_axis], b[channel_axis]
    if ca != cb:
        index = 0 if ca < cb else 1
    else:
        index = 0 if all(a[i] >= b[i] for i in spatial) else 1
    src, dst = (a, b) if index == 0 else (b, a)
    strides = set()
    for i in spatial:
        if dst[i] <= 0 or src[i] % dst[i] != 0:
            return None
        strides.add(src[i] // dst[i])
    if len(strides) > 1 or (not strides and ca == cb):
        return None
    stride = strides.pop() if strides else 1
    if stride == 1 and ca == cb:
        return None
    return index, dst[channel_axis], stride
