"""A position table made one row short of the tokens once a class token is joined: the table's size where the
weight is created is the root cause, fixed with ``+ 1`` there. The frameworks are the oracle: the scripts raise at
the add, and the fixed ones run with one row per sample."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class TinyViT(nn.Module):
        def __init__(self, num_patches=16, dim=32):
            super().__init__()
            self.proj = nn.Linear(12, dim)
            self.cls = nn.Parameter(torch.zeros(1, 1, dim))
            self.pos = nn.Parameter(torch.zeros(1, num_patches, dim))
            self.head = nn.Linear(dim, 5)

        def forward(self, patches):
            x = self.proj(patches)
            x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
            x = x + self.pos
            return self.head(x[:, 0])


    logits = TinyViT()(torch.randn(3, 16, 12))
""").lstrip()

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops


    class Tokens(layers.Layer):
        def __init__(self, n, dim, **kwargs):
            super().__init__(**kwargs)
            self.n, self.dim = n, dim

        def build(self, input_shape):
            self.cls = self.add_weight(shape=(1, 1, self.dim), initializer="zeros")
            self.pos = self.add_weight(shape=(1, self.n, self.dim), initializer="zeros")

        def call(self, x):
            cls = ops.broadcast_to(self.cls, (ops.shape(x)[0], 1, self.dim))
            x = ops.concatenate([cls, x], axis=1)
            return x + self.pos


    inputs = keras.Input(shape=(16, 8))
    x = Tokens(16, 8)(inputs)
    model = keras.Model(inputs, layers.Dense(3)(layers.GlobalAveragePooling1D()(x)))
    out = model.predict(np.zeros((2, 16, 8), "float32"), verbose=0)
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("src, line, fixed", [
    (TORCH, 10, "self.pos = nn.Parameter(torch.zeros(1, num_patches + 1, dim))"),
    (KERAS, 13, "self.pos = self.add_weight(shape=(1, self.n + 1, self.dim), initializer=\"zeros\")")])
def test_the_table_gets_the_class_token_row(src, line, fixed):
    (d,) = _loud(src)
    assert d.primary.span.line == line
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out and not _loud(out)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(TORCH)
    scope = run(TORCH.replace("num_patches, dim))", "num_patches + 1, dim))"))
    assert tuple(scope["logits"].shape) == (3, 5)


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(KERAS)
    scope = run(KERAS.replace("(1, self.n, self.dim)", "(1, self.n + 1, self.dim)"))
    assert tuple(scope["out"].shape) == (2, 3)
