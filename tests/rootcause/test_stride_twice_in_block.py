"""A residual block whose two 3x3 convs both take the block's stride while the projection shortcut is strided
once: the add fails (H/4 against H/2). The block's stride belongs on its first wide conv; the fix gives the second
``stride=1`` where it is written. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

BLOCK = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Block(nn.Module):
        def __init__(self, cin, cout, stride=1):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)
            self.conv2 = nn.Conv2d(cout, cout, 3, stride=stride, padding=1)
            self.shortcut = nn.Identity()
            if stride != 1 or cin != cout:
                self.shortcut = nn.Conv2d(cin, cout, 1, stride=stride)

        def forward(self, x):
            out = self.conv2(F.relu(self.conv1(x)))
            return F.relu(out + self.shortcut(x))


    net = nn.Sequential(Block(3, 16), Block(16, 32, stride=2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(32, 10))
    logits = net(torch.randn(4, 3, 32, 32))
""").lstrip()


def test_the_second_conv_takes_stride_one():
    with pytest.raises(RuntimeError):
        run(BLOCK)
    (d,) = [d for d in check_source("case.py", BLOCK).diagnostics if d.severity == "error"]
    assert d.cause == "stride-twice" and d.primary.span.line == 10
    fixed = fix_source("case.py", BLOCK, [d], ("safe", "unsafe")).source
    assert "self.conv2 = nn.Conv2d(cout, cout, 3, stride=1, padding=1)" in fixed
    assert "self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)" in fixed
    assert tuple(run(fixed)["logits"].shape) == (4, 10)


def test_a_block_strided_once_is_not_blamed():
    src = BLOCK.replace("self.conv2 = nn.Conv2d(cout, cout, 3, stride=stride, padding=1)",
                        "self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)")
    assert tuple(run(src)["logits"].shape) == (4, 10)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


KERAS = textwrap.dedent("""
    from functools import partial

    import keras
    from keras import layers

    DefaultConv2D = partial(layers.Conv2D, kernel_size=3, strides=1, padding="same", use_bias=False)


    class ResidualUnit(layers.Layer):
        def __init__(self, filters, strides=1, **kwargs):
            super().__init__(**kwargs)
            self.main_layers = [DefaultConv2D(filters, strides=strides), layers.BatchNormalization(),
                                DefaultConv2D(filters, strides=strides), layers.BatchNormalization()]
            self.skip_layers = [DefaultConv2D(filters, kernel_size=1, strides=strides)] if strides > 1 else []

        def call(self, inputs):
            z, skip = inputs, inputs
            for layer in self.main_layers:
                z = layer(z)
            for layer in self.skip_layers:
                skip = layer(skip)
            return z + skip


    model = keras.Sequential([keras.Input(shape=(16, 16, 8)), ResidualUnit(16, strides=2),
                              layers.GlobalAveragePooling2D(), layers.Dense(3)])
""").lstrip()


def test_a_keras_residual_unit_strides_its_second_conv_once():
    (d,) = [d for d in check_source("case.py", KERAS).diagnostics if d.severity == "error"]
    assert "`strides=1`" in d.help
    fixed = fix_source("case.py", KERAS, [d], ("safe", "unsafe")).source
    assert "layers.BatchNormalization(),\n                            DefaultConv2D(filters, strides=1)" in fixed
    pytest.importorskip("keras")
    assert tuple(run(fixed)["model"].output_shape) == (None, 3)
