"""A Keras CNN declared ``Input(shape=(1, 28, 28))`` (channels first, as PyTorch writes it) fed (n, 28, 28, 1)
images: the first conv reads the 1 as the height and has no room. The declaration is blamed and written channels
last, as the data is -- not ``padding="same"`` on the convs, which would run on images one pixel high. Keras is the
oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    x = np.random.rand(32, 28, 28, 1).astype("float32")
    y = np.random.randint(0, 10, size=(32,))
    model = keras.Sequential([
        keras.Input(shape=(1, 28, 28)),
        layers.Conv2D(8, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_declaration_is_blamed_and_written_channels_last():
    found = _errors(SRC)
    assert found and all(d.primary.span.line == 8 for d in found)
    out = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "keras.Input(shape=(28, 28, 1))" in out and "padding" not in out and not _errors(out)


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC)
    run(SRC.replace("shape=(1, 28, 28)", "shape=(28, 28, 1)"))
