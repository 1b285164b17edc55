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
from ..cause import Cause
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
