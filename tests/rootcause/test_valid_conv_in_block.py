"""A U-Net whose conv block leaves one conv at valid padding while the model's other convs keep the size: each block
trims kernel - 1 pixels and the concatenation with a skip fails far away. The root is that conv; cropping or resizing
the skips would hide it. The real frameworks are the oracle: the original fails, the fixed model runs and returns
maps of the input's size."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

KERAS = """
import numpy as np
import keras
from keras import layers


def block(x, filters):
    x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    x = {second}(x)
    return x


inputs = keras.Input(shape=(64, 64, 3))
s1 = block(inputs, 8)
x = block(layers.MaxPooling2D(2)(s1), 16)
x = layers.Conv2DTranspose(8, 2, strides=2, padding="same")(x)
x = block(layers.Concatenate()([x, s1]), 8)
model = keras.Model(inputs, layers.Conv2D(2, 1)(x))
print(model.predict(np.zeros((1, 64, 64, 3), "float32"), verbose=0).shape)
"""

TORCH = """
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.a = nn.Conv2d(cin, cout, 3, padding=1)
        self.b = {second}

    def forward(self, x):
        return torch.relu(self.b(torch.relu(self.a(x))))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down1, self.down2 = Block(3, 8), Block(8, 16)
        self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
        self.dec = Block(16, 8)

    def forward(self, x):
        s1 = self.down1(x)
        x = self.down2(nn.functional.max_pool2d(s1, 2))
        return self.dec(torch.cat([self.up(x), s1], dim=1))


print(tuple(UNet()(torch.randn(1, 3, 64, 64)).shape))
"""

CASES = [(KERAS, 'layers.Conv2D(filters, 3, activation="relu")', 'layers.Conv2D(filters, 3, activation="relu", '
                                                                 'padding="same")', "(1, 64, 64, 2)"),
         (TORCH, "nn.Conv2d(cout, cout, 3)", "nn.Conv2d(cout, cout, 3, padding=1)", "(1, 8, 64, 64)")]


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("template, second, fixed, _shape", CASES)
def test_the_conv_left_without_padding_is_padded(template, second, fixed, _shape):
    src = template.replace("{second}", second)
    found = _loud(src)
    assert found and all(d.cause == "valid-conv-in-block" for d in found)
    assert second in src.splitlines()[found[0].primary.span.line - 1]
    out = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert fixed in out and "Crop" not in out and not _loud(out)


@pytest.mark.parametrize("template, second, fixed, shape", CASES)
def test_what_the_framework_does(template, second, fixed, shape):
    pytest.importorskip("torch")
    if template is KERAS:
        pytest.importorskip("keras")
    env = {"KERAS_BACKEND": "torch", "PATH": ""}
    bad = subprocess.run([sys.executable, "-c", template.replace("{second}", second)], capture_output=True,
                         text=True, env=env)
    assert bad.returncode != 0
    good = subprocess.run([sys.executable, "-c", template.replace("{second}", fixed)], capture_output=True,
                          text=True, env=env)
    assert good.returncode == 0 and good.stdout.strip().endswith(shape)
