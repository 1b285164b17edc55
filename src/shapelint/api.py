"""The Python API: ``shapelint.check(model_or_path, input_shape=None) -> Result`` (never prints)."""
from __future__ import annotations

import os
from typing import Iterable, Optional

from .reading import Unreadable, decode_source, read_bytes, read_stream
from .result import FileResult, Result

SOURCE_SUFFIXES = (".py", ".ipynb", ".pyw")
SAVED_MODEL_SUFFIXES = (".keras", ".h5", ".hdf5", ".json")


def check_path(path: str, input_shape: Optional[tuple] = None) -> FileResult:
    """Check one file (``-``: standard input). Never raises: a file that cannot be read, or that shapelint fails
    on, gives a FileResult with ``error`` set to one line."""
    from .runner import failure_message
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
        from .frontends.saved import check_saved
        return check_saved(display, input_shape)
    if path == "-":
        import sys
        display = "<stdin>"
        data = read_stream(sys.stdin.buffer if hasattr(sys.stdin, "buffer") else _TextAsBytes(sys.stdin))
        notebook = _looks_like_notebook(data)
    else:
        data = read_bytes(path)
        notebook = display.lower().endswith(".ipynb")
    if notebook:
        return _check_notebook(display, data, input_shape)
    from .frontends.source.check import check_source
    raw, encoding = decode_source(data)
    result = check_source(display, raw, input_shape=input_shape)
    result.encoding = encoding
    return result


def _check_notebook(display: str, data: bytes, input_shape) -> FileResult:
    from .frontends.notebook import notebook_script
    from .frontends.source.check import check_source, syntax_error_diagnostic
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


def check(obj, input_shape: Optional[tuple] = None, jobs: Optional[int] = None,
          timeout: Optional[float] = None) -> Result:
    """Check a path (file, folder, notebook), a list of paths, a live ``keras.Model`` or ``torch.nn.Module``.

    For paths: ``jobs`` worker processes check folders in parallel (None: one per CPU, where forking is safe;
    1: in this process), ``timeout`` seconds of wall-clock time per file (None: the default safety net)."""
    if isinstance(obj, (str, os.PathLike)) or (isinstance(obj, (list, tuple)) and obj and
                                               all(isinstance(o, (str, os.PathLike)) for o in obj)):
        from .runner import check_files
        paths = [str(obj)] if isinstance(obj, (str, os.PathLike)) else [str(o) for o in obj]
        from .runner import DEFAULT_TIMEOUT
        return check_files(paths, input_shape, jobs=jobs, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
    if _has_class(obj, ("keras", "tf_keras", "tensorflow"), ("Layer", "Model")):
        from .frontends.keras_live import check_keras_model
        return check_keras_model(obj, input_shape)
    if _has_class(obj, ("torch.nn",), ("Module",)):
        from .frontends.torch_live import check_torch_module
        return check_torch_module(obj, input_shape)
    raise TypeError(f"shapelint.check() takes a path, a keras.Model or a torch.nn.Module, not {type(obj).__name__}")


def _has_class(obj, modules: tuple, names: tuple) -> bool:
    """Whether ``obj`` is an instance of a class called one of ``names`` from one of ``modules`` (by name, so the
    framework is not imported): a torch tensor or a Keras tensor is not a model."""
    return any(c.__name__ in names and (c.__module__ or "").startswith(modules) for c in type(obj).__mro__)
