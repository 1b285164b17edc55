"""SHP217: Keras LayerNormalization over the time steps of a sequence model. Keras is the oracle: with axis=[1, 2]
gamma has one weight per step and a token's output depends on the other steps; with the default it does not."""
import os
from pathlib import Path

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "codes" / "examples"


def _loud(src: str) -> list:
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_reported_and_fixed_to_the_feature_axis():
    src = (EXAMPLES / "SHP217_bad.py").read_text()
    (d,) = _loud(src)
    assert d.code == "SHP217" and d.primary.span.line == 5
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "layers.LayerNormalization(axis=-1)(inputs)" in fixed and not _loud(fixed)


def test_what_keras_does_with_it():
    keras = pytest.importorskip("keras")
    import numpy as np
    over_steps, per_token = keras.layers.LayerNormalization(axis=[1, 2]), keras.layers.LayerNormalization()
    x = np.random.rand(2, 60, 16).astype("float32")
    y = x.copy()
    y[:, 0] += 5.0  # change step 0 only
    run = lambda layer, v: keras.ops.convert_to_numpy(layer(v))  # noqa: E731
    assert not np.allclose(run(over_steps, x)[:, 5], run(over_steps, y)[:, 5])
    assert np.allclose(run(per_token, x)[:, 5], run(per_token, y)[:, 5])
    assert tuple(over_steps.gamma.shape) == (60, 16)


def test_images_normalised_whole_are_left_alone():
    src = """
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(8, 3)(inputs)
x = layers.LayerNormalization(axis=[1, 2, 3])(x)
model = keras.Model(inputs, layers.Dense(2)(layers.GlobalAveragePooling2D()(x)))
"""
    assert not _loud(src)
