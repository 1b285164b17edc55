"""A recurrent branch that keeps ``return_sequences=True`` joined to a (batch, features) branch: ranks 3 and 2 reach
the ``Concatenate``. The flag on the recurrent layer is blamed and turned off (one vector per sample from that
branch), not a ``Flatten`` of the steps or a ``RepeatVector`` of the other branch. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import keras
    from keras import layers

    seq_in = keras.Input(shape=(30,), dtype="int32")
    desc_in = keras.Input(shape=(12,))
    s = layers.LSTM(20, return_sequences=True)(layers.Embedding(50, 8)(seq_in))
    v = layers.Dense(16, activation="relu")(desc_in)
    joint = layers.Concatenate()([s, v])
    model = keras.Model([seq_in, desc_in], layers.Dense(1)(joint))
""").lstrip()


def test_the_flag_on_the_sequence_branch_is_blamed():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 6
    assert [e.text for e in d.fix.edits] == ["False"]


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC)
    scope = run(SRC.replace("return_sequences=True", "return_sequences=False"))
    assert tuple(scope["model"].output.shape) == (None, 1)
