"""``base.input`` / ``base.output`` of a keras.applications model: ``Model(inputs=base.input, outputs=head)`` is
checked like ``base(x)``. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

HEAD_WITHOUT_POOLING = textwrap.dedent("""
    import numpy as np
    import keras
    from keras.applications import ResNet50
    from keras.layers import Dense
    from keras.models import Model

    x_train = np.random.rand(4, 64, 64, 3).astype("float32")
    y_train = keras.utils.to_categorical(np.random.randint(5, size=(4,)), 5)
    base_model = ResNet50(weights=None, include_top=False, input_shape=(64, 64, 3))
    x = base_model.output
    x = Dense(16, activation="relu")(x)
    predictions = Dense(5, activation="softmax")(x)
    model = Model(inputs=base_model.input, outputs=predictions)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x_train, y_train, batch_size=2, epochs=1, verbose=0)
    out = model.predict(x_train, verbose=0)
""").lstrip()


def test_the_base_models_output_feeds_the_head():
    with pytest.raises(Exception):
        run(HEAD_WITHOUT_POOLING)
    errors = [d for d in check_source("case.py", HEAD_WITHOUT_POOLING).diagnostics if d.severity == "error"]
    assert errors and errors[0].line == 11  # the Dense applied to the (None, 2, 2, 2048) map
    fixed = fix_source("case.py", HEAD_WITHOUT_POOLING, errors[:1], ("safe", "unsafe")).source
    assert "GlobalAveragePooling2D()" in fixed
    assert tuple(run(fixed)["out"].shape) == (4, 5)


def test_a_pooled_head_on_the_base_output_is_clean():
    src = HEAD_WITHOUT_POOLING.replace("x = base_model.output\n",
                                       "x = keras.layers.GlobalAveragePooling2D()(base_model.output)\n")
    assert tuple(run(src)["out"].shape) == (4, 5)
    result = check_source("case.py", src)
    assert not [d for d in result.diagnostics if d.severity in ("error", "warning")]
    (model,) = result.models
    assert tuple(model.program.output.shape) == (None, 5)
