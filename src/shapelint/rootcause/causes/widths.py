"""Causes in widths and image sizes that a model's code carries from one place to another: image-size settings left
at their defaults where a model is built for other images (``H=32, W=32`` for 28x28 MNIST), a layer-building helper
that returns the width it was given instead of the one its block makes (DenseNet's transition), a grouped
convolution's width that its groups do not divide, and a building loop that carries the raw setting as the next
block's width (MobileNetV2's ``input_channel = c``)."""
from __future__ import annotations

import ast
import re
from typing import Optional

from ...checks import torch_loss
from ...checks.facts import LossFacts
from ...core import provenance
from ...core.facts import RuleFacts
from ...core.program import Span
from ...core.registry import fact_of, has
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import keyword_edit
from ...diagnostics.fixes.source import function_at, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..spelling import call_at
from .numbers import SIZED_CODES


def image_size_left_at_default(ctx, d):
    """A model whose flatten size is computed from the image size it is told -- ``Linear(int(H / 4) * int(W / 4) *
    64, ...)`` and ``x.view(-1, <the same>)`` in a class with ``H=32, W=32`` defaults -- built for other images
    without passing them (``CNN(in_channel=1)`` for 28x28 MNIST). The formula is right; the sizes it was given are
    not. Recomputing it with the data's own height and width gives exactly what the layer receives, so the fix
    passes them where the model is built. Sizing the layer by a literal or keeping the batch axis in the view runs,
    and leaves the model's settings describing other images."""
    found = _written_and_actual(ctx, d)
    if found is None:
        return
    written, actual, x = found
    spatial = _spatial_sizes(x)
    groups: dict = {}
    for leaf in provenance.leaves(written):
        o = leaf.origin
        # only a setting whose name says it is an image side (`H`, `img_size`) is one to pass; a literal is the
        # business of the finders of written numbers
        if isinstance(o, provenance.Default) and _names_an_image_side(o.param) and int(leaf) not in spatial:
            groups.setdefault(int(leaf), []).append(leaf)
    candidates = []
    for old, leaves in groups.items():
        leaves.sort(key=lambda l: (l.origin.span.line, l.origin.span.column) if l.origin.span else (0, 0))
        candidates.append((old, leaves))
    for old, leaves in candidates:
        for size in sorted(set(spatial)):
            if provenance.recompute(written, {id(l): size for l in leaves}) != int(actual):
                continue
            edits = _image_size_edits(ctx, leaves, size)
            if edits is None:
                return
            first = leaves[0].origin
            site = first.call if isinstance(first, provenance.Default) and first.call is not None else \
                first.span
            names = [l.origin.param if isinstance(l.origin, provenance.Default) else ctx.text(l.origin.span)
                     for l in leaves]
            help_text = remedies.image_size_passed(names, size)
            yield Cause("image-size", 92, Label(site, remedies.image_size_label(names, old), d.file),
                        remedies.image_size_note(names, old, size, int(written), int(actual)), help_text,
                        fix=Fix("unsafe", help_text, edits, resizes_all_readers=True), strong=True)
            return


_SIDES = ("h", "w", "height", "width", "hw")
_SIZES = ("size", "res", "resolution", "side")
_NOT_A_SIDE = ("channels", "channel", "ch", "dim", "dims", "feat", "feats", "features", "depth", "kernel", "patch")


def _names_an_image_side(param: str) -> bool:
    """``H``, ``img_w``, ``imgH``, ``image_size``, ``input_height``: a name for an image's side -- not
    ``kernel_size``, ``img_channels`` or ``image_dim``, nor a ``width`` that may be a channel count."""
    words = [w.lower() for w in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", param) if w]
    if not words or any(w in _NOT_A_SIDE for w in words):
        return False
    if words in (["h"], ["w"], ["height"], ["resolution"]):
        return True
    image = any(w in ("img", "image", "crop") for w in words)
    # `input_height` is an image's side; `input_size` is an RNN's feature count
    return any(w in _SIDES for w in words) and (image or any(w in ("input", "in") for w in words)) or \
        any(w in _SIZES for w in words) and image


def _written_and_actual(ctx, d) -> Optional[tuple]:
    """(the per-sample size the model was written with, the one the data gives, the data fed to the run) for a
    Linear sized for another image (its in_features) or a reshape whose written per-sample size folded the batch."""
    f = d.facts
    if isinstance(f, RuleFacts) and f.mismatch.code == "feature-count-mismatch" and f.op.layer.kind == "Linear":
        x = f.inference.program.inputs[0] if f.inference.program.inputs else None
        return (f.mismatch.expected, f.mismatch.received, x) \
            if isinstance(f.mismatch.expected, provenance.Sized) and isinstance(f.mismatch.received, int) else None
    if not isinstance(f, LossFacts) or d.name != "sample-count-mismatch" or not f.target.shape:
        return None
    n = f.target.shape[0]
    folded = torch_loss.batch_fold(ctx.ev, f.pred, n) if isinstance(n, int) else None
    op = folded[0] if folded else None
    shape = op.layer.args.get("shape") if op is not None else None
    written = [v for v in (shape if isinstance(shape, (tuple, list)) else ()) if isinstance(v, provenance.Sized)
               and int(v) > 1]
    before = op.inputs[0].shape if op is not None and op.inputs else None
    if len(written) != 1 or not before or not all(isinstance(v, int) for v in before[1:]):
        return None
    per = 1
    for v in before[1:]:
        per *= int(v)
    _, run = ctx.run_holding(op)
    x = run.program.inputs[0] if run is not None and run.program.inputs else None
    return (written[0], per, x) if x is not None else None


def _spatial_sizes(x) -> list:
    """The height and width of images (N, C, H, W) fed to a torch model, else []."""
    shape = getattr(x, "shape", None)
    if not shape or len(shape) != 4 or not all(isinstance(v, int) for v in shape[2:]):
        return []
    return [int(shape[2]), int(shape[3])]


def _image_size_edits(ctx, leaves: list, size: int) -> Optional[list]:
    """Pass ``size`` for each defaulted parameter at the call that relied on it (several at one call: one edit), or
    write it over each literal."""
    edits, at_call = [], {}
    for leaf in leaves:
        o = leaf.origin
        if isinstance(o, provenance.Written):
            edits.append(Edit(o.span, str(size)))
            continue
        call = call_at(ctx, o.call)
        if call is None:
            return None
        at_call.setdefault(o.call, (call, []))[1].append(o.param)
    for call, params in at_call.values():
        first = keyword_edit(call, params[0], str(size), ctx.lines)
        if first is None:
            return None
        more = [keyword_edit(call, p, str(size), ctx.lines) for p in dict.fromkeys(params[1:])]
        if any(e is None or e.span != first.span or e.span.end_column != e.span.column for e in more):
            return None if more else [*edits, first]
        edits.append(Edit(first.span, first.text + "".join(
            ("" if e.text.startswith(", ") or not first.text else ", ") + e.text for e in more)))
    return edits




def helper_returns_input_width(ctx, d):
    """A layer-building helper that returns the running width for the next stage and returns the one it was given
    instead of the one its last layer makes -- DenseNet's ``make_transition`` compressing 72 channels to 36 but
    ``return block, in_channels``: every block after it is built for 72 and receives 36. The number is wrong in the
    ``return``; resizing the next layers would bend the rest of the network to the mistake."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code not in SIZED_CODES or not f.op.inputs or \
            not isinstance(f.mismatch.received, int) or not isinstance(f.mismatch.expected, int):
        return
    maker = _width_maker(f.inference, f.op.inputs[0])
    if maker is None:
        return
    out_arg, in_arg = fact_of(maker.layer, "width_arg"), fact_of(maker.layer, "input_width_arg")
    out_v, in_v = maker.layer.args.get(out_arg), maker.layer.args.get(in_arg)
    out_span, in_span = maker.layer.arg_spans.get(out_arg), maker.layer.arg_spans.get(in_arg)
    if out_v != f.mismatch.received or in_v != f.mismatch.expected or out_span is None or in_span is None:
        return
    out_name, in_name = ctx.text(out_span), ctx.text(in_span)
    tree = tree_of(ctx.lines)
    fn = function_at(tree, out_span.line) if tree is not None else None
    if not (out_name and in_name and out_name.isidentifier() and in_name.isidentifier()) or \
            fn is None or fn is tree or function_at(tree, in_span.line) is not fn:
        return
    returned = [e for n in ast.walk(fn) if isinstance(n, ast.Return) and isinstance(n.value, ast.Tuple)
                for e in n.value.elts if isinstance(e, ast.Name) and e.id == in_name]
    if len(returned) != 1:
        return
    site = Span.of(returned[0])
    help_text = remedies.return_output_width(out_name)
    yield Cause("helper-return", 88, Label(site, remedies.returns_input_width_label(in_name, int(in_v)), d.file),
                remedies.returns_input_width_note(fn.name, in_name, out_name, int(in_v), int(out_v)), help_text,
                fix=Fix("unsafe", help_text, [Edit(site, out_name)]), strong=True)


def _width_maker(inference, value):
    """The op that last set the width of ``value`` (a convolution or Linear), following ops that keep it."""
    return next((op for _, op in inference.walk_back(value, _width_kept, depth=50)
                 if op is not None and fact_of(op.layer, "width_arg") in op.layer.args), None)  # a Linear / conv


def _width_kept(op, value):
    """The input of a layer that keeps the width: one that keeps the shape, or a pooling."""
    if not op.inputs or not (has(op.layer, "keeps_shape") or op.layer.kind in ("AvgPool2d", "MaxPool2d",
                                                                                 "AvgPool1d", "MaxPool1d")):
        return None
    return op.inputs[0]


def width_not_a_multiple_of_groups(ctx, d):
    """A grouped convolution (``groups=CARDINALITY``) given a width the groups do not divide -- ResNeXt stages
    ``(128, 48, 2, 2)`` with cardinality 32. The width was written in a table of stage settings; that number is
    blamed, with the multiples of the groups next to it. ``groups=1`` would run and remove the grouped convolution
    the architecture is about; which width or cardinality is right is the author's choice, so the edit is shown,
    not applied."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "invalid-argument" or f.mismatch.arg != "groups":
        return
    layer = f.op.layer
    g = layer.args.get("groups")
    for arg in ("in_channels", "out_channels"):
        v = layer.args.get(arg)
        if not isinstance(v, int) or not isinstance(g, int) or g < 2 or v % g == 0:
            continue
        o = provenance.origin_of(v)
        span = o.span if isinstance(o, provenance.Written) else None
        if span is None or layer.origin.span is not None and layer.origin.span.contains(span):
            return
        lower, upper = (int(v) // g) * g, (int(v) // g + 1) * g
        help_text = remedies.width_multiple_of_groups(int(v), g, [m for m in (lower, upper) if m > 0])
        yield Cause("layer-number", 80, Label(span, remedies.width_not_multiple_label(int(v), g), d.file),
                    remedies.width_not_multiple_note(int(v), g), help_text,
                    fix=Fix("display-only", help_text, []), strong=True)
        return


def loop_carries_another_width(ctx, d):
    """A building loop that carries the wrong running width to the next block -- MobileNetV2's ``input_channel = c``
    (the raw setting) after ``InvertedResidual(input_channel, output_channel, ...)`` with ``output_channel =
    _make_divisible(c * width_mult)``: right at width 1.0, wrong at 0.75. The next block is built for the raw width
    and receives the scaled one. The assignment that carries the width is the mistake; it must carry what the block
    made (``input_channel = output_channel``)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code not in SIZED_CODES:
        return
    tree = tree_of(ctx.lines)
    if tree is None:
        return
    found, defs = [], None
    for loop in ast.walk(tree):
        if not isinstance(loop, (ast.For, ast.While)):
            continue
        for call in ast.walk(loop):
            if not isinstance(call, ast.Call) or len(call.args) < 2 or \
                    not all(isinstance(a, ast.Name) for a in call.args[:2]):
                continue
            running, made = call.args[0].id, call.args[1].id
            carried = [s for s in ast.walk(loop) if isinstance(s, ast.Assign) and len(s.targets) == 1 and
                       isinstance(s.targets[0], ast.Name) and s.targets[0].id == running and s.lineno > call.lineno
                       and isinstance(s.value, ast.Name) and s.value.id != made]
            if len(carried) != 1 or not _assigned_in(loop, made):
                continue
            if defs is None:  # the file's functions and classes by name, once per diagnostic
                defs = {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            if _builds(defs, call, f.op.layer.origin.span):  # a loop that did not build the failing layer says
                found.append((carried[0].value, made))      # nothing about it
    found = list({id(value): (value, made) for value, made in found}.values())  # a call seen from an outer loop too
    if len(found) != 1:
        return
    value, made = found[0]
    span = Span.of(value)
    help_text = remedies.carry_the_width(made)
    yield Cause("layer-number", 81, Label(span, remedies.carries_other_width_label(value.id, made), d.file),
                remedies.carries_other_width_note(value.id, made), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, made)], replaces_name=True), strong=False)


def _builds(defs: dict, call: ast.Call, span: Optional[Span]) -> bool:
    """Whether the layer at ``span`` is built by ``call``: written in it, in the function or class it calls, or in a
    function that one calls (``InvertedResidual`` building its convolutions with ``conv_bn_relu``); ``defs``: the
    file's functions and classes by name."""
    if span is None:
        return False
    if Span.of(call).contains(span):
        return True
    callee = defs.get(getattr(call.func, "id", None) or getattr(call.func, "attr", None))
    if callee is None:
        return False
    inner = {getattr(c.func, "id", None) for c in ast.walk(callee) if isinstance(c, ast.Call)}
    return any(d is not None and Span.of(d).contains(span) for d in [callee] + [defs.get(n) for n in inner if n])


def _assigned_in(loop, name: str) -> bool:
    """``name`` is bound inside ``loop`` (the width a block is built with, worked out per setting)."""
    return any(isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in s.targets)
               for s in ast.walk(loop))


def depthwise_grouped_by_its_output(ctx, d):
    """A depthwise convolution with a channel multiplier -- ``Conv2d(in_ch, in_ch * mult, 3, groups=mid)`` with
    ``mid = in_ch * mult`` -- grouped by its *output* width: ``in_ch`` is not a multiple of ``mid`` and torch refuses.
    Depthwise means one group per input channel, each making ``mult`` maps: ``groups=in_ch``. Offered when the groups
    are the output width, the output a multiple of the input; ``groups=1`` would run and make it a full conv."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "invalid-argument" or f.mismatch.arg != "groups":
        return
    layer = f.op.layer
    cin, cout, g = (layer.args.get(k) for k in ("in_channels", "out_channels", "groups"))
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (cin, cout, g)) or g != cout or \
            cout == cin or cout % cin or cin % g == 0:
        return
    span, given = layer.arg_spans.get("groups"), layer.arg_spans.get("in_channels")
    text = ctx.text(given) if given is not None else None
    if span is None or not text or "\n" in text:
        return
    help_text = remedies.depthwise_groups(text)
    yield Cause("layer-number", 82, Label(span, remedies.depthwise_groups_label(int(cout)), d.file),
                remedies.depthwise_groups_note(int(cin), int(cout)), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, text)]), strong=True)
