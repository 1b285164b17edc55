"""An encoder-decoder whose ``RepeatVector`` repeats the context as many times as the source is long, trained on
target sequences of another length: the repeat count is the mistake (not the targets, and not the decoder's
``return_sequences``, which per-step labels need). Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    SRC_LEN, TGT_LEN = 9, 5
    src = np.random.randint(1, 50, size=(64, SRC_LEN))
    tgt = np.random.randint(1, 40, size=(64, TGT_LEN))
    model = keras.Sequential([
        keras.Input(shape=(SRC_LEN,)),
        layers.Embedding(50, 8),
        layers.LSTM(16),
        layers.RepeatVector(SRC_LEN),
        layers.LSTM(16, return_sequences=True),
        layers.TimeDistributed(layers.Dense(40, activation="softmax")),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(src, tgt, batch_size=16, epochs=1, verbose=0)
""").lstrip()


def test_the_repeat_count_is_blamed_and_set_to_the_target_length():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 12
    assert [e.text for e in d.fix.edits] == ["TGT_LEN"]
    assert "return_sequences=False" not in d.help


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    run(SRC.replace("RepeatVector(SRC_LEN)", "RepeatVector(TGT_LEN)"))
