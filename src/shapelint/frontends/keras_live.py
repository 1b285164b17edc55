"""Check a live ``keras.Model``: read its config (``model.get_config()``: the layers' own configs and, for a
Functional model, how they are connected), build the same IR the source front-end builds, and infer shapes with
the same rules. Keras is imported only here, lazily, and only to read the object; no data flows through the model.

The input shape comes from ``input_shape=`` (with or without the batch axis), else from the model's own inputs
(``keras.Input`` / ``InputLayer`` / a build or call that happened before), else it stays unknown (an info
diagnostic says so).
"""
from __future__ import annotations

import contextlib
import sys
from typing import Optional

from ..core.errors import Mismatch
from ..core.infer import Inference
from ..core.program import Origin, Program
from ..core.values import UNKNOWN, Tensor
from ..result import FileResult, Result
from .keras_config import ConfigError, build_program, fit_input
from .source.models import ModelResult


def _live_inputs(model) -> Optional[list]:
    """Input shapes of a built model (``model.inputs``), or None."""
    try:
        inputs = model.inputs if hasattr(model, "layers") else [model.input]
    except Exception:
        inputs = None
    if not inputs and not hasattr(model, "layers"):  # a single layer built with build(shape) or by a call
        try:
            shape = (model.get_build_config() or {}).get("input_shape")
            return [Tensor(tuple(shape))] if isinstance(shape, (list, tuple)) else None
        except Exception:
            return None
    if not inputs:
        return None
    out = []
    for t in inputs:
        shape = getattr(t, "shape", None)
        if shape is None:
            return None
        out.append(Tensor(tuple(None if d is None else int(d) for d in shape)))
    return out


@contextlib.contextmanager
def _without_tensorflow():
    """Keras serialises a config value by asking ``isinstance(value, tf.TensorShape)`` -- after ``tf.available``, which
    imports TensorFlow (2 s and 400 MB) on any backend. When TensorFlow is not imported no value can be a TensorFlow
    object, so for the time the config is read Keras is told it is not there; nothing else changes."""
    lazy = None
    if "tensorflow" not in sys.modules:
        utils = sys.modules.get("keras.src.utils.module_utils")
        lazy = getattr(utils, "tensorflow", None)
        if lazy is not None and getattr(lazy, "module", None) is None and hasattr(lazy, "_available"):
            saved, lazy._available = lazy._available, False
        else:
            lazy = None
    try:
        yield
    finally:
        if lazy is not None:
            lazy._available = saved


def model_config(model) -> dict:
    """``{"class_name", "config"}`` for a live model; raises ConfigError when it has no layer graph config."""
    with _without_tensorflow():
        return _model_config(model)


def _model_config(model) -> dict:
    kind = type(model).__name__
    if not hasattr(model, "layers") and hasattr(model, "get_config"):  # a single layer: a one-layer Sequential
        try:
            entry = {"class_name": kind, "config": model.get_config()}
        except Exception as exc:
            raise ConfigError(f"cannot read the configuration of `{kind}` ({type(exc).__name__})") from None
        return {"class_name": "Sequential", "config": {"name": getattr(model, "name", kind), "layers": [entry]}}
    try:
        inner = model.get_config()
    except Exception as exc:  # subclassed models without get_config
        raise ConfigError(f"cannot read the structure of `{kind}`: it is a subclassed model whose layers are "
                          f"connected in Python code, not in its config ({type(exc).__name__})") from None
    if not isinstance(inner, dict) or "layers" not in inner:
        raise ConfigError(f"cannot read the structure of `{kind}`: it is a subclassed model whose layers are "
                          "connected in its call() method, not in its config")
    from_kind = "Sequential" if "input_layers" not in inner else "Functional"
    return {"class_name": from_kind, "config": inner}


def check_keras_model(model, input_shape: Optional[tuple] = None) -> Result:
    """``shapelint.check(keras_model)``: a Result with one file entry holding the model."""
    return Result([model_file_result(model, input_shape)])


def model_file_result(model, input_shape: Optional[tuple] = None) -> FileResult:
    name = getattr(model, "name", None) or type(model).__name__
    path = f"<keras model {name}>"
    result = FileResult(path)
    bad = _invalid_shape(input_shape)
    if bad:  # as the torch checker does (torch itself refuses a negative size): one error, nothing run
        program = Program(name, "keras", Origin(path, None, ""))
        inf = Inference(program)
        inf.report(Mismatch("invalid-argument", arg="input_shape", kind="shapelint.check",
                            detail=f"{input_shape!r} is not a shape ({bad})",
                            remedy="pass input_shape as a tuple of ints, e.g. (None, 28, 28, 1)"), None)
        result.diagnostics.extend(finish(inf, path, name))
        return result
    try:
        cfg = model_config(model)
        given = input_shape
        if given is None:
            live = _live_inputs(model)
            if live is not None and len(live) == 1:
                given = live[0].shape
            elif live is not None:
                given = [t.shape for t in live]
        program, inf = build_program(cfg, file=path, input_shape=given, name=name)
    except ConfigError as exc:
        program = Program(name, "keras", Origin(path, None, ""))
        inf = Inference(program)
        inf.report(Mismatch("unfollowed-code", detail=str(exc)), None)
        program.inputs = [UNKNOWN]
        result.models.append(ModelResult(name, "keras", None, program, uncertain=True))
        result.diagnostics.extend(finish(inf, path, name))
        return result
    if input_shape is None and given is not None:
        program.input_note = "the model's input"
    result.models.append(ModelResult(name, "keras", None, program))
    result.diagnostics.extend(finish(inf, path, name))
    return result


def _invalid_shape(shape) -> Optional[str]:
    """Why ``shape`` (one shape, or a list of shapes for several inputs) is not a shape, or None."""
    if shape is None:
        return None
    shapes = shape if isinstance(shape, (list, tuple)) and shape and all(isinstance(s, (list, tuple)) for s in shape) \
        else [shape]
    for s in shapes:
        if not isinstance(s, (list, tuple)):
            return f"{type(s).__name__} is not a tuple of sizes"
        for d in s:
            if d is not None and (isinstance(d, bool) or not isinstance(d, int)):
                return f"size {d!r} is not an int"
            if d is not None and d < 0:
                return f"size {d} is negative"
    return None


def finish(inf: Inference, path: str, name: str) -> list:
    """Diagnostics with no source position say which layer (its path in the model) they are about."""
    out = []
    for d in inf.diagnostics:
        d.file = d.file or path
        d.model = d.model or name
        if d.primary is None and d.layer is not None and d.layer < len(inf.program.ops):
            where = inf.program.ops[d.layer].layer.origin.path
            if where and not any(n.startswith("at layer") for n in d.notes):
                d.notes.insert(0, f"at layer `{where}` (#{d.layer})")
        out.append(d)
    return sorted(out, key=lambda d: d.sort_key())


__all__ = ["check_keras_model", "model_file_result", "model_config", "finish", "fit_input"]
