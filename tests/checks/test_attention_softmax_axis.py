"""SHP216: a softmax over a middle axis of Q Kᵀ attention scores. Torch is the oracle: the bad weights do not sum to
1 over the keys, the fixed ones do; attention pooling over time (a Linear score, softmax over dim=1) is right."""
from pathlib import Path

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "codes" / "examples"


def _loud(src: str) -> list:
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("transpose", ["k.transpose(1, 2)", "k.transpose(-2, -1)", "k.permute(0, 2, 1)"])
def test_reported_and_fixed_to_the_key_axis(transpose):
    src = (EXAMPLES / "SHP216_bad.py").read_text().replace("k.transpose(1, 2)", transpose)
    (d,) = _loud(src)
    assert d.code == "SHP216" and "F.softmax(scores, dim=1)" in src.splitlines()[d.primary.span.line - 1]
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "F.softmax(scores, dim=-1)" in fixed and not _loud(fixed)


def test_what_torch_does_with_it():
    torch = pytest.importorskip("torch")
    q, k = torch.randn(2, 6, 8), torch.randn(2, 40, 8)
    scores = q @ k.transpose(1, 2)
    assert not torch.allclose(torch.softmax(scores, dim=1).sum(-1), torch.ones(2, 6))
    assert torch.allclose(torch.softmax(scores, dim=-1).sum(-1), torch.ones(2, 6))


def test_attention_pooling_over_time_is_left_alone():
    src = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class Pool(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.score = nn.Linear(dim, 1)

    def forward(self, x):
        w = F.softmax(self.score(x), dim=1)
        return (w * x).sum(1)


out = Pool()(torch.randn(4, 10, 32))
"""
    assert not _loud(src)


_KERAS_ATTENTION = """
import keras
from keras import layers, ops


class Attention(layers.Layer):
    def __init__(self, key_dim):
        super().__init__()
        self.key_dim = key_dim

    def call(self, q, k, v):
        scores = {scores}
        scores = scores / ops.sqrt(float(self.key_dim))
        weights = {softmax}
        return ops.matmul(weights, v)


inputs = keras.Input(shape=(12, 32))
x = Attention(32)(inputs, inputs, inputs)
x = layers.GlobalAveragePooling1D()(x)
model = keras.Model(inputs, layers.Dense(3)(x))
"""
_KERAS_SCORES = ["ops.matmul(q, ops.transpose(k, (0, 2, 1)))", "ops.matmul(q, ops.transpose(k, axes=[0, 2, 1]))",
                 "ops.matmul(q, layers.Permute((2, 1))(k))"]


@pytest.mark.parametrize("scores", _KERAS_SCORES)
@pytest.mark.parametrize("softmax,fixed", [("layers.Softmax(axis=1)(scores)", "layers.Softmax(axis=-1)(scores)"),
                                           ("ops.softmax(scores, axis=1)", "ops.softmax(scores, axis=-1)")])
def test_keras_custom_attention_reported_and_fixed(scores, softmax, fixed):
    src = _KERAS_ATTENTION.format(scores=scores, softmax=softmax)
    (d,) = _loud(src)
    assert d.code == "SHP216" and "weights = " in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out and not _loud(out)


def test_keras_softmax_over_keys_is_left_alone():
    assert not _loud(_KERAS_ATTENTION.format(scores=_KERAS_SCORES[0], softmax="layers.Softmax(axis=-1)(scores)"))
    # tf.matmul(q, k, transpose_b=True) is Q Kᵀ too; a softmax over its last axis is right
    src = _KERAS_ATTENTION.replace("import keras\n", "import keras\nimport tensorflow as tf\n")
    assert not _loud(src.format(scores="tf.matmul(q, k, transpose_b=True)", softmax="layers.Softmax()(scores)"))
    assert [d.code for d in _loud(src.format(scores="tf.matmul(q, k, transpose_b=True)",
                                             softmax="layers.Softmax(axis=1)(scores)"))] == ["SHP216"]


def test_what_keras_does_with_it():
    keras = pytest.importorskip("keras")
    np = pytest.importorskip("numpy")
    from keras import layers, ops
    q = np.random.rand(2, 6, 8).astype("float32")
    scores = ops.matmul(q, ops.transpose(q, (0, 2, 1))) / ops.sqrt(8.0)
    bad = ops.convert_to_numpy(ops.sum(layers.Softmax(axis=1)(scores), axis=-1))
    good = ops.convert_to_numpy(ops.sum(layers.Softmax(axis=-1)(scores), axis=-1))
    assert not np.allclose(bad, 1.0) and np.allclose(good, 1.0)
    assert keras.ops.sqrt(8.0).shape == ()  # a 0-d tensor: it broadcasts like the number shapelint keeps
