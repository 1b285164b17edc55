"""Tensors stacked on one axis and combined as if stacked on another: the experts of a mixture stacked last,
``ops.stack(outs, axis=-1)`` -> (B, units, n_experts), then weighted by a gate laid out for (B, n_experts, 1). The
element-wise op raises, but the layout was decided where the tensors were stacked: on the one other axis where
the two operands broadcast, the rest of the code (the sum over axis 1) reads what it was written for."""
from __future__ import annotations

from ...core.dims import broadcast_shapes
from ...core.facts import RuleFacts
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import keyword_edit
from ...diagnostics.model import Edit, Fix, Label
from ..cause import WIDTH_RESIZINGS, Cause
from ..spelling import call_at

_STACKS = {"ops.stack": "axis", "stack": "dim"}  # keras.ops / tf.stack, torch.stack


def stacked_on_other_axis(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch":
        return
    xs = [v for v in f.op.inputs if isinstance(v, Tensor)]
    if len(xs) != 2 or any(v.shape is None for v in xs):
        return
    for mine, other in ((xs[0], xs[1]), (xs[1], xs[0])):
        stack = f.inference.producer_of(mine)
        param = _STACKS.get(stack.layer.kind) if stack is not None else None
        if param is None or not stack.inputs or not isinstance(stack.inputs[0], Tensor) or \
                stack.inputs[0].shape is None:
            continue
        item = tuple(stack.inputs[0].shape)
        written = stack.layer.args.get(param, 0)
        if not isinstance(written, int) or isinstance(written, bool):
            continue
        axis = written % (len(item) + 1)
        fitting = [b for b in range(1, len(item) + 1) if b != axis and  # axis 0 would stack over the batch
                   broadcast_shapes([_stacked(item, b, len(stack.inputs)), tuple(other.shape)])[0] is not None]
        if len(fitting) != 1:
            continue
        wanted = fitting[0]
        span = stack.layer.arg_spans.get(param)
        call = call_at(ctx, stack.layer.origin.span)
        edit = Edit(span, str(wanted)) if span is not None else \
            keyword_edit(call, param, str(wanted)) if call is not None else None
        help_text = remedies.stack_on_axis(param, wanted)
        yield Cause("layout", 80, Label(span or stack.layer.origin.span,
                                        remedies.stacked_on_label(written, tuple(mine.shape)), d.file),
                    remedies.stacked_on_note(written, tuple(mine.shape), tuple(other.shape), wanted),
                    help_text, fix=Fix("unsafe", help_text, [edit]) if edit is not None else None, strong=True)
        return


def _stacked(item: tuple, axis: int, n: int) -> tuple:
    return item[:axis] + (n,) + item[axis:]


_CONCATS = {"cat": "dim", "concat": "dim", "concatenate": "dim", "ops.concatenate": "axis"}


def concatenated_along_the_batch(ctx, d):
    """``torch.cat([user_emb, item_emb], dim=0)`` on two (B, 32) embeddings: (2B, 32), and the ``Linear(64, ...)``
    after it -- sized for the features joined, 32 + 32 -- refuses 32. The tensors were joined on the batch axis
    instead of the features: each sample's parts became rows of their own. Offered when the layer's expected width is
    exactly the sum of the joined tensors' last axes, all with the same number of rows; the fix joins them on the
    last axis (the batch then keeps one row per sample)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in ("Linear", "Dense") or not f.op.inputs:
        return
    expected = getattr(f.mismatch, "expected", None)
    join = f.inference.producer_of(f.op.inputs[0])
    param = _CONCATS.get(join.layer.kind) if join is not None else None
    parts = [v for v in join.inputs if isinstance(v, Tensor) and v.shape] if param is not None else []
    if not isinstance(expected, int) or len(parts) < 2 or len(parts) != len(join.inputs):
        return
    written = join.layer.args.get(param, 0)
    rank = len(parts[0].shape)
    if not isinstance(written, int) or isinstance(written, bool) or written % rank != 0 or rank < 2 or \
            any(len(p.shape) != rank or p.shape[0] != parts[0].shape[0] for p in parts) or \
            not all(isinstance(p.shape[-1], int) for p in parts) or sum(p.shape[-1] for p in parts) != expected:
        return
    span = join.layer.arg_spans.get(param)
    call = call_at(ctx, join.layer.origin.span)
    edit = Edit(span, "-1" if param == "axis" else "1") if span is not None else \
        keyword_edit(call, param, "1") if call is not None else None
    if edit is None:
        return
    help_text = remedies.join_on_the_features(param, edit.text)
    yield Cause("layout", 92, Label(span or join.layer.origin.span,
                                    remedies.joined_on_the_batch_label(tuple(parts[0].shape), len(parts)), d.file),
                remedies.joined_on_the_batch_note(expected, [p.shape[-1] for p in parts]), help_text,
                fix=Fix("unsafe", help_text, [edit]), strong=True,
                excludes=("batch-merged",) + WIDTH_RESIZINGS)
