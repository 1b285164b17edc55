"""A softmax written by hand over the batch: ``e = torch.exp(x); e / e.sum(dim=0, keepdim=True)`` on (N, C) scores
normalises each class's column across the samples, so no row is a distribution over the classes -- and each
sample's "probabilities" depend on the other samples in the batch. Nothing raises (the shapes broadcast).

Reported where the roles say the axis summed over is the batch (an unknown role reports nothing), at the sum; the fix
sums over the last axis instead, keeping it so the division still lines up, and moves a stabilising max over the
same axis with it (a max per class column subtracted before a softmax per row would change the result)."""
from __future__ import annotations

from ..core import roles
from ..diagnostics import remedies
from ..diagnostics.fixes.edits import set_arg_edit
from ..diagnostics.model import Fix
from .report import emit, ops_of_every_run, shape_text

_DIVS = ("div", "true_divide", "ops.divide", "ops.true_divide")
_SUMS = ("sum", "ops.sum")
_EXPS = ("exp", "ops.exp")
_MAXES = ("amax", "max", "ops.max", "ops.amax")
_SHIFTS = ("sub", "ops.subtract")


def softmax_over_the_batch_by_hand(ev) -> None:
    done = set()
    for inf, op in ops_of_every_run(ev):
        if op.layer.kind not in _DIVS or len(op.inputs) != 2 or op.diagnostics:
            continue
        found = _softmax_parts(inf, op)
        if found is None or found[0].layer.origin.span in done:
            continue
        done.add(found[0].layer.origin.span)
        _report(ev, inf, *found)


def _softmax_parts(inf, div):
    """(the sum, its axis, the exp's output) when ``div`` is ``exp(z) / exp(z).sum(axis)`` over the batch axis."""
    num, den = div.inputs
    total = inf.producer_of(den)
    exp = inf.producer_of(num)
    if total is None or exp is None or total.layer.kind not in _SUMS or exp.layer.kind not in _EXPS or \
            not total.inputs or total.inputs[0] is not num:
        return None
    shape = getattr(num, "shape", None)
    axis = _axis_of(total, shape)
    if shape is None or len(shape) < 2 or axis is None:
        return None
    r = roles.roles_of(inf, num)
    if not r or r[axis] != roles.N:
        return None
    return total, axis, num, exp


def _axis_of(op, shape):
    """The one axis a reduction is taken over, counted from the left; None when not one known axis."""
    raw = op.layer.args.get("dim", op.layer.args.get("axis"))
    if isinstance(raw, (tuple, list)) and len(raw) == 1:
        raw = raw[0]
    if shape is None or not isinstance(raw, int) or isinstance(raw, bool) or not -len(shape) <= raw < len(shape):
        return None
    return raw % len(shape)


def _report(ev, inf, total, axis: int, scores, exp) -> None:
    keep = "keepdims" if total.layer.kind.startswith("ops.") else "keepdim"
    dim = "axis" if total.layer.kind.startswith("ops.") else "dim"
    edits = [set_arg_edit(total.layer, dim, "-1", ev.lines), set_arg_edit(total.layer, keep, "True", ev.lines)]
    stabiliser = _stabilising_max(inf, exp, axis)
    if stabiliser is not None:
        mdim = "axis" if stabiliser.layer.kind.startswith("ops.") else "dim"
        edits.append(set_arg_edit(stabiliser.layer, mdim, "-1", ev.lines))
    remedy = remedies.softmax_by_hand_over_last_axis(dim, keep)
    fix = Fix("unsafe", remedy, edits) if all(e is not None for e in edits) else None
    emit(ev, "reduction-over-batch-axis", total.layer.origin.span, remedies.sums_over_the_batch_label(),
         variant="softmax-by-hand", op=total.layer.kind, axis=axis, received_shape=shape_text(scores.shape),
         remedy=remedy, fix=fix, severity="warning")


def _stabilising_max(inf, exp, axis: int):
    """The max subtracted from the scores before the exp (``x - x.amax(dim=0, keepdim=True)``) when it is taken
    over the same axis, so it moves with the sum; None otherwise (a max over everything is one number: it may stay)."""
    shift = inf.producer_of(exp.inputs[0]) if exp.inputs else None
    if shift is None or shift.layer.kind not in _SHIFTS or len(shift.inputs) != 2:
        return None
    made = inf.producer_of(shift.inputs[1])
    if made is None or made.layer.kind not in _MAXES or not made.inputs:
        return None
    return made if _axis_of(made, getattr(made.inputs[0], "shape", None)) == axis else None
