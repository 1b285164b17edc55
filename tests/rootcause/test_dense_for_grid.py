"""A decoder's Dense sized for another grid than the Reshape after it: the Dense is sized with the Reshape's own
names, and the upsampling after the Reshape then gives the image size. Keras is the oracle."""
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

    IMG, FEAT = 16, 8
    BASE = IMG // 4
    z = keras.Input(shape=(4,))
    h = layers.Dense((IMG // 2) ** 2 * FEAT)(z)
    h = layers.Reshape((BASE, BASE, FEAT))(h)
    h = layers.Conv2DTranspose(FEAT, 3, strides=2, padding="same")(h)
    img = layers.Conv2DTranspose(1, 3, strides=2, padding="same")(h)
    decoder = keras.Model(z, img)
    out = decoder.predict(np.zeros((2, 4), "float32"), verbose=0)
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_dense_is_sized_for_the_grid():
    (d,) = _loud(SRC)
    assert d.primary.span.line == 8
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "layers.Dense(BASE * BASE * FEAT)(z)" in fixed and "layers.Reshape((BASE, BASE, FEAT))" in fixed
    assert not _loud(fixed)


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    scope = run(SRC.replace("(IMG // 2) ** 2 * FEAT", "BASE * BASE * FEAT"))
    assert tuple(scope["out"].shape) == (2, 16, 16, 1)
