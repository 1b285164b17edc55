"""A Dense head applied to an unpooled feature map in a builder that pools with ``GlobalAveragePooling2D`` in
another branch (``pooling="avg"``): the fix inserts the pooling the file already uses, not ``Flatten()``; a file
that never pools that way still gets ``Flatten()``. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers


    def build(pooling=None):
        inputs = keras.Input(shape=(16, 16, 3))
        x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
        if pooling == "avg":
            x = layers.GlobalAveragePooling2D()(x)
        x = layers.Dense(1, activation="sigmoid")(x)
        return keras.Model(inputs, x)


    model = build()
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(np.random.rand(16, 16, 16, 3), np.random.randint(0, 2, size=(16, 1)), epochs=1, verbose=0)
""").lstrip()


def _fix_texts(src):
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    return " ".join(e.text for e in d.fix.edits)


def test_the_pooling_the_file_uses_is_inserted():
    assert "GlobalAveragePooling2D()" in _fix_texts(SRC)


def test_a_file_that_never_pools_gets_flatten():
    src = SRC.replace('    if pooling == "avg":\n        x = layers.GlobalAveragePooling2D()(x)\n', "")
    assert "GlobalAveragePooling2D" not in src
    assert "Flatten()" in _fix_texts(src)


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC)
    run(SRC.replace("model = build()", 'model = build(pooling="avg")'))
