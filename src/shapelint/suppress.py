"""Inline suppressions, as ``# noqa`` works in ruff and flake8: a comment on the line a diagnostic points at.

    model.add(layers.Dense(10))  # shapelint: ignore[SHP201]
    model.add(layers.Dense(10))  # shapelint: ignore[SHP201, SHP202]
    model.add(layers.Dense(10))  # shapelint: ignore            (every code on this line)

A diagnostic is suppressed when its primary span starts or ends on such a line. Only real comments count (found
with ``tokenize``), so the text inside a string does not suppress anything."""
from __future__ import annotations

import io
import re
import tokenize

_DIRECTIVE = re.compile(r"#\s*shapelint\s*:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.I)
ALL = frozenset({"*"})


def _comments(source: str):
    """(line, comment text) of every comment; a source tokenize cannot read falls back to a plain line scan."""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                yield tok.start[0], tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        for n, line in enumerate(source.split("\n"), 1):
            if "#" in line:
                yield n, line[line.index("#"):]


def directives(source: str) -> dict:
    """line -> the codes suppressed there (``ALL`` for a bare ``# shapelint: ignore``)."""
    out: dict = {}
    if "shapelint" not in source:  # the usual case: no need to tokenize
        return out
    for line, comment in _comments(source):
        m = _DIRECTIVE.search(comment)
        if m is None:
            continue
        codes = m.group("codes")
        if codes is None:
            out[line] = ALL
        else:
            found = {c.strip().upper() for c in codes.split(",") if c.strip()}
            out[line] = out.get(line, frozenset()) | found if out.get(line) is not ALL else ALL
    return out


def _suppressed(d, table: dict) -> bool:
    if d.primary is None:
        return False
    for line in {d.primary.span.line, d.primary.span.end_line}:
        codes = table.get(line)
        if codes is not None and (codes is ALL or any(d.code.startswith(c) for c in codes)):
            return True
    return False


def apply_inline(result_file) -> None:
    """Drop the diagnostics that a ``# shapelint: ignore`` comment on their line suppresses."""
    table = directives(result_file.source or "")
    if table:
        result_file.diagnostics = [d for d in result_file.diagnostics if not _suppressed(d, table)]
