"""A custom RMS-norm layer whose per-channel scale is built from the spatial slice of ``input_shape``
(``input_shape[1:-1]``, (H, W) of a (B, H, W, C) map): ``x * self.gamma`` cannot broadcast. The slice in ``build``
is the root; the fix sizes the weight by the last axis. A layer whose weight already broadcasts is left alone.
Keras is the oracle."""
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
    from keras import layers, ops


    class ChannelScale(layers.Layer):
        def build(self, input_shape):
            self.scale = self.add_weight(name="scale", shape=input_shape[SLICE], initializer="ones")

        def call(self, x):
            return x * self.scale


    model = keras.Sequential([keras.Input(shape=(12, 12, 5)), layers.Conv2D(6, 3), ChannelScale(),
                              layers.GlobalAveragePooling2D(), layers.Dense(2)])
    out = model.predict(np.random.rand(3, 12, 12, 5), verbose=0)
""").lstrip()


def test_the_weight_is_sized_by_the_channels():
    script = SCRIPT.replace("SLICE", "1:-1")
    with pytest.raises(Exception):
        run(script)
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 8
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert 'shape=(input_shape[-1],)' in fixed
    assert run(fixed)["out"].shape == (3, 2)


def test_a_weight_that_broadcasts_is_left_alone():
    script = SCRIPT.replace("SLICE", "-1:")
    assert run(script)["out"].shape == (3, 2)
    assert not [d for d in check_source("case.py", script).diagnostics if d.severity in ("error", "warning")]
