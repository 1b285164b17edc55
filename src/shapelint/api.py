"""The Python API: ``shapelint.check(model_or_path, input_shape=None) -> Result`` (never prints). One file is
checked by files.py, many by runner.py; a live model by its framework's front-end."""
from __future__ import annotations

import os
from typing import Optional

from .files import SAVED_MODEL_SUFFIXES, SOURCE_SUFFIXES, check_path, iter_files  # noqa: F401  (the API's names)
from .result import Result


def check(obj, input_shape: Optional[tuple] = None, jobs: Optional[int] = None,
          timeout: Optional[float] = None) -> Result:
    """Check a path (file, folder, notebook), a list of paths, a live ``keras.Model`` or ``torch.nn.Module``.

    For paths: ``jobs`` worker processes check folders in parallel (None: one per CPU, where forking is safe;
    1: in this process), ``timeout`` seconds of wall-clock time per file (None: the default safety net)."""
    if isinstance(obj, (str, os.PathLike)) or (isinstance(obj, (list, tuple)) and obj and
                                               all(isinstance(o, (str, os.PathLike)) for o in obj)):
        from .runner import DEFAULT_TIMEOUT, check_files  # deferred: a live model never loads the file runner
        paths = [str(obj)] if isinstance(obj, (str, os.PathLike)) else [str(o) for o in obj]
        return check_files(paths, input_shape, jobs=jobs, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
    if _has_class(obj, ("keras", "tf_keras", "tensorflow"), ("Layer", "Model")):
        from .frontends.keras_live import check_keras_model  # deferred: only for a live Keras model
        return check_keras_model(obj, input_shape)
    if _has_class(obj, ("torch.nn",), ("Module",)):
        from .frontends.torch_live import check_torch_module  # deferred: only for a live torch module
        return check_torch_module(obj, input_shape)
    raise TypeError(f"shapelint.check() takes a path, a keras.Model or a torch.nn.Module, not {type(obj).__name__}")


def _has_class(obj, modules: tuple, names: tuple) -> bool:
    """Whether ``obj`` is an instance of a class called one of ``names`` from one of ``modules`` (by name, so the
    framework is not imported): a torch tensor or a Keras tensor is not a model."""
    return any(c.__name__ in names and (c.__module__ or "").startswith(modules) for c in type(obj).__mro__)
