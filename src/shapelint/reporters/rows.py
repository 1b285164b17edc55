"""The rows of a layer table, shared by the text and HTML reports: one row per op, except that a long run of identical
layers (same type, output shape and parameter count, nothing reported on them) is folded into one row -- "Dense
× 9,999" -- the way people read a 10,000-layer stack. The JSON report lists every layer."""
from __future__ import annotations

from typing import Optional

from ..core.values import Tensor, TensorTuple

FOLD_AT = 10  # runs at least this long are folded


def shape_text(v) -> str:
    if isinstance(v, (Tensor, TensorTuple)):
        return str(v)
    return "?"


class Row:
    """One table row: ``ops[0]`` alone, or a run of identical ops folded together."""
    __slots__ = ("first", "ops")

    def __init__(self, first: int, ops: list):
        self.first = first  # index of the first op
        self.ops = ops

    @property
    def folded(self) -> bool:
        return len(self.ops) > 1

    @property
    def last(self) -> int:
        return self.first + len(self.ops) - 1

    @property
    def op(self):
        return self.ops[0]

    def index_text(self) -> str:
        return f"{self.first}–{self.last}" if self.folded else str(self.first)

    def name_text(self) -> str:
        return f"{self.ops[0].layer.label} … {self.ops[-1].layer.label}" if self.folded else self.op.layer.label

    def kind_text(self) -> str:
        return f"{self.op.layer.kind} × {len(self.ops):,}" if self.folded else self.op.layer.kind

    def line_text(self, fmt=str) -> str:
        """The line column; ``fmt`` writes a line number (a notebook's ``cell:line``)."""
        first, last = _line(self.ops[0]), _line(self.ops[-1])
        if first is None:
            return ""
        return f"{fmt(first)}–{fmt(last)}" if self.folded and last is not None and last != first else fmt(first)

    def params_text(self) -> str:
        params = self.op.layer.params
        if params is None:
            return ""
        return f"{params:,} each" if self.folded else f"{params:,}"

    def fold_note(self) -> str:
        return (f"rows {self.first}–{self.last}: {len(self.ops):,} identical `{self.op.layer.kind}` layers folded into "
                "one row (`--format json` lists every layer)")


def _line(op) -> Optional[int]:
    span = op.layer.origin.span
    return span.line if span else None


def _signature(op):
    """What makes two layers the same row; None for a layer that is never folded (something is reported on it)."""
    if op.status == "error" or op.diagnostics:
        return None
    return (op.layer.kind, op.status, op.layer.params, shape_text(op.output), tuple(shape_text(v) for v in op.inputs))


def table_rows(ops: list) -> list:
    """The rows for a program's ops, folding runs of FOLD_AT or more identical layers."""
    sigs = [_signature(op) for op in ops]
    rows: list = []
    i, n = 0, len(ops)
    while i < n:
        j = i + 1
        if sigs[i] is not None:
            while j < n and sigs[j] == sigs[i]:
                j += 1
        if j - i >= FOLD_AT:
            rows.append(Row(i, ops[i:j]))
        else:
            rows.extend(Row(k, [ops[k]]) for k in range(i, j))
        i = j
    return rows
