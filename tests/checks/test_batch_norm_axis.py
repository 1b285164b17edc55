"""SHP203 (norm-axis): Keras BatchNormalization(axis=1) on channels-last feature maps keeps statistics per image row.
Reported where the axis was written and set to -1; channels-first data with a channels-first conv is left alone.
Keras is the oracle: gamma has one entry per row instead of one per channel."""
import os
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import keras
    from keras import layers

    BN_AXIS = 1
    inputs = keras.Input(shape=(20, 24, 1))
    x = layers.Conv2D(8, 3, padding="same")(inputs)
    x = layers.BatchNormalization(axis=BN_AXIS)(x)
    model = keras.Model(inputs, layers.Dense(2)(layers.GlobalAveragePooling2D()(x)))
    gamma = model.layers[2].gamma.shape
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP203"]


def test_reported_where_the_axis_is_written():
    (d,) = _warnings(SRC)
    assert d.primary.span.line == 4
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "BN_AXIS = -1" in fixed and not _warnings(fixed)


def test_channels_axis_is_left_alone():
    assert not _warnings(SRC.replace("BN_AXIS = 1", "BN_AXIS = 3"))


def test_what_keras_does():
    pytest.importorskip("keras")
    scope = {}
    exec(compile(SRC, "case.py", "exec"), scope)
    assert tuple(scope["gamma"]) == (20,)
    exec(compile(SRC.replace("BN_AXIS = 1", "BN_AXIS = -1"), "case.py", "exec"), scope)
    assert tuple(scope["gamma"]) == (8,)
