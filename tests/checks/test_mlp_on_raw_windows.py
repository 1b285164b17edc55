"""An MLP of Dense layers applied to raw windows (N, 24, 1) with one target per window: each step is processed from
its own single value, the model outputs (None, 24, 1) and ``mse`` broadcasts the (N,) targets over every position.
The window is flattened before the Dense stack (rw18a s01, a one-step forecaster); reshaping the targets to the
per-step output would lock the bug in. Keras is the oracle."""
import os
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    x = np.random.rand(100, 24, 1).astype("float32")
    y = np.random.rand(100).astype("float32")
    inputs = keras.Input(shape=(24, 1))
    h = inputs
    for units in (16, 8):
        h = layers.Dense(units, activation="relu")(h)
    model = keras.Model(inputs, layers.Dense(1)(h))
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, batch_size=20, epochs=1, verbose=0)
    out = model.predict(x[:3], verbose=0)
""").lstrip()


def test_the_window_is_flattened_before_the_dense_stack():
    result = check_source("case.py", SRC)
    (d,) = [d for d in result.diagnostics if d.severity == "warning"]
    assert d.code == "SHP201"
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "h = layers.Flatten()(h)\nfor units in (16, 8):" in fixed
    pytest.importorskip("keras")
    from oracle import run
    assert run(SRC)["out"].shape == (3, 24, 1) and run(fixed)["out"].shape == (3, 1)


def test_per_step_targets_are_left_alone():
    src = SRC.replace("y = np.random.rand(100).astype", "y = np.random.rand(100, 24, 1).astype")
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity == "warning"]
