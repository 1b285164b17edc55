"""Helpers for the table-driven Keras rule tests: run one layer (from source text) through shapelint, and the same
layer through real Keras for the tables' self-check."""
from __future__ import annotations

import os
import sys

from shapelint.frontends.source.check import check_source

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "differential"))
from keras_harness import keras_outcome, model_source  # noqa: E402


def run_layer(layer_src: str, input_shape: tuple):
    """(output shape or None, error codes, the layer's Op) for ``Sequential([Input(input_shape), layer])``."""
    result = check_source("case.py", model_source(input_shape, [layer_src]))
    errors = [d for d in result.diagnostics if d.severity == "error"]
    program = result.models[0].program
    op = program.ops[-1] if program.ops else None
    out = None
    if not errors and op is not None and op.output is not None and op.output.shape is not None:
        out = tuple(op.output.shape)
    return out, [d.code for d in errors], op, errors


def check_row(layer_src: str, input_shape: tuple, expected, params=None):
    out, codes, op, errors = run_layer(layer_src, input_shape)
    if isinstance(expected, str):
        assert codes and codes[0] == expected, f"{layer_src} on {input_shape}: expected {expected}, got {codes} {out}"
        assert len(codes) == 1, [d.message for d in errors]
    else:
        assert not codes, f"{layer_src} on {input_shape}: unexpected {[d.message for d in errors]}"
        assert out == tuple(expected), f"{layer_src} on {input_shape}: {out} != {expected}"
        if params is not None:
            assert op.layer.params == params, f"params {op.layer.params} != {params}"


def keras_row(layer_src: str, input_shape: tuple, expected, params=None):
    """The same row checked against real Keras (output shape, error vs not, parameter count)."""
    real = keras_outcome(input_shape, [layer_src])
    if isinstance(expected, str):
        assert real.failing == 0, f"Keras accepts {layer_src} on {input_shape}: {real.output}"
    else:
        assert real.failing is None, real.message
        assert real.output == tuple(expected)
        if params is not None:
            import keras
            from keras import layers
            layer = eval(layer_src, {"layers": layers, "keras": keras})  # noqa: S307
            layer(keras.Input(shape=input_shape))
            assert layer.count_params() == params
