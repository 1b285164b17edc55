"""Causes at a view / reshape whose -1 sits in the batch position: rows that cut across samples. Flattening keeps
the batch axis (``x.view(x.size(0), -1)``); a (batch, features) tensor viewed as feature maps gets the map size its
features allow (``x.view(-1, 128, 7, 7)`` for 6,272 features)."""
from __future__ import annotations

from ...core.facts import RuleFacts
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.model import Edit, Fix
from ..cause import Cause
from ..spelling import call_at
from .batch import _keep_batch_fix

_CODES = ("reshape-mixes-samples", "reshape-size-mismatch")


def view_rows(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or d.name not in _CODES or f.op.layer.kind not in ("view", "reshape"):
        return
    x = f.op.inputs[0] if f.op.inputs else None
    shape = getattr(x, "shape", None)
    target = f.op.layer.args.get("shape")
    if isinstance(target, tuple) and len(target) == 1 and isinstance(target[0], (tuple, list)):
        target = tuple(target[0])
    if not shape or not isinstance(target, tuple) or not target or target[0] != -1:
        return
    if len(shape) == 2 and len(target) in (3, 4):
        cause = _feature_maps(ctx, d, f.op, shape, target)
        if cause is not None:
            yield cause
        return
    fix, spelled = _keep_batch_fix(ctx, f.op)
    if fix is None:
        return
    yield Cause("batch-merged", 88, d.primary, "", remedies.keep_batch_axis(spelled or ""), fix=fix)


def _feature_maps(ctx, d, op, shape, target):
    """``x.view(-1, C, H, W)`` on (B, F): keep C and the batch, make the maps the size F allows."""
    call = call_at(ctx, op.layer.origin.span)
    channels = target[1]
    features = shape[1]
    if call is None or len(call.args) != len(target) or not isinstance(channels, int) or channels <= 0 or \
            not isinstance(features, int) or features % channels:
        return None
    per = features // channels
    n = len(target) - 2
    side = round(per ** (1.0 / n))
    if side ** n != per:
        return None
    a, b = Span.of(call.args[2]), Span.of(call.args[-1])
    text = ", ".join([str(side)] * n)
    title = remedies.view_maps(features, channels, " x ".join([str(side)] * n))
    return Cause("feature-maps", 70, d.primary, "", title,
                 fix=Fix("unsafe", title, [Edit(Span(a.line, a.column, b.end_line, b.end_column), text)]))
