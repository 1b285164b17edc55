"""A DCGAN generator seeded 4x4 and doubled in a ``for _ in range(GEN_UPSAMPLES)`` loop, with GEN_UPSAMPLES = 5:
128x128 images for a 64x64 discriminator. The count is blamed and set to 4 -- not the seed shrunk to 2x2 (which
fits too, but no one seeds a DCGAN at 2x2) and not the discriminator re-declared. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    LATENT = 16
    START = 4
    GEN_UPSAMPLES = 5


    def build_generator():
        z = keras.Input(shape=(LATENT,))
        x = layers.Reshape((START, START, 32))(layers.Dense(START * START * 32)(z))
        for _ in range(GEN_UPSAMPLES):
            x = layers.UpSampling2D()(x)
            x = layers.Conv2D(16, 3, padding="same")(x)
        return keras.Model(z, layers.Conv2D(3, 3, padding="same", activation="tanh")(x))


    def build_discriminator():
        img = keras.Input(shape=(64, 64, 3))
        x = layers.Conv2D(8, 3, strides=4, padding="same")(img)
        return keras.Model(img, layers.Dense(1, activation="sigmoid")(layers.Flatten()(x)))


    generator, discriminator = build_generator(), build_discriminator()
    z_in = keras.Input(shape=(LATENT,))
    combined = keras.Model(z_in, discriminator(generator(z_in)))
    score = combined.predict(np.random.normal(size=(2, LATENT)).astype("float32"), verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_count_of_doublings_is_blamed_and_set():
    found = _errors(SRC)
    assert found and found[0].primary.span.line == 7
    fixed = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "GEN_UPSAMPLES = 4" in fixed and "START = 4" in fixed and not _errors(fixed)


def test_a_two_by_two_seed_is_left_to_the_seed_fix():
    src = SRC.replace("START = 4", "START = 2").replace("GEN_UPSAMPLES = 5", "GEN_UPSAMPLES = 6")
    found = _errors(src)
    assert found and found[0].primary.span.line != 7


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    assert run(SRC.replace("GEN_UPSAMPLES = 5", "GEN_UPSAMPLES = 4"))["score"].shape == (2, 1)
