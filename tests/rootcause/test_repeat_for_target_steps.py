"""A Keras encoder-decoder without its ``RepeatVector``: the encoder LSTM gives one vector per sample and the decoder
LSTM after it needs a sequence. When the labels have as many steps as the input, ``return_sequences=True`` on the
encoder is the fix (a stacked LSTM); when they have another number of steps (predict 6 steps from 12), the encoder's
vector must be repeated once per output step: ``RepeatVector(n_out)``, and the decoder must give every step.
Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SEQUENTIAL = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    n_in, n_out, n_feat = 12, 6, 3
    X = np.random.rand(16, n_in, n_feat).astype("float32")
    Y = np.random.rand(16, n_out, n_feat).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(n_in, n_feat)),
        layers.LSTM(32),
        layers.LSTM(32, return_sequences=True),
        layers.TimeDistributed(layers.Dense(n_feat)),
    ])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
""").lstrip()

FUNCTIONAL = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    N_IN, N_OUT = 10, 4
    X = np.random.rand(16, N_IN, 2).astype("float32")
    Y = np.random.rand(16, N_OUT, 1).astype("float32")
    inp = keras.Input(shape=(N_IN, 2))
    h = layers.LSTM(16, activation="relu")(inp)
    h = layers.LSTM(16, activation="relu")(h)
    out = layers.TimeDistributed(layers.Dense(1))(h)
    model = keras.Model(inp, out)
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, Y, epochs=1, verbose=0)
""").lstrip()


def _fixed(src):
    """The first error (the functional graph goes on past it, as its layer after the decoder fails too) and the
    file with every fix applied."""
    errors = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    return errors[0], fix_source("case.py", src, errors, ("safe", "unsafe")).source


def test_the_encoder_vector_is_repeated_once_per_label_step():
    d, fixed = _fixed(SEQUENTIAL)
    assert d.line == SEQUENTIAL.splitlines().index("    layers.LSTM(32),") + 1
    assert "layers.LSTM(32),\n    layers.RepeatVector(n_out),\n" in fixed
    assert "return_sequences=True" not in fixed.split("RepeatVector")[0]  # the encoder still gives one vector
    assert check_source("case.py", fixed).diagnostics == []
    pytest.importorskip("keras")
    assert tuple(run(fixed)["model"].output_shape) == (None, 6, 3)


def test_the_functional_decoder_also_gives_every_step():
    d, fixed = _fixed(FUNCTIONAL)
    assert "h = layers.RepeatVector(N_OUT)(h)\n" in fixed
    assert 'layers.LSTM(16, activation="relu", return_sequences=True)(h)' in fixed
    assert "or: pass return_sequences=True" not in " ".join(d.notes)  # the labels rule it out
    pytest.importorskip("keras")
    assert tuple(run(fixed)["model"].output_shape) == (None, 4, 1)


def test_labels_with_the_input_steps_keep_the_stacked_lstm_fix():
    src = SEQUENTIAL.replace("n_in, n_out, n_feat = 12, 6, 3", "n_in, n_out, n_feat = 12, 12, 3")
    d, fixed = _fixed(src)
    assert "RepeatVector" not in fixed and "layers.LSTM(32, return_sequences=True),\n    layers.LSTM(32, ret" in fixed


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SEQUENTIAL)
