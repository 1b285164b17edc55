"""Parsing a large source a piece at a time, so the memory of the syntax tree stays bounded.

``ast.parse`` of a whole file costs about 0.45 KB per token and 1.3 KB per statement at its peak (200,000 lines of
``x = 1`` take 480 MB). A file too costly to parse at once (``reading.too_costly``) is parsed in chunks of whole
top-level statements; the evaluator follows each chunk's statements before the next chunk is parsed, and a chunk's
tree is freed once nothing refers to it (functions and classes keep theirs).

A chunk ends just before a line that starts with a name or a decorator in column 0 (a new top-level statement,
unless it is ``else``/``elif``/``except``/``finally``). A cut that falls inside a string or brackets makes the chunk
fail to parse; it is then extended (doubling) until it parses, so a file is split only where Python's own tokenizer
would agree. A syntax error is reported as a whole-file parse would report it, from the start of the chunk that
holds it.
"""
from __future__ import annotations

import ast
import bisect
import re
import time
import warnings
from typing import Iterator

from ...reading import too_costly

CHUNK_CHARS = 64_000  # characters of source per chunk, before extending to a statement boundary
_CONTINUATION = re.compile(r"(else|elif|except|finally)\b")


class ChunkTooLarge(Exception):
    """One top-level statement alone is too costly to parse."""


def _boundaries(lines: list) -> list:
    """Indices of lines where a top-level statement may start: a name, keyword or decorator in column 0 (a line
    that starts with a bracket or a quote there is more often the end of the statement before)."""
    out = []
    for i, line in enumerate(lines):
        if _STARTS_STATEMENT.match(line) and not _CONTINUATION.match(line) and \
                not (i and lines[i - 1].rstrip("\r\n").endswith("\\")):
            out.append(i)
    return out


_STARTS_STATEMENT = re.compile(r"[A-Za-z_@]")


def _parse(lines: list, start: int, end: int, path: str) -> ast.Module:
    text = "".join(lines[start:end])
    problem = too_costly(text)
    if problem:
        raise ChunkTooLarge(problem)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ast.parse("\n" * start + text, filename=path)  # blank lines first: line numbers stay the file's


class Statements:
    """The top-level statements of ``source``, parsed chunk by chunk as they are iterated; ``parse_seconds`` is
    the CPU time the parsing took so far (the evaluator leaves it out of its budget). Raises SyntaxError (line
    numbers of the whole file) or ChunkTooLarge while iterating."""

    def __init__(self, source: str, path: str):
        self.source, self.path, self.parse_seconds = source, path, 0.0

    def __iter__(self) -> Iterator[ast.stmt]:
        return _statements(self.source, self.path, self)


def statements(source: str, path: str) -> Statements:
    return Statements(source, path)


def _statements(source: str, path: str, meter: Statements) -> Iterator[ast.stmt]:
    lines = _LINE.findall(source)  # lines as the parser counts them (\r\n, \r or \n), with their ends
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    cuts = _boundaries(lines) + [len(lines)]
    cut_offsets = [offsets[c] for c in cuts]
    start = 0
    while start < len(lines):
        size = CHUNK_CHARS
        while True:
            i = max(bisect.bisect_left(cut_offsets, offsets[start] + size), bisect.bisect_right(cuts, start))
            end = cuts[i] if i < len(cuts) else len(lines)
            started = time.process_time()
            try:
                body = _parse(lines, start, end, path).body
                break
            except SyntaxError:
                if end >= len(lines):
                    raise
                size *= 2  # the cut fell inside a string or brackets (or the error is further on): take more
            finally:
                meter.parse_seconds += time.process_time() - started
        yield from body
        del body
        start = end


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
