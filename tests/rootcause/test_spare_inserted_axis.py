"""A batch generator written for gray images adds a channel axis to RGB batches that already have theirs:
``x[:, :, :, np.newaxis]`` gives (B, 16, 16, 1, 3) for a model built for (None, 16, 16, 3). Without the inserted axis
the data is exactly what the model takes: the insertion is the mistake, and the fix takes it out (rw17b, a U-Net
fed by a generator). Keras is the oracle: the original fails in fit, the fixed one trains."""
import os
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    images = np.random.randint(0, 256, size=(16, 16, 16, 3)).astype("uint8")
    masks = (images.mean(axis=-1) > 127).astype("float32")


    def batches(batch_size=4):
        while True:
            idx = np.random.randint(0, len(images), size=batch_size)
            x = images[idx].astype("float32")
            y = masks[idx]
            x = x[:, :, :, np.newaxis] / 255.0
            y = y[:, :, :, np.newaxis]
            yield x, y


    inp = keras.Input((16, 16, 3))
    out = layers.Conv2D(1, 1, activation="sigmoid")(layers.Conv2D(4, 3, padding="same")(inp))
    model = keras.Model(inp, out)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)
""").lstrip()


def test_the_spare_axis_is_taken_out_where_it_was_inserted():
    result = check_source("case.py", SRC)
    (d,) = [d for d in result.diagnostics if d.severity == "error"]
    assert d.code == "SHP304" and d.primary.span.line == 14
    fixed = fix_source("case.py", SRC, result.diagnostics, ("safe", "unsafe")).source
    assert "x = x / 255.0" in fixed and "y = y[:, :, :, np.newaxis]" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]


def test_what_keras_does():
    pytest.importorskip("keras")
    from oracle import run
    with pytest.raises(ValueError):
        run(SRC)
    run(SRC.replace("x = x[:, :, :, np.newaxis] / 255.0", "x = x / 255.0"))
