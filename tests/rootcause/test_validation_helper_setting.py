"""Training and validation arrays made by two calls of one helper, the training call passing
``as_sequence=False`` and the validation call leaving it to its default (True): the validation call is blamed and
given the training call's setting -- not the validation array reshaped at ``fit``. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers


    def prepare(frame, as_sequence=True):
        X = frame[:, :-1].astype("float32")
        y = frame[:, -1].astype("float32")
        if as_sequence:
            X = X.reshape(X.shape[0], 1, X.shape[1])
        return X, y


    X_train, y_train = prepare(np.random.rand(64, 9), as_sequence=False)
    X_val, y_val = prepare(np.random.rand(16, 9))
    model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4, activation="relu"), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=1, batch_size=16, verbose=0)
""").lstrip()


def test_the_validation_call_gets_the_training_setting():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 15
    assert [e.text for e in d.fix.edits] == [", as_sequence=False"]


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC)
    run(SRC.replace("prepare(np.random.rand(16, 9))", "prepare(np.random.rand(16, 9), as_sequence=False)"))
