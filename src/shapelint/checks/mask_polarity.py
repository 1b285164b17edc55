"""A padding mask of the wrong polarity: True on the real tokens where the attention ignores the True keys, or the
other way round.

``nn.MultiheadAttention``'s ``key_padding_mask`` (and the Transformer layers' ``src_/tgt_/memory_key_padding_mask``)
ignores the keys where the mask is True; ``F.scaled_dot_product_attention``'s bool ``attn_mask`` keeps them. A mask
made as ``tokens != PAD`` (True on the real tokens, the Hugging Face ``attention_mask``) given as a
``key_padding_mask`` hides every real token and attends to the padding only; shapes and dtypes agree, so it runs and
trains on nothing. Where the mask was made is known from the comparison that made it
(``frontends/source/mask_polarity.py``); the check speaks only when the compared tensor is the token ids an
``Embedding`` of the same model reads, so a mask of anything else is never judged. The fix negates the mask where it
is passed (``~mask``): the same mask is often also used the right way round elsewhere (a masked mean pool).
"""
from __future__ import annotations

import ast
from typing import Optional

from ..core.program import Span
from ..core.values import Tensor
from ..diagnostics import remedies
from ..diagnostics.fixes.source import node_at
from ..diagnostics.model import Edit, Fix
from ..frontends.source import mask_polarity
from ..frontends.source.mask_polarity import KEPT, PADDING
from .report import emit, shape_text, span_text

# layer kind -> ((argument, position in the call), ...) of its key padding masks: True = ignore this key
_IGNORES_TRUE = {
    "MultiheadAttention": (("key_padding_mask", 3),),
    "TransformerEncoderLayer": (("src_key_padding_mask", 2),),
    "TransformerEncoder": (("src_key_padding_mask", 2),),
    "TransformerDecoderLayer": (("tgt_key_padding_mask", 4), ("memory_key_padding_mask", 5)),
    "TransformerDecoder": (("tgt_key_padding_mask", 4), ("memory_key_padding_mask", 5)),
    "Transformer": (("src_key_padding_mask", 5), ("tgt_key_padding_mask", 6), ("memory_key_padding_mask", 7)),
}
# a bool mask these keep where True
_KEEPS_TRUE = {"F.scaled_dot_product_attention": (("attn_mask", 3),)}
# ops a mask passes through on its way to the attention without changing what it marks (new axes, a cast to bool)
_CARRIES = ("getitem", "unsqueeze", "view", "reshape", "expand", "expand_as", "bool", "to", "contiguous", "repeat")
_NEGATES = ("logical_not", "__invert__", "bitwise_not")


def inverted_padding_masks(ev, run, ops) -> None:
    for op in ops:
        if op.layer.framework != "torch":
            continue
        wanted, args = (PADDING, _IGNORES_TRUE.get(op.layer.kind)) if op.layer.kind in _IGNORES_TRUE else \
            (KEPT, _KEEPS_TRUE.get(op.layer.kind))
        for name, position in args or ():
            mask = op.layer.call_input(op.inputs, name, position) or op.layer.input_named(op.inputs, name, position)
            found = _made(ev, run, mask)
            if found is None:
                continue
            made, negations = found
            marks = made.marks if negations % 2 == 0 else (KEPT if made.marks == PADDING else PADDING)
            if marks == wanted or not _reads_as_tokens(run, made.compared):
                continue
            _report(ev, run, op, name, position, mask, made, wanted)
            break


def _made(ev, run, mask) -> Optional[tuple]:
    """(the record of the comparison that made ``mask``, how many negations lie between), following the ops of the
    run that carry a mask unchanged; None when the mask was not made by a noted comparison or is not bool."""
    negations, inf = 0, run.inference
    for _ in range(20):
        if not isinstance(mask, Tensor) or mask.dtype not in ("bool", None):
            return None
        made = mask_polarity.made(ev, mask)
        if made is not None:
            return made, negations
        p = inf.producer_of(mask)
        if p is None or not p.inputs or p.layer.kind not in _CARRIES + _NEGATES:
            return None
        negations += p.layer.kind in _NEGATES
        mask = p.inputs[0]
    return None


def _reads_as_tokens(run, compared) -> bool:
    """The compared tensor is the token ids: an ``Embedding`` of this run reads it."""
    return compared is not None and any(op.layer.kind == "Embedding" and op.inputs and op.inputs[0] is compared
                                        for op in run.program.ops)


def _report(ev, run, op, name: str, position: int, mask: Tensor, made, wanted: str) -> None:
    call = op.layer.extra.get("call_span") or op.layer.origin.span
    arg = _argument_node(ev, call, name, position)
    site = Span.of(arg) if arg is not None else call
    made_text = span_text(ev, made.span) or "the comparison"
    fix = _negate_fix(ev, arg)
    shown = fix.edits[0].text if fix is not None and fix.edits else None
    emit(ev, "padding-mask-inverted", site, remedies.mask_marks(wanted == PADDING),
         secondary=[(made.span, remedies.mask_made_marks(made_text, made.marks == KEPT))],
         kind=op.layer.kind, arg=name, received_shape=shape_text(mask.shape),
         variant=None if wanted == PADDING else "keeps",
         remedy=remedies.negate_padding_mask(name, shown),
         severity="warning", model=getattr(run, "model_name", None), fix=fix)


def _argument_node(ev, call: Optional[Span], name: str, position: int):
    node = node_at(call, ev.lines, ast.Call) if call is not None else None
    if node is None:
        return None
    kw = next((k.value for k in node.keywords if k.arg == name), None)
    if kw is not None:
        return kw
    args = node.args
    return args[position] if position < len(args) and not any(isinstance(a, ast.Starred) for a in args) else None


def _negate_fix(ev, arg) -> Optional[Fix]:
    """``~mask`` where it is passed; an inline ``tokens != PAD`` has its comparison turned round instead."""
    if arg is None:
        return None
    span = Span.of(arg)
    text = span_text(ev, span)
    if text is None:
        return None
    left = ev.text(arg.left) if isinstance(arg, ast.Compare) else None
    right = ev.text(arg.comparators[0]) if isinstance(arg, ast.Compare) and len(arg.comparators) == 1 else None
    if isinstance(arg, ast.Compare) and len(arg.ops) == 1 and type(arg.ops[0]) in (ast.Eq, ast.NotEq) and \
            left and right:  # the comparison turned round, rebuilt from its operands
        new = f"{left} {'==' if isinstance(arg.ops[0], ast.NotEq) else '!='} {right}"
    elif isinstance(arg, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
        new = "~" + text
    else:
        new = f"~({text})"
    return Fix("unsafe", remedies.negate_mask_title(new), [Edit(span, new)])
