"""Predictions and targets flattened in different orders before a loss: a time-major model's logits (T, B, V)
viewed as (T*B, V) against batch-major targets (B, T) viewed as (B*T,). The row counts agree, so nothing raises,
but row i of the logits is (step i // B, sample i % B) while row i of the targets is (sample i // T, step i % T):
each prediction is scored against another position's target.

Reported when the sizes merged on each side are the same distinct sizes (each more than 1) in another order: rows
that must pair one prediction with its target can only agree when the merged axes come in the same order, whatever
they mean. The targets are permuted into the predictions' order where they are flattened."""
from __future__ import annotations

import ast
from typing import Optional

from ..core.dims import is_known
from ..core.program import Span
from ..diagnostics import remedies
from ..diagnostics.fixes.source import node_at
from ..diagnostics.model import Edit, Fix
from ..frontends.source.objects import TensorVal
from . import torch_loss
from .report import emit, shape_text, span_text

_FLATTENS = ("view", "reshape", "flatten")


def flattened_in_other_orders(ev) -> None:
    for pred, target in ev.state.loss_pairs:
        found = [_merged(ev, v) for v in (pred, target)]
        if None in found:
            continue
        (p_op, p_axes), (t_op, t_axes) = found
        values = [int(d) for d in p_axes]
        if len(p_axes) != len(t_axes) or len(p_axes) < 2 or values == [int(d) for d in t_axes] or \
                sorted(values) != sorted(int(d) for d in t_axes) or len(set(values)) != len(values) or min(values) < 2:
            continue
        order = tuple(next(i for i, d in enumerate(t_axes) if int(d) == int(p)) for p in p_axes)
        fix = _permute_targets(ev, t_op, order, len(t_op.inputs[0].shape))  # None for the function form
        emit(ev, "reshape-mixes-samples", p_op.layer.origin.span,
             remedies.flattens_label(shape_text(p_op.inputs[0].shape)), variant="pairing",
             secondary=[(t_op.layer.origin.span, remedies.flattens_in_another_order(shape_text(t_op.inputs[0].shape)))],
             pred_shape=shape_text(p_op.inputs[0].shape), target_shape=shape_text(t_op.inputs[0].shape),
             pred_order=_order_text(p_axes), target_order=_order_text(t_axes), rows=_rows(p_axes),
             pred_text=span_text(ev, p_op.layer.origin.span) or p_op.layer.kind,
             target_text=span_text(ev, t_op.layer.origin.span) or t_op.layer.kind,
             remedy=remedies.flatten_in_one_order(), fix=fix)


def _rows(axes) -> int:
    n = 1
    for d in axes:
        n *= int(d)
    return n


def _order_text(axes) -> str:
    return "(" + ", ".join(str(int(d)) for d in axes) + ")"


def _merged(ev, value) -> Optional[tuple]:
    """(op, the input's sizes merged into axis 0) when ``value`` was made by a view / reshape / flatten that merges
    the leading axes of its input and keeps the rest, all of them sizes with a known origin."""
    if not isinstance(value, TensorVal) or value.shape is None:
        return None
    op = torch_loss.producing_op(ev, value)
    if op is None or op.layer.kind not in _FLATTENS or not op.inputs:
        return None
    src = getattr(op.inputs[0], "shape", None)
    out = value.shape
    if src is None or not out or len(src) <= len(out):
        return None
    k = len(src) - len(out) + 1
    if tuple(src[k:]) != tuple(out[1:]) or not all(is_known(d) for d in src[:k]):
        return None
    return op, tuple(src[:k])


def _permute_targets(ev, op, order: tuple, rank: int) -> Optional[Fix]:
    """``targets.view(-1)`` -> ``targets.t().reshape(-1)`` (``permute`` for more axes; a view of a permuted tensor
    would fail, so the call becomes a reshape)."""
    node = op.layer.origin.span
    call = node_at(node, ev.lines, ast.Call) if node is not None else None
    if call is None or not isinstance(call.func, ast.Attribute) or \
            isinstance(call.func.value, ast.Name) and call.func.value.id in ("torch", "np", "numpy"):
        return None  # the method form only: `torch.flatten(targets)` has no receiver to move
    perm = list(order) + list(range(len(order), rank))
    move = ".t()" if rank == 2 and perm == [1, 0] else f".permute({', '.join(map(str, perm))})"
    receiver = Span.of(call.func.value)
    method = Span.of(call.func)
    edits = [Edit(Span(receiver.end_line, receiver.end_column, receiver.end_line, receiver.end_column), move)]
    if call.func.attr == "view":
        edits.append(Edit(Span(method.end_line, method.end_column - 4, method.end_line, method.end_column), "reshape"))
    return Fix("unsafe", remedies.permute_targets_title(move[1:]), edits)
