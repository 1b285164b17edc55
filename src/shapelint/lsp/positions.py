"""Positions between shapelint (1-based lines, 1-based columns in UTF-8 bytes, as ``ast`` counts) and LSP (0-based
lines, 0-based characters in UTF-16 code units, the protocol's default encoding)."""
from __future__ import annotations

from ..diagnostics.fixes.text import char_column


def _line(lines: list, n: int) -> str:
    return lines[n - 1] if 0 < n <= len(lines) else ""


def to_utf16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def from_utf16(text: str, units: int) -> int:
    """The string index of the character at ``units`` UTF-16 code units into ``text``."""
    count = 0
    for i, ch in enumerate(text):
        if count >= units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


def lsp_position(lines: list, line: int, column: int) -> tuple:
    text = _line(lines, line)
    return line - 1, to_utf16(text, char_column(text, column) - 1)


def lsp_range(lines: list, span) -> tuple:
    return lsp_position(lines, span.line, span.column), lsp_position(lines, span.end_line, span.end_column)


def span_contains(lines: list, span, line0: int, character: int) -> bool:
    """Whether the LSP position (0-based line, UTF-16 character) is inside ``span`` (end inclusive, so a cursor just
    after a name still hovers it)."""
    (l1, c1), (l2, c2) = lsp_range(lines, span)
    return (l1, c1) <= (line0, character) <= (l2, c2)
