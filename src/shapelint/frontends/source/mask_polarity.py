"""Which entries a bool padding mask marks: the real tokens or the padding.

``tokens != PAD`` is True on the real tokens (the Hugging Face ``attention_mask`` convention); ``tokens == PAD`` is True
on the padding. The frameworks disagree on which one they want: ``nn.MultiheadAttention``'s and the Transformer
layers' ``key_padding_mask`` ignores the True keys, ``F.scaled_dot_product_attention``'s bool ``attn_mask`` and a
Keras ``attention_mask`` let the True keys take part. Both masks have the same shape and dtype, so the wrong one runs
and trains: the real tokens are hidden from attention. The shape alone cannot tell them apart; where the mask was
made can.

The evaluator notes each comparison of a tensor with a number (``note_compare``) and each negation of a noted mask
(``note_negated``), and forgets a mask changed in place (``forget``); ``checks/mask_polarity.py`` reads the record where a mask reaches an attention layer. Identity of the
tensor value is the key (the same value object flows from the comparison to the layer); a record holds its tensor so
the id is never reused.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Optional

from ...core.program import Span

KEPT, PADDING = "kept", "padding"  # True on the real tokens / True on the padding


@dataclass(frozen=True)
class MaskMade:
    marks: str  # KEPT or PADDING
    span: Span  # the comparison (or negation) that made it
    compared: Any  # the tensor value compared with a number (the token ids), for a record made by a comparison
    value: Any  # the mask's own tensor value (held so its id stays unique)


def _records(ev) -> dict:
    return ev.state.mask_polarity


def _marks(op_type, number, tensor_on_left: bool) -> Optional[str]:
    """What ``ids <op> number`` is True on, for the comparisons that test for padding: ``!= pad`` / ``== pad`` with
    any pad id, and ``> 0``, ``>= 1``, ``< 1``, ``<= 0`` (ids from 1 up, 0 the padding)."""
    if isinstance(number, bool) or not isinstance(number, int):
        return None
    if op_type is ast.NotEq:
        return KEPT
    if op_type is ast.Eq:
        return PADDING
    if not tensor_on_left:  # ``0 < ids`` reads as ``ids > 0``
        op_type = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}.get(op_type, op_type)
    if (op_type, number) in ((ast.Gt, 0), (ast.GtE, 1)):
        return KEPT
    if (op_type, number) in ((ast.Lt, 1), (ast.LtE, 0)):
        return PADDING
    return None


def note_compare(ev, op_type, operand, number, result, node, tensor_on_left: bool) -> None:
    """Record what ``result`` (the bool tensor value of ``operand <op> number``) marks. A comparison of a mask
    already recorded -- ``mask == 0``, ``mask == False`` -- flips or keeps its record instead."""
    span = Span.of(node)
    if span is None:
        return
    made = _records(ev).get(id(operand))
    if made is not None and made.value is operand:
        if isinstance(number, bool) or number in (0, 1):
            same = (op_type is ast.Eq) == bool(number)
            if op_type in (ast.Eq, ast.NotEq):
                marks = made.marks if same else _other(made.marks)
                _records(ev)[id(result)] = MaskMade(marks, span, made.compared, result)
        return
    marks = _marks(op_type, number, tensor_on_left)
    if marks is not None:
        _records(ev)[id(result)] = MaskMade(marks, span, operand, result)


def note_negated(ev, operand, result, node) -> None:
    """``~mask``: the record of ``mask``, flipped, for ``result``. (Inside a model ``~`` is also the op
    ``logical_not``: a mask indexed before it is negated is followed through the op.)"""
    made = _records(ev).get(id(operand))
    span = Span.of(node)
    if made is not None and made.value is operand and span is not None:
        _records(ev)[id(result)] = MaskMade(_other(made.marks), span, made.compared, result)


def forget(ev, value) -> None:
    """``value`` was changed in place (``mask.logical_not_()``, ``mask ^= True``, ``mask[:, 0] = ...``): its record
    no longer says what it marks."""
    rec = _records(ev).get(id(value))
    if rec is not None and rec.value is value:
        del _records(ev)[id(value)]


def made(ev, value) -> Optional[MaskMade]:
    rec = _records(ev).get(id(value))
    return rec if rec is not None and rec.value is value else None


def _other(marks: str) -> str:
    return PADDING if marks == KEPT else KEPT
