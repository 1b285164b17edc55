"""Windows reshaped to (samples, 1, steps) for an LSTM declared (steps, 1), once for the training split and once,
by the same statement, for the test split given as validation data: the reshape that puts the axis of size 1 in the
wrong place is the root, and both statements are rewritten (fixing the training split alone leaves the validation
data refused). Keras is the oracle."""
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

    STEPS = 6
    series = np.random.rand(200, 1)
    train_x = np.stack([series[i:i + STEPS, 0] for i in range(150)])
    val_x = np.stack([series[150 + i:150 + i + STEPS, 0] for i in range(40)])
    train_x = np.reshape(train_x, (train_x.shape[0], 1, train_x.shape[1]))
    val_x = np.reshape(val_x, (val_x.shape[0], 1, val_x.shape[1]))
    model = keras.Sequential([keras.Input(shape=(STEPS, 1)), layers.LSTM(8), layers.Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    model.fit(train_x, np.random.rand(150, 1), validation_data=(val_x, np.random.rand(40, 1)), epochs=1,
              batch_size=32, verbose=0)
    forecast = model.predict(val_x, verbose=0)
""").lstrip()


def test_both_reshapes_put_the_unit_axis_last():
    with pytest.raises((ValueError, RuntimeError)):  # Keras on torch wraps the LSTM's matmul error
        run(SCRIPT)
    errors = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert [e.primary.span.line for e in errors] == [9, 10]  # the training data, and the validation data
    d = errors[0]
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "np.reshape(train_x, (train_x.shape[0], train_x.shape[1], 1))" in fixed
    assert "np.reshape(val_x, (val_x.shape[0], val_x.shape[1], 1))" in fixed
    assert "keras.Input(shape=(STEPS, 1))" in fixed
    assert run(fixed)["forecast"].shape == (40, 1)
    assert not [e for e in check_source("case.py", fixed).diagnostics if e.severity == "error"]
