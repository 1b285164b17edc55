"""Causes at a skip connection: an encoder-decoder (U-Net) whose skip and upsampled maps differ by a few pixels
because one conv, written once in a block the model repeats, was left at valid padding while the others keep the
size (``padding="same"``, ``padding=1``). Every block then trims kernel - 1 pixels, the halvings stop being exact, and
the concatenation fails far from the conv. Cropping or resizing the skip would paper over it."""
from __future__ import annotations

from typing import Optional

from ...core.facts import RuleFacts
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.edits import set_arg_edit
from ...diagnostics.model import Fix, Label
from ..cause import Cause

_MERGES = ("Concatenate", "concatenate", "cat", "concat", "Add", "add")
_KERAS_CONVS = ("Conv1D", "Conv2D", "Conv3D")
_TORCH_CONVS = ("Conv1d", "Conv2d", "Conv3d")


def _kernel(layer) -> Optional[tuple]:
    k = layer.args.get("kernel_size")
    k = (k,) if isinstance(k, int) else tuple(k) if isinstance(k, (tuple, list)) else None
    return k if k and all(isinstance(v, int) for v in k) else None


def _ones(v) -> bool:
    return v in (1, None) or isinstance(v, (tuple, list)) and all(x == 1 for x in v)


def _keeps_size(layer) -> Optional[bool]:
    """Whether a stride-1 conv keeps its input's size: True ("same", or torch padding = kernel // 2), False (valid
    padding with a kernel > 1), None (anything else: strided, dilated, unknown)."""
    k = _kernel(layer)
    if k is None or not _ones(layer.args.get("strides", layer.args.get("stride", 1))) or \
            not _ones(layer.args.get("dilation_rate", layer.args.get("dilation", 1))):
        return None
    p = layer.args.get("padding")
    if layer.framework == "keras":
        return True if p == "same" else False if p == "valid" and any(v > 1 for v in k) else None
    if p == "same":
        return True
    p = (p,) * len(k) if isinstance(p, int) else tuple(p) if isinstance(p, (tuple, list)) else None
    if p is None or len(p) != len(k) or not all(isinstance(v, int) for v in p):
        return None
    if all(2 * pv == kv - 1 for pv, kv in zip(p, k)):
        return True
    return False if all(pv == 0 for pv in p) and any(kv > 1 for kv in k) else None


def valid_conv_in_block(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _MERGES or f.mismatch.code != "merge-shape-mismatch":
        return
    shapes = [tuple(x.shape) for x in f.op.inputs if isinstance(x, Tensor) and x.shape is not None]
    if len(shapes) < 2 or len({len(s) for s in shapes}) != 1 or len(shapes[0]) < 3:
        return
    sites: dict = {}
    for op in f.inference.program.ops:
        if op.layer.kind in _KERAS_CONVS + _TORCH_CONVS and op.layer.origin.span is not None:
            sites.setdefault(op.layer.origin.span, []).append(op.layer)
    kinds = {span: {_keeps_size(l) for l in layers} for span, layers in sites.items()}
    valid = [span for span, k in kinds.items() if k == {False}]
    same = [span for span, k in kinds.items() if k == {True}]
    # one site left at valid padding, built more than once (a block), among convs that keep the size
    if len(valid) != 1 or not same or len(sites[valid[0]]) < 2:
        return
    layer = sites[valid[0]][0]
    k = _kernel(layer)
    value = '"same"' if layer.framework == "keras" else str(k[0] // 2) if len(set(k)) == 1 and k[0] % 2 else None
    edit = set_arg_edit(layer, "padding", value, ctx.lines) if value is not None else None
    help_text = remedies.pad_block_conv(f"padding={value}") if value else remedies.pad_block_conv("")
    yield Cause("valid-conv-in-block", 80, Label(valid[0], remedies.valid_conv_label(k), d.file),
                remedies.valid_conv_note(layer.kind, k, len(sites[valid[0]])), help_text,
                fix=Fix("unsafe", help_text, [edit]) if edit is not None else None, strong=True)
