"""Causes in the targets given to a loss: the model's output is right and the targets have a spare or a missing
axis (class ids as an (N, 1) column for ``CrossEntropyLoss``; (N,) values against an (N, 1) regression output)."""
from __future__ import annotations

from ...checks.facts import LossFacts
from ...core.dims import is_known
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.model import Fix, Label
from ..cause import Cause
from ..spelling import append

_CLASS_INDEX = ("CrossEntropyLoss", "NLLLoss", "F.cross_entropy", "F.nll_loss", "MultiMarginLoss", "F.multi_margin_loss")
_SAME_SHAPE = ("MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "BCELoss", "BCEWithLogitsLoss", "F.mse_loss",
               "F.l1_loss", "F.smooth_l1_loss", "F.huber_loss", "F.binary_cross_entropy",
               "F.binary_cross_entropy_with_logits")


def _int_dtype(v) -> bool:
    return (v.value.dtype or "").startswith(("int", "uint")) or bool(v.meta.get("int_range"))


def target_axis(ctx, d):
    f = d.facts
    if not isinstance(f, LossFacts) or f.pred.shape is None or f.target.shape is None:
        return
    p, t = tuple(f.pred.shape), tuple(f.target.shape)
    suffix = None
    if f.kind in _CLASS_INDEX and len(p) == 2 and len(t) == 2 and t[1] == 1 and is_known(p[1]) and p[1] > 1 \
            and _int_dtype(f.target):
        suffix = ".squeeze(1)"
    elif f.kind in _SAME_SHAPE and len(p) == 2 and p[1] == 1 and len(t) == 1:
        suffix = ".unsqueeze(1)"
    elif f.kind in _SAME_SHAPE and len(p) == 1 and len(t) == 2 and t[1] == 1:
        suffix = ".squeeze(1)"
    if suffix is None:
        return
    node = f.call.node_of(1, "target")
    span = Span.of(node) if node is not None else None
    edit = append(ctx, span, suffix)
    text = ctx.text(span)
    if edit is None or text is None:
        return
    # a spare axis was written where the targets' shape was (``randint(0, C, (N, 1))``, a ``[:, 10:]`` column): the
    # label goes there. A missing one was not written anywhere -- (N,) values are the natural form of the data --
    # so the diagnosis stays where they meet the (N, 1) output, at the loss. The fix is at the loss in both cases,
    # where it changes nothing else.
    spare = len(t) > len(p) or suffix == ".squeeze(1)"
    site = (getattr(f.target, "shaped_at", None) or f.target.origin or span) if spare else span
    secondary = [Label(span, remedies.target_label(t, p), d.file)] if site != span else []
    yield Cause("target-shape", 78, Label(site, remedies.target_made(t), d.file),
                remedies.target_note(f.kind, p, t), remedies.reshape_target(f"{text}{suffix}"),
                fix=Fix("unsafe", remedies.reshape_target(f"{text}{suffix}"), [edit]), secondary=secondary,
                strong=True)
