"""NumPy metrics written by hand after ``model.predict``: an (N, 1) prediction column minus (N,) targets broadcasts to
(N, N), and the error is computed over every pair. Reported where the predictions are taken (every use is fixed by
``.ravel()`` there). A column against a column, or flat predictions, say nothing. Keras and numpy are the oracle."""
import os
import textwrap

import numpy as np
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    x = np.random.rand(40, 5).astype("float32")
    y = np.random.rand(40).astype("float32")
    model = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(8), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    preds = model.predict(x, verbose=0)
    mse = np.square(np.subtract(y, preds)).mean()
    diff = y - preds
""").lstrip()

FIXED = SRC.replace("preds = model.predict(x, verbose=0)", "preds = model.predict(x, verbose=0).ravel()")


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP202"]


def test_reported_where_the_predictions_are_taken():
    (d,) = _warnings(SRC)
    assert d.primary.span.line == 9 and len(d.secondary) == 2
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == FIXED
    assert not _warnings(FIXED)


def test_a_column_against_a_column_is_fine():
    assert not _warnings(SRC.replace('y = np.random.rand(40).astype("float32")',
                                     'y = np.random.rand(40, 1).astype("float32")'))


def test_what_numpy_does():
    pytest.importorskip("keras")
    assert run(SRC)["diff"].shape == (40, 40)
    assert run(FIXED)["diff"].shape == (40,)
