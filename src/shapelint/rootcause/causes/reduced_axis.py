"""A reduction over the wrong axis in the data preparation: stereo clips stacked as (B, frames, channels) and
"downmixed" with ``batch.mean(dim=1)`` average the 22,050 frames away and keep the 2 channels, and ``torch.stft``
refuses a 2-sample signal. The layer that refuses is right; the axis written in the reduction is the mistake, and the
fix reduces the other axis. Offered only when the data had exactly one other axis besides the batch, so the other
axis is the only candidate; the fix contract keeps it only if the model then runs, for another batch size too."""
from __future__ import annotations

import ast

from ...core.facts import RuleFacts
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
