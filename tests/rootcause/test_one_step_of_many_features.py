"""A Keras Conv1D fed a signal of 20 values reshaped "[samples, time steps, features]" as (N, 1, 20) and declared
``Input(shape=(1, N_FEATURES))``: one step, and a kernel of 3 cannot fit in it. The 20 values are the sequence the
layer slides over: (N, 20, 1) in the reshape and in the declaration. ``padding="same"`` would run and convolve one
step. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    N_FEATURES = 20
    feats = np.random.rand(40, N_FEATURES).astype("float32")
    labels = keras.utils.to_categorical(np.random.randint(0, 3, 40), 3)
    X = np.reshape(feats, (feats.shape[0], 1, feats.shape[1]))
    model = keras.Sequential([
        keras.Input(shape=(1, N_FEATURES)),
        layers.Conv1D(8, 3, activation="relu"),
        layers.MaxPooling1D(2),
        layers.Flatten(),
        layers.Dense(3, activation="softmax"),
    ])
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    model.fit(X, labels, epochs=1, verbose=0)
""").lstrip()


def test_the_values_become_the_steps_in_the_data_and_the_declaration():
    errors = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert errors and errors[0].line == SRC.splitlines().index("    keras.Input(shape=(1, N_FEATURES)),") + 1
    fixed = fix_source("case.py", SRC, errors, ("safe", "unsafe")).source
    assert "np.reshape(feats, (feats.shape[0], feats.shape[1], 1))" in fixed
    assert "keras.Input(shape=(N_FEATURES, 1))" in fixed and 'padding="same"' not in fixed
    pytest.importorskip("keras")
    assert tuple(run(fixed)["model"].output_shape) == (None, 3)
    with pytest.raises(ValueError):
        run(SRC)
