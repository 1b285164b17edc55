"""A Keras model whose output is no longer one row per sample.

A Keras ``Input(shape=...)`` leaves the batch axis free (``None``); every layer keeps it, so a model's output starts
with it too. An op written inside the model that reduces axis 0 -- ``ops.sum(ops.square(x - y), axis=0,
keepdims=True)`` in a Siamese distance ``Lambda`` -- sums over the samples of the batch instead of each sample's
features: the output becomes (1, 32) whatever the batch, Keras builds and fits the model, and the loss broadcasts
the one row against every label. Here the batch axis is known for certain (it is the free one), so no role guess is
involved; the check speaks only when the model's output lost the free axis and exactly one op that reduced it
explicitly lies on the way to the output.
"""
from __future__ import annotations

from typing import Optional

from ..core.values import Tensor, TensorTuple
from ..diagnostics import remedies
from .report import emit, replace_fix, shape_text, span_text

_REDUCTIONS = {"ops.sum", "ops.mean", "ops.max", "ops.min", "ops.prod", "ops.var", "ops.std", "ops.logsumexp",
               "ops.norm", "ops.median", "ops.amax", "ops.amin"}


def output_lost_batch(ev, model, run) -> None:
    """The model's inputs have a free batch axis and its output has not: report the reduction over axis 0 that
    took it, where its axis was written."""
    ops = run.program.ops
    if not ops or ops[0].layer.framework != "keras" or not _free_batch(run.program.inputs):
        return
    out = run.output
    if not isinstance(out, Tensor) or not out.shape or out.shape[0] is None:
        return
    graph = ev.state.keras_graph
    found = _reductions_over_batch(_upstream(run.output, ops + (graph.program.ops if graph is not None else [])))
    if len(found) != 1:
        return
    op = found[0]
    x = op.inputs[0]
    span = op.layer.arg_spans.get("axis")
    if span is None or span_text(ev, span) is None:
        return
    rank = len(x.shape)
    fix = replace_fix(span, "-1", remedies.reduce_within_sample_title()) if rank == 2 else None
    emit(ev, "reduction-over-batch-axis", span, f"axis 0 of {shape_text(x.shape)} is the batch",
         variant="model-rows", op=op.layer.kind, axis=0, received_shape=shape_text(x.shape),
         output_shape=shape_text(out.shape), remedy=remedies.reduce_within_sample(rank), severity="warning",
         secondary=[(op.layer.origin.span, "reduced here")] if op.layer.origin.span != span else [],
         model=getattr(model, "display_name", None) or getattr(model, "name", None), fix=fix)


def _free_batch(inputs) -> bool:
    shapes = [i.shape for i in inputs if isinstance(i, Tensor)]
    return bool(shapes) and len(shapes) == len(inputs) and all(s and s[0] is None for s in shapes)


def _upstream(output, ops) -> list:
    """The ops whose results reach ``output``, following a traced ``Lambda`` into the ops of its function."""
    made = {id(op.output): op for op in ops}
    seen, todo, found = set(), [output], []
    while todo:
        v = todo.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        op = made.get(id(v))
        if op is None:
            continue
        found.append(op)
        todo.extend(op.inputs)
        traced = op.layer.extra.get("traced_output")
        if traced is not None:
            todo.extend(traced.items if isinstance(traced, TensorTuple) else [traced])
    return found


def _reductions_over_batch(ops) -> list:
    res = []
    for op in ops:
        if op.layer.kind not in _REDUCTIONS or not op.inputs:
            continue
        x, y = op.inputs[0], op.output
        axis = _axes(op.layer.args.get("axis"))
        if not isinstance(x, Tensor) or not x.shape or x.shape[0] is not None or axis is None or \
                not any(a in (0, -len(x.shape)) for a in axis):
            continue
        if isinstance(y, Tensor) and y.shape and y.shape[0] is not None:
            res.append(op)
    return res


def _axes(raw) -> Optional[tuple]:
    items = raw if isinstance(raw, (tuple, list)) else (raw,)
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in items):
        return None
    return tuple(items)
