"""Causes in the targets given to a loss: the model's output is right and the targets have a spare or a missing
axis (class ids as an (N, 1) column for ``CrossEntropyLoss``; (N,) values against an (N, 1) regression output)."""
from __future__ import annotations

import ast

from ...checks.facts import LossFacts
from ...core.dims import is_known
from ...core.registry import fact
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.source import enclosing, node_at
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..sites import helper_calls, in_dataset_item, reads_of_assigned, unsqueezed_base, whole_value
from ..spelling import append



def _int_dtype(v) -> bool:
    return (v.value.dtype or "").startswith(("int", "uint")) or bool(v.meta.get("int_range"))


def target_axis(ctx, d):
    f = d.facts
    if not isinstance(f, LossFacts) or f.pred.shape is None or f.target.shape is None:
        return
    p, t = tuple(f.pred.shape), tuple(f.target.shape)
    suffix, target = None, fact("torch", f.kind, "loss_target")  # declared with the loss's rule
    if target == "class-index" and len(p) == 2 and len(t) == 2 and t[1] == 1 and is_known(p[1]) and p[1] > 1 \
            and _int_dtype(f.target):
        suffix = ".squeeze(1)"
    elif target == "same-shape" and len(p) == 2 and p[1] == 1 and len(t) == 1:
        suffix = ".unsqueeze(1)"
    elif target == "same-shape" and len(p) == 1 and len(t) == 2 and t[1] == 1:
        suffix = ".squeeze(1)"
    elif target == "same-shape" and _map_without_channel(p, t):
        yield from _channel_axis(ctx, d, f, p, t)
        return
    elif target == "class-index" and len(p) >= 3 and len(t) == len(p) and t[1] == 1 and is_known(p[1]) and \
            p[1] > 1 and all(a == b for a, b in zip(t[2:], p[2:])) and t[0] == p[0] and _int_dtype(f.target):
        yield from _class_map_with_unit_axis(ctx, d, f, p, t)
        return
    if suffix is None:
        return
    node = f.call.node_of(1, "target")
    span = Span.of(node) if node is not None else None
    edit = append(ctx, span, suffix)
    text = ctx.text(span)
    if edit is None or text is None:
        return
    # a spare axis was written where the targets' shape was (``randint(0, C, (N, 1))``, a ``[:, 10:]`` column): the
    # label goes there. A missing one was not written anywhere -- (N,) values are the natural form of the data --
    # so the diagnosis stays where they meet the (N, 1) output, at the loss. The fix is at the loss in both cases,
    # where it changes nothing else.
    spare = len(t) > len(p) or suffix == ".squeeze(1)"
    site = (getattr(f.target, "shaped_at", None) or f.target.origin or span) if spare else span
    # ... unless it was dropped where it was written: one column of a table taken by an index, `data[:, 10]`
    flat = _column_index(ctx, getattr(f.target, "shaped_at", None)) if suffix == ".unsqueeze(1)" else None
    if flat is not None:
        site = flat[0]
    secondary = [Label(span, remedies.target_label(t, p), d.file)] if site != span else []
    column = _one_column_slice(ctx, site) if spare and suffix == ".squeeze(1)" else None
    made = _constant_targets(ctx, f.target) if suffix == ".unsqueeze(1)" and flat is None else None
    item = _scalar_item(ctx, f.target) if suffix == ".unsqueeze(1)" and flat is None and made is None else None
    if item is not None:  # `__getitem__` returns a 0-d label: each sample's label gets its axis where it is made
        edits, spelled = item
        help_text = remedies.make_item_label_with_axis(spelled)
        yield Cause("target-shape", 79, Label(f.target.origin, remedies.item_label_made(t), d.file),
                    remedies.target_note(f.kind, p, t), help_text,
                    fix=Fix("unsafe", help_text, edits), secondary=secondary, strong=True)
        return
    if made is not None:  # `real_labels = torch.ones(BATCH)` used at every loss call: give them the axis once
        arg_span, spelled, call_text = made
        help_text = remedies.make_targets_with_axis(call_text)
        yield Cause("target-shape", 79, Label(f.target.origin, remedies.target_made(t), d.file),
                    remedies.target_note(f.kind, p, t), help_text,
                    fix=Fix("unsafe", help_text, [Edit(arg_span, spelled)]), secondary=secondary, strong=True)
        return
    made_at = _whole_torch_targets(ctx, f.target, span) if suffix == ".unsqueeze(1)" and flat is None else None
    if made_at is not None:  # `y_train = torch.from_numpy(prices[:split]).float()`: every use of it gets the axis
        whole = f"{ctx.text(made_at)}{suffix}"
        help_text = remedies.make_targets_with_axis(whole)
        yield Cause("target-shape", 78, Label(made_at, remedies.target_made(t), d.file),
                    remedies.target_note(f.kind, p, t), help_text,
                    fix=Fix("unsafe", help_text, [append(ctx, made_at, suffix)]), secondary=secondary, strong=True)
        # ... unless another use of them reads them without the axis (an accuracy that adds it itself): then they
        # get it at this loss only -- kept by the fix contract only where the whole-targets fix brings a problem
        at_loss = remedies.reshape_target(f"{text}{suffix}")
        yield Cause("target-shape", 60, Label(span, remedies.target_label(t, p), d.file),
                    remedies.target_note(f.kind, p, t), at_loss, fix=Fix("unsafe", at_loss, [edit]))
        return
    if flat is not None:
        _, index_span, spelled, whole = flat
        help_text = remedies.keep_the_column_axis(whole)
        yield Cause("target-shape", 78, Label(site, remedies.column_taken_flat_label(t), d.file),
                    remedies.target_note(f.kind, p, t), help_text,
                    fix=Fix("unsafe", help_text, [Edit(index_span, spelled)]), secondary=secondary, strong=True)
        return
    if column is not None:  # `data[:, -1:]` kept the column axis: take the column itself where it is taken
        slice_span, index, spelled = column
        help_text = remedies.take_the_column(spelled)
        fix = Fix("unsafe", help_text, [Edit(slice_span, index)])
    else:
        help_text = remedies.reshape_target(f"{text}{suffix}")
        fix = Fix("unsafe", help_text, [edit])
    yield Cause("target-shape", 78, Label(site, remedies.target_made(t), d.file),
                remedies.target_note(f.kind, p, t), help_text, fix=fix, secondary=secondary, strong=True)


def _map_without_channel(p: tuple, t: tuple) -> bool:
    """A one-channel dense prediction (N, 1, H, W) against target maps (N, H, W): broadcast to (N, N, H, W)."""
    return len(p) >= 3 and len(t) == len(p) - 1 and p[1] == 1 and \
        all(a == b for a, b in zip(t, (p[0],) + p[2:])) and not any(d == 1 for d in t[1:])


def _channel_axis(ctx, d, f, p: tuple, t: tuple):
    """The target maps get the prediction's channel axis: in the Dataset's ``__getitem__`` when each sample's map is
    made there as the whole value of an assignment or ``return`` (``unsqueeze(0)``: every batch then has it),
    else at the loss (``unsqueeze(1)``)."""
    node = f.call.node_of(1, "target")
    span = Span.of(node) if node is not None else None
    origin = f.target.meta.get("converted_at") or getattr(f.target, "origin", None)  # `torch.from_numpy(a[i])`
    per_sample = in_dataset_item(ctx, origin) and whole_value(ctx, origin, assignment_only=True)
    site, suffix = (origin, ".unsqueeze(0)") if per_sample else (span, ".unsqueeze(1)")
    edit, text = append(ctx, site, suffix), ctx.text(site)
    if edit is None or text is None:
        return
    help_text = remedies.reshape_target(f"{text}{suffix}")
    secondary = [Label(span, remedies.target_label(t, p), d.file)] if site != span else []
    yield Cause("target-shape", 78, Label(site, remedies.target_made(t[1:] if per_sample else t), d.file),
                remedies.target_note(f.kind, p, t), help_text, fix=Fix("unsafe", help_text, [edit]),
                secondary=secondary, strong=True)


def _class_map_with_unit_axis(ctx, d, f, p: tuple, t: tuple):
    """Segmentation: class maps (N, 1, H, W) for (N, C, H, W) scores -- CrossEntropyLoss takes (N, H, W). The unit
    axis was added where the maps were made (``mask.unsqueeze(0)`` in a Dataset's ``__getitem__``, or
    ``masks.unsqueeze(1)`` on the whole array): removing it there is the fix; else the targets are squeezed at the
    loss. Never ``argmax`` over that axis: these are class ids, not one-hot rows."""
    origin = getattr(f.target, "origin", None)
    node = node_at(origin, ctx.lines) if origin is not None else None
    axis = 0 if in_dataset_item(ctx, origin) else 1
    base = unsqueezed_base(node, axis) if node is not None else None
    loss_node = f.call.node_of(1, "target")
    loss_span = Span.of(loss_node) if loss_node is not None else None
    if base is not None and ctx.segment(base) is not None:
        text = ctx.segment(base)
        help_text = remedies.drop_unit_axis_of_class_map(text)
        yield Cause("target-shape", 79, Label(origin, remedies.class_map_unit_axis_label(t), d.file),
                    remedies.target_note(f.kind, p, t), help_text, fix=Fix("unsafe", help_text, [Edit(origin, text)]),
                    secondary=[Label(loss_span, remedies.target_label(t, p), d.file)] if loss_span else [],
                    strong=True)
        return
    edit = append(ctx, loss_span, ".squeeze(1)")
    text = ctx.text(loss_span)
    if edit is None or text is None:
        return
    help_text = remedies.reshape_target(f"{text}.squeeze(1)")
    yield Cause("target-shape", 78, Label(loss_span, remedies.target_made(t), d.file),
                remedies.target_note(f.kind, p, t), help_text, fix=Fix("unsafe", help_text, [edit]), strong=True)


def _whole_torch_targets(ctx, target, at_loss):
    """The span of the torch expression the (N,) targets were made by, when it is the whole value of an assignment
    on another line than the loss whose name is read more than once (``real_label = torch.rand(16)`` given to two
    losses): the missing axis is added there once, so every loss or comparison that reads it agrees with the (N, 1)
    output -- rather than at one loss call, which leaves the others broadcasting."""
    site = target.meta.get("converted_at") or getattr(target, "shaped_at", None) or target.origin
    node = node_at(site, ctx.lines, ast.Call) if site is not None else None
    while node is not None and _method_called_on(node) is not None:  # `torch.from_numpy(a).float()`: the chain
        node = _method_called_on(node)
    site = Span.of(node) if node is not None else None
    if node is None or at_loss is None or site.line == at_loss.line or ctx.text(site) is None:
        return None
    torch_made = any(isinstance(n, ast.Name) and n.id == "torch" for n in ast.walk(node))
    if not torch_made:
        return None
    if not whole_value(ctx, site, assignment_only=True):
        return None
    # a helper that makes the targets (``def noisy_labels(n, real): return torch.empty(n).uniform_(...)``) and is
    # called for several of them: every caller gets the axis from the one return
    returned = isinstance(getattr(node, "_shapelint_parent", None), ast.Return) or _assigned_and_returned(node)
    return site if (helper_calls(ctx, node) > 1 if returned else _read_more_than_once(ctx, node)) else None


def _assigned_and_returned(node) -> bool:
    """``y = torch.tensor(...)`` in a helper that ends ``return X, y``: what the helper gives every caller."""
    stmt = getattr(node, "_shapelint_parent", None)
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
        return False
    fn = enclosing(node, (ast.FunctionDef,))
    returns = [n for n in ast.walk(fn) if isinstance(n, ast.Return)] if fn is not None else []
    if len(returns) != 1 or returns[0].value is None:
        return False
    value = returns[0].value
    parts = value.elts if isinstance(value, ast.Tuple) else [value]
    return any(isinstance(p, ast.Name) and p.id == stmt.targets[0].id for p in parts)



def _read_more_than_once(ctx, value) -> bool:
    """The name ``value`` is assigned to is read in more than one place in its scope. Read once, the fix at the loss
    changes nothing else and is as good; read twice (two losses, a loss and an accuracy), only the fix where the
    targets are made reaches every reader."""
    return reads_of_assigned(ctx, getattr(value, "_shapelint_parent", None)) > 1


def _method_called_on(node):
    """``x.float()`` when ``node`` is ``x``; None otherwise."""
    parent = getattr(node, "_shapelint_parent", None)
    call = getattr(parent, "_shapelint_parent", None)
    if isinstance(parent, ast.Attribute) and parent.value is node and isinstance(call, ast.Call) and call.func is parent:
        return call
    return None


def _scalar_item(ctx, target):
    """(edits, new text) when each sample's label is made as a 0-d tensor in a Dataset's ``__getitem__``
    (``torch.tensor(self.labels[i], dtype=torch.float32)``) and collated to (N,): ``torch.tensor([...])`` makes it
    (1,), so the batch is (N, 1) like the output for the loss and for every comparison with the predictions."""
    origin = getattr(target, "origin", None)
    call = node_at(origin, ctx.lines, ast.Call) if origin is not None else None
    if call is None or not in_dataset_item(ctx, origin) or not isinstance(call.func, ast.Attribute) or \
            call.func.attr not in ("tensor", "as_tensor") or not call.args or \
            isinstance(call.args[0], (ast.List, ast.Tuple, ast.Starred, ast.ListComp)):
        return None
    value, whole = ctx.segment(call.args[0]), ctx.segment(call)
    start = call.args[0].col_offset - call.col_offset if call.args[0].lineno == call.lineno else None
    if value is None or whole is None or start is None or whole[start:start + len(value)] != value:
        return None
    return [Edit(Span.of(call.args[0]), f"[{value}]")], f"{whole[:start]}[{value}]{whole[start + len(value):]}"


_FILLED = ("ones", "zeros", "full")  # labels made as constants for the loss; random values stand for data


def _constant_targets(ctx, target):
    """(span of the size argument, its text with the axis of 1, the new call's text) when the targets are made
    whole as constants by ``torch.ones(BATCH)`` / ``torch.zeros(n)`` / ``torch.full((n,), v)`` (GAN real/fake
    labels): the missing axis belongs there, once, rather than at every loss call. (Values drawn at random stand
    for data, whose (N,) form is natural: those are fixed where they meet the output.)"""
    origin = getattr(target, "origin", None)
    call = node_at(origin, ctx.lines, ast.Call) if origin is not None else None
    if call is None or not isinstance(call.func, ast.Attribute) or call.func.attr not in _FILLED or \
            not call.args or isinstance(call.args[0], ast.Starred) or not whole_value(ctx, origin, assignment_only=True):
        return None
    size = call.args[0]
    if isinstance(size, (ast.Tuple, ast.List)):
        if len(size.elts) != 1:
            return None
        text = ctx.segment(size.elts[0])
        spelled = f"({text}, 1)"
    elif call.func.attr == "full" or len(call.args) != 1:
        return None
    else:
        text = ctx.segment(size)
        spelled = f"{text}, 1"
    if text is None:
        return None
    whole = ctx.segment(call) or ""
    return Span.of(size), spelled, whole.replace(ctx.segment(size) or "", spelled, 1)


def _one_column_slice(ctx, site):
    """(span of the slice, the index that replaces it, the new text) when the targets were taken from a table as a
    one-column slice, ``data[:, -1:]`` / ``data[:, 10:11]`` / ``data[:, 10:]`` of an 11-column table: ``data[:, -1]``
    gives the column without the spare axis."""
    node = node_at(site, ctx.lines) if site is not None else None
    parent = getattr(node, "_shapelint_parent", None)
    if isinstance(parent, ast.Subscript) and parent.slice is node:
        node = parent
    if not isinstance(node, ast.Subscript):  # the conversion around it: torch.tensor(data[:, 10:], dtype=...)
        # (or the frame's values: `frame.iloc[:, -1:].values`)
        inner = [n for n in ast.walk(node) if isinstance(n, ast.Subscript)] \
            if isinstance(node, (ast.Call, ast.Attribute)) else []
        node = inner[0] if len(inner) == 1 else None
    if node is not None and isinstance(node.slice, ast.List) and len(node.slice.elts) == 1 and \
            isinstance(node.slice.elts[0], (ast.Constant, ast.Name, ast.Attribute)):
        # `df[[TARGET]]`: a frame of one column keeps the axis; `df[TARGET]` is the column itself
        name, value = ctx.segment(node.slice.elts[0]), ctx.segment(node.value)
        return (Span.of(node.slice), name, f"{value}[{name}]") if name and value else None
    if node is None or not isinstance(node.slice, ast.Tuple) or len(node.slice.elts) != 2:
        return None
    rows, cols = node.slice.elts
    if not (isinstance(rows, ast.Slice) and rows.lower is None and rows.upper is None and rows.step is None):
        return None
    if isinstance(cols, ast.List) and len(cols.elts) == 1:  # `records[:, [-1]]`: a list of one column keeps the axis
        index = ctx.segment(cols.elts[0])
        value = ctx.segment(node.value) or ""
        return (Span.of(cols), index, f"{value}[:, {index}]") if index else None
    if not isinstance(cols, ast.Slice) or cols.lower is None or cols.step is not None:
        return None
    lower = ctx.segment(cols.lower)
    if lower is None:
        return None
    lo = cols.lower.value if isinstance(cols.lower, ast.Constant) else None
    if isinstance(cols.lower, ast.UnaryOp) and isinstance(cols.lower.op, ast.USub) and \
            isinstance(cols.lower.operand, ast.Constant):
        lo = -cols.lower.operand.value
    up = cols.upper.value if isinstance(cols.upper, ast.Constant) else None
    # `[:, k:]` to the end: one column here, since the targets it made have one (a (N, 1) column at the loss)
    one = (isinstance(lo, int) and cols.upper is None) or (isinstance(lo, int) and isinstance(up, int) and up == lo + 1)
    if not one:
        return None
    whole = ctx.segment(node) or ""
    value = ctx.segment(node.value) or ""
    return Span.of(cols), lower, f"{value}[:, {lower}]" if value else whole



def _column_index(ctx, site):
    """(span of the subscript, span of its column index, the slice that keeps the axis, the new subscript's text)
    when the targets were taken as one column of a table by an integer index: ``data[:, 10]`` -> ``data[:, 10:11]``,
    ``data[:, -1]`` -> ``data[:, -1:]``."""
    node = node_at(site, ctx.lines) if site is not None else None
    parent = getattr(node, "_shapelint_parent", None)
    if isinstance(parent, ast.Subscript) and parent.slice is node:
        node = parent
    if isinstance(node, ast.Call):  # the conversion around it: torch.from_numpy(data[:, 10])
        inner = [n for n in ast.walk(node) if isinstance(n, ast.Subscript)]
        node = inner[0] if len(inner) == 1 else None
    if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Tuple) or len(node.slice.elts) != 2:
        return None
    if isinstance(getattr(node, "_shapelint_parent", None), (ast.BinOp, ast.UnaryOp)):
        return None  # one operand of a formula (`x[:, 2] * 0.8 - x[:, 3] * 0.3`): the targets are the formula's
    rows, col = node.slice.elts
    if not (isinstance(rows, ast.Slice) and rows.lower is None and rows.upper is None and rows.step is None):
        return None
    k = col.value if isinstance(col, ast.Constant) and type(col.value) is int else None
    if isinstance(col, ast.UnaryOp) and isinstance(col.op, ast.USub) and isinstance(col.operand, ast.Constant) and \
            type(col.operand.value) is int:
        k = -col.operand.value
    if k is None:
        return None
    spelled = f"{k}:" if k == -1 else f"{k}:{k + 1}"
    value = ctx.segment(node.value)
    if value is None:
        return None
    return Span.of(node), Span.of(col), spelled, f"{value}[:, {spelled}]"
