"""Reading what the user points shapelint at, within fixed bounds, with a one-line reason when it cannot be read.

* Only regular files are read: a FIFO would block forever and ``/dev/zero`` never ends, so they (and symlinks to
  them) are refused before the first byte. The file is opened non-blocking and judged by ``fstat`` of the open
  descriptor, so what is checked is what is read.
* Reads are bounded by the bytes actually read, not by ``st_size`` (which a device or a growing file does not tell).
* Python source is decoded as Python decodes it: a BOM or a PEP 263 ``# -*- coding: ... -*-`` line, else UTF-8.
  A NUL byte anywhere makes the file binary (Python refuses such source too), wherever it is.
* Parsing costs about 0.45 KB of memory per token and 1.3 KB per statement, so a source whose estimated cost is over
  ``MAX_PARSE_COST`` is refused with a clear message (as other linters refuse files over a size) instead of using
  gigabytes.
"""
from __future__ import annotations

import io
import os
import re
import stat
import tokenize

MAX_FILE_BYTES = 20_000_000  # any input file (notebooks carry their outputs: images, tables)
MAX_SOURCE_BYTES = 3_000_000  # the Python text that is parsed (a script, or a notebook's code cells joined)
# Parse cost, measured (CPython 3.11, peak memory of ast.parse): about 0.45 KB per token plus 1.3 KB per statement.
# The cost counts a token as 1 and a line or ``;`` as 3; 550,000 is about 250 MB at peak (1.4 MB of model code).
MAX_PARSE_COST = 550_000
_STATEMENT_COST = 3


class Unreadable(Exception):
    """The input cannot be checked; ``str(exc)`` is the one-line reason shown to the user."""


_KINDS = ((stat.S_ISDIR, "is a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def check_regular(path: str) -> None:
    """Raise Unreadable unless ``path`` (after symlinks) is a regular file; for readers that open it themselves."""
    try:
        st = os.stat(path)
    except (OSError, ValueError) as exc:
        raise Unreadable(_os_reason(exc)) from None
    if not stat.S_ISREG(st.st_mode):
        kind = _kind(st.st_mode)
        raise Unreadable(kind if kind == "is a directory" else f"not a regular file ({kind}); it is not read")


def read_bytes(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them; raises Unreadable."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # non-blocking: opening a FIFO returns at once instead of waiting for a writer
    except IsADirectoryError:
        raise Unreadable("is a directory") from None
    except (OSError, ValueError) as exc:
        check_regular(path)  # a socket cannot be opened at all: say what it is
        raise Unreadable(_os_reason(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = _kind(st.st_mode)
            raise Unreadable(kind if kind == "is a directory" else f"not a regular file ({kind}); it is not read")
        return _read_bounded(lambda n: os.read(fd, n), limit)
    except OSError as exc:
        raise Unreadable(_os_reason(exc)) from None
    finally:
        os.close(fd)


def read_stream(stream, limit: int = MAX_FILE_BYTES) -> bytes:
    """At most ``limit`` bytes of a binary stream (standard input); raises Unreadable beyond that."""
    return _read_bounded(stream.read, limit)


def _read_bounded(read, limit: int) -> bytes:
    chunks, total = [], 0
    while True:
        chunk = read(min(1 << 20, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise Unreadable(f"file too large to check (over {limit:,} bytes)")


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, ValueError):  # a NUL character in the path
        return f"cannot read: {exc}"
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 40:  # ELOOP: a symlink loop
        return "cannot read: too many levels of symbolic links"
    return f"cannot read: {getattr(exc, 'strerror', None) or exc}"


def decode_source(data: bytes) -> tuple:
    """(text, encoding) of Python source bytes, decoded as Python would; raises Unreadable."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise Unreadable(f"not a Python file (binary content: a NUL byte at line {line})")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # an unknown codec in the coding line, or a BOM that contradicts it
        raise Unreadable(f"not a Python file ({exc.msg or exc})") from None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        name = "UTF-8" if encoding in ("utf-8", "utf-8-sig") else encoding
        raise Unreadable(f"not a Python file (not {name} text: invalid byte at line {line})") from None
    except LookupError:
        raise Unreadable(f"not a Python file (unknown encoding {encoding})") from None


# Tokens, counted from above: a name or number is one, any other character is one. Strings and trailing comments
# count their words and punctuation -- more than the parser sees, never less (f-strings hold expressions, and a
# ``#`` may sit inside a string); a line that is only a comment costs nothing. No nested repetition in the pattern:
# its memory does not grow with the length of a match.
_TOKEN = re.compile(r"(?P<comment>^[ \t]*#[^\r\n]*)|\w+|[^\w\s]", re.M)


def too_costly(text: str):
    """Why ``text`` is too big to parse within the memory bound, or None."""
    if len(text) > MAX_SOURCE_BYTES:
        return f"file too large to check ({len(text):,} characters of code; the limit is {MAX_SOURCE_BYTES:,})"
    if len(text) * (1 + _STATEMENT_COST) <= MAX_PARSE_COST:  # a short text cannot cost more: no need to count
        return None
    cost = _STATEMENT_COST * (text.count("\n") + text.count(";"))
    if cost <= MAX_PARSE_COST:
        for m in _TOKEN.finditer(text):
            if m.lastgroup != "comment":
                cost += 1
                if cost > MAX_PARSE_COST:
                    break
    if cost > MAX_PARSE_COST:
        return ("file too large to check (too many statements and tokens to parse within shapelint's memory bound; "
                "split it, or check the part that builds the model)")
    return None


_PARSED: list = []  # [(source, tree)]: the check's own parse, for the fixes to index (offer_parsed)


def offer_parsed(source: str, tree) -> None:
    """The check's own parse of ``source``: a fix that needs the tree (diagnostics/fixes/source.py) indexes this one
    instead of parsing the file again. Only the latest is kept, and nothing is computed until a fix asks; kept here,
    low in the layers, so that offering it loads nothing."""
    _PARSED[:] = [(source, tree)]


def take_parsed(text: str):
    """The tree offered for ``text`` (the source's lines joined by newlines), once, or None."""
    if _PARSED and "\n".join(_PARSED[0][0].splitlines()) == text:
        return _PARSED.pop()[1]
    return None
