"""A TimeDistributed frame encoder followed by a plain ``Flatten()`` before an LSTM: the Flatten merges the frames
into the features and the LSTM gets a 2-D tensor. The Flatten is the mistake; it must work per frame. Keras is the
oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    inp = keras.Input(shape=(6, 24, 24, 1))
    x = layers.TimeDistributed(layers.Conv2D(8, 3, activation="relu"))(inp)
    x = layers.TimeDistributed(layers.MaxPooling2D(2))(x)
    x = layers.Flatten()(x)
    x = layers.LSTM(16)(x)
    model = keras.Model(inp, layers.Dense(3, activation="softmax")(x))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(np.random.rand(8, 6, 24, 24, 1), np.random.randint(0, 3, size=(8,)), epochs=1, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_flatten_is_blamed_and_made_per_frame():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 8
    fixed = apply_edits(SRC, d.fix.edits)
    assert "layers.TimeDistributed(layers.Flatten())(x)" in fixed and "RepeatVector" not in d.help
    assert _errors(fixed) == []


def test_a_flatten_before_a_dense_head_is_not_blamed_this_way():
    src = SRC.replace("x = layers.LSTM(16)(x)\n", "")
    assert _errors(src) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    run(SRC.replace("layers.Flatten()(x)", "layers.TimeDistributed(layers.Flatten())(x)"))
