"""A squeeze-and-excite Keras layer whose ``build`` computes ``squeeze = channels // reduction`` for the bottleneck
and then creates the second weight with shape ``(self.reduction, channels)``: ``call`` multiplies the squeezed
(N, 8) vector by a (4, 32) kernel. The weight's inner size is written with the wrong name; the fix writes the one
``build`` computed for it. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import keras
    from keras import layers, ops


    class SqueezeExcite(layers.Layer):
        def __init__(self, reduction=4, **kwargs):
            super().__init__(**kwargs)
            self.reduction = reduction

        def build(self, input_shape):
            channels = input_shape[-1]
            squeeze = max(1, channels // self.reduction)
            self.w1 = self.add_weight(name="w1", shape=(channels, squeeze))
            self.w2 = self.add_weight(name="w2", shape=(self.reduction, channels))

        def call(self, x):
            s = ops.mean(x, axis=(1, 2))
            s = ops.sigmoid(ops.matmul(ops.relu(ops.matmul(s, self.w1)), self.w2))
            return x * s[:, None, None, :]


    model = keras.Sequential([keras.Input(shape=(8, 8, 32)), SqueezeExcite(), layers.GlobalAveragePooling2D(),
                              layers.Dense(3)])
""").lstrip()


def test_the_weight_takes_the_width_build_computed_for_it():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.line == SRC.splitlines().index('        self.w2 = self.add_weight(name="w2", shape=(self.reduction, '
                                            'channels))') + 1
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert 'shape=(squeeze, channels)' in fixed and "self.reduction = reduction" in fixed
    pytest.importorskip("keras")
    assert tuple(run(fixed)["model"].output_shape) == (None, 3)
