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


KEPT_STEPS = """
import numpy as np
import keras
from keras import layers

x_train = np.random.rand(64, 30, 4).astype("float32") * np.array([1.0, 50.0, 1000.0, 0.01], dtype="float32")
scaler = layers.Normalization(axis=1)
scaler.adapt(x_train)
inp = keras.Input(shape=(30, 4))
z = layers.GRU(16)(scaler(inp))
model = keras.Model(inp, layers.Dense(1)(z))
"""


def test_a_normalization_that_keeps_the_steps_is_reported_and_fixed_to_the_features():
    (d,) = _loud(KEPT_STEPS)
    assert d.code == "SHP217" and d.primary.span.line == 7 and "one mean and variance per step" in d.message
    fixed = fix_source("case.py", KEPT_STEPS, [d], ("safe", "unsafe")).source
    assert "layers.Normalization(axis=-1)" in fixed and not _loud(fixed)


def test_what_keras_keeps_with_it():
    """Keras's Normalization keeps the axis it is given: axis=1 learns a (1, 30, 1) mean, one per step, and the
    features keep their scales; axis=-1 learns one per feature and brings each to unit variance."""
    keras = pytest.importorskip("keras")
    import numpy as np
    x = np.random.default_rng(0).normal(size=(256, 30, 4)).astype("float32") * \
        np.array([1.0, 50.0, 1000.0, 0.01], dtype="float32")
    per_step, per_feature = keras.layers.Normalization(axis=1), keras.layers.Normalization()
    per_step.adapt(x)
    per_feature.adapt(x)
    assert tuple(per_step.mean.shape) == (1, 30, 1) and tuple(per_feature.mean.shape) == (1, 1, 4)
    std = lambda layer: keras.ops.convert_to_numpy(layer(x)).std(axis=(0, 1))  # noqa: E731
    assert std(per_step).max() / std(per_step).min() > 10
    assert np.allclose(std(per_feature), 1.0, atol=0.05)


@pytest.mark.parametrize("axis", ["-1", "2", "(1, 2)", "None"])
def test_a_normalization_per_feature_or_per_position_is_left_alone(axis):
    assert not _loud(KEPT_STEPS.replace("axis=1", f"axis={axis}"))
