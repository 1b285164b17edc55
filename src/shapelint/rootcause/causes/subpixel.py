"""A sub-pixel convolution sized for the scale instead of its square. ``PixelShuffle(r)`` turns (C * r * r, H, W) into
(C, H * r, W * r); the convolution before it written ``Conv2d(feat, channels * scale, ...)`` gives r times too few
channels and the shuffle raises. The number is wrong in that convolution's output count; ``PixelShuffle(2)`` or a
smaller scale would run and change what the model makes."""
from __future__ import annotations

from ...checks.facts import LossFacts
from ...core.facts import RuleFacts
from ...diagnostics import remedies
from ...diagnostics.fixes.source import function_at, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause


def conv_sized_for_the_scale(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind != "PixelShuffle" or not f.op.inputs:
        return
    r = f.op.layer.args.get("upscale_factor")
    x = f.op.inputs[0]
    shape = getattr(x, "shape", None)
    if not isinstance(r, int) or r < 2 or not shape or len(shape) < 3 or not isinstance(shape[-3], int):
        return
    channels = int(shape[-3])
    conv = f.inference.producer_of(x)
    out_span = conv.layer.arg_spans.get("out_channels") if conv is not None and conv.layer.kind == "Conv2d" else None
    r_span = f.op.layer.arg_spans.get("upscale_factor")
    if out_span is None or r_span is None or channels % r or channels % (r * r) == 0:
        return
    out_text, r_text = ctx.text(out_span), ctx.text(r_span)
    tree = tree_of(ctx.lines)
    if not out_text or not r_text or tree is None or function_at(tree, out_span.line) is not function_at(
            tree, r_span.line):
        return  # the factor's name must be in scope where the convolution is built
    atom = r_text if r_text.isidentifier() or r_text.isdigit() else f"({r_text})"
    new = f"{out_text} * {atom}"
    # the count written with the shuffle's own factor (`channels * scale`) is the one that is wrong; otherwise the
    # factor may be (`3 * 2 ** 2` before `PixelShuffle(4)`): the edit must then prove itself
    same_factor = r_text.isidentifier() and r_text in out_text.replace(" ", "").split("*")
    help_text = remedies.subpixel_channels(new)
    yield Cause("layer-number", 84, Label(out_span, remedies.subpixel_label(channels, r), d.file),
                remedies.subpixel_note(channels, r), help_text, fix=Fix("unsafe", help_text, [Edit(out_span, new)]),
                strong=same_factor)


def output_planes_for_the_targets(ctx, d):
    """An image-to-image model (super-resolution, denoising) whose output has one plane where the targets -- and
    the images it takes -- have C: ``Conv2d(32, upscale_factor ** 2)`` before ``PixelShuffle(upscale_factor)``
    makes one channel, so the loss broadcasts it over the target's three. The last convolution's output count is
    the mistake (``channels * upscale_factor ** 2``); making the targets one-channel would throw the colour away."""
    f = d.facts
    if not isinstance(f, LossFacts) or d.code != "SHP202":
        return
    p, t = getattr(f.pred, "shape", None), getattr(f.target, "shape", None)
    if not p or not t or len(p) != 4 or len(t) != 4 or p[1] != 1 or not isinstance(t[1], int) or t[1] < 2 or \
            tuple(p[2:]) != tuple(t[2:]) or p[0] != t[0]:
        return
    run = ctx.run_returning(f.pred.value)
    ops = run.program.ops if run is not None else []
    convs = [op for op in ops if op.layer.kind == "Conv2d"]
    if len(convs) < 2 or convs[0].layer.args.get("in_channels") != t[1]:
        return  # the model reads images of the targets' planes: it is meant to give them back
    last = convs[-1]
    shuffles = [op for op in ops[ops.index(last):] if op.layer.kind == "PixelShuffle"]
    in_span, out_span = convs[0].layer.arg_spans.get("in_channels"), last.layer.arg_spans.get("out_channels")
    in_text, out_text = (ctx.text(in_span) if in_span else None), (ctx.text(out_span) if out_span else None)
    tree = tree_of(ctx.lines)
    if not in_text or not out_text or tree is None or function_at(tree, in_span.line) is not function_at(
            tree, out_span.line) or len(shuffles) > 1:
        return  # the planes' name must be in scope where the last convolution is built
    atom = out_text if out_text.replace("_", "").isalnum() or "**" in out_text and "+" not in out_text else \
        f"({out_text})"
    new = f"{in_text} * {atom}" if shuffles else in_text
    help_text = remedies.output_planes(new)
    yield Cause("layer-number", 83, Label(out_span, remedies.output_planes_label(int(t[1])), d.file),
                remedies.output_planes_note(int(t[1])), help_text, fix=Fix("unsafe", help_text, [Edit(out_span, new)]),
                strong=True)
