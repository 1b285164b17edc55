"""An encoder's (batch, steps, features) summarised by a mean over the features instead of the steps: the Dense head
reads the steps as its features. Keras runs it (silent). The roles come from the layers: a Dense names the last
axis the features, the attention after it names axis 1 the tokens. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops

    inp = keras.Input(shape=(30, 5))
    h = layers.Dense(16)(inp)
    h = layers.MultiHeadAttention(num_heads=2, key_dim=8)(h, h)
    pooled = ops.mean(h, axis=-1)
    out = layers.Dense(3, activation="softmax")(layers.Dropout(0.1)(pooled))
    model = keras.Model(inp, out)
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(np.random.rand(8, 30, 5), np.random.randint(0, 3, size=(8,)), epochs=1, verbose=0)
""").lstrip()


def _reported(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_axis_is_reported_and_set_to_the_steps():
    (d,) = _reported(SRC)
    assert d.code == "SHP203" and d.primary.span.line == 8
    fixed = apply_edits(SRC, d.fix.edits)
    assert "ops.mean(h, axis=1)" in fixed and _reported(fixed) == []


def test_a_mean_over_the_features_kept_per_step_is_not_reported():
    src = SRC.replace('out = layers.Dense(3, activation="softmax")(layers.Dropout(0.1)(pooled))',
                      'out = layers.Reshape((30, 1))(pooled)')
    assert _reported(src.replace('model.fit(np.random.rand(8, 30, 5), np.random.randint(0, 3, size=(8,)), '
                                 'epochs=1, verbose=0)', '')) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    model = run(SRC)["model"]
    assert tuple(model.layers[-1].kernel.shape) == (30, 3)  # a weight per position
    fixed = run(SRC.replace("axis=-1", "axis=1"))["model"]
    assert tuple(fixed.layers[-1].kernel.shape) == (16, 3)
