"""A Keras model declared for another per-sample shape than the data it is given (``Dense(5, input_shape=(1,))``
in front of an LSTM, fitted on (N, 12, 1) windows) fails where it is built. The declaration is the root and becomes
the data's per-sample shape by the data's name; a time axis added inside the model (RepeatVector) is not the fix.
Keras is the oracle."""
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
    from keras.layers import Dense, LSTM

    windows = np.random.rand(30, 12, 1).astype("float32")
    model = keras.Sequential()
    model.add(Dense(5, input_shape=(1,)))
    model.add(Dense(4))
    model.add(LSTM(8))
    model.add(Dense(1))
    out = model.predict(windows, verbose=0)
""").lstrip()


def test_the_declaration_becomes_one_sample_of_the_data():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SCRIPT)
    (d,) = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 7
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "Dense(5, input_shape=windows.shape[1:])" in fixed and "RepeatVector" not in fixed
    assert run(fixed)["out"].shape == (30, 1)
