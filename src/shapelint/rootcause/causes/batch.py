"""Causes about the batch axis: merged into the features upstream (``torch.flatten(x)`` without ``start_dim``,
``x.view(-1)``), or missing where a single sample is passed to a model written for batches."""
from __future__ import annotations

import ast
from typing import Optional

from ...core import provenance, roles
from ...core.facts import RuleFacts
from ...core.registry import has, lookup
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.model import Edit, Fix, Label
from ...core.program import Span
from ..cause import Cause
from ..sites import helper_calls, reads_of_assigned, torch_conv_dims
from .numbers import sized
from ..spelling import append, call_at, edited_text, receiver, replace_args
from ...diagnostics.fixes.source import enclosing, function_at, node_at, spell, tree_of
from ...diagnostics.fixes.edits import set_arg_edit


def _same_sizes_reordered(before, after) -> bool:
    """A view whose output has the input's sizes in another order (nothing merged or split)."""
    if before is None or after is None or len(before) != len(after) or tuple(before) == tuple(after):
        return False
    if not all(isinstance(v, int) for v in tuple(before) + tuple(after)):
        return False
    return sorted(before) == sorted(after)


def batch_merged(ctx, d):
    """The received tensor's sizes contain the batch size (provenance: the very literal the data's batch was written
    with) while its axis 0 is no longer the batch: some op upstream merged the samples."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not f.op.inputs:
        return
    batch = ctx.batch_dim(f.inference)
    x = f.op.inputs[0]
    if batch is None or not isinstance(x, Tensor) or not x.shape or x.shape[0] is batch:
        return
    if isinstance(x.shape[0], int) and int(x.shape[0]) == int(batch) and provenance.depends_on(x.shape[0], batch) \
            and not any(provenance.depends_on(dim, batch) for dim in x.shape[1:]):
        return  # axis 0 is still the batch, computed from it (`s.unsqueeze(1).repeat(1, S, 1)`: 4 * 1)
    if not any(provenance.depends_on(dim, batch) for dim in x.shape):
        return
    if _batch_where_read(f.op.layer, x, batch):
        return  # (1, B, H) into a time-major GRU: the batch moved to where the layer reads it, nothing was merged
    culprit = _merging_op(f.inference, x, batch)
    if culprit is None or culprit.layer.origin.span is None:
        return
    if views_folded_into_batch(culprit.inputs[0].shape, culprit.output.shape):
        return  # (B, V, C, H, W) -> (B * V, C, H, W): the views run as a batch on purpose (views_never_unfolded)
    if _same_sizes_reordered(culprit.inputs[0].shape, culprit.output.shape):
        return  # (B, S, C) viewed (S, B, C): a reorder, reported as one where it is written, not a merge
    rows = roles.roles_of(f.inference, culprit.output)
    if rows and roles.batch_merged(rows[0]) and not sized(f.mismatch):
        return  # (T, N, E) viewed (T * N, E): one row per token of every sample, for a per-token layer -- the
        # mismatch (a softmax over the one score of each row) is not about the rows
    elsewhere = size_written_elsewhere(ctx, d, culprit)
    if elsewhere is not None:
        yield elsewhere
        return
    before, after = culprit.inputs[0].shape, culprit.output.shape
    fix, spelled = _keep_batch_fix(ctx, culprit)
    yield Cause("batch-merged", 90, Label(culprit.layer.origin.span, remedies.batch_merged_label(before, after),
                                          d.file),
                remedies.batch_merged_note(culprit.layer.kind, int(batch), before, after),
                remedies.keep_batch_axis(spelled or "torch.flatten(x, 1)"), fix=fix, strong=True)


_FOLDING = ("view", "reshape", "flatten", "ravel")


def views_folded_into_batch(before, after) -> bool:
    """(B, V, *item) viewed as (B * V, *item): the views of each sample (photos, frames, crops) run through a shared
    module as one larger batch -- deliberate, and right as long as they are unfolded again before they meet
    per-sample values."""
    if not before or not after or len(before) < 3 or len(after) != len(before) - 1:
        return False
    if not all(isinstance(v, int) for v in tuple(before[:2]) + tuple(after[:1])):
        return False
    return int(after[0]) == int(before[0]) * int(before[1]) and int(before[1]) > 1 and \
        tuple(after[1:]) == tuple(before[2:])


def views_never_unfolded(ctx, d):
    """A product's V photos folded into the batch for a shared image encoder, ``self.img(images.view(b * v, c, h,
    w))``, whose (B * V, F) features are joined with the (B, F) text features of each product: the fold is right,
    the unfold back to one row per sample is missing. The fix pools the views where the features are made,
    ``.view(b, v, -1).mean(1)`` (another pooling -- max, attention -- may be the design; the mean is the usual one).
    Undoing the fold would feed the encoder a shape it does not read."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or not has(f.op.layer, "joins") or \
            f.op.layer.framework != "torch" or len(f.op.inputs) != 2:
        return
    sizes = [getattr(v, "shape", None) for v in f.op.inputs]
    if any(not s or not isinstance(s[0], int) for s in sizes):
        return
    wide = 0 if int(sizes[0][0]) > int(sizes[1][0]) else 1
    small = int(sizes[1 - wide][0])
    fold = next((op for v in f.inference.upstream([f.op.inputs[wide]], limit=256)
                 for op in [f.inference.producer_of(v)] if op is not None and op.inputs and
                 op.layer.kind in ("view", "reshape") and
                 views_folded_into_batch(getattr(op.inputs[0], "shape", None), getattr(op.output, "shape", None))
                 and int(op.inputs[0].shape[0]) == small and
                 int(op.output.shape[0]) == int(sizes[wide][0])), None)
    spans = f.op.layer.extra.get("input_spans") or []
    operand = spans[wide] if len(spans) == 2 else None
    call = call_at(ctx, fold.layer.extra.get("call_span") or fold.layer.origin.span) if fold is not None else None
    if fold is None or operand is None or call is None or not call.args:
        return
    first = call.args[0]
    if isinstance(first, ast.BinOp) and isinstance(first.op, ast.Mult):
        b, v = ctx.segment(first.left), ctx.segment(first.right)
    else:
        name = receiver(call)
        b, v = (f"{name}.size(0)", f"{name}.size(1)") if name else (None, None)
    site = _made_by_assignment(ctx, operand)
    suffix = f".view({b}, {v}, -1).mean(1)"
    edit = append(ctx, site, suffix) if b and v and site is not None else None
    if edit is None:
        return
    help_text = remedies.unfold_views(ctx.text(site) + suffix)
    yield Cause("batch-merged", 88, Label(site, remedies.views_not_unfolded_label(sizes[wide], small), d.file),
                remedies.views_not_unfolded_note(tuple(fold.inputs[0].shape), tuple(fold.output.shape)), help_text,
                fix=Fix("unsafe", help_text, [edit]), strong=True,
                secondary=[Label(fold.layer.origin.span, remedies.views_folded_label(), d.file)])


def _made_by_assignment(ctx, operand: Span):
    """The value of the assignment in the same function that made the operand named at ``operand`` (``img_feat``
    of ``torch.cat([img_feat, txt_feat], 1)``), or the operand itself when it is an expression."""
    node = node_at(operand, ctx.lines)
    if not isinstance(node, ast.Name):
        return operand
    scope = function_at(tree_of(ctx.lines), node.lineno)
    found = [s.value for s in ast.walk(scope) if isinstance(s, ast.Assign) and len(s.targets) == 1 and
             isinstance(s.targets[0], ast.Name) and s.targets[0].id == node.id and s.lineno < node.lineno] \
        if scope is not None else []
    return Span.of(found[-1]) if len(found) == 1 else None


def batch_folded_before_the_model(ctx, d):
    """The data was reshaped in the training loop before it reached the model -- ``images.view(1, -1)`` on a (64, 1,
    28, 28) batch -- and the model's first layer refuses the (1, 50176) it gets. Inside the model the batch already
    looks like one sample; the labels still have 64 rows, which says what axis 0 was. The reshape is the mistake:
    it keeps the batch axis, ``images.view(images.size(0), -1)``; sizing the layer for 50176 features would tie the
    model to that batch size."""
    f = d.facts
    script = ctx.ev.state.script_run
    inputs = f.inference.program.inputs if isinstance(f, RuleFacts) else None
    x = inputs[0] if inputs else None
    if script is None or not isinstance(x, Tensor) or not x.shape or f.op.index > 2:
        return
    batches = ctx.target_batches()
    op = script.producer_of(x)
    if op is None or op.layer.kind not in _FOLDING or not op.inputs:
        return
    before, after = getattr(op.inputs[0], "shape", None), getattr(op.output, "shape", None)
    if not before or not after or not isinstance(before[0], int) or int(before[0]) not in batches or \
            (isinstance(after[0], int) and int(after[0]) == int(before[0])) or len(before) < 2:
        return
    fix, spelled = _keep_batch_fix(ctx, op)
    if fix is None:
        return
    yield Cause("batch-merged", 90, Label(op.layer.origin.span, remedies.batch_merged_label(before, after), d.file),
                remedies.batch_merged_note(op.layer.kind, int(before[0]), before, after),
                remedies.keep_batch_axis(spelled), fix=fix, strong=True)


def _batch_where_read(layer, x, batch) -> bool:
    """Whether the layer reads the batch on an axis other than 0 (``nn.GRU`` without ``batch_first``: (T, N, F))
    and ``x`` holds exactly the batch there."""
    read = roles.reads(layer, len(x.shape))
    k = read.index(roles.N) if read and roles.N in read else None
    return bool(k) and isinstance(x.shape[k], int) and int(x.shape[k]) == int(batch) and \
        provenance.depends_on(x.shape[k], batch)


def _merging_op(inference, x, batch):
    """The first op on the way to ``x`` whose input leads with the batch and whose output does not."""
    for _, op in inference.walk_back(x, depth=256):
        if op is None or not op.inputs:
            return None
        shape = getattr(op.inputs[0], "shape", None)
        out = getattr(op.output, "shape", None)
        if shape and shape[0] is batch and out is not None and (not out or out[0] is not batch):
            return op
    return None


def _keep_batch_fix(ctx, op) -> tuple:
    """(Fix, spelling) that makes ``op`` keep axis 0: ``flatten(x, 1)``, ``x.view(x.size(0), -1)``."""
    call = call_at(ctx, op.layer.origin.span)
    if call is None:
        return None, None
    kind = op.layer.kind
    if kind in ("flatten", "Flatten"):
        span = op.layer.arg_spans.get("start_dim")
        if span is not None:
            edit = Edit(span, "1")
        else:
            edit = _insert_first_arg(call, "1", method=not call.args)
        new = edited_text(ctx, Span.of(call), edit)
        return (Fix("unsafe", "flatten from axis 1 to keep the batch axis", [edit]) if edit else None), new
    if kind in ("view", "reshape"):
        x = receiver(call)
        if x is None:
            return None, None
        spelled = f"{x}.size(0), -1"
        edit = replace_args(call, spelled)
        return (Fix("unsafe", f"keep the batch axis with `{x}.{kind}({spelled})`", [edit]) if edit else None), \
            f"{x}.{kind}({spelled})"
    return None, None


def size_written_elsewhere(ctx, d, op) -> Optional[Cause]:
    """The cause for a reshape that merged the batch when its per-sample size is written elsewhere (below)."""
    call = call_at(ctx, op.layer.origin.span) if op.layer.kind in ("view", "reshape") else None
    found = _size_written_elsewhere(ctx, op, call) if call is not None else None
    if found is None:
        return None
    fix, written, per = found
    span = fix.edits[0].span
    same = _consumer_spelling(ctx, d, span, per)
    if same is not None:  # the layer that wants the size writes it with names in scope there: reuse its text
        fix = Fix("unsafe", remedies.per_sample_size_written(same), [Edit(span, same)])
    return Cause("batch-merged", 91, Label(span, remedies.per_sample_size_label(written, per), d.file),
                 _folded_note(op), fix.title, fix=fix,
                 secondary=[Label(op.layer.origin.span, remedies.reshapes_with_it(), d.file)], strong=True)


def _folded_note(op) -> str:
    before, after = op.inputs[0].shape, getattr(op.output, "shape", None)
    if after is None:  # the reshape itself failed: no rows were made
        return remedies.stale_per_sample_note(op.layer.kind, before)
    if isinstance(after[0], int) and isinstance(before[0], int) and after[0] > before[0]:
        return remedies.rows_per_sample_note(op.layer.kind, before, after)
    return remedies.batch_merged_note(op.layer.kind, int(before[0]), before, after)


def _consumer_spelling(ctx, d, span: Span, per: int) -> Optional[str]:
    """``256 * feat * feat`` when the layer that raised wants ``per`` features written so, in the same function as
    the size being fixed (so its names are in scope there)."""
    f = d.facts
    layer = f.op.layer if isinstance(f, RuleFacts) else None
    at = layer.arg_spans.get("in_features") if layer is not None else None
    if at is None or layer.args.get("in_features") != per:
        return None
    text = ctx.text(at)
    tree = tree_of(ctx.lines)
    if text is None or tree is None:
        return None
    return text if function_at(tree, at.line) is function_at(tree, span.line) else None


def _size_written_elsewhere(ctx, op, call: ast.Call) -> Optional[tuple]:
    """``x.view(self.size)`` of a module built ``View((-1, 256 * 2 * 2))``: the shape is written where the module is
    made, and other instances of it may reshape to other shapes (a decoder's ``View((-1, 256, 4, 4))``), so the
    view's own call is not the place for ``x.size(0)``. The per-sample size written there is what is wrong: give it
    the product of the sample's axes, in the factors it was written with."""
    args = call.args
    whole = len(args) == 1 and not isinstance(args[0], (ast.Tuple, ast.List, ast.Constant))
    # `x.view(-1, self.n_flat)` with `self.n_flat = 16 * 30 * 30` also sizing the Linear after it: the binding is
    # what is stale, and fixing it there keeps the view and the layer in step
    named = len(args) == 2 and isinstance(args[1], (ast.Name, ast.Attribute)) and \
        isinstance(args[0], ast.UnaryOp) and isinstance(args[0].op, ast.USub) and \
        isinstance(args[0].operand, ast.Constant) and args[0].operand.value == 1
    if not (whole or named) or call.keywords:
        return None
    raw = op.layer.args.get("shape")
    dims = tuple(raw[0]) if isinstance(raw, tuple) and len(raw) == 1 and isinstance(raw[0], (tuple, list)) else raw
    before = getattr(op.inputs[0], "shape", None)
    if not isinstance(dims, tuple) or len(dims) != 2 or -1 not in dims or before is None or len(before) < 2 or \
            not all(isinstance(d, int) for d in before[1:]):
        return None
    size = next(d for d in dims if d != -1)
    span = provenance.root_span(size)
    here = Span.of(call)
    if span is None or not isinstance(size, int) or (here.line <= span.line <= here.end_line):
        return None
    per = 1
    for d in before[1:]:
        per *= int(d)
    written = ctx.text(span)
    if written is None or per == int(size):
        return None
    factors = [f.strip() for f in written.split("*")]
    spelled = " * ".join(str(int(d)) for d in before[1:]) if len(factors) == len(before) - 1 and len(factors) > 1 \
        else str(per)
    return Fix("unsafe", remedies.per_sample_size_written(spelled), [Edit(span, spelled)]), written, per


def _insert_first_arg(call: ast.Call, text: str, method: bool) -> Optional[Edit]:
    """``x.flatten()`` -> ``x.flatten(1)``; ``torch.flatten(x)`` -> ``torch.flatten(x, 1)``."""
    if method:
        end = Span.of(call)
        at = Span(end.end_line, end.end_column - 1, end.end_line, end.end_column - 1)
        return Edit(at, text + (", " if call.keywords else ""))
    last = Span.of(call.args[-1])
    return Edit(Span(last.end_line, last.end_column, last.end_line, last.end_column), f", {text}")


def samples_without_features(ctx, d):
    """1-D data (400,) fed to a ``Linear(in_features=2)`` -- which takes it as one sample of 400 values -- while
    other data of the file has the same 400 rows (the labels): the 400 are samples, each with one value, and the
    features the layer wants were never built (often the label array passed as the features). No edit of the
    model is right (``in_features=400`` would take the batch for features); the data is where it goes wrong."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.index != 0 or not sized(f.mismatch):
        return
    model, run = ctx.run_of(f.inference)
    feed = ctx.feed_of(model, run) if run is not None else None
    x = feed.x if feed is not None else None
    if x is None or not x.shape or len(x.shape) != 1 or not isinstance(x.shape[0], int) or x.shape[0] < 2 or \
            not ctx.unbatched(feed) or f.mismatch.received != x.shape[0]:
        return
    scope = getattr(getattr(ctx.ev, "module", None), "vars", {})
    rows = [name for name, v in scope.items() if getattr(v, "shape", None) and getattr(v, "value", None) is not x.value
            and isinstance(v.shape[0], int) and v.shape[0] == x.shape[0] and len(v.shape) >= 1 and v is not x]
    if not rows:
        return
    rows.sort(key=lambda name: not name.lower().startswith(("y", "label", "target")))  # the labels say it best
    site = x.meta.get("converted_at") or x.shaped_at or x.origin
    yield Cause("samples-without-features", 88,
                Label(site, remedies.samples_without_features_label(x.shape[0]), d.file),
                remedies.samples_without_features_note(f.op.layer.kind, x.shape[0], f.mismatch.expected, rows[0]),
                remedies.build_the_features(x.shape[0], f.mismatch.expected), strong=True,
                secondary=[Label(Span.of(feed.call.node), remedies.fed_here(), d.file)])


def missing_batch_axis(ctx, d):
    """The model's first layer took the data as ONE unbatched sample (torch convolutions and RNNs accept both), and
    a later layer fails: add the batch axis where the sample is passed."""
    f = d.facts
    if not isinstance(f, RuleFacts):
        return
    model, run = ctx.run_of(f.inference)
    if run is None or not run.program.ops or f.op.index == 0:
        return
    first = run.program.ops[0]
    x = run.program.inputs[0] if run.program.inputs else None
    rule = lookup(first.layer.framework, first.layer.kind)
    unbatched = rule.meta.get("unbatched_rank") if rule is not None else None
    if unbatched is None or not isinstance(x, Tensor) or x.rank != unbatched or first.inputs[0] is not x:
        return
    feed = ctx.feed_of(model, run)
    node = feed.call.node_of(0, "input") if feed is not None else None
    span = Span.of(node) if node is not None else None
    if span is None or isinstance(feed.x.meta.get("loader_batch"), int):  # a loader's batch has its batch axis
        return
    taken = _one_sample_taken(ctx, feed.x.origin)
    if taken is not None and taken[3] == 1:  # `sample = images[7]`, used once: take a batch of one, `images[7:8]`
        index_span, sliced, subscript, _ = taken
        yield Cause("missing-batch-axis", 86, Label(subscript, remedies.one_sample_taken_label(x.shape), d.file),
                    remedies.missing_batch_note(first.layer.kind, x.shape, unbatched + 1),
                    remedies.take_a_batch_of_one(sliced),
                    fix=Fix("unsafe", remedies.take_a_batch_of_one(sliced), [Edit(index_span, sliced)]),
                    secondary=[Label(span, remedies.fed_here(), d.file)])
        return
    suffix = ".unsqueeze(0)" if feed.x.lib == "torch" else "[None]"
    edit = append(ctx, span, suffix)
    text = ctx.text(span)
    spelled = f"{text}{suffix}" if text else suffix
    if taken is not None:  # the sample is used elsewhere as one sample: labelled where taken, fixed where fed
        yield Cause("missing-batch-axis", 86, Label(taken[2], remedies.one_sample_taken_label(x.shape), d.file),
                    remedies.missing_batch_note(first.layer.kind, x.shape, unbatched + 1),
                    remedies.add_batch_axis_at_call(spelled),
                    fix=Fix("unsafe", f"add the batch axis with `{suffix}`", [edit]) if edit else None,
                    secondary=[Label(span, remedies.fed_here(), d.file)])
        return
    helper = _input_helper_return(ctx, feed.x.origin, node)
    if helper is not None:  # `return x.unsqueeze(0)` in `to_input(image)`, the function that makes model inputs
        fix_here = append(ctx, helper, suffix)
        made = f"{ctx.text(helper)}{suffix}"
        yield Cause("missing-batch-axis", 86, Label(helper, remedies.one_sample_made_label(x.shape), d.file),
                    remedies.missing_batch_note(first.layer.kind, x.shape, unbatched + 1),
                    remedies.add_batch_axis_in_helper(made),
                    fix=Fix("unsafe", f"add the batch axis with `{suffix}`", [fix_here]) if fix_here else None,
                    secondary=[Label(span, remedies.fed_here(), d.file)])
        return
    secondary = [Label(feed.x.origin, f"made here as {x}", d.file)] if feed.x.origin is not None else []
    yield Cause("missing-batch-axis", 85, Label(span, remedies.missing_batch_label(x.shape), d.file),
                remedies.missing_batch_note(first.layer.kind, x.shape, unbatched + 1),
                remedies.add_batch_axis_at_call(spelled),
                fix=Fix("unsafe", f"add the batch axis with `{suffix}`", [edit]) if edit else None,
                secondary=secondary)


def _input_helper_return(ctx, made: Optional[Span], fed) -> Optional[Span]:
    """The span of ``EXPR`` in ``return EXPR``, the one return of a module-level function that every call in the
    file passes straight to a model (``model(to_input(img))``) and whose value is the sample fed: the function exists
    to make model inputs, so the batch axis belongs there, not at one of its callers."""
    node = node_at(made, ctx.lines) if made is not None else None
    ret = getattr(node, "_shapelint_parent", None)
    if not isinstance(ret, ast.Return) or ret.value is not node or not isinstance(fed, ast.Call) or \
            not isinstance(fed.func, ast.Name):
        return None
    fn = enclosing(ret, (ast.FunctionDef,))
    tree = tree_of(ctx.lines)
    if fn is None or tree is None or fn.name != fed.func.id or helper_calls(ctx, node) < 1:
        return None
    model = getattr(fed, "_shapelint_parent", None)
    model = ast.unparse(model.func) if isinstance(model, ast.Call) else None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
             and n.func.id == fn.name]
    if model is None or any(not isinstance(getattr(c, "_shapelint_parent", None), ast.Call) or
                            c._shapelint_parent.args[:1] != [c] or ast.unparse(c._shapelint_parent.func) != model
                            for c in calls):
        return None  # a caller uses the sample otherwise (shows it, stores it): fix where it is fed
    return made


_CONVERSIONS = ("tensor", "as_tensor", "from_numpy", "FloatTensor", "LongTensor", "array", "asarray")


def _one_sample_taken(ctx, origin):
    """(span of the index, the index as a slice of one, span of the subscript, how many times the assigned name is
    read) when the data was made by ``name = batch[i]`` -- one sample indexed out of a batch, which drops the batch
    axis."""
    node = node_at(origin, ctx.lines) if origin is not None else None
    parent = getattr(node, "_shapelint_parent", None)
    if isinstance(parent, ast.Subscript) and node in (parent.slice, parent.value):  # the origin may be a part
        node, parent = parent, getattr(parent, "_shapelint_parent", None)
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is node and \
            isinstance(parent.func, ast.Attribute) and parent.func.attr in _CONVERSIONS:
        # `x = torch.tensor(scaler.transform(row)[0], dtype=...)`: the sample indexed out inside the conversion
        node, parent = parent, getattr(parent, "_shapelint_parent", None)
    if isinstance(node, ast.Call):
        if not isinstance(parent, ast.Assign) or parent.value is not node or not node.args or \
                not isinstance(node.func, ast.Attribute) or node.func.attr not in _CONVERSIONS:
            return None
        node = node.args[0]
    elif not isinstance(node, ast.Subscript) or not isinstance(parent, ast.Assign) or parent.value is not node:
        return None
    if not isinstance(node, ast.Subscript):
        return None
    index = node.slice
    if isinstance(index, ast.Constant) and isinstance(index.value, int) and not isinstance(index.value, bool) \
            and index.value >= 0:
        sliced = f"{index.value}:{index.value + 1}"
    elif isinstance(index, ast.Name):
        sliced = f"{index.id}:{index.id} + 1"
    else:
        return None
    return Span.of(index), sliced, Span.of(node), reads_of_assigned(ctx, parent)


_SPLITS = ("chunk", "split", "tensor_split")


def batch_split(ctx, d):
    """``mu, logvar = stats.chunk(2)`` (dim defaults to 0): the encoder's (N, 2 * z) output is cut into two halves
    of the batch instead of two halves of each sample's features, and the next layer gets (N / 2, 2 * z). The split
    whose input leads with the batch -- the very Sized the data's batch was written with -- and cuts axis 0 is the
    root; widening the layer after it would pair samples with each other."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not f.op.inputs:
        return
    batch = ctx.batch_dim(f.inference)
    x = f.op.inputs[0]
    if batch is None or not isinstance(x, Tensor) or not x.shape or x.shape[0] is batch or x.shape[0] == batch:
        return
    for op in f.inference.program.ops:
        inp = op.inputs[0] if op.inputs else None
        if op is f.op or op.layer.kind not in _SPLITS or not isinstance(inp, Tensor) or not inp.shape or \
                inp.shape[0] is not batch or op.layer.args.get("dim") not in (0, -len(inp.shape)) or \
                op.layer.origin.span is None:
            continue
        items = getattr(op.output, "items", ())
        if not any(getattr(i, "shape", None) and i.shape[0] == x.shape[0] for i in items):
            continue
        value = "1" if len(inp.shape) == 2 else "-1"
        edit = set_arg_edit(op.layer, "dim", value, ctx.lines)
        spelled = edited_text(ctx, op.layer.extra.get("call_span") or op.layer.origin.span, edit) if edit else None
        help_text = remedies.split_features(spelled or f"dim={value}")
        yield Cause("batch-merged", 91, Label(op.layer.origin.span,
                                              remedies.batch_split_label(op.layer.kind, inp.shape), d.file),
                    remedies.batch_split_note(op.layer.kind, int(batch), inp.shape), help_text,
                    fix=Fix("unsafe", help_text, [edit]) if edit is not None else None, strong=True)
        return


def _samples_on_axis0(ctx, size) -> bool:
    """Axis 0 of data batched by hand (``X[perm[i:i + BATCH_SIZE]]``) holds samples: the loss targets fed beside
    it have one entry per row of it."""
    return isinstance(size, int) and int(size) in ctx.target_batches()


def missing_channel_axis(ctx, d):
    """A loader's batch of single-channel samples made without their channel axis ((N, 40, 101) spectrograms): the
    model's first ``Conv2d(1, ...)`` takes the 3-D batch for one unbatched image of N channels. The axis belongs to
    each sample where the dataset makes it (``.unsqueeze(0)`` in ``__getitem__``), or to the batch where it is fed."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "torch" or f.op.index != 0:
        return
    model, run = ctx.run_of(f.inference)
    x = run.program.inputs[0] if run is not None and run.program.inputs else None
    rule = lookup("torch", f.op.layer.kind)
    unbatched = rule.meta.get("unbatched_rank") if rule is not None else None
    # a conv of one input channel (its axis right after the batch), or a batch-first RNN of one feature per step
    # (its axis last: windows of a univariate series, (N, T) where (N, T, 1) is read)
    recurrent = has(f.op.layer, "recurrent") and f.op.layer.args.get("batch_first") is True and \
        f.op.layer.args.get("input_size") == 1
    if not isinstance(x, Tensor) or f.op.inputs[0] is not x or unbatched is None or x.rank != unbatched or \
            not (f.op.layer.args.get("in_channels") == 1 or recurrent):
        return
    feed = ctx.feed_of(model, run)
    # a loader's batch; or, for a batch-first RNN of one feature per step, any 2-D data: univariate windows (N, T)
    # (one sequence of several features would have been given an input_size of that many)
    if feed is None or feed.x.meta.get("loader_batch") != x.shape[0] and not recurrent and \
            not _samples_on_axis0(ctx, x.shape[0]):
        return
    site = feed.x.meta.get("converted_at") or getattr(feed.x, "shaped_at", None) or feed.x.origin
    in_item = site is not None and _in_getitem(ctx, site)
    node = feed.call.node_of(0, "input")
    # the whole data set made at the top of the script is where the axis was left out: fix it there, not in the loop
    made_once = site is not None and not in_item and _top_level(ctx, site)
    target = site if in_item or made_once else (Span.of(node) if node is not None else None)
    suffix = ".unsqueeze(-1)" if recurrent else ".unsqueeze(0)" if in_item else ".unsqueeze(1)"
    helper = _returned_by_helper(ctx, feed.x.origin) if not in_item else None
    if helper is not None:  # `make_windows()` builds the training and the test windows alike: the axis goes there
        target, made_once = helper, False
        suffix = "[..., None]" if recurrent else "[:, None]"
    window = _window_taken_in_getitem(ctx) if recurrent and not in_item and helper is None and \
        isinstance(feed.x.meta.get("loader_batch"), int) else None
    if window is not None:  # `x = self.values[i:i + self.window]` in the Dataset: each window gets its axis there
        target, made_once, in_item = window, False, True
    edit = append(ctx, target, suffix) if target is not None else None
    text = ctx.text(target) if target is not None else None
    if edit is None or text is None:
        return
    edits = [edit]
    if made_once:  # `X_val` converted beside `X_train` and fed to the same model: it lacks the same axis
        for other in ctx.feeds():
            at = other.x.meta.get("converted_at") or getattr(other.x, "shaped_at", None) or other.x.origin
            if other.model is model and at is not None and at != site and other.x.shape is not None and \
                    tuple(other.x.shape[1:]) == tuple(x.shape[1:]) and _top_level(ctx, at) and \
                    all(e.span != at for e in edits):
                more = append(ctx, at, suffix)
                edits += [more] if more is not None else []
    axis = "feature" if recurrent else "channel"
    help_text = remedies.add_channel_axis(text + suffix, axis)
    shown = tuple(x.shape[1:]) if in_item or made_once or helper is not None else tuple(x.shape)
    yield Cause("missing-channel-axis", 88, Label(target, remedies.missing_channel_label(shown, axis), d.file),
                remedies.missing_channel_note(f.op.layer.kind, tuple(x.shape), axis), help_text,
                fix=Fix("unsafe", help_text, edits), strong=True)


_CONVERSIONS_TO_TORCH = ("from_numpy", "tensor", "as_tensor", "FloatTensor", "TensorDataset")


def _returned_by_helper(ctx, span):
    """``span`` when it is the whole ``return`` value of a module-level helper the file calls more than once, and
    every name its callers bind that value to is read only to be converted for the model (``torch.from_numpy(X)``):
    a baseline that reads the windows as they are would change silently."""
    node = node_at(span, ctx.lines) if span is not None else None
    parent = getattr(node, "_shapelint_parent", None)
    position = 0
    if isinstance(parent, ast.Tuple):  # `return np.array(xs), np.array(ys)`
        position = parent.elts.index(node) if node in parent.elts else -1
        parent = getattr(parent, "_shapelint_parent", None)
    if not isinstance(parent, ast.Return) or position < 0 or helper_calls(ctx, node) < 2:
        return None
    names = _bound_from_helper(ctx, node, position)
    tree = tree_of(ctx.lines)
    if not names or tree is None:
        return None
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Load)]
    converted = all(isinstance(getattr(r, "_shapelint_parent", None), ast.Call) and
                    (getattr(r._shapelint_parent.func, "attr", None) or getattr(r._shapelint_parent.func, "id", None))
                    in _CONVERSIONS_TO_TORCH for r in reads)
    return span if reads and converted else None


def _bound_from_helper(ctx, node, position: int) -> set:
    """The names the callers of the helper returning ``node`` bind its ``position``-th value to (``X_train, y_train =
    make_windows(...)``); empty when a call's result is used another way."""
    fn = enclosing(node, (ast.FunctionDef,))
    tree = tree_of(ctx.lines)
    names = set()
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == fn.name):
        stmt = getattr(call, "_shapelint_parent", None)
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None
        if isinstance(target, ast.Tuple) and position < len(target.elts) and isinstance(target.elts[position], ast.Name):
            names.add(target.elts[position].id)
        else:
            return set()
    return names


def _top_level(ctx, span) -> bool:
    """``span`` is inside a module-level statement that is not a loop (where a data set is made once), or such a
    statement of the script's ``if __name__ == "__main__":`` block."""
    tree = tree_of(ctx.lines)
    if tree is None:
        return False
    body = list(tree.body) + [s for n in tree.body if _is_main_block(n) for s in n.body]
    return any((n.lineno, n.col_offset) <= (span.line, span.column) and span.end_line <= (n.end_lineno or n.lineno)
               for n in body if not isinstance(n, (ast.For, ast.While, ast.With, ast.If, ast.FunctionDef,
                                                   ast.ClassDef, ast.AsyncFunctionDef, ast.Try)))


def _is_main_block(node) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and isinstance(test, ast.Compare) and \
        isinstance(test.left, ast.Name) and test.left.id == "__name__"


def _window_taken_in_getitem(ctx) -> Optional[Span]:
    """The window a Dataset's ``__getitem__`` takes from a stored series, ``x = self.values[i:i + self.window]``
    returned as the sample's first item: the one ``__getitem__`` of the file, whose first returned item is a name
    bound once in it to a slice of an attribute of ``self``. None otherwise."""
    tree = tree_of(ctx.lines)
    fed = _classes_fed_to_loaders(tree) if tree is not None else set()
    items = [m for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and c.name in fed for m in c.body
             if isinstance(m, ast.FunctionDef) and m.name == "__getitem__"] if tree is not None else []
    if len(items) != 1 or len(fed) != 1:
        return None
    returns = [n for n in ast.walk(items[0]) if isinstance(n, ast.Return) and n.value is not None]
    first = returns[0].value.elts[0] if len(returns) == 1 and isinstance(returns[0].value, ast.Tuple) and \
        returns[0].value.elts else None
    if not isinstance(first, ast.Name):
        return None
    binds = [n for n in ast.walk(items[0]) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
             isinstance(n.targets[0], ast.Name) and n.targets[0].id == first.id]
    value = binds[0].value if len(binds) == 1 else None
    if not (isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Slice) and
            isinstance(value.value, ast.Attribute) and isinstance(value.value.value, ast.Name) and
            value.value.value.id == "self"):
        return None
    return Span.of(value)


def _classes_fed_to_loaders(tree) -> set:
    """The names of the classes whose instances are given to a ``DataLoader`` in the file: ``DataLoader(Windows(...))``
    or ``ds = Windows(...)`` ... ``DataLoader(ds)`` (a name bound once to such an instance)."""
    made = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Assign) and len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) and \
                isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Name):
            made.setdefault(n.targets[0].id, set()).add(n.value.func.id)
    fed = set()
    for n in ast.walk(tree):
        func = n.func if isinstance(n, ast.Call) else None
        if (getattr(func, "attr", None) or getattr(func, "id", None)) != "DataLoader" or not n.args:
            continue
        first = n.args[0]
        if isinstance(first, ast.Call) and isinstance(first.func, ast.Name):
            fed.add(first.func.id)
        elif isinstance(first, ast.Name) and len(made.get(first.id, ())) == 1:
            fed |= made[first.id]
    return fed


def _in_getitem(ctx, span) -> bool:
    tree = tree_of(ctx.lines)
    return tree is not None and any(
        isinstance(n, ast.FunctionDef) and n.name == "__getitem__" and
        (n.lineno, 0) <= (span.line, span.column) and span.end_line <= (n.end_lineno or n.lineno)
        for n in ast.walk(tree))


def fixed_batch_drawn(ctx, d):
    """A tensor made inside the model with the batch size written as a number (``keras.random.normal(shape=
    (BATCH_SIZE, latent))`` in a VAE's sampling layer) combined with a tensor of the model's free batch. The mistake
    is the size written into the shape: it must be read from the batch (``ops.shape(z_log_var)[0]``); trimming the
    data to a multiple of the batch size only hides it until another batch size is used."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.facts.get("variant") != "fixed_batch":
        return
    fixed, index = f.mismatch.facts.get("fixed"), f.mismatch.facts.get("operand")
    spans = f.op.layer.extra.get("input_spans") or []
    tree = tree_of(ctx.lines)
    if tree is None or not isinstance(index, int) or index >= len(spans) or len(spans) != 2 or None in spans:
        return
    made = _made_by_call(tree, node_at(spans[index], ctx.lines))
    other = node_at(spans[1 - index], ctx.lines)
    if made is None or other is None:
        return
    shape = next((k.value for k in made.keywords if k.arg == "shape"), made.args[0] if made.args else None)
    if not isinstance(shape, (ast.Tuple, ast.List)) or not shape.elts:
        return
    first = shape.elts[0]
    batch_of = _tensor_name(tree, other)
    module = "tensorflow" if (ctx.segment(made.func) or "").startswith(("tf.", "tensorflow.")) else "keras.ops"
    shape_fn = spell(f"{module}.shape", ctx.lines)
    if batch_of is None or shape_fn is None:
        return
    spelled = f"{shape_fn}({batch_of})[0]"
    help_text = remedies.batch_from_tensor(spelled)
    yield Cause("fixed-batch", 86, Label(Span.of(first), remedies.fixed_batch_label(fixed), d.file),
                remedies.fixed_batch_note(fixed), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(first), spelled)]), strong=True)


def _made_by_call(tree, node) -> Optional[ast.Call]:
    """The call that made the value at ``node``: the node itself, or the one assignment of its name in the same
    function."""
    if isinstance(node, ast.Call):
        return node
    if not isinstance(node, ast.Name):
        return None
    scope = function_at(tree, node.lineno) or tree
    found = [n.value for n in ast.walk(scope) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
             isinstance(n.targets[0], ast.Name) and n.targets[0].id == node.id]
    return found[0] if len(found) == 1 and isinstance(found[0], ast.Call) else None


def _tensor_name(tree, node) -> Optional[str]:
    """A local name in ``node`` (an operand expression) that holds a tensor of the batch: one bound in the same
    function (an argument or an assignment), not a module."""
    scope = function_at(tree, node.lineno)
    if scope is None:
        return None
    bound = {a.arg for a in scope.args.args + scope.args.kwonlyargs} - {"self"}
    bound |= {t.id for n in ast.walk(scope) if isinstance(n, (ast.Assign, ast.For))
              for t in ast.walk(n.targets[0] if isinstance(n, ast.Assign) else n.target) if isinstance(t, ast.Name)}
    names = [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id in bound]
    return names[0] if names else None


_READS_FEATURES = ("Linear", "Dense")


def per_sample_values_into_linear(ctx, d):
    """One value per sample -- diffusion timesteps ``t`` of shape (B,) -- given to ``nn.Linear(1, d)``: the layer takes
    the 1-D tensor as ONE sample of B features, so it wants ``in_features=B``, and a fix that writes that sizes the
    model by the batch. The values need their feature axis: ``t[:, None]`` (B, 1), where they enter the layer."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _READS_FEATURES or not sized(f.mismatch) or \
            int(f.mismatch.expected) != 1:
        return
    x = f.op.inputs[0] if f.op.inputs else None
    inputs = f.inference.program.inputs or []
    if not isinstance(x, Tensor) or x.shape is None or len(x.shape) != 1 or not isinstance(x.shape[0], int) or \
            x.shape[0] < 2 or len(inputs) < 2 or not isinstance(inputs[0], Tensor) or not inputs[0].shape or \
            len(inputs[0].shape) < 2 or inputs[0].shape[0] != x.shape[0] or \
            not any(v is x or v.shape is not None and len(v.shape) == 1 and v.shape[0] is x.shape[0]
                    for v in inputs[1:] if isinstance(v, Tensor)):
        return  # a second input of the model, one value for each sample of its batch (diffusion timesteps)
    made = f.inference.producer_of(x)
    span = made.layer.origin.span if made is not None else _argument_of_container(ctx, f.op.layer)
    edit = append(ctx, span, ".unsqueeze(-1)") if span is not None else None
    help_text = remedies.give_feature_axis(int(x.shape[0]))
    yield Cause("samples-without-features", 89,
                Label(span or f.op.layer.origin.span, remedies.per_sample_values_label(int(x.shape[0])), d.file),
                remedies.per_sample_values_note(f.op.layer.kind, int(x.shape[0])), help_text,
                fix=Fix("unsafe", help_text, [edit]) if edit is not None else None, strong=True)


def _argument_of_container(ctx, layer):
    """The argument of ``self.time_mlp(...)``, the one call of the attribute holding ``layer`` (``time_mlp.0``)."""
    path = getattr(layer.origin, "path", None) or layer.name or ""
    attr = path.split(".")[0]
    tree = tree_of(ctx.lines)
    if not attr.isidentifier() or tree is None:
        return None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and
             n.func.attr == attr and isinstance(n.func.value, ast.Name) and n.func.value.id == "self" and
             len(n.args) == 1 and not n.keywords]
    return Span.of(calls[0].args[0]) if len(calls) == 1 else None


def items_already_stacked(ctx, d):
    """Samples that are stacks of what the first layer reads, under one batch axis. A Dataset whose item is already
    a stack -- one scene cut into 8 tiles, (8, 3, H, W) -- batched by a DataLoader that adds its own axis on top:
    (B, 8, 3, H, W) into a ``Conv2d``, refused for its rank. The item is where the extra axis comes from; the usual
    fix folds the two leading axes into one batch where the batch is unpacked, for the images and whatever is
    unpacked with them: ``imgs, edges = imgs.flatten(0, 1),
    edges.flatten(0, 1)``. A 3-D conv, or a first layer taking ``8 * 3`` channels, would read the tiles as depth or
    as colors. Volumes (B, C, D, H, W) into a 2-D net are the same mistake with the stack behind the channels: its
    slices are the samples, ``imgs.permute(0, 2, 1, 3, 4).flatten(0, 1)``. The fix contract keeps the fold only if
    the script then runs (the targets must fold the same way)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "rank-mismatch" or f.op.index != 0:
        return
    layer = f.op.layer
    spatial = torch_conv_dims(layer)
    model, run = ctx.run_of(f.inference)
    feed = ctx.feed_of(model, run)
    x = feed.x if feed is not None else None
    shape = tuple(getattr(x, "shape", None) or ())
    if spatial is None or len(shape) != spatial + 3:
        return
    node = feed.call.node_of(0, "input")
    channels = layer.args.get("in_channels")
    if shape[2] == channels and x.meta.get("loader_batch"):
        item = _dataset_item(ctx, x)
        if item is None:
            return
        label = Label(Span.of(item), remedies.item_already_stacked_label(shape[1:]), d.file)
        note, moved = remedies.items_already_stacked_note(shape), ""
    elif spatial == 2 and shape[1] == channels and shape[1] != shape[2] and node is not None and \
            not _meant_for_volumes(model, f.inference):
        # (B, C, D, H, W) volumes into a 2-D net: its slices are the samples, so the depth goes next to the batch
        label = Label(Span.of(node), remedies.volumes_into_slice_net_label(shape), d.file)
        note, moved = remedies.volumes_into_slice_net_note(shape), ".permute(0, 2, 1, 3, 4)"
    else:
        return
    fold = _fold_after_unpacking(ctx, node, moved) if isinstance(node, ast.Name) else None
    help_text = remedies.fold_stacked_items(fold[1] if fold else f"{ctx.segment(node) or 'x'}{moved}.flatten(0, 1)")
    yield Cause("batch-merged", 83, label, note, help_text,
                fix=Fix("unsafe", help_text, [fold[0]]) if fold else None, strong=True)


def _meant_for_volumes(model, inference) -> bool:
    """A model that says it reads volumes -- a 3-D layer among its ops, or "3d" in its name (``UNet3D`` written with
    a ``Conv2d`` by slip) -- is not a slice network: folding the depth into the batch would change its design."""
    named = getattr(model, "class_name", None)
    name = (named() if callable(named) else "") + " " + str(getattr(inference.program, "name", "") or "")
    return "3d" in name.lower() or any(op.layer.kind.endswith("3d") for op in inference.program.ops)


def _dataset_item(ctx, x):
    """The ``return`` value of the Dataset ``__getitem__`` that made ``x``'s samples: the one holding where it was
    converted (``torch.from_numpy(self.images[i])``), or of the Dataset class whose ``__init__`` made the data."""
    tree = tree_of(ctx.lines)
    if tree is None:
        return None
    for span in (x.meta.get("converted_at"), x.shaped_at, x.origin):
        if span is None:
            continue
        fn = function_at(tree, span.line)
        if fn is None or fn.name != "__getitem__":
            owner = next((c for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and
                          c.lineno <= span.line <= c.end_lineno), None)
            fn = next((m for m in owner.body if isinstance(m, ast.FunctionDef) and m.name == "__getitem__"),
                      None) if owner is not None else None
        returns = [n for n in ast.walk(fn) if isinstance(n, ast.Return) and n.value is not None] if fn else []
        if len(returns) == 1:
            return returns[0].value
    return None


def _fold_after_unpacking(ctx, name: ast.Name, moved: str = "") -> Optional[tuple]:
    """(edit, statement): a statement that folds the two leading axes of every name unpacked beside ``name`` by the
    ``for`` over the loader, as the first line of its body (``moved``: an axis move ``name`` takes first)."""
    tree = tree_of(ctx.lines)
    loop = next((n for n in ast.walk(tree) if isinstance(n, ast.For) and n.body and
                 n.body[0].lineno <= name.lineno <= n.end_lineno and
                 any(isinstance(t, ast.Name) and t.id == name.id for t in ast.walk(n.target))), None)
    if loop is None:
        return None
    group = next((t for t in ast.walk(loop.target) if isinstance(t, ast.Tuple) and
                  any(isinstance(e, ast.Name) and e.id == name.id for e in t.elts)), None)
    names = [e.id for e in group.elts] if group is not None else [name.id]
    if not all(isinstance(e, ast.Name) for e in (group.elts if group is not None else [])):
        return None
    first = loop.body[0]
    if first.lineno == loop.lineno:
        return None  # `for x in loader: model(x)` on one line: no room for a statement
    indent = ctx.lines[first.lineno - 1][:first.col_offset]
    folded = [f"{n}{moved}.flatten(0, 1)" if n == name.id else f"{n}.flatten(0, 1)" for n in names]
    statement = f"{', '.join(names)} = {', '.join(folded)}"
    return Edit(Span(first.lineno, 1, first.lineno, 1), f"{indent}{statement}\n"), statement


_NO_GRAD = ("torch.no_grad", "torch.inference_mode", "no_grad", "inference_mode")


def inference_in_training_mode(ctx, d):
    """One sample run for a prediction (``with torch.no_grad(): model(img.unsqueeze(0))``) through a model still in
    training mode: its BatchNorm sees one value per channel and PyTorch refuses ("Expected more than 1 value per
    channel when training"). A batch of one is right for a prediction; the model was never put in evaluation mode,
    where BatchNorm uses its running statistics. The fix calls ``model.eval()`` before the ``no_grad`` block (a larger
    batch would run and normalise the image with statistics of made-up neighbours)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "single-value-per-channel":
        return
    model, _ = ctx.run_of(f.inference)
    feed = ctx.feed_into(f.inference)
    if model is None or feed is None or getattr(model, "eval_mode", None) is not None:
        return  # eval() or train() called somewhere: the mode is not simply left at its default
    call = getattr(feed.call, "node", None)
    block = enclosing(call, (ast.With,)) if call is not None else None
    if block is None or not any(isinstance(item.context_expr, ast.Call) and
                                ast.unparse(item.context_expr.func) in _NO_GRAD for item in block.items):
        return
    callee = ast.unparse(call.func) if isinstance(call, ast.Call) else None
    if not callee or not callee.replace(".", "").replace("_", "").isalnum():
        return
    indent = ctx.lines[block.lineno - 1][:block.col_offset]
    text = f"{indent}{callee}.eval()\n"
    help_text = remedies.eval_before_inference(callee)
    yield Cause("train-mode-inference", 80, Label(Span.of(block), remedies.inference_block_label(), d.file),
                remedies.eval_before_inference_note(), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span(block.lineno, 1, block.lineno, 1), text)]))
