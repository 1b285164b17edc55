"""Samples crossed by broadcasting: two tensors that both hold one row per sample, combined element-wise where the
shorter one's batch axis lines up with a unit axis of the longer one -- a masked mean ``(h * mask).sum(1) /
mask.sum(1, keepdim=True)`` with a (B, T, 1) mask divides the (B, D) totals by a (B, 1, 1) count and gets
(B, B, D): every sample's total over every other sample's count. Neither framework raises; the model's output gains
an axis of B rows.

Reported only where a reduction kept that unit axis (``keepdim=True``), or a layer made it as its one feature (a
``Linear(k, 1)`` output added to a (B,) sum) -- pairwise code crosses samples on purpose with an axis it inserts --
and both axes 0 are the batch. A kept axis is reported at the reduction, whose fix drops it (``keepdim=False``);
one-feature outputs at the join, whose fix squeezes every one of them joined in the chain."""
from __future__ import annotations

import ast

from ..core import roles
from ..core.values import Tensor
from ..diagnostics import remedies
from ..diagnostics.fixes.calls import keyword_edit
from ..diagnostics.fixes.edits import append_edit
from ..diagnostics.fixes.source import node_at
from ..diagnostics.model import Fix
from .report import emit, ops_of_every_run, shape_text

_ELEMENTWISE = ("mul", "add", "sub", "div", "true_divide", "rsub", "ops.multiply", "ops.add", "ops.subtract",
                "ops.divide", "ops.true_divide", "ops.maximum", "ops.minimum", "maximum", "minimum")
_REDUCTIONS = ("sum", "mean", "amax", "amin", "max", "min", "ops.sum", "ops.mean", "ops.max", "ops.min")
_KEEP_KEYWORDS = ("keepdim", "keepdims")


def samples_crossed_by_broadcast(ev) -> None:
    done = set()
    for inf, op in ops_of_every_run(ev):
        if getattr(inf, "uncertain", False) or op.layer.kind not in _ELEMENTWISE or len(op.inputs) != 2 or \
                op.diagnostics or not all(isinstance(v, Tensor) and v.shape for v in op.inputs):
            continue
        short, long = sorted(op.inputs, key=lambda v: len(v.shape))
        if not _crossed(inf, short, long) or op.layer.origin.span in done:
            continue
        done.add(op.layer.origin.span)
        _report(ev, inf, op, short, long)


def _crossed(inf, short: Tensor, long: Tensor) -> bool:
    """The shorter tensor's batch axis meets a unit axis of the longer one that a reduction kept (``keepdim=True``) or
    a layer made as its one feature, and both axes 0 are the batch: the same size (None, a Keras batch, on both; or
    one known size of 2 or more), with no role saying otherwise. Pairwise code (``x - x[:, None]``) crosses samples on
    purpose, with an axis inserted for it: it is not reported."""
    if len(short.shape) >= len(long.shape):
        return False
    met = len(long.shape) - len(short.shape)
    if long.shape[met] != 1:
        return False
    if not _kept_by_reduction(inf, long, met) and not _unit_width_output(inf, short, long, met):
        return False
    a, b = short.shape[0], long.shape[0]
    if a != b or (a is not None and not (isinstance(a, int) and a >= 2)):
        return False
    return all(r is None or not r or r[0] == roles.N for r in (roles.roles_of(inf, short), roles.roles_of(inf, long)))


_INSERTIONS = ("unsqueeze", "getitem", "view", "reshape", "expand_dims", "ops.expand_dims", "ops.reshape", "Reshape",
               "repeat", "expand", "ops.repeat", "ops.tile")


def _unit_width_output(inf, short, long, axis: int) -> bool:
    """A layer's output of one feature, (B, 1) -- a bias ``nn.Embedding(n, 1)``, a ``Linear(k, 1)`` -- meeting one
    value per sample, (B,): the roles must say both are the batch and the unit axis is features (not an axis
    inserted to pair samples on purpose)."""
    made = inf.producer_of(long)
    r_short, r_long = roles.roles_of(inf, short), roles.roles_of(inf, long)
    return made is not None and made.layer.kind not in _INSERTIONS and len(long.shape) == 2 and axis == 1 and \
        bool(r_short) and bool(r_long) and r_short[0] == roles.N and r_long[0] == roles.N and r_long[1] == roles.F


def _kept_by_reduction(inf, value, axis: int) -> bool:
    """``value`` is a reduction's output that kept its reduced axis ``axis`` (``mask.sum(1, keepdim=True)``)."""
    made = inf.producer_of(value)
    if made is None or made.layer.kind not in _REDUCTIONS:
        return False
    args = made.layer.args
    if not any(args.get(k) is True for k in _KEEP_KEYWORDS):
        return False
    dims = args.get("dim", args.get("axis"))
    dims = dims if isinstance(dims, (tuple, list)) else (dims,)
    rank = len(value.shape)
    return any(isinstance(d, int) and not isinstance(d, bool) and d % rank == axis for d in dims)


def _report(ev, inf, op, short: Tensor, long: Tensor) -> None:
    out = getattr(op.output, "shape", None)
    made = inf.producer_of(long)
    kept = _keep_dim_fix(ev, made, short, long)
    fix = kept or _squeeze_fix(ev, inf, op, long)
    span = made.layer.origin.span if kept is not None else op.layer.origin.span  # the reduction, else the join
    secondary = [(op.layer.origin.span, remedies.samples_crossed_here_label(shape_text(out)))] \
        if kept is not None else []
    label = remedies.samples_crossed_label(shape_text(long.shape)) if kept is not None else \
        remedies.samples_crossed_here_label(shape_text(out))
    emit(ev, "samples-crossed", span, label,
         secondary=secondary, kind=op.layer.kind, short_shape=shape_text(short.shape),
         long_shape=shape_text(long.shape), result_shape=shape_text(out) if out is not None else "?",
         remedy=fix.title if fix is not None else remedies.line_up_the_samples(), fix=fix, severity="warning")


def _squeeze_fix(ev, inf, op, long: Tensor):
    """``dot + self.user_bias(u) + self.item_bias(i)``: every (B, 1) one-feature output joined to the (B,) values in
    the chain gets ``.squeeze(-1)`` where it enters -- all of them at once, so the fix is whole (and a second run
    changes nothing)."""
    if getattr(op.layer, "framework", None) != "torch":
        return None
    targets = [(op, long)]
    current = op.output
    for later in inf.program.ops[op.index + 1:]:
        if later.layer.kind not in _ELEMENTWISE or len(later.inputs) != 2 or \
                not any(v is current for v in later.inputs):
            continue
        other = later.inputs[1] if later.inputs[0] is current else later.inputs[0]
        if isinstance(other, Tensor) and other.shape is not None and len(other.shape) == 2 and other.shape[1] == 1 \
                and other.shape[0] == long.shape[0]:
            targets.append((later, other))
        current = later.output
    edits = []
    for at, value in targets:
        spans = at.layer.extra.get("input_spans") or []
        k = next((i for i, v in enumerate(at.inputs) if v is value), None)
        span = spans[k] if k is not None and k < len(spans) else None
        edit = append_edit(span, ".squeeze(-1)", ev.lines) if span is not None else None
        if edit is None:
            return None
        edits.append(edit)
    return Fix("unsafe", remedies.squeeze_one_feature_outputs(), edits)


def _keep_dim_fix(ev, made, short: Tensor, long: Tensor):
    """``mask.sum(1, keepdim=True)`` made the longer operand one axis too long: ``keepdim=False`` lines the two up."""
    if made is None or made.layer.kind not in _REDUCTIONS or len(long.shape) != len(short.shape) + 1:
        return None
    call = node_at(made.layer.origin.span, ev.lines, ast.Call)
    kw = next((k for k in call.keywords if k.arg in _KEEP_KEYWORDS), None) if call is not None else None
    if kw is None or not (isinstance(kw.value, ast.Constant) and kw.value.value is True):
        return None
    edit = keyword_edit(call, kw.arg, "False", ev.lines)
    return Fix("unsafe", remedies.drop_kept_axis(kw.arg), [edit]) if edit is not None else None
