"""Causes in a custom Keras layer: ``build(self, input_shape)`` sizes its kernel with ``input_shape[1]`` -- the time
steps of a (batch, steps, features) input -- while ``call`` multiplies by it over the last axis. The weight's size
is the input's own axis-1 size (the same Sized object), which is how the wrong index is recognised."""
from __future__ import annotations

import ast

from ...core import provenance
from ...core.facts import RuleFacts
from ...core.program import Span
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.source import tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..sites import int_literal
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
    build = _build_holding(ctx, f.op.layer.origin.span)
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



def build_reads_axis_the_call_moves(ctx, d):
    """``build()`` sizes a (T, T) weight from ``input_shape[-1]`` while ``call()`` transposes the input first and
    multiplies over the axis that was 1 (``ops.matmul(ops.transpose(x, (0, 2, 1)), self.W)``): the weight meets the
    time axis, so it is to be built from ``input_shape[1]``. Found when the one size ``build`` reads is the weight's
    and the size it meets sits on exactly one other axis of the input ``call`` was given."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _PRODUCTS or len(f.op.inputs) != 2:
        return
    x, w = f.op.inputs
    if not all(isinstance(v, Tensor) and v.shape is not None for v in (x, w)) or len(w.shape) != 2 or \
            len(x.shape) < 3 or x.shape[-1] == w.shape[0]:
        return
    moved = f.inference.producer_of(x)
    if moved is None or moved.layer.kind not in ("ops.transpose", "transpose", "permute", "ops.swapaxes") or \
            not moved.inputs or not isinstance(moved.inputs[0], Tensor) or moved.inputs[0].shape is None:
        return
    given = tuple(moved.inputs[0].shape)
    build = _build_holding(ctx, f.op.layer.origin.span)
    if build is None:
        return
    param = build.args.args[1].arg
    reads = [n for n in ast.walk(build) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and
             n.value.id == param and isinstance(n.slice, (ast.Constant, ast.UnaryOp))]
    indices = [ast.literal_eval(n.slice) if isinstance(n.slice, (ast.Constant, ast.UnaryOp)) else None for n in reads]
    if len(reads) != 1 or not isinstance(indices[0], int) or not -len(given) <= indices[0] < len(given) or \
            given[indices[0]] != w.shape[0]:
        return
    wanted = [m for m in range(1, len(given)) if isinstance(given[m], int) and given[m] == x.shape[-1]]
    if len(wanted) != 1:
        return
    m = wanted[0]
    help_text = remedies.build_from_axis(f"{param}[{m}]")
    yield Cause("layer-number", 88, Label(Span.of(reads[0]), remedies.build_axis_label(indices[0], int(w.shape[0])),
                                          d.file),
                remedies.build_reads_moved_axis_note(int(x.shape[-1]), m), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(reads[0].slice), str(m))]), strong=True)


def _build_holding(ctx, span):
    """The ``build(self, input_shape)`` of the custom layer class whose code holds ``span`` (its ``call``), or
    None."""
    tree = tree_of(ctx.lines)
    cls = next((c for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and _inside(span, Span.of(c))), None) \
        if tree is not None and span is not None else None
    return next((m for m in cls.body if isinstance(m, ast.FunctionDef) and m.name == "build"
                 and len(m.args.args) >= 2), None) if cls is not None else None


def build_weight_sized_by_another_name(ctx, d):
    """``self.w2 = self.add_weight(shape=(self.reduction, channels))`` in ``build`` while the vector ``call``
    multiplies by it has ``squeeze`` values -- a name ``build`` computed just above for exactly that width. The
    weight's inner size is written with the wrong name; the fix writes the name that holds the width it meets."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _PRODUCTS or len(f.op.inputs) != 2:
        return
    x, w = f.op.inputs
    spans = f.op.layer.extra.get("input_spans") or []
    if not all(isinstance(v, Tensor) and v.shape is not None for v in (x, w)) or len(w.shape) != 2 or \
            not x.shape or x.shape[-1] == w.shape[0] or len(spans) != 2 or spans[1] is None:
        return
    made = provenance.origin_of(x.shape[-1])
    at = getattr(made, "span", None)
    operand = ctx.text(spans[1]) or ""
    if at is None or not operand.startswith("self."):
        return
    tree = tree_of(ctx.lines)
    cls = next((c for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and _inside(spans[1], Span.of(c))), None) \
        if tree is not None else None
    build = next((m for m in cls.body if isinstance(m, ast.FunctionDef) and m.name == "build"), None) \
        if cls is not None else None
    if build is None:
        return
    names = [n.targets[0].id for n in ast.walk(build) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
             isinstance(n.targets[0], ast.Name) and _inside(at, Span.of(n.value))]
    weights = [n.value for n in ast.walk(build) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
               isinstance(n.targets[0], ast.Attribute) and f"self.{n.targets[0].attr}" == operand and
               isinstance(n.value, ast.Call)]
    shape = next((k.value for k in weights[0].keywords if k.arg == "shape"), None) if len(weights) == 1 else None
    if len(names) != 1 or not isinstance(shape, (ast.Tuple, ast.List)) or len(shape.elts) != 2:
        return
    inner = shape.elts[0]
    if isinstance(inner, ast.Name) and inner.id == names[0]:
        return
    help_text = remedies.weight_sized_by_name(names[0])
    yield Cause("layer-number", 87, Label(Span.of(inner), remedies.weight_size_label(ctx.text(Span.of(inner)) or "",
                                                                                   int(w.shape[0])), d.file),
                remedies.weight_size_note(names[0], int(x.shape[-1])), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(inner), names[0])]), strong=True)


_ELEMENTWISE = ("ops.multiply", "multiply", "ops.add", "add", "mul", "__mul__", "__add__", "ops.subtract", "sub")


def build_weight_from_wrong_slice(ctx, d):
    """A custom layer's per-channel scale built from another slice of ``input_shape`` -- ``add_weight(shape=
    input_shape[1:-1])``, the (H, W) of a (B, H, W, C) input, for an RMS norm over channels -- so ``x * self.gamma``
    cannot broadcast. The slice in ``build`` is the mistake; the weight over the last axis, ``input_shape[-1:]``,
    broadcasts along every sample and position. Offered only where that slice of the input gives exactly the
    weight's shape; the fix contract keeps it only if the model then runs."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or \
            f.op.layer.kind not in _ELEMENTWISE or len(f.op.inputs) != 2:
        return
    shapes = [getattr(v, "shape", None) for v in f.op.inputs]
    if any(s is None for s in shapes) or len(shapes[0]) == len(shapes[1]):
        return
    x, w = (shapes[0], shapes[1]) if len(shapes[0]) > len(shapes[1]) else (shapes[1], shapes[0])
    build = _build_holding(ctx, f.op.layer.origin.span)
    if build is None:
        return
    param = build.args.args[1].arg
    found = []
    for call in ast.walk(build):
        shape = next((k.value for k in call.keywords if k.arg == "shape"), None) \
            if isinstance(call, ast.Call) and getattr(call.func, "attr", None) == "add_weight" else None
        if isinstance(shape, ast.Subscript) and isinstance(shape.value, ast.Name) and shape.value.id == param and \
                isinstance(shape.slice, ast.Slice) and shape.slice.step is None:
            lo, hi = (_int_or_none(shape.slice.lower), _int_or_none(shape.slice.upper))
            if lo is not False and hi is not False and tuple(x[lo:hi]) == tuple(w) and tuple(x[-1:]) != tuple(w):
                found.append(shape)
    if len(found) != 1:
        return
    spelled = f"({param}[-1],)"
    help_text = remedies.weight_over_last_axis(spelled)
    yield Cause("layer-number", 86, Label(Span.of(found[0]), remedies.weight_slice_label(tuple(w)), d.file),
                remedies.weight_slice_note(tuple(w), tuple(x)), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(found[0]), spelled)]), strong=True)


def _int_or_none(node):
    """A slice bound: its int, None when absent, False when not a literal."""
    if node is None:
        return None
    value = int_literal(node)
    return False if value is None else value
