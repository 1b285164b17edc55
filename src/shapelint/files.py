"""Checking one file: which front-end reads it (Python source, a notebook, a saved Keras model, standard input), and
folders expanded into the files they hold. ``check_path`` never raises: whatever goes wrong becomes the file's one-line
``error``. The runner (runner.py) checks many files with these; the public API (api.py) re-exports them."""
from __future__ import annotations

import os
import sys
from typing import Iterable, Optional

from .frontends.source.check import check_source, syntax_error_diagnostic
from .reading import Unreadable, decode_source, read_bytes, read_stream
from .result import FileResult

SOURCE_SUFFIXES = (".py", ".ipynb", ".pyw")
SAVED_MODEL_SUFFIXES = (".keras", ".h5", ".hdf5", ".json")


def check_path(path: str, input_shape: Optional[tuple] = None) -> FileResult:
    """Check one file (``-``: standard input). Never raises: a file that cannot be read, or that shapelint fails
    on, gives a FileResult with ``error`` set to one line."""
    try:
        return _check_path(path, input_shape)
    except Unreadable as exc:
        return FileResult("<stdin>" if path == "-" else str(path), error=str(exc))
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as exc:  # MemoryError, RecursionError, and shapelint's own bugs: one line for this file
        return FileResult("<stdin>" if path == "-" else str(path), error=failure_message(exc))


def _check_path(path: str, input_shape: Optional[tuple]) -> FileResult:
    display = str(path)
    if display.lower().endswith(SAVED_MODEL_SUFFIXES):  # saved Keras models: read the config only
        from .frontends.saved import check_saved  # deferred: a run without saved models never loads their reader
        return check_saved(display, input_shape)
    if path == "-":
        display = "<stdin>"
        data = read_stream(sys.stdin.buffer if hasattr(sys.stdin, "buffer") else _TextAsBytes(sys.stdin))
        notebook = _looks_like_notebook(data)
    else:
        data = read_bytes(path)
        notebook = display.lower().endswith(".ipynb")
    if notebook:
        return _check_notebook(display, data, input_shape)
    raw, encoding = decode_source(data)
    result = check_source(display, raw, input_shape=input_shape)
    result.encoding = encoding
    return result


def _check_notebook(display: str, data: bytes, input_shape) -> FileResult:
    from .frontends.notebook import notebook_script  # deferred: a run without notebooks never loads their reader
    try:
        script, line_map, bad = notebook_script(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Unreadable("not a valid notebook (not UTF-8 text)") from None
    except ValueError as exc:
        raise Unreadable(str(exc)) from None
    result = check_source(display, script, line_map=line_map, input_shape=input_shape)
    for cell, exc, start in bad:
        result.diagnostics.insert(0, syntax_error_diagnostic(display, exc, start - 1, where=f"cell {cell}"))
    return result


def _looks_like_notebook(data: bytes) -> bool:
    """Standard input holds a notebook (``cat nb.ipynb | shapelint check -``): a JSON object with a cells list."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{") and b'"cells"' in data and b'"cell_type"' in data


class _TextAsBytes:
    """Standard input replaced by a text stream (tests, some IDEs): read it as UTF-8 bytes."""

    def __init__(self, stream):
        self.stream = stream

    def read(self, n: int) -> bytes:
        return self.stream.read(n).encode("utf-8", errors="surrogateescape")


def iter_files(paths: Iterable[str]):
    """Expand folders into the Python files and notebooks they hold (sorted, hidden folders skipped)."""
    for p in paths:
        if p != "-" and os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in ("__pycache__", "node_modules"))
                for name in sorted(files):
                    if name.endswith(SOURCE_SUFFIXES + (".keras",)):  # saved Keras 3 models too
                        yield os.path.join(root, name)
        else:
            yield p


def check_cells(path: str, cells, input_shape=None):
    """Check code cells given as (number, source) -- a live kernel's history -- as one notebook."""
    from .frontends.notebook import script_from_cells  # deferred, as in _check_notebook
    script, line_map, bad = script_from_cells(cells)
    result = check_source(path, script, line_map=line_map, input_shape=input_shape)
    for cell, exc, start in bad:
        result.diagnostics.insert(0, syntax_error_diagnostic(path, exc, start - 1, where=f"cell {cell}"))
    return result


def failure_message(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return "not checked: shapelint ran out of memory on this file"
    if isinstance(exc, RecursionError):
        return "not checked: the file is nested too deeply for shapelint"
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"not checked: shapelint failed on this file (internal error: {type(exc).__name__}{': ' if text else ''}" \
           f"{text}); please report it"
