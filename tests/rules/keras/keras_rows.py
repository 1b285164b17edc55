"""Helpers for table-driven Keras rule tests whose layers return tuples (RNN states, attention scores) or take
several inputs (merging, attention): rows are checked through the source front-end, and the same rows can be
re-run through real Keras (the tables' self-check).

A single-input row is ``(layer_src, input_shape, expected, params)``; a multi-input row uses a list of input
shapes and writes the call the way users do: ``"layers.Add()([x0, x1])"`` or ``"layers.MultiHeadAttention(2, 4)(x0,
x1)"`` with ``x0``, ``x1``... the inputs. ``expected`` is an output shape (batch included), a tuple of shapes, or an
error code such as ``"SHP106"``.
"""
from __future__ import annotations

import os
import warnings

from shapelint.core.values import TensorTuple
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")


def _shape(value):
    if isinstance(value, TensorTuple):
        return tuple(_shape(v) for v in value.items)
    return tuple(value.shape) if value is not None and value.shape is not None else None


def _is_multi(shape) -> bool:
    return isinstance(shape, list)


def source(layer_src: str, input_shape) -> str:
    head = "import keras\nfrom keras import layers\n\n"
    if _is_multi(input_shape):
        ins = "".join(f"x{i} = keras.Input(shape={tuple(s)!r})\n" for i, s in enumerate(input_shape))
        names = ", ".join(f"x{i}" for i in range(len(input_shape)))
        return head + ins + f"y = {layer_src}\nmodel = keras.Model([{names}], y)\n"
    return head + (f"model = keras.Sequential([\n    keras.Input(shape={tuple(input_shape)!r}),\n"
                   f"    {layer_src},\n])\n")


def run_row(layer_src: str, input_shape):
    """(output shape(s) or None, error codes, the layer's Op, error diagnostics)."""
    result = check_source("case.py", source(layer_src, input_shape))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    program = result.models[0].program
    op = program.ops[-1] if program.ops else None
    out = _shape(op.output) if op is not None and not errors else None
    return out, [d.code for d in errors], op, errors


def check_row(layer_src: str, input_shape, expected, params=None):
    out, codes, op, errors = run_row(layer_src, input_shape)
    if isinstance(expected, str):
        assert codes and codes[0] == expected, f"{layer_src} on {input_shape}: expected {expected}, got {codes} {out}"
    else:
        assert not codes, f"{layer_src} on {input_shape}: unexpected {[d.message for d in errors]}"
        assert out == tuple(expected), f"{layer_src} on {input_shape}: {out} != {expected}"
        if params is not None:
            assert op.layer.params == params, f"params {op.layer.params} != {params}"


def keras_result(layer_src: str, input_shape):
    """(output shape(s) or None, count_params or None, exception text or None) from real Keras."""
    import keras
    from keras import layers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ns = {"keras": keras, "layers": layers}
        shapes = input_shape if _is_multi(input_shape) else [input_shape]
        for i, s in enumerate(shapes):
            ns[f"x{i}"] = keras.Input(shape=tuple(s))
        call = layer_src if _is_multi(input_shape) else f"({layer_src})(x0)"
        ctor = call[: _call_split(call)]
        try:
            layer = eval(ctor, ns)  # noqa: S307 -- our own test expressions
            if isinstance(layer, keras.layers.Layer):
                ns["__layer"] = layer
                y = eval("__layer" + call[len(ctor):], ns)  # noqa: S307
            else:  # a functional helper such as layers.add([a, b]) already returned the output
                y, layer = layer, None
        except Exception as exc:  # any exception counts as "Keras rejects this layer here"
            return None, None, f"{type(exc).__name__}: {exc}"

    def shp(v):
        return tuple(shp(t) for t in v) if isinstance(v, (list, tuple)) else tuple(v.shape)
    return shp(y), (layer.count_params() if layer is not None else 0), None


def _call_split(call: str) -> int:
    """Index where the constructor expression ends and the call's argument list begins."""
    depth = 0
    for i, ch in enumerate(call):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(call)


def keras_row(layer_src: str, input_shape, expected, params=None):
    out, n, err = keras_result(layer_src, input_shape)
    if isinstance(expected, str):
        assert err is not None, f"Keras accepts {layer_src} on {input_shape}: {out}"
    else:
        assert err is None, err
        assert out == tuple(expected), f"Keras gives {out}"
        if params is not None:
            assert n == params, f"Keras counts {n} parameters"
