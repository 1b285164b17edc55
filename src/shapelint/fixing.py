"""Applying fix edits to source text. (Issue #5 extends this: libcst, --fix / --unsafe-fixes / --diff.)"""
from __future__ import annotations

from typing import Optional


def _offset(lines: list, line: int, column: int) -> int:
    return sum(len(l) + 1 for l in lines[: line - 1]) + column - 1


def apply_edits(source: str, edits: list) -> str:
    """Apply non-overlapping edits (1-based spans, end exclusive) to ``source``, last first."""
    lines = source.split("\n")
    spans = sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True)
    out = source
    for e in spans:
        a = _offset(lines, e.span.line, e.span.column)
        b = _offset(lines, e.span.end_line, e.span.end_column)
        out = out[:a] + e.text + out[b:]
    return out


def apply_edits_to_lines(lines: list, edits: list) -> Optional[list]:
    """The changed lines after applying ``edits``: [(first line number, new text possibly with newlines)]."""
    if not edits:
        return None
    first = min(e.span.line for e in edits)
    last = max(e.span.end_line for e in edits)
    if first < 1 or last > len(lines):
        return None
    chunk = lines[first - 1:last]
    shifted = []
    from .diagnostics.model import Edit
    from .core.program import Span
    for e in edits:
        s = e.span
        shifted.append(Edit(Span(s.line - first + 1, s.column, s.end_line - first + 1, s.end_column), e.text))
    new = apply_edits("\n".join(chunk), shifted)
    return [(first, new)]
