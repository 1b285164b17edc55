"""A softmax written by hand in NumPy over the wrong axis: ``np.exp(z) / np.sum(np.exp(z), axis=0)`` on (N, C)
scores normalises each class's column across the samples -- and the code then reads it per row (``probs[np.arange(N),
y]`` picks each sample's class, ``np.argmax(probs, axis=1)``), so no row it reads is a distribution. NumPy raises
nothing (the shapes broadcast). Course code written from scratch (CS231n, NNFS) makes this mistake when it moves from
one sample (C,) to a batch.

The values carry what they were made of (``meta``): an ``exp`` of what, a sum or max over which axis, a shift by such
a max; the division records the normalised axis on its output. Reported only when that very array is then read per row
along the other axis, at the sum; the fix sums (and takes the max) over the last axis, keeping it."""
from __future__ import annotations

import ast
from typing import Optional

from ...checks.report import emit
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import keyword_edit
from ...diagnostics.model import Edit, Fix
from ...core.program import Span

EXP, SUMMED, MAXED, SHIFTED, SOFTMAX = "np_exp_of", "np_summed", "np_maxed", "np_shifted", "np_softmax"
_ALL = (EXP, SUMMED, MAXED, SHIFTED, SOFTMAX)


def note_exp(out, x) -> None:
    if getattr(out, "meta", None) is not None:
        forget(out)
        out.meta[EXP] = x
        if x.meta.get(SHIFTED) is not None:
            out.meta[SHIFTED] = x.meta[SHIFTED]


def note_reduction(out, x, kind: str, axis, node, method: bool) -> None:
    """A sum or max of ``x`` over one axis, made by the call ``node`` (``method``: ``x.sum(axis)``)."""
    if getattr(out, "meta", None) is None:
        return
    forget(out)
    rank = len(x.shape) if x.shape is not None else 0
    if not isinstance(axis, int) or isinstance(axis, bool) or not rank or not -rank <= axis < rank:
        return
    key = SUMMED if kind == "sum" else MAXED if kind in ("max", "amax") else None
    if key is not None and isinstance(node, ast.Call):
        out.meta[key] = (x, axis % rank, node, method)


def note_binop(out, op_type, left, right) -> None:
    """``z - np.max(z, axis=k)`` (a shift that keeps the axis it was taken over) and ``e / np.sum(e, axis=k)``."""
    if getattr(out, "meta", None) is None:
        return
    for key in _ALL:
        out.meta.pop(key, None)
    lm, rm = getattr(left, "meta", {}), getattr(right, "meta", {})
    if op_type is ast.Sub and rm.get(MAXED) is not None and rm[MAXED][0] is left:
        out.meta[SHIFTED] = rm[MAXED]
    if op_type is ast.Div and lm.get(EXP) is not None and rm.get(SUMMED) is not None:
        summed, axis, node, method = rm[SUMMED]
        same = summed is left or (getattr(summed, "meta", {}).get(EXP) is lm[EXP])
        if same and left.shape is not None and len(left.shape) == 2:
            shift = lm.get(SHIFTED)
            out.meta[SOFTMAX] = (out, axis, node, method, shift if shift is not None and shift[1] == axis else None)


def forget(out) -> None:
    """``out`` is made of a value by an op that is neither an exp, a sum, a max, a shift nor a division."""
    for key in _ALL:
        out.meta.pop(key, None)


def rows_read(ev, x, read_axis: int, at) -> None:
    """``x`` is read along ``read_axis`` per row (an index of each row's class, an argmax over that axis): a softmax
    by hand normalised over another axis is the mistake."""
    found = getattr(x, "meta", {}).get(SOFTMAX)
    if found is None or found[0] is not x or ev.uncertain or x.shape is None:
        return
    _, axis, node, method, shift = found
    if axis == read_axis % len(x.shape):
        return
    x.meta.pop(SOFTMAX, None)  # one report per softmax
    edits = _axis_edits(ev, node, method, read_axis % len(x.shape))
    if shift is not None:
        edits += _axis_edits(ev, shift[2], shift[3], read_axis % len(x.shape))
    remedy = remedies.numpy_softmax_over_axis(read_axis % len(x.shape))
    fix = Fix("unsafe", remedy, edits) if edits and None not in edits else None
    emit(ev, "reduction-over-batch-axis", Span.of(node), remedies.sums_over_other_axis_label(axis),
         secondary=[(at, remedies.read_per_row_label(read_axis % len(x.shape)))] if at is not None else [],
         variant="softmax-by-hand", op="sum", axis=axis, received_shape=str(tuple(x.shape)), remedy=remedy, fix=fix,
         severity="warning")


def _axis_edits(ev, call: ast.Call, method: bool, axis: int) -> list:
    """The reduction ``call`` taken over ``axis`` and keeping it: its axis argument rewritten (positional or
    keyword) and ``keepdims=True``."""
    edits = []
    pos = 0 if method else 1
    kw = next((k for k in call.keywords if k.arg == "axis"), None)
    if kw is not None:
        edits.append(Edit(Span.of(kw.value), str(axis)))
    elif len(call.args) > pos:
        edits.append(Edit(Span.of(call.args[pos]), str(axis)))
    else:
        return [None]
    keep = next((k for k in call.keywords if k.arg == "keepdims"), None)
    if keep is None or not (isinstance(keep.value, ast.Constant) and keep.value.value is True):
        edits.append(keyword_edit(call, "keepdims", "True", ev.lines))
    return edits


def picked_per_row(items: list, rank: int) -> Optional[int]:
    """``probs[np.arange(N), y]`` / ``probs[range(N), y]``: two integer arrays on a 2-D array pick one entry of axis 1
    per row -- the axis read (1); None for other indexing."""
    arrays = [it for it in items if (getattr(it, "shape", None) is not None and len(it.shape) == 1) or
              (isinstance(it, (list, tuple)) and len(it) > 1)]
    return 1 if rank == 2 and len(items) == 2 and len(arrays) == 2 else None
