"""Windows reshaped to (N, 1, LOOK_BACK) -- one time step of LOOK_BACK features -- for an LSTM whose input is
declared from the data itself (``Input(shape=(trainX.shape[1], trainX.shape[2]))``): the fix reshapes the train
and the test windows to (N, LOOK_BACK, 1) and leaves the declaration alone, which follows the data (a round-13
review: swapping it too broke the fixed script). Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    LOOK_BACK = 6
    series = np.sin(np.arange(300) / 10.0).astype("float32")
    X = np.array([series[i:i + LOOK_BACK] for i in range(200)])
    y = series[LOOK_BACK:LOOK_BACK + 200]
    trainX, testX = X[:160], X[160:]
    trainX = np.reshape(trainX, (trainX.shape[0], 1, trainX.shape[1]))
    testX = np.reshape(testX, (testX.shape[0], 1, testX.shape[1]))
    model = keras.Sequential([keras.Input(shape=(trainX.shape[1], trainX.shape[2])), layers.LSTM(8), layers.Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    model.fit(trainX, y[:160], epochs=1, verbose=0)
    pred = model.predict(testX, verbose=0)
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("warning", "error")]


def test_both_reshapes_are_fixed_and_the_declaration_follows():
    (d,) = _found(SRC)
    assert (d.code, d.primary.span.line) == ("SHP215", 10)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "(trainX.shape[0], trainX.shape[1], 1)" in fixed and "(testX.shape[0], testX.shape[1], 1)" in fixed
    assert "keras.Input(shape=(trainX.shape[1], trainX.shape[2]))" in fixed
    assert not _found(fixed)
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    assert run(fixed)["pred"].shape == (40, 1)
