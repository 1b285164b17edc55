"""Keras mixed inputs: a CNN branch ends ``MaxPooling2D -> Dense(16) -> Dense(4)`` without ``Flatten`` and is joined
to an MLP branch. The first Dense is blamed and given the flattened map -- not a Flatten at the join, which would
keep the Dense layers working pixel by pixel. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    attrs_in = keras.Input(shape=(6,))
    a = layers.Dense(4, activation="relu")(attrs_in)
    img_in = keras.Input(shape=(32, 32, 3))
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(img_in)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Dense(16, activation="relu")(x)
    x = layers.Dense(4, activation="relu")(x)
    combined = layers.concatenate([a, x])
    out = layers.Dense(1)(combined)
    model = keras.Model([attrs_in, img_in], out)
    pred = model.predict([np.zeros((BATCH, 6)), np.zeros((BATCH, 32, 32, 3))], verbose=0)
""").lstrip()


DENSE = 'layers.Dense(16, activation="relu")(x)'
FLAT = 'layers.Dense(16, activation="relu")(layers.Flatten()(x))'


def test_the_first_dense_on_the_map_gets_the_flatten():
    src = SRC.replace("BATCH", "5")
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 10
    assert "x = " + FLAT in apply_edits(src, d.fix.edits)


def test_a_flattened_branch_is_left_alone():
    src = SRC.replace("BATCH", "5").replace(DENSE, FLAT)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC.replace("BATCH", "5"))
    for batch in (5, 2):
        fixed = SRC.replace("BATCH", str(batch)).replace(DENSE, FLAT)
        assert run(fixed)["pred"].shape == (batch, 1)
