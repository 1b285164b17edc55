"""Two block-level root causes. A ResNet BasicBlock that builds its projection shortcut only ``if stride != 1:``:
a width change at stride 1 keeps the identity and the residual add fails; the condition gets ``or in_ch != out_ch``
(changing the widths would change the architecture). A Keras Transformer classifier without pooling: the pooling
goes before the head, after the block (pooled straight after the Embedding the block would get one vector per
sample). The real frameworks are the oracle."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

RESNET = """
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, in_ch, out_ch, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 3, stride=stride, padding=1)
        self.shortcut = nn.Identity()
        if {condition}:
            self.shortcut = nn.Conv2d(in_ch, out_ch, 1, stride=stride)

    def forward(self, x):
        return torch.relu(self.conv(x) + self.shortcut(x))


net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), Block(8, 16), Block(16, 32, stride=2))
print(tuple(net(torch.randn(2, 3, 16, 16)).shape))
"""

KERAS = """
import numpy as np
import keras
from keras import layers


class Block(layers.Layer):
    def __init__(self, dim):
        super().__init__()
        self.att = layers.MultiHeadAttention(num_heads=2, key_dim=dim)
        self.norm = layers.LayerNormalization()

    def call(self, x):
        return self.norm(x + self.att(x, x))


inputs = keras.Input(shape=(20,))
x = layers.Embedding(100, 16)(inputs)
x = Block(16)(x)
x = layers.Dropout(0.1)(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.compile("adam", "binary_crossentropy")
model.fit(np.random.randint(0, 100, (32, 20)), np.random.randint(0, 2, (32,)), epochs=1, verbose=0)
print(model.predict(np.random.randint(0, 100, (3, 20)), verbose=0).shape)
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_shortcut_is_projected_when_the_width_changes():
    src = RESNET.format(condition="stride != 1")
    (d,) = _loud(src)
    assert "if stride != 1:" in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "if stride != 1 or in_ch != out_ch:" in out and "Block(8, 16)" in out and not _loud(out)


def test_the_tokens_are_pooled_before_the_head_not_before_the_block():
    (d,) = _loud(KERAS)
    # the primary line is the head applied per token, where the pooling goes; the block's last layer is labelled
    assert 'layers.Dense(1, activation="sigmoid")(x)' in KERAS.splitlines()[d.primary.span.line - 1]
    assert any("layers.Dropout(0.1)(x)" in KERAS.splitlines()[s.span.line - 1] for s in d.secondary)
    out = fix_source("case.py", KERAS, [d], ("safe", "unsafe")).source
    assert 'layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling1D()(x))' in out and not _loud(out)


@pytest.mark.parametrize("src, good, shape", [
    (RESNET.format(condition="stride != 1"), RESNET.format(condition="stride != 1 or in_ch != out_ch"),
     "(2, 32, 8, 8)"),
    (KERAS, KERAS.replace('(x)\nmodel = keras', '(layers.GlobalAveragePooling1D()(x))\nmodel = keras'), "(3, 1)")])
def test_what_the_frameworks_do(src, good, shape):
    pytest.importorskip("torch")
    if "keras" in src:
        pytest.importorskip("keras")
    env = {"KERAS_BACKEND": "torch", "PATH": ""}
    assert subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, env=env).returncode != 0
    r = subprocess.run([sys.executable, "-c", good], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and r.stdout.strip().endswith(shape), r.stderr[-400:]
