"""One image of another colour mode fed to a Keras model fitted on the declared one (rw31b: an RGB photo to a
grayscale X-ray model; one (H, W) grayscale image to a model fitted on RGB copies): the training data agrees with
the declaration, so the image is converted where it is fed -- never the model re-declared. Keras is the oracle: the
original raises, the fixed script predicts one row."""
import os

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = """
import numpy as np
import keras
from keras import layers

x = np.random.rand(32, 32, 32, PLANES).astype("float32")
y = np.random.randint(0, 2, 32).astype("float32")
inputs = keras.Input(shape=(32, 32, PLANES))
h = layers.GlobalAveragePooling2D()(layers.Conv2D(4, 3, padding="same")(inputs))
model = keras.Model(inputs, layers.Dense(1, activation="sigmoid")(h))
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
image = IMAGE
p = model.predict(image, verbose=0)
"""


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("planes, image, spelled", [
    ("1", 'np.random.rand(1, 32, 32, 3).astype("float32")', "p = model.predict(image.mean(axis=-1, keepdims=True)"),
    ("3", 'np.random.rand(32, 32).astype("float32")', "p = model.predict(np.repeat(image[None, ..., None], 3, axis=-1)"),
])
def test_the_image_is_converted_not_the_model(planes, image, spelled):
    src = SRC.replace("PLANES", planes).replace("IMAGE", image).lstrip()
    with pytest.raises(Exception):
        run(src)
    (d,) = _errors(src)
    assert "convert" in d.help or "grayscale" in d.help
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert spelled in fixed and f"shape=(32, 32, {planes})" in fixed and not _errors(fixed)
    assert tuple(run(fixed)["p"].shape) == (1, 1)


def test_without_training_data_the_declaration_may_be_wrong():
    src = SRC.replace("PLANES", "1").replace("IMAGE", 'np.random.rand(1, 32, 32, 3).astype("float32")')
    src = src.replace("model.fit(x, y, epochs=1, verbose=0)\n", "").lstrip()
    (d,) = _errors(src)
    assert "mean(axis=-1" not in (d.help or "")
