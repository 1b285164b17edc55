"""Text edits on source: applying them (1-based spans, end exclusive, UTF-8 byte columns from ``ast``) and checking
that the result still parses. Shared by the fix contract (rootcause/contract.py), ``--fix`` (fixing.py) and the
reporters (which show a fix's lines)."""
from __future__ import annotations

import ast
import re
from typing import Optional

from ...core.program import Span
from ..model import Edit


def char_column(line: str, column: int) -> int:
    """Our columns come from ``ast`` (UTF-8 byte offsets, 1-based); string indexing needs characters."""
    if line.isascii():
        return column
    return len(line.encode("utf-8")[: column - 1].decode("utf-8", errors="ignore")) + 1


def _offset(lines: list, line: int, column: int) -> int:
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return sum(len(l) for l in lines[: line - 1]) + char_column(text.rstrip("\r\n"), column) - 1


def _lines(source: str) -> list:
    """Lines as Python counts them (``\\r\\n``, ``\\r`` or ``\\n`` ends a line), each with its end: a file saved
    with old Mac line endings is as many lines for the edits as for the parser."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", source) or [""]


def overlapping(edits: list) -> bool:
    """Whether two different edits touch the same text (apply_edits would garble it): the same edit twice is one."""
    unique = sorted({(e.span, e.text): e for e in edits}.values(), key=lambda e: (e.span.line, e.span.column))
    for a, b in zip(unique, unique[1:]):
        if (b.span.line, b.span.column) < (a.span.end_line, a.span.end_column) or a.span == b.span:
            return True
    return False


def apply_edits(source: str, edits: list) -> str:
    """Apply non-overlapping edits (1-based spans, end exclusive) to ``source``, last first. The same edit twice (a
    layer built by one helper for two instances) is applied once."""
    lines = _lines(source)
    unique = list({(e.span, e.text): e for e in edits}.values())
    spans = sorted(unique, key=lambda e: (e.span.line, e.span.column), reverse=True)
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
    shifted = [Edit(Span(e.span.line - first + 1, e.span.column, e.span.end_line - first + 1, e.span.end_column),
                    e.text) for e in edits]
    return [(first, apply_edits("\n".join(lines[first - 1:last]), shifted))]


def parses(source: str) -> bool:
    """Whether libcst (or, without the ``fix`` extra, Python's own parser) accepts the source."""
    try:
        import libcst  # optional (the fix extra): the gate for applying a fix
    except ImportError:  # pragma: no cover - libcst is in the fix extra
        try:
            ast.parse(source)
            return True
        except (SyntaxError, ValueError):
            return False
    try:
        libcst.parse_module(source)
        return True
    except Exception:  # libcst.ParserSyntaxError and friends
        return False
