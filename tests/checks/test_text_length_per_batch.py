"""Token ids from a ``TextVectorization`` without ``output_sequence_length`` are as long as the longest text (of the
batch, in a tf.data pipeline), while the model declares a fixed length for an Embedding -> Flatten -> Dense head:
Keras fails on the first batch whose longest text is not exactly that long. Reported at the vectorizer and fixed
with the declared length. Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    MAX_LEN = 12
    texts = np.array(["a good movie", "bad plot and a long boring film", "fun"])
    labels = np.array([1.0, 0.0, 1.0], "float32")
    vectorizer = layers.TextVectorization(max_tokens=100, output_mode="int")
    vectorizer.adapt(texts)
    ids = vectorizer(texts)
    inputs = keras.Input(shape=(MAX_LEN,), dtype="int64")
    x = layers.Flatten()(layers.Embedding(100, 4)(inputs))
    model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(x))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(ids, labels, epochs=1, verbose=0)
""").lstrip()

FIXED = SRC.replace('output_mode="int")', 'output_mode="int", output_sequence_length=MAX_LEN)')


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_vectorizer_gets_the_declared_length():
    (d,) = _errors(SRC)
    assert d.code == "SHP304" and d.primary.span.line == 8
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == FIXED
    assert not _errors(FIXED)


def test_what_keras_does():
    pytest.importorskip("keras")
    pytest.importorskip("tensorflow")  # the text and lookup layers run on TensorFlow
    with pytest.raises(Exception):
        run(SRC)
    run(FIXED)
