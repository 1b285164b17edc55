"""An axis inserted at the wrong place: ``image.unsqueeze(1)`` meant to add the batch axis to one (3, 32, 32) image
gives (3, 1, 32, 32) -- three one-channel "images" -- and the first convolution refuses its channels; a stack of
(N, 28, 28) gray images given ``unsqueeze(0)`` instead of ``unsqueeze(1)`` puts the batch on the channels. The
mistake is the position written in the insertion, and the fix moves it there. Resizing the layer to the channels it
got would run on exactly that batch size and treat samples as channels.

The position comes from what a torch convolution reads (_position_for); the fix contract keeps it only if the model
then runs, for another batch size too. Other layers are left to the other explanations: for them the shapes alone
cannot tell a misplaced axis from a layer sized wrong."""
from __future__ import annotations

import ast
from typing import Optional

from ...checks.facts import DataFacts
from ...core.dims import broadcast_shapes, is_known
from ...core.facts import RuleFacts
from ...core.program import Span
from ...core.registry import has
from ...diagnostics import remedies
from ...diagnostics.fixes.edits import append_edit, wrap_edit
from ...diagnostics.fixes.source import enclosing, module_value, node_at, self_assignment_line, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import WIDTH_RESIZINGS, Cause
from ..sites import int_literal, picture_of, torch_conv_dims, unsqueezed_base, written_literal
from ..spelling import edited_text

_INSERTS = {"unsqueeze": 0, "expand_dims": 1}  # the call -> the position of its axis among the positional args


def inserted_at_other_position(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.index != 0:
        return
    feed = ctx.feed_into(f.inference)
    x = feed.x if feed is not None else None
    if x is None or x.shape is None or not x.shape:
        return
    found = _insertion(ctx, _made_at(x))
    if found is None:
        return
    call, axis_node, written = found
    if picture_of(ctx, x) is not None:
        return  # one picture's (C, H, W): its first axis is channels, and the batch axis goes in front of it
    rank = len(x.shape)
    here = written % rank
    position = _position_for(ctx, f.op.layer, x.shape, here)
    if position is not None:
        spelled = str(position)
        edit = Edit(Span.of(axis_node), spelled)
        help_text = remedies.insert_axis_at(position, edited_text(ctx, Span.of(call), edit) or spelled)
        yield Cause("axis-inserted-elsewhere", 84,
                    Label(Span.of(call), remedies.inserted_axis_label(tuple(x.shape), here), d.file),
                    remedies.inserted_axis_note(f.op.layer.kind), help_text,
                    fix=Fix("unsafe", help_text, [edit], moves_batch_axis=True))


def _position_for(ctx, layer, shape: tuple, here: int):
    """Where the inserted axis belongs for a torch convolution reading (N, C, *spatial): in front when what was
    there before the insertion is one image whose first axis is the conv's channels, (C, H, W) -- the batch axis
    was meant; at 1 when the conv takes one channel and the axes before the insertion are a batch of maps without
    one, (N, H, W) -- the channels axis was meant. Other layers say too little: an LSTM fed (N, T, 1) windows fits
    (N, 1, T) too, and only the data's meaning tells which is right."""
    if layer.framework != "torch" or not layer.kind.startswith("Conv") or len(shape) < 3:
        return None
    base = shape[:here] + shape[here + 1:]
    channels = layer.args.get("in_channels")
    if not isinstance(channels, int):
        return None
    if here != 0 and base[0] == channels and channels > 1 and _written_after_a_batch(ctx, base[0]):
        return 0
    if here != 1 and channels == 1 and base[0] != 1:
        return 1
    return None


def _written_after_a_batch(ctx, size) -> bool:
    """``size`` was written as a later size of the data it came from -- the 3 of ``torch.randn(100, 3, 32, 32)``,
    one image taken out of a batch -- not as its first: three gray images ``torch.randn(3, 28, 28)`` have a batch
    of 3 that only looks like the conv's 3 channels."""
    node, parent = written_literal(ctx, size)
    if isinstance(parent, (ast.Tuple, ast.List)) and parent.elts:
        return parent.elts[0] is not node
    return isinstance(parent, ast.Call) and bool(parent.args) and node in parent.args and parent.args[0] is not node


def _made_at(x) -> Optional[Span]:
    """Where the data was made: its own origin, or the op of a script-level computation that produced it."""
    span = getattr(x, "shaped_at", None) or x.origin
    run = getattr(x, "run", None)
    op = run.producer_of(x.value) if span is None and run is not None else None
    return (op.layer.extra.get("call_span") or op.layer.origin.span) if op is not None else span


def _insertion(ctx, span: Optional[Span]) -> Optional[tuple]:
    """(call, its axis argument node, the axis) when the expression at ``span`` is ``t.unsqueeze(k)``,
    ``torch.unsqueeze(t, k)`` or ``np.expand_dims(a, k)`` with ``k`` an int literal."""
    call = node_at(span, ctx.lines, ast.Call) if span is not None else None
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return None
    name = call.func.attr
    if name not in _INSERTS:
        return None
    method = name == "unsqueeze" and not (isinstance(call.func.value, ast.Name) and call.func.value.id == "torch")
    index = 0 if method else 1
    axis = call.args[index] if len(call.args) > index else next(
        (k.value for k in call.keywords if k.arg in ("dim", "axis")), None)
    value = int_literal(axis)
    if value is None:
        return None
    return call, axis, value


def spare_inserted_axis(ctx, d):
    """Data that got one axis too many where it was made -- a generator written for gray images adds a channel axis,
    ``x[:, :, :, np.newaxis]``, to batches that already have their 3 channels: (B, 64, 64, 1, 3) for a model built
    for (None, 64, 64, 3). Without the inserted axis the data is exactly what the model was built for, so the
    insertion is the mistake and the fix takes it out (declaring a 5-D input would run nothing)."""
    f = d.facts
    if not isinstance(f, DataFacts) or f.x is None or f.x.shape is None or not f.declared:
        return
    shape, declared = tuple(f.x.shape), tuple(f.declared)
    site = getattr(f.x, "shaped_at", None)
    node = node_at(site, ctx.lines) if site is not None else None
    parent = getattr(node, "_shapelint_parent", None)
    if isinstance(parent, ast.Subscript) and parent.slice is node:  # the site is the index of `x[:, None]`
        node = parent
    if len(shape) != len(declared) + 1 or node is None:
        return
    for axis in range(1, len(shape)):
        if shape[axis] != 1:
            continue
        rest = shape[:axis] + shape[axis + 1:]
        if any(w is not None and is_known(w) and v != w for v, w in zip(rest[1:], declared[1:])):
            continue
        base = unsqueezed_base(node, axis)
        text = ctx.text(Span.of(base)) if base is not None else None
        if text is None:
            continue
        title = remedies.drop_inserted_axis(text)
        yield Cause("inserted-axis", 84, Label(Span.of(node), remedies.spare_axis_label(shape, axis), d.file),
                    remedies.spare_axis_note(shape, declared), title,
                    fix=Fix("unsafe", title, [Edit(Span.of(node), text)]), strong=True)
        return




def spare_axis_before_join(ctx, d):
    """Tensors joined per step where one of them got an axis too many upstream: ``self.emb(items.unsqueeze(-1))``
    on (B, T) ids gives (B, T, 1, D), and ``torch.cat([e, cont], dim=-1)`` with the (B, T, C) features fails on the
    ranks. The join is where it surfaces; the insertion is the mistake, and the fix takes it out. Offered for each
    insertion upstream of the tensor with one axis more; the fix contract keeps the one after which the model runs
    (for another batch size too)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or \
            not has(f.op.layer, "joins") or f.op.layer.framework != "torch":
        return
    shapes = [getattr(i, "shape", None) for i in f.op.inputs]
    if len(shapes) < 2 or any(s is None for s in shapes):
        return
    top = max(len(s) for s in shapes)
    wide = [i for i, s in zip(f.op.inputs, shapes) if len(s) == top]
    if len(wide) != 1 or any(len(s) not in (top, top - 1) for s in shapes):
        return
    inf = f.inference
    for value in inf.upstream(wide):
        op = inf.producer_of(value)
        if op is None or op.layer.kind != "unsqueeze":
            continue
        span = op.layer.extra.get("call_span") or op.layer.origin.span
        call = node_at(span, ctx.lines, ast.Call) if span is not None else None
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) or \
                call.func.attr != "unsqueeze" or len(call.args) + len(call.keywords) != 1:
            continue
        base = ctx.text(Span.of(call.func.value))
        if not base or "\n" in base:
            continue
        title = remedies.drop_spare_axis(base)
        yield Cause("inserted-axis", 80, Label(Span.of(call), remedies.spare_axis_before_join_label(), d.file),
                    remedies.spare_axis_before_join_note(f.op.layer.kind), title,
                    fix=Fix("unsafe", title, [Edit(Span.of(call), base)]))


_BROADCASTS = ("add", "sub", "mul", "div", "true_divide", "masked_fill", "where", "maximum", "minimum")


def inserted_where_it_does_not_line_up(ctx, d):
    """``mask.unsqueeze(1).expand(h.size())`` on a (B, T) mask for (B, T, D) hidden states: the new axis went in
    at 1, (B, 1, T), and T meets D -- torch refuses to expand (or broadcast) it. Exactly one other position makes the
    shapes line up, (B, T, 1): the insertion is the mistake, and the fix moves it there. Nothing is offered when no
    position, or more than one, would do (the shapes alone cannot tell)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in ("expand",) + _BROADCASTS or len(f.op.inputs) < 1:
        return
    xs = [getattr(v, "shape", None) for v in f.op.inputs]
    if f.op.layer.kind == "expand":
        target = f.op.layer.args.get("sizes")
        target = target[0] if isinstance(target, tuple) and len(target) == 1 and isinstance(target[0], tuple) \
            else target
        pairs = [(f.op.inputs[0], tuple(target))] if isinstance(target, (tuple, list)) else []
    elif len(xs) == 2 and all(s is not None for s in xs):
        if any(_joined(f.inference, v) for v in f.op.inputs):
            return  # experts stacked on one axis and weighted for another: the join may be the mistake as well
        pairs = [(f.op.inputs[0], tuple(xs[1])), (f.op.inputs[1], tuple(xs[0]))]
    else:
        return
    for x, target in pairs:
        op = _through_casts(f.inference, x) or _last_insertion_of_shape(f.inference, f.op, x)
        if op is None or op.layer.kind != "unsqueeze" or not op.inputs or \
                getattr(op.inputs[0], "shape", None) is None:
            continue
        found = _insertion(ctx, op.layer.extra.get("call_span") or op.layer.origin.span)
        if found is None:
            continue
        call, axis_node, written = found
        base = tuple(op.inputs[0].shape)
        here = written % (len(base) + 1)
        fits = [p for p in range(len(base) + 1)
                if p != here and _lines_up(base[:p] + (1,) + base[p:], target, f.op.layer.kind == "expand")]
        if len(fits) != 1 or _lines_up(x.shape, target, f.op.layer.kind == "expand"):
            continue
        position = fits[0]
        spelled = "-1" if position == len(base) else str(position)
        edit = Edit(Span.of(axis_node), spelled)
        help_text = remedies.insert_axis_at(position, edited_text(ctx, Span.of(call), edit) or spelled)
        yield Cause("axis-inserted-elsewhere", 84,
                    Label(Span.of(call), remedies.inserted_axis_label(tuple(x.shape), here), d.file),
                    remedies.inserted_axis_not_lined_up_note(f.op.layer.kind, base, target), help_text,
                    fix=Fix("unsafe", help_text, [edit]), strong=True)
        return


def _joined(inference, x) -> bool:
    op = inference.producer_of(x)
    return op is not None and (has(op.layer, "joins") or op.layer.kind in ("stack", "ops.stack"))


def _through_casts(inference, x):
    """The op that made ``x``, looking past casts and copies that keep its shape (``.float()``, ``.to(device)``)."""
    return inference.walk_end(x, _cast_input, depth=5)


def _cast_input(op, value):
    """The one input of an op that gives it back in its shape, other than an ``unsqueeze``."""
    inner = op.inputs[0] if len(op.inputs) == 1 else None
    if op.layer.kind == "unsqueeze" or getattr(inner, "shape", None) is None or \
            tuple(inner.shape) != tuple(getattr(op.output, "shape", None) or ()):
        return None
    return inner


def _last_insertion_of_shape(inference, before, x):
    """The one ``unsqueeze`` before ``before`` that gave ``x``'s shape (None when several did): a cast after it
    (``.float()``) makes a new value no op records, so ``x`` has no producer of its own."""
    shape = getattr(x, "shape", None)
    found = [op for op in inference.program.ops[:before.index] if op.layer.kind == "unsqueeze" and shape is not None
             and tuple(getattr(op.output, "shape", None) or ()) == tuple(shape)]
    return found[-1] if len(found) == 1 else None


def _lines_up(shape: tuple, target: tuple, expand: bool) -> bool:
    """Whether ``shape`` expands to ``target`` (``expand``: -1 keeps a size) or broadcasts with it, all sizes known."""
    if not all(is_known(d) for d in tuple(shape) + tuple(target)):
        return False
    if not expand:
        return broadcast_shapes([tuple(shape), tuple(target)])[1] is None
    return len(shape) <= len(target) and all(a == b or a == 1 or b == -1
                                              for a, b in zip(reversed(shape), reversed(target)))


def spare_axis_into_conv(ctx, d):
    """A batch given its channel axis twice: a Dataset already returns each CT volume as (1, D, H, W), and the
    training loop's ``image.unsqueeze(1)`` makes (B, 1, 1, D, H, W), which ``Conv3d`` refuses for its rank. Without
    the insertion the data is exactly a batch the conv reads, (B, C, D, H, W) with its ``in_channels``: the insertion
    is the mistake, and the fix takes it out (a higher-dimensional conv or a reshape would read a wrong axis)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "rank-mismatch" or f.op.index != 0:
        return
    layer = f.op.layer
    spatial = torch_conv_dims(layer)
    channels = layer.args.get("in_channels")
    feed = ctx.feed_into(f.inference)
    x = feed.x if feed is not None else None
    shape = tuple(getattr(x, "shape", None) or ())
    if spatial is None or not isinstance(channels, int) or len(shape) != spatial + 3:
        return
    found = _insertion(ctx, _made_at(x))
    if found is None:
        return
    call, _, written = found
    here = written % len(shape)
    base = shape[:here] + shape[here + 1:]
    if here == 0 or shape[here] != 1 or base[1] != channels:
        return
    text = ctx.text(Span.of(_inserted_into(call)))
    if not text or "\n" in text:
        return
    line = self_assignment_line(Span.of(call), ctx.lines)
    if line is not None:  # `image = image.unsqueeze(1)` only adds the axis: the statement goes
        title = remedies.delete_axis_insertion(ctx.lines[line - 1].strip())
        edit = Edit(Span(line, 1, line + 1, 1), "")
    else:
        title, edit = remedies.drop_inserted_axis(text), Edit(Span.of(call), text)
    yield Cause("inserted-axis", 84, Label(Span.of(call), remedies.spare_axis_label(shape, here), d.file),
                remedies.spare_channel_axis_note(shape, base), title, fix=Fix("unsafe", title, [edit]), strong=True)


def _inserted_into(call: ast.Call) -> ast.expr:
    """The tensor an insertion call adds its axis to: ``t`` of ``t.unsqueeze(1)``, of ``torch.unsqueeze(t, 1)``
    and of ``np.expand_dims(t, 1)``."""
    func = call.func
    module = isinstance(func.value, ast.Name) and func.value.id in ("torch", "np", "numpy", "tf")
    return call.args[0] if module and call.args else func.value


def per_sample_values_viewed_short(ctx, d):
    """One value per sample -- a diffusion schedule's ``gammas[t]``, (B,) -- viewed as (B, 1) to scale images
    (B, C, H, W): broadcasting lines the (B, 1) up with the last axes, (H, W), and torch refuses it (or, when the batch
    equals the width, mixes samples silently). The view is the mistake; ``view(-1, 1, 1, 1)`` gives each sample's
    value its own axis 0 and ones elsewhere. Offered only when the short side was made by a ``view`` / ``reshape``
    written ``(-1, 1)`` of a vector with the batch's length."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _BROADCASTS or len(f.op.inputs) != 2 or \
            f.op.layer.framework != "torch":
        return
    shapes = [getattr(v, "shape", None) for v in f.op.inputs]
    if any(s is None for s in shapes):
        return
    for short, other in ((0, 1), (1, 0)):
        s, o = tuple(shapes[short]), tuple(shapes[other])
        if len(s) != 2 or s[1] != 1 or len(o) < 3 or s[0] != o[0] or not isinstance(s[0], int) or s[0] < 2:
            continue
        op = _through_casts(f.inference, f.op.inputs[short])
        if op is None or op.layer.kind not in ("view", "reshape") or not op.inputs or \
                len(getattr(op.inputs[0], "shape", None) or ()) != 1:
            continue
        call = node_at(op.layer.extra.get("call_span") or op.layer.origin.span, ctx.lines, ast.Call)
        args = call.args if isinstance(call, ast.Call) else []
        if len(args) != 2 or not (isinstance(args[1], ast.Constant) and args[1].value == 1):
            continue
        spelled = ", ".join([ast.unparse(args[0])] + ["1"] * (len(o) - 1))
        edit = Edit(Span(args[0].lineno, args[0].col_offset + 1, args[1].end_lineno, args[1].end_col_offset + 1),
                    spelled)
        help_text = remedies.view_per_sample_values(f"{call.func.attr}({spelled})")
        yield Cause("axis-inserted-elsewhere", 84, Label(Span.of(call), remedies.viewed_short_label(s, o), d.file),
                    remedies.viewed_short_note(s, o), help_text, fix=Fix("unsafe", help_text, [edit]), strong=True)
        return


_ELEMENTWISE = _BROADCASTS + ("ops.add", "ops.subtract", "ops.multiply", "ops.divide", "ops.true_divide",
                              "ops.where", "ops.maximum", "ops.minimum")


def _operand_pairs(f):
    """(the operand's span, its shape, the other operand's shape) for each side of a two-operand element-wise op
    whose shapes are known and whose operand has an expression of its own."""
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _ELEMENTWISE or len(f.op.inputs) != 2:
        return
    shapes = [getattr(v, "shape", None) for v in f.op.inputs]
    spans = f.op.layer.extra.get("input_spans") or []
    if any(s is None for s in shapes):
        return
    for k in (0, 1):
        if k < len(spans) and spans[k] is not None:
            yield spans[k], tuple(shapes[k]), tuple(shapes[1 - k])


def leading_axes_without_trailing_axis(ctx, d):
    """One value per step -- a (B, T) padding mask, (B, T) attention weights -- combined elementwise with the (B, T,
    D) values it weighs: ``x * mask`` lines the axes up from the last one, so T meets D and it fails (or, when T == D
    by chance, weighs the features instead of the steps). The operand has exactly the other's leading axes; it needs
    a trailing axis of its own, where it enters the op: ``mask[..., None]``. Resizing D to T (the embedding width to
    the number of steps) would run and weigh the wrong axis."""
    for span, short, full in _operand_pairs(d.facts):
        if not _leading_axes_of(short, full):
            continue
        edit = wrap_edit(span, "[..., None]", ctx.lines)
        if edit is None:
            continue
        title = remedies.trailing_axis_for_each_step(edit.text)
        yield Cause("missing-trailing-axis", 85,
                    Label(span, remedies.leading_axes_label(short, full), d.file),
                    remedies.leading_axes_note(d.facts.op.layer.kind, short, full), title,
                    fix=Fix("unsafe", title, [edit]), strong=True,
                    excludes=WIDTH_RESIZINGS)  # the steps are not features: no width resized to them
        return


def _leading_axes_of(short: tuple, full: tuple) -> bool:
    """``short`` is ``full`` without its last axis -- (B, T) against (B, T, D), sizes agreeing where both are known,
    at least one of them known -- and the last sizes differ, so broadcasting from the right cannot line them up."""
    if not short or len(full) != len(short) + 1:
        return False
    pairs = list(zip(short, full))
    if any(is_known(a) and is_known(b) and a != b for a, b in pairs) or \
            not any(is_known(a) and is_known(b) for a, b in pairs):
        return False
    last, width = short[-1], full[-1]
    return is_known(last) and is_known(width) and last != width and last != 1 and width != 1


def per_channel_values_on_the_last_axis(ctx, d):
    """Per-channel statistics, (C,) -- ImageNet's ``mean = torch.tensor([0.485, 0.456, 0.406])`` -- combined with a
    batch of images (N, C, H, W): broadcasting lines the (C,) values up with the width, not the channels, and it fails
    (or, for images C pixels wide, scales columns). The statistics need the image's trailing axes where they are made:
    ``.view(-1, 1, 1)``; every such constant of the statement gets it at once (``(batch - mean) / std``), so the fix is
    whole. Offered for a module-level constant of exactly C values meeting a rank-4 batch whose axis 1 has C entries."""
    for span, short, full in _operand_pairs(d.facts):
        if len(short) != 1 or len(full) != 4 or not is_known(short[0]) or full[1] != short[0] or \
                not is_known(full[-1]) or full[-1] in (1, short[0]):
            continue
        node = node_at(span, ctx.lines)
        statement = enclosing(node, ast.stmt)
        if not isinstance(node, ast.Name) or statement is None:
            continue
        names = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        edits = {name: _trailing_axes_edit(ctx, name, short[0]) for name in sorted(names)}
        if edits.get(node.id) is None:
            continue
        title = remedies.per_channel_values_title()
        made = Span.of(module_value(tree_of(ctx.lines), node.id))  # where the (C,) layout was written
        yield Cause("per-channel-values", 85, Label(made, remedies.per_channel_values_label(short, full), d.file),
                    remedies.per_channel_values_note(short, full), title,
                    fix=Fix("unsafe", title, [e for e in edits.values() if e is not None]),
                    secondary=[Label(span, remedies.per_channel_values_used_label(), d.file)],
                    strong=True, excludes=WIDTH_RESIZINGS)
        return


def _trailing_axes_edit(ctx, name: str, channels: int):
    """``name = torch.tensor([a, b, c])`` at module level, one value per channel: ``.view(-1, 1, 1)`` appended there."""
    value = module_value(tree_of(ctx.lines), name)
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute) or \
            value.func.attr not in ("tensor", "Tensor", "as_tensor", "FloatTensor") or not value.args or \
            not isinstance(value.args[0], (ast.List, ast.Tuple)) or len(value.args[0].elts) != channels:
        return None
    return append_edit(Span.of(value), ".view(-1, 1, 1)", ctx.lines)
