"""Causes about the batch axis: merged into the features upstream (``torch.flatten(x)`` without ``start_dim``,
``x.view(-1)``), or missing where a single sample is passed to a model written for batches."""
from __future__ import annotations

import ast
from typing import Optional

from ...core import provenance
from ...core.facts import RuleFacts
from ...core.registry import lookup
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.model import Edit, Fix, Label
from ...core.program import Span
from ..cause import Cause
from ..spelling import append, call_at, edited_text, receiver, replace_args


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
    if not any(provenance.depends_on(dim, batch) for dim in x.shape):
        return
    culprit = _merging_op(f.inference, x, batch)
    if culprit is None or culprit.layer.origin.span is None:
        return
    before, after = culprit.inputs[0].shape, culprit.output.shape
    fix, spelled = _keep_batch_fix(ctx, culprit)
    yield Cause("batch-merged", 90, Label(culprit.layer.origin.span, remedies.batch_merged_label(before, after),
                                          d.file),
                remedies.batch_merged_note(culprit.layer.kind, int(batch), before, after),
                remedies.keep_batch_axis(spelled or "torch.flatten(x, 1)"), fix=fix, strong=True)


def _merging_op(inference, x, batch):
    """The first op on the way to ``x`` whose input leads with the batch and whose output does not."""
    value = x
    for _ in range(256):
        op = inference.producer_of(value)
        if op is None or not op.inputs:
            return None
        inp = op.inputs[0]
        shape = getattr(inp, "shape", None)
        out = getattr(op.output, "shape", None)
        if shape and shape[0] is batch and out is not None and (not out or out[0] is not batch):
            return op
        value = inp
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


def _insert_first_arg(call: ast.Call, text: str, method: bool) -> Optional[Edit]:
    """``x.flatten()`` -> ``x.flatten(1)``; ``torch.flatten(x)`` -> ``torch.flatten(x, 1)``."""
    if method:
        end = Span.of(call)
        at = Span(end.end_line, end.end_column - 1, end.end_line, end.end_column - 1)
        return Edit(at, text + (", " if call.keywords else ""))
    last = Span.of(call.args[-1])
    return Edit(Span(last.end_line, last.end_column, last.end_line, last.end_column), f", {text}")


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
    if span is None:
        return
    suffix = ".unsqueeze(0)" if feed.x.lib == "torch" else "[None]"
    edit = append(ctx, span, suffix)
    text = ctx.text(span)
    spelled = f"{text}{suffix}" if text else suffix
    secondary = [Label(feed.x.origin, f"made here as {x}", d.file)] if feed.x.origin is not None else []
    yield Cause("missing-batch-axis", 85, Label(span, remedies.missing_batch_label(x.shape), d.file),
                remedies.missing_batch_note(first.layer.kind, x.shape, unbatched + 1),
                remedies.add_batch_axis_at_call(spelled),
                fix=Fix("unsafe", f"add the batch axis with `{suffix}`", [edit]) if edit else None,
                secondary=secondary)
