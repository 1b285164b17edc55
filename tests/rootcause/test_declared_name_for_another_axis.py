"""``Input(shape=(img_width, img_width, 1))`` for images made (N, img_width, img_height, 1): the declaration names
one constant twice where the data names another. The fix writes the data's name in the declaration; the Reshape
computed from it then agrees too, and its own "fit the sizes" numbers are never applied (they are computed by a
formula). Keras is the oracle."""
import textwrap

import numpy as np
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    img_width = 40
    img_height = 16

    inputs = layers.Input(shape=(img_width, img_width, 1))
    x = layers.Conv2D(8, 3, padding="same")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Reshape(((img_width // 2), (img_height // 2) * 8))(x)
    outputs = layers.Dense(5)(x)
    model = keras.Model(inputs, outputs)
    images = np.random.rand(6, img_width, img_height, 1).astype("float32")
    out = model.predict(images, verbose=0)
""").lstrip()


def test_the_data_name_is_declared_and_the_reshape_follows():
    with pytest.raises(Exception):
        run(SRC)
    found = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert found and all(d.primary.span.line == 8 for d in found)
    fixed = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "layers.Input(shape=(img_width, img_height, 1))" in fixed
    assert "(img_height // 2) * 8" in fixed  # the reshape's formula is kept
    assert np.asarray(run(fixed)["out"]).shape == (6, 20, 5)
