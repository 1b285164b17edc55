"""``img.transpose(0, 2)`` meant to turn a channels-last image (H, W, C) into channels-first (C, H, W): it swaps
axes 0 and 2 and gives (C, W, H) -- the channels move first, but rows and columns swap. On square images the conv net
runs and sees every image transposed (vertical stripes become horizontal), without an error. The move that keeps H
before W is ``permute(2, 0, 1)`` (NumPy: ``transpose(2, 0, 1)``).

Reported only for an image-like tensor: a small last axis (1, 3 or 4 channels) after two larger ones."""
from __future__ import annotations

import ast

from ..core.program import Span
from ..diagnostics import remedies
from ..diagnostics.fixes.source import node_at
from ..diagnostics.model import Edit, Fix
from ..frontends.source.objects import TensorVal
from .report import emit, shape_text

_CHANNELS = (1, 3, 4)


def swapped_height_width(ev, x, call) -> None:
    """``x.transpose(0, 2)`` / ``x.transpose(2, 0)`` (torch) or ``x.transpose(2, 1, 0)`` (NumPy) on (H, W, C)."""
    if not isinstance(x, TensorVal) or x.shape is None or len(x.shape) != 3 or ev.uncertain:
        return
    h, w, c = x.shape
    if not all(isinstance(v, int) for v in (h, w, c)) or c not in _CHANNELS or min(h, w) <= 4:
        return
    args = call.args
    if x.lib == "torch" and len(args) == 2 and sorted(a % 3 if isinstance(a, int) else -9 for a in args) == [0, 2]:
        right = ".permute(2, 0, 1)"
    elif x.lib == "numpy" and (list(args) == [2, 1, 0] or len(args) == 1 and list(args[0] or ()) == [2, 1, 0]):
        right = ".transpose(2, 0, 1)"
    else:
        return
    node = call.node
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or _chained(ev, node):
        return
    start, end = Span.of(node.func.value), Span.of(node)
    edit = Edit(Span(start.end_line, start.end_column, end.end_line, end.end_column), right)
    move = right.lstrip(".")
    emit(ev, "transpose-swaps-height-width", Span.of(node), remedies.swapped_image_label((c, w, h)),
         received_shape=shape_text(x.shape), result_shape=shape_text((c, w, h)), right=right.lstrip("."),
         remedy=remedies.keep_rows_before_columns(move), fix=Fix("unsafe", remedies.use_move(move), [edit]))



_MOVES = ("transpose", "permute", "swapaxes", "swapdims", "movedim", "moveaxis")


def _chained(ev, node: ast.Call) -> bool:
    """One step of a chain of axis moves (``img.transpose(0, 1).transpose(0, 2)``, torchvision's old ToTensor): its
    input or its result is moved again, so this step alone says nothing of the final order."""
    receiver = node.func.value
    if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) and receiver.func.attr in _MOVES:
        return True
    indexed = node_at(Span.of(node), ev.lines, ast.Call)  # the file's indexed tree knows each node's parent
    parent = getattr(indexed, "_shapelint_parent", None)
    return isinstance(parent, ast.Attribute) and parent.attr in _MOVES
