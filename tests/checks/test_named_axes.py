"""SHP215 named: data made as ``randn(n, N_CHANNELS, N_STEPS)`` fed to a channels-last Conv1D whose Input is taken
from the data: Keras slides over the channels and reads the steps as channels. The names of the sizes say so; the
fix transposes the data where it is made. Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SIGNALS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    N_CHANNELS, N_STEPS = 6, 40
    x = np.random.randn(32, N_CHANNELS, N_STEPS).astype("float32")
    y = np.random.randint(0, 3, size=(32,))
    model = keras.Sequential([keras.Input(shape=x.shape[1:]), layers.Conv1D(8, 3, activation="relu"),
                              layers.GlobalAveragePooling1D(), layers.Dense(3, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    inner = keras.Model(model.inputs, model.layers[0].output).predict(x[:2], verbose=0)
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP215"]


def test_channels_read_as_steps_are_moved_at_the_data():
    (d,) = _found(SIGNALS)
    assert d.severity == "warning" and d.primary.span.line == 6
    fixed = fix_source("case.py", SIGNALS, [d], ("safe", "unsafe")).source
    assert "np.random.randn(32, N_CHANNELS, N_STEPS).transpose(0, 2, 1).astype" in fixed and not _found(fixed)


def test_one_name_for_channels_is_enough_but_features_as_steps_is_a_choice():
    assert _found(SIGNALS.replace("N_CHANNELS, N_STEPS = 6, 40", "N_CHANNELS, LENGTH_ = 6, 40")
                  .replace("N_STEPS)", "LENGTH_)"))
    assert not _found(SIGNALS.replace("N_CHANNELS, N_STEPS = 6, 40", "N_FEATURES, N_STEPS = 6, 40")
                      .replace("randn(32, N_CHANNELS, N_STEPS)", "randn(32, N_FEATURES, 1)"))
    assert not _found(SIGNALS.replace("randn(32, N_CHANNELS, N_STEPS)", "randn(32, N_STEPS, N_CHANNELS)"))


def test_what_keras_does():
    pytest.importorskip("keras")
    assert run(SIGNALS)["inner"].shape == (2, 4, 8)  # 6 "steps" -> 4 after a kernel of 3: it slid over the channels
    fixed = SIGNALS.replace("randn(32, N_CHANNELS, N_STEPS)", "randn(32, N_CHANNELS, N_STEPS).transpose(0, 2, 1)")
    assert run(fixed)["inner"].shape == (2, 38, 8)


ONE_STEP = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    SEQ_LEN = 40
    x = np.random.randn(32, SEQ_LEN).astype("float32").reshape(32, 1, SEQ_LEN)
    model = keras.Sequential([keras.Input(shape=x.shape[1:]), layers.Conv1D(8, 5), layers.GlobalAveragePooling1D()])
    out = model.predict(x, verbose=0)
""").lstrip()


def test_a_window_reshaped_to_one_step_is_reordered_at_the_reshape():
    found = [d for d in check_source("case.py", ONE_STEP).diagnostics if d.severity == "error"]
    (d,) = [d for d in found if d.code == "SHP215"]
    assert d.primary.span.line == 6
    fixed = fix_source("case.py", ONE_STEP, found, ("safe", "unsafe")).source
    assert ".reshape(32, SEQ_LEN, 1)" in fixed and "padding" not in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]


def test_what_keras_does_with_one_step():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(ONE_STEP)
    assert run(ONE_STEP.replace("reshape(32, 1, SEQ_LEN)", "reshape(32, SEQ_LEN, 1)"))["out"].shape == (32, 8)
