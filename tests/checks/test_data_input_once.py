"""Data that does not fit a Keras model's declared input is reported once per data source, not again for every
later fit/evaluate/predict of a slice of it (checks/data_input.py). The first call raises in real Keras."""
from __future__ import annotations

import pytest

from shapelint.frontends.source.check import check_source

SRC = """import numpy as np
import keras
from keras import layers

X = np.random.rand(40, 30, 4)
X2 = np.random.rand(10, 30, 4)
y = np.random.rand(40)
model = keras.Sequential([layers.LSTM(8, input_shape=(4, 30)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, verbose=0)
model.predict(X[:3], verbose=0)
model.evaluate(X, y, verbose=0)
"""


def test_one_diagnostic_per_data_source():
    keras = pytest.importorskip("keras")  # noqa: F841
    with pytest.raises(Exception):
        exec(compile(SRC, "t.py", "exec"), {"__name__": "__main__"})
    # the data (40, 30, 4) holds the declared (4, 30) in the LSTM's own order (steps, features): the declaration
    # at line 8 is where the root cause is (rootcause/causes/data.py), reported once for the data source
    errs = [(d.code, d.line) for d in check_source("t.py", SRC).diagnostics if d.severity == "error"]
    assert errs == [("SHP304", 8)]
    # a second source fed to the same wrong declaration is the same mistake: one diagnostic at the declaration
    # (rootcause/engine._one_per_root), which shows both places the data meets it
    two = SRC + "model.predict(X2, verbose=0)\n"
    (d,) = [d for d in check_source("t.py", two).diagnostics if d.severity == "error"]
    assert (d.code, d.line) == ("SHP304", 8) and {5, 6} <= {l.span.line for l in d.secondary}  # X and X2


def test_the_rank_remedy_never_reshapes_samples_together():
    """(187, 30) data against a model declared (None, 382, 30): `x.reshape(-1, 382, 30)` would put 382 samples in one
    -- the remedy points at the declaration instead; (N, 30) against (None, 30, 1) keeps the reshape."""
    from shapelint.checks.data_input import _rank_remedy
    assert "x.reshape(" not in _rank_remedy((187, 30), (None, 382, 30))
    assert "x.reshape(-1, 30, 1)" in _rank_remedy((187, 30), (None, 30, 1))
