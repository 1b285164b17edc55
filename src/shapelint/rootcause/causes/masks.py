"""Causes at the place a padding mask was made. A per-sample (N, S) mask -- which keys each sample may attend to --
passed where the attention wants a mask that broadcasts to its scores (``F.scaled_dot_product_attention``:
(N, heads, L, S); Keras ``MultiHeadAttention``: (N, T, S)) needs size-1 axes for heads and queries. The attention
call only shows where it surfaced; the mask is wrong where it was built, and every use of it needs the same axes,
so the fix goes there (``mask[:, None, None, :]``). Putting the padding on the query axis instead (``[..., None]``)
runs and masks the wrong entries -- the contract cannot see that, the rule's fact (``new_axes``) decides it."""
from __future__ import annotations

import ast
from typing import Optional

from ...core.facts import RuleFacts
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.model import Fix, Label
from ..cause import Cause
from ..sites import assigned_value, whole_value
from ..spelling import append


def padding_mask(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "attention-mask-mismatch":
        return
    axes = f.mismatch.facts.get("new_axes")
    mask = f.mismatch.facts.get("mask_value")
    if not axes or mask is None or not getattr(mask, "shape", None) or len(mask.shape) != 2:
        return
    site = _made_at(ctx, f, mask)
    if site is None:
        return
    index = ", ".join(":" if i not in axes else "None" for i in range(len(mask.shape) + len(axes)))
    # positions 0 and last are the mask's own (N, S) axes; the inserted ones sit between them
    suffix = f"[{index}]"
    edit = append(ctx, site, suffix)
    if edit is None:
        return
    wanted = remedies.mask_with_axes(ctx.text(site) + suffix)
    yield Cause("mask-layout", 84, Label(site, remedies.padding_mask_made(mask.shape), d.file),
                remedies.padding_mask_note(len(axes)), wanted, fix=Fix("unsafe", wanted, [edit]), strong=True)


def _made_at(ctx, f, mask) -> Optional[Span]:
    """The expression that made the mask, when it is the whole value of an assignment: the producing op inside a
    functional model, or the name passed to the model at its call site."""
    op = f.inference.producer_of(mask)
    if op is not None:
        span = op.layer.extra.get("call_span") or op.layer.origin.span
        return span if whole_value(ctx, span, assignment_only=True) else None
    inputs = f.inference.program.inputs
    index = next((i for i, x in enumerate(inputs) if x is mask), None)
    if index is None:
        return None
    model, run = ctx.run_of(f.inference)
    for feed in ctx.feeds():
        if feed.model is not model:
            continue
        node = feed.call.node_of(index, None)
        if isinstance(node, ast.Name):
            return assigned_value(ctx, node.id)
    return None
