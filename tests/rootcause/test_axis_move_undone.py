"""Images moved channels-first by a stray ``x = np.transpose(x, (0, 3, 1, 2))`` (a PyTorch habit) before a
channels-last Keras model declared (H, W, 3): the move is the mistake, so the fix deletes it rather than adding a
second transpose that undoes it. Keras is the oracle."""
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


    def preprocess(imgs):
        x = imgs.astype("float32") / 255.0
        x = np.transpose(x, (0, 3, 1, 2))
        return x


    images = preprocess(np.random.randint(0, 255, (16, 32, 32, 3)))
    model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(8, 3, activation="relu"),
                              layers.GlobalAveragePooling2D(), layers.Dense(2, activation="softmax")])
    probabilities = model.predict(images, verbose=0)
""").lstrip()


def test_the_stray_move_is_deleted():
    with pytest.raises(ValueError):
        run(SCRIPT)
    (d,) = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 8
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "transpose" not in fixed
    assert run(fixed)["probabilities"].shape == (16, 2)
