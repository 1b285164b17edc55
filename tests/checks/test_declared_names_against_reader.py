"""Windows made without named sizes (a signal computed by broadcasting) and a Keras model declared with them,
``Input(shape=(N_CHANNELS, WINDOW))``, before a channels-last ``Conv1D``: the declaration's names say (channels,
steps), the conv reads (steps, channels). Reported at the declaration (SHP215), fixed by moving the data's axes where
the helper hands it over and declaring the input in that order. Keras is the oracle for the shapes."""
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

    N_CHANNELS = 3
    WINDOW = 40


    def make_windows(n, rng):
        t = np.linspace(0, 1, WINDOW, dtype="float32")
        x = np.sin(6.0 * t[None, None, :] + rng.normal(size=(n, N_CHANNELS, 1)))
        return x.astype("float32")


    x_train = make_windows(16, np.random.default_rng(0))
    inp = keras.Input(shape=(N_CHANNELS, WINDOW))
    h = layers.Conv1D(8, 5, padding="same")(inp)
    model = keras.Model(inp, layers.Dense(2)(layers.GlobalAveragePooling1D()(h)))
    out = model.predict(x_train, verbose=0)
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_declaration_and_the_data_move_together():
    pytest.importorskip("keras")
    (d,) = _loud(SCRIPT)
    assert d.code == "SHP215" and d.primary.span.line == 16
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert 'return x.astype("float32").transpose(0, 2, 1)' in fixed
    assert "keras.Input(shape=(WINDOW, N_CHANNELS))" in fixed and not _loud(fixed)
    assert run(fixed)["out"].shape == (16, 2)


def test_names_in_the_reading_order_are_left_alone():
    src = SCRIPT.replace("rng.normal(size=(n, N_CHANNELS, 1))", "rng.normal(size=(n, 1, N_CHANNELS))") \
        .replace("t[None, None, :]", "t[None, :, None]").replace("(N_CHANNELS, WINDOW)", "(WINDOW, N_CHANNELS)")
    assert not _loud(src)


ONE_STEP = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    WINDOW = 50
    prices = np.cumsum(np.random.default_rng(0).standard_normal((30, WINDOW)), axis=1).astype("float32")
    X = prices.reshape(prices.shape[0], 1, WINDOW)
    model = keras.Sequential([keras.Input(shape=(1, WINDOW)), layers.Conv1D(8, 5, padding="same"),
                              layers.GlobalAveragePooling1D(), layers.Dense(2)])
    out = model.predict(X, verbose=0)
""").lstrip()


def test_windows_reshaped_to_one_step_are_still_reordered_with_their_declaration():
    """The reshape's names decide there (the declaration repeats the misread layout): the fix reorders both."""
    (d,) = _loud(ONE_STEP)
    assert d.code == "SHP215" and d.primary.span.line == 7
    fixed = fix_source("case.py", ONE_STEP, [d], ("safe", "unsafe")).source
    assert "prices.reshape(prices.shape[0], WINDOW, 1)" in fixed and "keras.Input(shape=(WINDOW, 1))" in fixed
