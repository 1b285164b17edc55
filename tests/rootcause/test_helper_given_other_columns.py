"""New data made by the helper that made the training data, given every column of the frame (the label among them)
instead of the feature list: the model declared for 3 features gets 4 at predict. The call's column argument is
the root; the fix passes the training call's list. The data argument, which differs on purpose, is never swapped.
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
    import pandas as pd
    import keras
    from keras import layers

    FEATURES = ["a", "b", "c"]


    def frame(n):
        df = pd.DataFrame(np.random.rand(n, 3), columns=FEATURES)
        df["label"] = (df["a"] > 0.5).astype("float32")
        return df


    def windows(df, cols):
        arr = df[cols].to_numpy("float32")
        return np.stack([arr[i:i + 4] for i in range(len(arr) - 3)])


    train = frame(40)
    model = keras.Sequential([keras.Input(shape=(4, 3)), layers.LSTM(4), layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam")
    model.fit(windows(train, FEATURES), train["label"].to_numpy("float32")[3:], epochs=1, verbose=0)
    new = frame(12)
    every = list(new.columns)
    upcoming = windows(new, every)
    probs = model.predict(upcoming, verbose=0)
""").lstrip()


def test_the_new_windows_take_the_training_columns():
    pytest.importorskip("pandas")
    with pytest.raises(Exception):
        run(SCRIPT)
    (d,) = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 26
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "upcoming = windows(new, FEATURES)" in fixed
    assert run(fixed)["probs"].shape == (9, 1)
