"""Outputs stacked on one axis and weighted as if stacked on another: a mixture of experts stacks its experts last,
(B, units, n_experts), and multiplies by a gate laid out for (B, n_experts, 1) before summing over axis 1. The
multiply raises; the stack's axis is the mistake. Keras and PyTorch are the oracles."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    import keras
    from keras import layers, ops


    class Mixture(layers.Layer):
        def __init__(self, n_experts, units, **kwargs):
            super().__init__(**kwargs)
            self.experts = [layers.Dense(units) for _ in range(n_experts)]
            self.gate = layers.Dense(n_experts, activation="softmax")

        def call(self, x):
            outs = ops.stack([e(x) for e in self.experts], axis=-1)
            weights = ops.expand_dims(self.gate(x), axis=-1)
            return ops.sum(outs * weights, axis=1)


    inp = keras.Input(shape=(12,))
    model = keras.Model(inp, layers.Dense(1)(Mixture(4, 8)(inp)))
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Mixture(nn.Module):
        def __init__(self, n_experts=4, units=8):
            super().__init__()
            self.experts = nn.ModuleList([nn.Linear(12, units) for _ in range(n_experts)])
            self.gate = nn.Linear(12, n_experts)

        def forward(self, x):
            outs = torch.stack([e(x) for e in self.experts], dim=2)
            weights = self.gate(x).softmax(-1).unsqueeze(-1)
            return (outs * weights).sum(1)


    model = Mixture()
    out = model(torch.randn(5, 12))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("src, written, fixed, line", [(KERAS, "experts], axis=-1", "experts], axis=1", 12),
                                                       (TORCH, "dim=2", "dim=1", 12)])
def test_the_stack_axis_is_blamed_and_moved(src, written, fixed, line):
    (d,) = _errors(src)
    assert d.primary.span.line == line
    out = apply_edits(src, d.fix.edits)
    assert out == src.replace(written, fixed)
    assert _errors(out) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(KERAS)
    assert run(KERAS.replace("experts], axis=-1)", "experts], axis=1)"))["model"].output_shape == (None, 1)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(TORCH)
    assert tuple(run(TORCH.replace("dim=2", "dim=1"))["out"].shape) == (5, 8)
