"""Labels made from class names with ``StringLookup(vocabulary=CLASSES)``: index 0 is kept for unknown names, so the
classes become 1..C and the last has no unit in a head of C (sparse cross-entropy fails). Reported at the lookup and
fixed with ``num_oov_indices=0``; a lookup without the OOV slot is fine. Keras (and TensorFlow's tf.data) is the
oracle."""
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

    CLASSES = ["billing", "shipping", "returns"]
    label_lookup = layers.StringLookup(vocabulary=CLASSES)
    X = np.random.rand(60, 4).astype("float32")
    y = label_lookup(np.array(CLASSES * 20))
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(len(CLASSES), activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X, y, epochs=1, verbose=0)
""").lstrip()

FIXED = SRC.replace("StringLookup(vocabulary=CLASSES)", "StringLookup(vocabulary=CLASSES, num_oov_indices=0)")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_lookup_is_fixed():
    (d,) = _errors(SRC)
    assert d.code == "SHP302" and d.primary.span.line == 6
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == FIXED
    assert not _errors(FIXED)


def test_what_keras_does():
    pytest.importorskip("keras")
    pytest.importorskip("tensorflow")  # the text and lookup layers run on TensorFlow
    with pytest.raises(Exception):
        run(SRC)
    run(FIXED)
