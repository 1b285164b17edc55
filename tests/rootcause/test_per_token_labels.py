"""A tagger with one label per token (N, T) whose LSTM returns only its last state: the model predicts one class
per sample and the sparse loss refuses the labels. The fix is ``return_sequences=True`` on that RNN (inside a
Bidirectional too); one-hot labels (N, C) with a sparse loss are another mistake and are not blamed on the RNN.
Keras is the oracle."""
import textwrap

import numpy as np
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    T, VOCAB, TAGS = 12, 50, 5
    x = np.random.randint(1, VOCAB, (32, T))
    y = np.random.randint(0, TAGS, (32, T))
    model = keras.Sequential([
        keras.Input(shape=(T,)),
        layers.Embedding(VOCAB, 16),
        layers.Bidirectional(layers.LSTM(8)),
        layers.Dense(TAGS, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, verbose=0)
    pred = model.predict(x[:2], verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_rnn_returns_every_step():
    with pytest.raises(Exception):
        run(SRC)
    (d,) = _errors(SRC)
    assert d.primary.span.line == 11 and d.cause == "last-state-for-tags"
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "layers.Bidirectional(layers.LSTM(8, return_sequences=True))" in fixed
    assert np.asarray(run(fixed)["pred"]).shape == (2, 12, 5)
    assert not _errors(fixed)


def test_one_hot_labels_are_not_blamed_on_the_rnn():
    src = SRC.replace("y = np.random.randint(0, TAGS, (32, T))",
                      "y = keras.utils.to_categorical(np.random.randint(0, TAGS, (32,)), TAGS)")
    found = _errors(src)
    assert found and all(d.cause != "last-state-for-tags" for d in found)
