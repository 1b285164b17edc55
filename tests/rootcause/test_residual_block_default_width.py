"""Residual blocks made in a loop without their width: ``ResidualBlock(l2=cfg["l2"])`` keeps the class default
``filters=64`` while the stem makes ``cfg["stem_filters"]`` (32) channels, so the identity shortcut adds 32 channels
to 64. The call that leaves the width out is the mistake; the fix passes the config entry, spelled as the builder
itself reads it (``cfg``, not the module's ``CONFIG``). Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import keras
    from keras import layers

    CONFIG = {"input_shape": (16, 16, 3), "stem_filters": 32, "num_blocks": 2, "num_classes": 5}


    class ResidualBlock(layers.Layer):
        def __init__(self, filters=64, **kwargs):
            super().__init__(**kwargs)
            self.conv1 = layers.Conv2D(filters, 3, padding="same", activation="relu")
            self.conv2 = layers.Conv2D(filters, 3, padding="same")
            self.add = layers.Add()

        def call(self, x):
            return self.add([x, self.conv2(self.conv1(x))])


    def build(cfg):
        inp = keras.Input(shape=cfg["input_shape"])
        x = layers.Conv2D(cfg["stem_filters"], 3, padding="same")(inp)
        for i in range(cfg["num_blocks"]):
            x = ResidualBlock(name=f"block_{i}")(x)
        x = layers.GlobalAveragePooling2D()(x)
        return keras.Model(inp, layers.Dense(cfg["num_classes"])(x))


    model = build(CONFIG)
""").lstrip()

FIXED = SRC.replace('ResidualBlock(name=f"block_{i}")', 'ResidualBlock(name=f"block_{i}", filters=cfg["stem_filters"])')


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_call_leaving_the_width_out_is_blamed_and_passes_the_builders_entry():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 22
    assert apply_edits(SRC, d.fix.edits) == FIXED
    assert _errors(FIXED) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    assert run(FIXED)["model"].output_shape == (None, 5)
