"""Causes at the layer that made the input: a rule that knows its input is wrong because of a setting of the layer
before it (``return_sequences`` left off the previous LSTM, so the next one gets (batch, units)) already writes its
fix there; the mistake was written there too. The diagnosis moves to that layer; the layer that raised is where it
surfaced."""
from __future__ import annotations

from ...core.facts import RuleFacts
from ...diagnostics import remedies
from ...diagnostics.fixes.intents import SetArg
from ...diagnostics.model import Label
from ..cause import Cause


def producer_setting(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or not isinstance(f.mismatch.fix, SetArg):
        return
    intent = f.mismatch.fix
    if intent.target not in ("producer", "producer.layer") or d.fix is None or not d.fix.edits or not f.op.inputs:
        return
    source = f.inference.source_of(f.op.inputs[0])
    if source is None or source.layer.origin.span is None:
        return
    span = source.layer.extra.get("call_span") or source.layer.origin.span
    if d.primary is not None and span.line == d.primary.span.line:
        return
    label = remedies.setting_left_off(f"{intent.arg}={intent.value}", source.layer.kind, f.op.inputs[0].shape)
    yield Cause("producer-setting", 80, Label(span, label, d.file), "", d.help, fix=d.fix, strong=True)
