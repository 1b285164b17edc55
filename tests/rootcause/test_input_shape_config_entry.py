"""A config-driven Keras script declares ``Input(shape=cfg["input_shape"])`` with ``"input_shape":
train_images.shape`` -- the sample count included. The mistake is the entry: the fix writes ``.shape[1:]`` there,
not a literal at the Input (a round-13 review: the literal left the config wrong). Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    train_images = np.random.rand(64, 16, 16, 1).astype("float32")
    train_labels = np.random.randint(0, 10, size=(64,))
    CONFIG = {"input_shape": train_images.shape, "classes": 10}


    def build(cfg):
        model = keras.Sequential([keras.Input(shape=cfg["input_shape"]), layers.Conv2D(8, 3, activation="relu"),
                                  layers.Flatten(), layers.Dense(cfg["classes"], activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model


    model = build(CONFIG)
    model.fit(train_images, train_labels, batch_size=16, epochs=1, verbose=0)
    out = model.predict(train_images[:5], verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_config_entry_takes_one_sample():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 7
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert '"input_shape": train_images.shape[1:]' in fixed and not _errors(fixed)


def test_what_keras_does():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    fixed = fix_source("case.py", SRC, _errors(SRC), ("safe", "unsafe")).source
    assert run(fixed)["out"].shape == (5, 10)
