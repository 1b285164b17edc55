"""A custom Keras layer whose ``build`` sizes its kernel with ``input_shape[1]`` -- the steps of a (batch, steps,
features) input -- while ``call`` contracts the last axis: the matmul fails as the model is built. The root is the
index in ``build``; the fix reads ``input_shape[-1]``. Keras is the oracle."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import numpy as np
import keras
from keras import layers, ops


class Project(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[{index}], self.units), initializer="glorot_uniform")

    def call(self, x):
        return ops.matmul(x, self.kernel)


inputs = keras.Input(shape=(20, 6))
model = keras.Model(inputs, layers.Dense(1)(layers.GRU(8)(Project(16)(inputs))))
model.compile("adam", "mse")
model.fit(np.random.rand(16, 20, 6), np.random.rand(16, 1), epochs=1, verbose=0)
print(model.predict(np.random.rand(2, 20, 6), verbose=0).shape)
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_kernel_is_sized_with_the_last_axis():
    src = SRC.format(index=1)
    (d,) = _loud(src)
    assert "input_shape[1]" in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "input_shape[-1], self.units" in out and "keras.Input(shape=(20, 6))" in out and not _loud(out)


def test_what_keras_does():
    pytest.importorskip("keras")
    pytest.importorskip("torch")
    env = {"KERAS_BACKEND": "torch", "PATH": ""}
    bad = subprocess.run([sys.executable, "-c", SRC.format(index=1)], capture_output=True, text=True, env=env)
    assert bad.returncode != 0
    good = subprocess.run([sys.executable, "-c", SRC.format(index=-1)], capture_output=True, text=True, env=env)
    assert good.returncode == 0 and good.stdout.strip().endswith("(2, 1)")
