"""A reduction over the wrong axis in the data preparation: stereo clips stacked as (B, frames, channels) and
"downmixed" with ``batch.mean(dim=1)`` average the 22,050 frames away and keep the 2 channels, and ``torch.stft``
refuses a 2-sample signal. The layer that refuses is right; the axis written in the reduction is the mistake, and the
fix reduces the other axis. Offered only when the data had exactly one other axis besides the batch, so the other
axis is the only candidate; the fix contract keeps it only if the model then runs, for another batch size too."""
from __future__ import annotations

import ast

from ...checks.facts import LossFacts
from ...core.facts import RuleFacts
from ...core.values import Tensor
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.source import node_at
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..sites import int_literal

_REDUCTIONS = ("mean", "sum", "amax", "amin", "nanmean", "nansum")


def reduced_over_another_axis(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.index != 0:
        return
    feed = ctx.feed_into(f.inference)
    x = feed.x if feed is not None else None
    inner = getattr(x, "run", None)
    op = inner.producer_of(x.value) if inner is not None else None
    if op is None or op.layer.kind not in _REDUCTIONS or not op.inputs or op.layer.args.get("keepdim"):
        return
    base = getattr(op.inputs[0], "shape", None)
    span = op.layer.extra.get("call_span") or op.layer.origin.span
    call = node_at(span, ctx.lines, ast.Call) if span is not None else None
    dim = _written_dim(call)
    if base is None or len(base) != 3 or dim is None or call is None:
        return
    reduced = dim[1] % 3
    if reduced == 0:
        return  # the batch axis: another mistake
    other = 3 - reduced  # the one axis besides the batch and the reduced one
    spelled = "-1" if other == 2 and dim[1] < 0 else str(other)
    edit = Edit(Span.of(dim[0]), spelled)
    help_text = remedies.reduce_other_axis(op.layer.kind, spelled)
    yield Cause("data-layout", 80, Label(Span.of(call), remedies.reduced_axis_label(base, reduced), d.file),
                remedies.reduced_axis_note(op.layer.kind, tuple(base), reduced, other), help_text,
                fix=Fix("unsafe", help_text, [edit]))


def _written_dim(call):
    """(node, value) of the int literal a reduction call is given as its axis (``dim=1``, ``axis=-1`` or its one
    positional argument), or None."""
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return None
    nodes = [k.value for k in call.keywords if k.arg in ("dim", "axis")] or \
        (call.args[:1] if len(call.args) == 1 and isinstance(call.func.value, ast.expr) and
         not (isinstance(call.func.value, ast.Name) and call.func.value.id in ("torch", "np", "numpy")) else [])
    if len(nodes) != 1:
        return None
    value = int_literal(nodes[0])
    return (nodes[0], value) if value is not None else None


def pooled_the_wrong_axes(ctx, d):
    """A global pooling written by hand over the wrong axes of a feature map -- Keras's ``GlobalAveragePooling2D``
    ported to NCHW as ``x.mean(dim=(1, 2))``: it averages the 128 channels and the height away and keeps the 8
    columns, and the ``Linear(128, ...)`` after it, built for the channels, refuses 8. The head is right; the axes
    written in the reduction are the mistake. Offered when the size the layer expects is exactly one reduced axis of
    the map (the one it wants to keep) and the others are reduced instead: ``dim=(2, 3)``. Resizing the Linear to 8
    would run and classify from per-column averages, for one image size only."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not f.op.inputs or not isinstance(f.mismatch.expected, int):
        return
    expected = int(f.mismatch.expected)
    op = _reduction_before(f.inference, f.op.inputs[0])
    if op is None:
        return
    base = getattr(op.inputs[0], "shape", None)
    span = op.layer.extra.get("call_span") or op.layer.origin.span
    call = node_at(span, ctx.lines, ast.Call) if span is not None else None
    written = _written_dims(call)
    if base is None or len(base) < 3 or written is None:
        return
    rank = len(base)
    reduced = {v % rank for v in written[1]}
    if 0 in reduced or len(reduced) != len(written[1]):
        return  # the batch axis reduced: another mistake
    fits = [i for i in range(1, rank) if isinstance(base[i], int) and int(base[i]) == expected]
    if len(fits) != 1 or fits[0] not in reduced:
        return
    keep = fits[0]
    axes = tuple(i for i in range(1, rank) if i != keep)
    spelled = "(" + ", ".join(str(i) for i in axes) + ("," if len(axes) == 1 else "") + ")"
    help_text = remedies.reduce_other_axis(op.layer.kind, spelled)
    yield Cause("data-layout", 82, Label(Span.of(call), remedies.reduced_axis_label(base, sorted(reduced)), d.file),
                remedies.pooled_wrong_axes_note(op.layer.kind, tuple(base), keep, expected), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(written[0]), spelled)]))


def _reduction_before(inference, value, depth: int = 6):
    """The reduction (keeping no axes) that made ``value``, through ops that keep its shape (dropout, activations)."""
    for _, op in inference.walk_back(value, _same_shape_input, depth):
        if op is None or not op.inputs or not isinstance(op.inputs[0], Tensor):
            return None
        if op.layer.kind in _REDUCTIONS:
            return None if op.layer.args.get("keepdim") else op
    return None


def _same_shape_input(op, value):
    """The first input of an op that gives it back in its shape."""
    return op.inputs[0] if getattr(op.inputs[0], "shape", None) == getattr(value, "shape", None) else None


def _written_dims(call):
    """(node, values) of the int literals a reduction call is given as its axes (``dim=(1, 2)``, ``dim=1`` or its
    one positional argument), or None."""
    found = _written_dim(call)
    if found is not None:
        return found[0], (found[1],)
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
        return None
    nodes = [k.value for k in call.keywords if k.arg in ("dim", "axis")] or call.args[:1]
    if len(nodes) != 1 or not isinstance(nodes[0], (ast.Tuple, ast.List)):
        return None
    values = [int_literal(e) for e in nodes[0].elts]
    return (nodes[0], tuple(values)) if values and all(v is not None for v in values) else None


def reduced_over_the_samples(ctx, d):
    """An ensemble's predictions stacked (M, B, C) -- one row of M per model -- and averaged with ``mean(dim=1)``:
    the samples are averaged away and the M models kept, so the loss meets M rows for B labels. The reduction's axis
    is the mistake: the models' axis 0 is the one to average (``mean(dim=0)``). Offered when the reduced axis had
    exactly the labels' count and axis 0 what the predictions have now."""
    f = d.facts
    if not isinstance(f, LossFacts) or d.name != "sample-count-mismatch" or f.pred.shape is None or \
            f.target.shape is None or not f.target.shape:
        return
    inf = getattr(f.pred, "run", None)
    labels, rows = f.target.shape[0], f.pred.shape[0]
    op = _reduction_before(inf, f.pred.value, depth=8) if inf is not None else None
    base = getattr(op.inputs[0], "shape", None) if op is not None else None
    span = (op.layer.extra.get("call_span") or op.layer.origin.span) if op is not None else None
    call = node_at(span, ctx.lines, ast.Call) if span is not None else None
    dim = _written_dim(call)
    if dim is None or base is None or len(base) < 3:
        return
    base = tuple(base)
    reduced = dim[1] % len(base)
    if reduced == 0 or base[reduced] != labels or base[0] != rows or labels == rows:
        return
    help_text = remedies.reduce_other_axis(op.layer.kind, "0")
    yield Cause("data-layout", 80, Label(Span.of(call), remedies.reduced_axis_label(base, reduced), d.file),
                remedies.reduced_samples_note(op.layer.kind, base, reduced), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(dim[0]), "0")]), strong=True)
