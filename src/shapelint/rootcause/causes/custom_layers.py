"""Causes in a custom Keras layer: ``build(self, input_shape)`` sizes its kernel with ``input_shape[1]`` -- the time
steps of a (batch, steps, features) input -- while ``call`` multiplies by it over the last axis. The weight's size
is the input's own axis-1 size (the same Sized object), which is how the wrong index is recognised."""
from __future__ import annotations

import ast

from ...core.facts import RuleFacts
from ...core.program import Span
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.source import tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from .numbers import _inside

_PRODUCTS = ("ops.matmul", "matmul", "ops.dot", "tf.matmul", "dot")


def build_reads_wrong_axis(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _PRODUCTS or len(f.op.inputs) != 2:
        return
    x, w = f.op.inputs
    if not all(isinstance(v, Tensor) and v.shape is not None and len(v.shape) >= 2 for v in (x, w)) or \
            len(w.shape) != 2 or len(x.shape) < 3:
        return
    axes = [j for j in range(1, len(x.shape) - 1) if x.shape[j] is w.shape[0]]
    if len(axes) != 1 or x.shape[-1] == w.shape[0]:
        return
    j = axes[0]
    tree = tree_of(ctx.lines)
    span = f.op.layer.origin.span
    cls = next((c for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and _inside(span, Span.of(c))), None) \
        if tree is not None and span is not None else None
    build = next((m for m in cls.body if isinstance(m, ast.FunctionDef) and m.name == "build"
                  and len(m.args.args) >= 2), None) if cls is not None else None
    if build is None:
        return
    param = build.args.args[1].arg
    reads = [n for n in ast.walk(build) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)
             and n.value.id == param and isinstance(n.slice, ast.Constant) and n.slice.value in (j, j - len(x.shape))]
    if len(reads) != 1:
        return
    index = Span.of(reads[0].slice)
    spelled = f"{param}[-1]"
    help_text = remedies.build_from_last_axis(spelled)
    yield Cause("layer-number", 88, Label(Span.of(reads[0]), remedies.build_axis_label(j, int(w.shape[0])), d.file),
                remedies.build_axis_note(j, int(w.shape[0]), x.shape[-1]), help_text,
                fix=Fix("unsafe", help_text, [Edit(index, "-1")]), strong=True)

