"""A Keras DCGAN whose generator starts from ``SEED_SQUARE = 4`` and doubles five times (128 px) while the
discriminator and the data are ``GENERATE_SQUARE = 96`` px: the start setting is the root, read by the Reshape and
the Dense before it; the fix sets it from the image size, ``GENERATE_SQUARE // 32``, so both follow. Keras is the
oracle: the script raises, the fixed generator makes 96 px images."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    GENERATE_SQUARE = 96
    SEED_SQUARE = 4

    z = keras.Input(shape=(16,))
    x = layers.Dense(SEED_SQUARE * SEED_SQUARE * 8, activation="relu")(z)
    x = layers.Reshape((SEED_SQUARE, SEED_SQUARE, 8))(x)
    for _ in range(5):
        x = layers.UpSampling2D()(x)
        x = layers.Conv2D(8, 3, padding="same")(x)
    generator = keras.Model(z, layers.Conv2D(3, 3, padding="same", activation="tanh")(x))

    img = keras.Input(shape=(GENERATE_SQUARE, GENERATE_SQUARE, 3))
    discriminator = keras.Model(img, layers.Dense(1)(layers.GlobalAveragePooling2D()(layers.Conv2D(4, 3)(img))))
    validity = discriminator(generator(z))
    fakes = generator.predict(np.random.rand(2, 16), verbose=0)
""").lstrip()


def test_the_start_setting_follows_the_image_size():
    with pytest.raises(ValueError):
        run(SCRIPT)
    errors = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert errors and errors[0].primary.span.line == 6
    fixed = fix_source("case.py", SCRIPT, errors, ("safe", "unsafe")).source
    assert "SEED_SQUARE = GENERATE_SQUARE // 32" in fixed and "range(5)" in fixed
    assert run(fixed)["fakes"].shape == (2, 96, 96, 3)
