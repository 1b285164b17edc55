"""Windows whose features are stacked one per row as each sample is collected
(``xs.append(np.stack([sig[f][i:i + w] for f in FEATURES]))``): each sample is (features, steps) and the LSTM built
for (steps, features) reads the window as features. The per-sample stack is blamed and given ``axis=-1`` -- not the
stacked array transposed back, not the Input turned to (features, steps). Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    FEATURES = ["load", "temperature"]
    WINDOW = 12
    sig = {"load": np.random.rand(80).astype("float32"), "temperature": np.random.rand(80).astype("float32")}


    def windows(sig, window):
        xs, ys = [], []
        for i in range(len(sig["load"]) - window):
            xs.append(np.stack([sig[name][i:i + window] for name in FEATURES]))
            ys.append(sig["load"][i + window])
        return np.array(xs), np.array(ys)


    x, y = windows(sig, WINDOW)
    model = keras.Sequential([keras.Input(shape=(WINDOW, len(FEATURES))), layers.LSTM(4), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, epochs=1, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_per_sample_stack_gets_the_last_axis():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 13
    assert d.fix is not None and d.fix.applicability == "unsafe"
    assert [e.text for e in d.fix.edits] == [", axis=-1"]


def test_stacked_on_the_last_axis_is_right():
    assert not _errors(SRC.replace("for name in FEATURES]))", "for name in FEATURES], axis=-1))"))


def test_data_that_fits_its_declared_input_is_left_alone():
    src = SRC.replace("keras.Input(shape=(WINDOW, len(FEATURES))), layers.LSTM(4)",
                      "keras.Input(shape=(len(FEATURES), WINDOW)), layers.LSTM(4)")
    assert not _errors(src)


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    scope = run(SRC.replace("for name in FEATURES]))", "for name in FEATURES], axis=-1))"))
    assert scope["x"].shape == (68, 12, 2)
