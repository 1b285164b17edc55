"""Check a saved Keras model without importing Keras: read its config and build the IR from it.

* ``.keras`` -- a zip archive holding ``config.json`` (Keras 3 ``model.save("m.keras")``);
* ``.json``  -- the text of ``model.to_json()``;
* ``.h5`` / ``.hdf5`` -- legacy HDF5 (``model.save("m.h5")``): the config is the ``model_config`` attribute of the
  root group. Reading it needs ``h5py``; without it the file gets one clear line.

Weights are never read. Layer origins are JSON pointers into the config (``/config/layers/3``).
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Optional

from ..reading import Unreadable, check_regular, read_bytes
from ..result import FileResult
from .keras_config import ConfigError, build_program
from .keras_live import finish
from .source.models import ModelResult

SAVED_SUFFIXES = (".keras", ".h5", ".hdf5", ".json")
MAX_CONFIG_BYTES = 50_000_000


def read_config(path: str) -> dict:
    """The model config of a saved file; raises ConfigError with a one-line reason."""
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        check_regular(path)  # a FIFO named m.keras would block, /dev/zero named m.json would never end
        if suffix == ".keras":
            try:
                with zipfile.ZipFile(p) as z:
                    if "config.json" not in z.namelist():
                        raise ConfigError("not a Keras model archive (no config.json inside)")
                    info = z.getinfo("config.json")
                    if info.file_size > MAX_CONFIG_BYTES:
                        raise ConfigError("config.json is too large to check")
                    raw = z.read("config.json")
            except zipfile.BadZipFile:
                raise ConfigError("not a Keras model archive (not a zip file)") from None
        elif suffix in (".h5", ".hdf5"):
            raw = _h5_config(p)
        else:
            raw = read_bytes(path, MAX_CONFIG_BYTES)
        cfg = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except ConfigError:
        raise
    except Unreadable as exc:
        raise ConfigError(str(exc)) from None
    except RecursionError:
        raise ConfigError("the model config is nested too deeply to read") from None
    except FileNotFoundError:
        raise ConfigError("no such file") from None
    except PermissionError:
        raise ConfigError("permission denied") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"the model config is not valid JSON ({exc.__class__.__name__})") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read: {exc}") from None
    return cfg


def _h5_config(p: Path):
    try:
        import h5py  # optional: only a .h5 model needs it
    except ImportError:
        raise ConfigError("reading .h5 models needs the h5py package (pip install h5py); "
                          "or save the model as .keras or export model.to_json()") from None
    try:
        with h5py.File(p, "r") as f:
            raw = f.attrs.get("model_config")
    except OSError as exc:
        raise ConfigError(f"not an HDF5 file ({exc})") from None
    if raw is None:
        raise ConfigError("this .h5 file holds weights only (no model_config): there is no architecture to check")
    return raw


def check_saved(path: str, input_shape: Optional[tuple] = None) -> FileResult:
    """Check one saved model file. Never raises: an unreadable file gives a FileResult with ``error`` set."""
    result = FileResult(path)
    try:
        cfg = read_config(path)
        program, inf = build_program(cfg, file=path, input_shape=tuple(input_shape) if input_shape else None,
                                     pointer_style="json")
    except ConfigError as exc:
        result.error = str(exc)
        return result
    except (RecursionError, MemoryError):
        result.error = "the model config is too deeply nested to check"
        return result
    result.models.append(ModelResult(program.name, "keras", None, program))
    result.diagnostics.extend(finish(inf, path, program.name))
    return result


__all__ = ["check_saved", "read_config", "SAVED_SUFFIXES"]
