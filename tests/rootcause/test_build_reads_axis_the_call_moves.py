"""A custom Keras layer whose ``build()`` sizes a (T, T) weight from ``input_shape[-1]`` while ``call()`` transposes
the input and multiplies over the time axis: the weight meets the steps, so ``build()`` is to read
``input_shape[1]``. Keras is the oracle (the fixed model runs at two batch sizes)."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops


    class TimeMix(layers.Layer):
        def build(self, input_shape):
            steps = input_shape[-1]
            self.W = self.add_weight(shape=(steps, steps), initializer="uniform")

        def call(self, inputs):
            x = ops.transpose(inputs, (0, 2, 1))
            return ops.sum(ops.transpose(ops.matmul(x, self.W), (0, 2, 1)), axis=1)


    inp = keras.Input(shape=(30, 12))
    out = layers.Dense(3)(TimeMix()(layers.LSTM(24, return_sequences=True)(inp)))
    model = keras.Model(inp, out)
    pred = model.predict(np.random.rand(5, 30, 12).astype("float32"), verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_build_reads_the_axis_call_multiplies_over():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 8
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "steps = input_shape[1]" in fixed and not _errors(fixed)


def test_what_keras_does():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    fixed = fix_source("case.py", SRC, _errors(SRC), ("safe", "unsafe")).source
    for n in (5, 2):
        assert run(fixed.replace("rand(5,", f"rand({n},"))["pred"].shape == (n, 3)
