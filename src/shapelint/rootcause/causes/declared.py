"""Causes in a Keras input declaration written from the data: ``Input(shape=x_train.shape)`` declares the number of
samples as an axis of each sample (``x_train.shape[1:]`` is the per-sample shape). The first layer then receives one
axis too many; the mistake is where ``.shape`` was read."""
from __future__ import annotations

import ast

from ...core.facts import RuleFacts
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.source import tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause


def whole_shape_declared(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.index != 0:
        return
    model, run = ctx.run_of(f.inference)
    inputs = run.program.inputs if run is not None else None
    if model is None or not inputs or getattr(inputs[0], "shape", None) is None:
        return
    per_sample = tuple(inputs[0].shape[1:])
    names = {node.id for feed in ctx.feeds() if feed.model is model and feed.x.shape is not None
             and tuple(feed.x.shape) == per_sample
             for node in [feed.call.node_of(0, "x")] if isinstance(node, ast.Name)}
    tree = tree_of(ctx.lines) if names else None
    if tree is None:
        return
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "shape"
             and isinstance(n.value, ast.Name) and n.value.id in names
             and not isinstance(getattr(n, "_shapelint_parent", None), ast.Subscript)]
    if len(reads) != 1:
        return
    span = Span.of(reads[0])
    end = Span(span.end_line, span.end_column, span.end_line, span.end_column)
    spelled = f"{reads[0].value.id}.shape[1:]"
    help_text = remedies.declare_per_sample(spelled)
    yield Cause("whole-shape-declared", 86, Label(span, remedies.whole_shape_label(per_sample), d.file),
                remedies.whole_shape_note(per_sample), help_text, fix=Fix("unsafe", help_text, [Edit(end, "[1:]")]),
                strong=True)
