"""A U-Net's skip joins read their axis from a module constant, ``MERGE_AXIS = 1``, on channels-last maps: the
constant is where the wrong axis was written, and the fix sets it there (keeping the name). Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    MERGE_AXIS = 1

    inp = keras.Input(shape=(16, 16, 1))
    a = layers.Conv2D(4, 3, padding="same")(inp)
    b = layers.UpSampling2D(2)(layers.Conv2D(8, 3, padding="same")(layers.MaxPooling2D(2)(a)))
    x = layers.concatenate([b, a], axis=MERGE_AXIS)
    model = keras.Model(inp, layers.Conv2D(2, 1)(x))
    model.predict(np.random.rand(2, 16, 16, 1), verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_constant_is_blamed_and_set_where_it_is_defined():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 5
    fixed = apply_edits(SRC, d.fix.edits)
    assert "MERGE_AXIS = -1" in fixed and "axis=MERGE_AXIS" in fixed and _errors(fixed) == []


def test_a_constant_read_twice_is_not_edited():
    src = SRC.replace("model = keras.Model", "print(MERGE_AXIS)\nmodel = keras.Model")
    (d,) = _errors(src)
    assert d.primary.span.line != 5


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    run(SRC.replace("MERGE_AXIS = 1", "MERGE_AXIS = -1"))
