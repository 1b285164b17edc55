"""An LSTM left at ``return_sequences=True`` before ``TimeDistributed(Dense(1))`` for one target per sequence: Keras 3
broadcasts the (N, 1) targets over the (N, T, 1) output without a word. The fix turns the last LSTM to one output
per sample and unwraps the TimeDistributed head (which would refuse a 2-D input); Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    x = np.random.rand(60, 10, 2).astype("float32")
    y = x[:, -3:, 0].mean(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input(shape=(10, 2)),
                              layers.LSTM(8, return_sequences=True),
                              layers.TimeDistributed(layers.Dense(1))])
    model.compile(loss="mse", optimizer="adam")
    model.fit(x, y, batch_size=12, epochs=1, verbose=0)
    predicted = model.predict(x[:5], verbose=0)
""").lstrip()


def test_the_last_lstm_returns_one_output_and_the_head_is_unwrapped():
    assert run(SCRIPT)["predicted"].shape == (5, 10, 1)  # silent: one "prediction" per step
    (d,) = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity in ("error", "warning")]
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "layers.LSTM(8, return_sequences=False)" in fixed
    assert "layers.TimeDistributed" not in fixed and "layers.Dense(1)])" in fixed
    assert run(fixed)["predicted"].shape == (5, 1)
    with pytest.raises(Exception):  # the flag alone: TimeDistributed refuses one vector per sample
        run(SCRIPT.replace("return_sequences=True", "return_sequences=False"))
