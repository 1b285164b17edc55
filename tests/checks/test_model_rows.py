"""SHP203 (variant model-rows): an op inside a Keras model reduces the free batch axis, so the model's output is one
row per batch instead of one per sample. Keras is the oracle: it builds and runs such a model, with the output
shape the check reports."""
import os

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SIAMESE = """
import keras
from keras import layers, ops


def encoder():
    inp = keras.Input(shape=(20,))
    return keras.Model(inp, layers.Dense(32)(inp))


def distance(vects):
    x, y = vects
    total = ops.sum(ops.square(x - y), axis=0, keepdims=True)
    return ops.sqrt(ops.maximum(total, 1e-7))


enc = encoder()
a, b = keras.Input(shape=(20,)), keras.Input(shape=(20,))
out = layers.Lambda(distance)([enc(a), enc(b)])
siamese = keras.Model([a, b], out)
"""


def _loud(src: str) -> list:
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def _keras_output_shape(src: str) -> tuple:
    scope: dict = {}
    exec(compile(src, "case.py", "exec"), scope)
    return tuple(scope["siamese"].output.shape)


def test_oracle_keras_keeps_one_row_for_the_batch():
    assert _keras_output_shape(SIAMESE) == (1, 32)
    assert _keras_output_shape(SIAMESE.replace("axis=0", "axis=-1")) == (None, 1)


def test_reported_where_the_axis_is_written_and_fixed():
    (d,) = _loud(SIAMESE)
    assert d.code == "SHP203" and d.primary.span.line == 13 and "(1, 32)" in d.message
    fixed = fix_source("case.py", SIAMESE, [d], ("safe", "unsafe")).source
    assert "axis=-1, keepdims=True" in fixed.splitlines()[12] and not _loud(fixed)
    assert fix_source("case.py", fixed, [], ("safe", "unsafe")).source == fixed


@pytest.mark.parametrize("line", [
    "total = ops.sum(ops.square(x - y), axis=-1, keepdims=True)",
    "total = ops.sum(ops.square(x - y), axis=1, keepdims=True)",
    # batch statistics broadcast back: the output keeps its free batch axis (a normalisation, judged elsewhere)
    "total = ops.square(x - y) - ops.mean(ops.square(x - y), axis=0, keepdims=True)",
])
def test_per_sample_outputs_say_nothing(line):
    src = SIAMESE.replace("total = ops.sum(ops.square(x - y), axis=0, keepdims=True)", line)
    assert not _loud(src)
