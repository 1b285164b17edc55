"""A hand-written Keras multi-head attention scaled by ``np.sqrt(self.depth)`` merges its heads with
``ops.reshape(out, (batch, -1, d_model))`` straight from (B, heads, T, depth): SHP211, fixed by moving the head axis
back first. Keras is the oracle for the fixed layer's values."""
import os
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops


    class SelfAttention(layers.Layer):
        def __init__(self, d_model=32, num_heads=4, **kwargs):
            super().__init__(**kwargs)
            self.d_model, self.num_heads, self.depth = d_model, num_heads, d_model // num_heads
            self.wq, self.wk, self.wv = layers.Dense(d_model), layers.Dense(d_model), layers.Dense(d_model)

        def split(self, x, b):
            return ops.transpose(ops.reshape(x, (b, -1, self.num_heads, self.depth)), (0, 2, 1, 3))

        def call(self, x):
            b = ops.shape(x)[0]
            q, k, v = self.split(self.wq(x), b), self.split(self.wk(x), b), self.split(self.wv(x), b)
            scores = ops.matmul(q, ops.transpose(k, (0, 1, 3, 2))) / np.sqrt(self.depth)
            out = ops.matmul(ops.softmax(scores, axis=-1), v)
            return ops.reshape(out, (b, -1, self.d_model))


    inp = keras.Input(shape=(10, 32))
    model = keras.Model(inp, SelfAttention()(inp))
""").lstrip()


def test_heads_merged_without_moving_them_back_are_reported_and_fixed():
    r = check_source("case.py", SRC)
    (d,) = [d for d in r.diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP211" and d.primary.span.line == 20
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert "ops.reshape(ops.transpose(out, (0, 2, 1, 3)), (b, -1, self.d_model))" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]
    pytest.importorskip("keras")
    from oracle import run
    assert run(fixed)["model"].output_shape == (None, 10, 32)
