"""The data padded to a literal length (``maxlen=120``) for a model declared with the file's named length
(``Input(shape=(MAXLEN,))``, ``MAXLEN = 150``): the literal is the mistake, not the declaration. Keras is the
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

    MAXLEN = 30
    docs = [[1, 2, 3, 4]] * 16
    x = keras.utils.pad_sequences(docs, maxlen=24)
    inp = keras.Input(shape=(MAXLEN,), dtype="int32")
    h = layers.GlobalAveragePooling1D()(layers.Embedding(10, 4)(inp))
    model = keras.Model(inp, layers.Dense(1)(h))
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, np.zeros((16, 1)), epochs=1, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_literal_is_blamed_and_replaced_by_the_name():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 7
    fixed = apply_edits(SRC, d.fix.edits)
    assert "pad_sequences(docs, maxlen=MAXLEN)" in fixed and "MAXLEN = 30" in fixed and _errors(fixed) == []


def test_two_literals_are_not_blamed_this_way():
    (d,) = _errors(SRC.replace("shape=(MAXLEN,)", "shape=(30,)"))
    assert d.cause != "literal-beside-name"


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    run(SRC.replace("maxlen=24", "maxlen=MAXLEN"))
