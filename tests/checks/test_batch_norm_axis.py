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


CHANNELS_FIRST = textwrap.dedent("""
    import keras
    from keras import layers

    inputs = keras.Input(shape=(3, 20, 24))
    x = layers.Conv2D(8, 3, padding="same", data_format="channels_first")(inputs)
    x = layers.BatchNormalization(momentum=0.9)(x)
    model = keras.Model(inputs, layers.Dense(2)(layers.GlobalAveragePooling2D(data_format="channels_first")(x)))
    gamma = model.layers[2].gamma.shape
""").lstrip()


def test_an_axis_left_at_its_default_is_added_as_a_keyword():
    """Channels-first maps and the default axis=-1 (a width axis): the fix adds `axis=1` to the call -- it never
    writes the axis over the call itself. Keras: gamma then has one entry per channel."""
    keras = pytest.importorskip("keras")
    (d,) = _warnings(CHANNELS_FIRST)
    assert d.primary.span.line == 6
    fixed = fix_source("case.py", CHANNELS_FIRST, [d], ("safe", "unsafe")).source
    assert "layers.BatchNormalization(momentum=0.9, axis=1)(x)" in fixed and not _warnings(fixed)
    scope: dict = {}
    exec(compile(CHANNELS_FIRST, "bad.py", "exec"), scope)
    assert tuple(scope["gamma"]) == (24,)
    exec(compile(fixed, "fixed.py", "exec"), scope)
    assert tuple(scope["gamma"]) == (8,)
    del keras
