"""The Python API: ``shapelint.check(model_or_path, input_shape=None) -> Result`` (never prints)."""
from __future__ import annotations

import os
from typing import Iterable, Optional

from .result import FileResult, Result

SOURCE_SUFFIXES = (".py", ".ipynb", ".pyw")
MAX_FILE_BYTES = 20_000_000


def check_path(path: str, input_shape: Optional[tuple] = None) -> FileResult:
    """Check one file. Never raises: unreadable files give a FileResult with ``error`` set."""
    from .frontends.source.check import check_source, syntax_error_diagnostic
    display = str(path)
    if display.lower().endswith((".keras", ".h5", ".hdf5", ".json")):  # saved Keras models: read the config only
        from .frontends.saved import check_saved
        return check_saved(display, input_shape)
    try:
        if path == "-":
            import sys
            raw = sys.stdin.read()
            display = "<stdin>"
        else:
            if os.path.isdir(path):  # os.path, not pathlib: pathlib is a tenth of an empty run's start-up
                return FileResult(display, error="is a directory")
            size = os.stat(path).st_size
            if size > MAX_FILE_BYTES:
                return FileResult(display, error=f"file too large to check ({size:,} bytes)")
            with open(path, "rb") as fh:
                data = fh.read()
            if b"\x00" in data[:8192]:
                return FileResult(display, error="not a Python file (binary content)")
            raw = data.decode("utf-8-sig")
    except FileNotFoundError:
        return FileResult(display, error="no such file")
    except PermissionError:
        return FileResult(display, error="permission denied")
    except UnicodeDecodeError:
        return FileResult(display, error="not a Python file (not UTF-8 text)")
    except OSError as exc:
        return FileResult(display, error=f"cannot read: {exc.strerror or exc}")
    if display.endswith(".ipynb"):
        from .frontends.notebook import notebook_script
        try:
            script, line_map, bad = notebook_script(raw)
        except ValueError as exc:
            return FileResult(display, error=str(exc))
        result = check_source(display, script, line_map=line_map, input_shape=input_shape)
        for cell, exc, start in bad:
            result.diagnostics.insert(0, syntax_error_diagnostic(display, exc, start - 1, where=f"cell {cell}"))
        return result
    result = check_source(display, raw, input_shape=input_shape)
    return result


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


def check(obj, input_shape: Optional[tuple] = None) -> Result:
    """Check a path (file, folder, notebook), a list of paths, a live ``keras.Model`` or ``torch.nn.Module``."""
    if isinstance(obj, (str, os.PathLike)) or (isinstance(obj, (list, tuple)) and obj and
                                               all(isinstance(o, (str, os.PathLike)) for o in obj)):
        paths = [str(obj)] if isinstance(obj, (str, os.PathLike)) else [str(o) for o in obj]
        return Result([check_path(p, input_shape) for p in iter_files(paths)])
    mod = type(obj).__module__ or ""
    if mod.startswith("keras") or _has_base(obj, "keras"):
        from .frontends.keras_live import check_keras_model
        return check_keras_model(obj, input_shape)
    if mod.startswith("torch") or _has_base(obj, "torch.nn"):
        from .frontends.torch_live import check_torch_module
        return check_torch_module(obj, input_shape)
    raise TypeError(f"shapelint.check() takes a path, a keras.Model or a torch.nn.Module, not {type(obj).__name__}")


def _has_base(obj, prefix: str) -> bool:
    return any((c.__module__ or "").startswith(prefix) for c in type(obj).__mro__)
