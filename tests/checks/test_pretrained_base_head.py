"""A classifier head put straight on a ``keras.applications`` base built without its top: the Dense is applied to
the (None, 3, 3, C) feature map and the output keeps the positions. The head of such a base is pooled
(``GlobalAveragePooling2D``, what ``pooling="avg"`` does) where the map leaves the base, not flattened. Keras is the
oracle."""
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
    from keras.applications import MobileNetV2

    base = MobileNetV2(input_shape=(64, 64, 3), include_top=False, weights=None)
    inputs = keras.Input(shape=(64, 64, 3))
    x = base(inputs, training=False)
    x = layers.Dropout(0.2)(x)
    outputs = layers.Dense(4, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    x_train = np.random.rand(8, 64, 64, 3).astype("float32")
    y_train = keras.utils.to_categorical(np.arange(8) % 4, 4)
    history = model.fit(x_train, y_train, batch_size=4, epochs=1, verbose=0)
""").lstrip()


def test_a_head_on_a_topless_base_is_pooled():
    with pytest.raises(ValueError):
        run(SCRIPT)
    (d,) = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 10
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    # pooled where the map leaves the base, so the dropout acts on the pooled vector (base -> pool -> dropout)
    assert "x = layers.Dropout(0.2)(layers.GlobalAveragePooling2D()(x))" in fixed
    assert "Flatten" not in fixed
    run(fixed)
