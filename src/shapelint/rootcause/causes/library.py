"""Causes at a library model's own layers (a torchvision model, frontends/source/torchvision_api.py): its layers are
not the user's to edit, so the cause is in what the user gives it -- gray images fed to a model that takes RGB --
and in what a library transform makes of a picture (a color photo for a gray model)."""
from __future__ import annotations

import ast

from ...core.facts import RuleFacts
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.source import node_at
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..sites import picture_of


def gray_images_into_rgb_model(ctx, d):
    """One-channel images fed to a torchvision model whose first conv takes 3: the data is where it is decided
    (repeat the gray channel for pretrained weights, or replace the first conv). Never "set in_channels" on the
    library's own conv."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not f.op.layer.extra.get("library_part") or \
            f.mismatch.code != "channel-count-mismatch" or f.mismatch.expected != 3 or f.mismatch.received != 1:
        return
    model, run = ctx.run_of(f.inference)
    feed = ctx.feed_of(model, run)
    site = getattr(feed.x, "origin", None) if feed is not None else None
    node = feed.call.node_of(0, "x") if feed is not None else None
    call_text = ctx.text(Span.of(node)) if node is not None else None
    spelled = f"{call_text}.expand(-1, 3, -1, -1)" if call_text else "images.expand(-1, 3, -1, -1)"
    yield Cause("gray-into-rgb", 78, Label(site, remedies.gray_images_label(), d.file) if site else None,
                remedies.gray_images_note(getattr(model, "display_name", "the model")),
                remedies.repeat_gray_channel(spelled), strong=True)


def size_as_height_width(ctx, d):
    """PIL's ``resize`` given (height, width) by its names (``resize((IMG_H, IMG_W))``; PIL reads (width, height)):
    the image comes out transposed, and where it meets something laid out (height, width) -- a depth map, a mask, a
    layer sized for the grid -- two axes disagree with their sizes swapped. Blamed at the size, fixed by writing it
    (width, height); never by transposing the prediction or the targets to match."""
    shapes = (getattr(d, "expected", None), getattr(d, "received", None))
    if not all(isinstance(v, (tuple, list)) and v for v in shapes) or len(shapes[0]) != len(shapes[1]):
        return
    swapped = _swapped_pair(tuple(shapes[0]), tuple(shapes[1]))
    for found in ctx.ev.state.size_as_height_width if swapped else []:
        if {found.width, found.height} != set(swapped) or found.width == found.height:
            continue
        node = node_at(found.span, ctx.lines)
        texts = [ctx.segment(e) for e in getattr(node, "elts", [])]
        if len(texts) != 2 or None in texts:
            continue
        spelled = f"({texts[1]}, {texts[0]})"
        help_text = remedies.write_size_width_first(spelled)
        yield Cause("size-order", 80, Label(found.span, remedies.size_as_height_width_label(), d.file),
                    remedies.size_as_height_width_note(found.height, found.width), help_text,
                    fix=Fix("unsafe", help_text, [Edit(found.span, spelled)]), strong=True)
        return


def _swapped_pair(a: tuple, b: tuple):
    """The two sizes of the one pair of axes on which ``a`` and ``b`` are swapped (everything else equal), or None."""
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(diff) != 2:
        return None
    i, j = diff
    return (a[i], a[j]) if a[i] == b[j] and a[j] == b[i] else None


def head_replaced_with_a_literal(ctx, d):
    """``model.fc = nn.Linear(2048, n)``: a new head for a backbone, its width copied as a number from another
    network (a ResNet-50's 2048 for a backbone that ends at 512). The head it replaces already knows the width:
    ``model.fc.in_features``. Writing 512 instead would run and be the same kind of copied number that broke it.
    Offered only where the re-check confirms the old head's width is what the backbone gives."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "torch" or f.op.layer.kind != "Linear" or \
            f.mismatch.arg != "in_features":
        return
    span = f.op.layer.arg_spans.get("in_features")
    node = node_at(f.op.layer.origin.span, ctx.lines, ast.Call) if f.op.layer.origin.span is not None else None
    stmt = getattr(node, "_shapelint_parent", None)
    if span is None or not (ctx.text(span) or "").strip().isdigit() or not isinstance(stmt, ast.Assign) or \
            stmt.value is not node or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Attribute):
        return
    target = ctx.segment(stmt.targets[0])
    if not target:
        return
    spelled = f"{target}.in_features"
    help_text = remedies.size_as("in_features", spelled)
    yield Cause("layer-number", 72, Label(span, remedies.head_literal_label(int(f.mismatch.expected)), d.file),
                remedies.head_literal_note(target), help_text, fix=Fix("unsafe", help_text, [Edit(span, spelled)]))


def color_picture_into_gray_model(ctx, d):
    """A color photo run through the inference transform of a model trained on gray images (MNIST): ``ToTensor``
    gives (3, 28, 28) and the first conv takes 1 channel. The model is right and so is the picture; the transform
    lacks its ``Grayscale()`` step, and the fix adds it first in the ``Compose``. Giving the conv 3 channels would
    discard the trained weights; moving the batch axis would read the colors as three pictures."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "torch" or \
            f.mismatch.code != "channel-count-mismatch" or f.mismatch.expected != 1 or f.mismatch.received not in (3, 4):
        return
    feed = ctx.feed_into(f.inference)
    picture = picture_of(ctx, feed.x) if feed is not None else None
    call = node_at(picture.compose, ctx.lines, ast.Call) if picture is not None and picture.channels in (3, 4) \
        else None
    steps = (call.args[0] if call.args else None) if call is not None else None
    if not isinstance(steps, (ast.List, ast.Tuple)) or not steps.elts or not isinstance(steps.elts[0], ast.Call):
        return
    first = steps.elts[0]
    func = first.func
    prefix = ctx.segment(func.value) + "." if isinstance(func, ast.Attribute) and ctx.segment(func.value) else None
    if prefix is None:
        return  # `Resize(...)` imported by name: whether `Grayscale` is imported too is not ours to guess
    step = f"{prefix}Grayscale()"
    own_line = first.lineno != steps.lineno
    indent = ctx.lines[first.lineno - 1][:first.col_offset] if own_line else ""
    at = Span(first.lineno, first.col_offset + 1, first.lineno, first.col_offset + 1)
    help_text = remedies.add_grayscale_step(step)
    yield Cause("data-layout", 84, Label(Span.of(call), remedies.transform_keeps_colors_label(), d.file),
                remedies.color_picture_note(f.mismatch.received), help_text,
                fix=Fix("unsafe", help_text, [Edit(at, f"{step},\n{indent}" if own_line else f"{step}, ")]),
                strong=True)
