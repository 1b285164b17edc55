"""Samples crossed by broadcasting: a masked mean whose count kept its reduced axis, (B, 1, 1), divides the (B, D)
totals into (B, B, D) -- every sample over every other's count. Keras and PyTorch run it; the oracle shows the
extra axis. Pairwise code that crosses samples on purpose is not reported."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(100, 32, padding_idx=0)
            self.fc = nn.Linear(32, 2)

        def forward(self, ids):
            mask = (ids != 0).float().unsqueeze(-1)
            h = self.emb(ids)
            pooled = (h * mask).sum(1) / mask.sum(1, keepdim=True)
            return self.fc(pooled)


    out = Encoder()(torch.randint(1, 100, (6, 12)))
""").lstrip()

KERAS = textwrap.dedent("""
    import keras
    from keras import layers, ops
    import numpy as np


    class MaskedMeanPool(layers.Layer):
        def call(self, x, mask=None):
            m = ops.expand_dims(ops.cast(mask, "float32"), -1)
            s = ops.sum(x * m, axis=1)
            return s / ops.sum(m, axis=1, keepdims=True)

        def compute_mask(self, x, mask=None):
            return None


    inp = keras.Input(shape=(20,), dtype="int32")
    h = layers.Embedding(1000, 32, mask_zero=True)(inp)
    h = MaskedMeanPool()(h)
    prob = layers.Dense(1, activation="sigmoid")(h)
    model = keras.Model(inp, prob)
    out = model.predict(np.random.randint(1, 1000, size=(6, 20)), verbose=0)
""").lstrip()


@pytest.mark.parametrize("src, right, rows", [
    (TORCH, "mask.sum(1, keepdim=False)", (6, 2)),
    (KERAS, "ops.sum(m, axis=1, keepdims=False)", (6, 1)),
])
def test_the_count_that_kept_its_axis_is_reported_and_fixed(src, right, rows):
    assert tuple(run(src)["out"].shape) == (6,) + rows  # the frameworks cross the samples and raise nothing
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP227" and "keepdim" in src.splitlines()[d.line - 1]
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert right in fixed
    assert tuple(run(fixed)["out"].shape) == rows
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]


def test_pairwise_differences_are_not_reported():
    src = textwrap.dedent("""
        import torch

        x = torch.randn(8, 16)
        norms = x.norm(dim=1, keepdim=True)
        unit = x / norms
        pairwise = unit - unit[:, None]
        dist = (pairwise ** 2).sum(-1)
    """).lstrip()
    assert tuple(run(src)["dist"].shape) == (8, 8)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_count_kept_on_both_sides_is_not_reported():
    src = TORCH.replace("(h * mask).sum(1) /", "(h * mask).sum(1, keepdim=True) /").replace(
        "return self.fc(pooled)", "return self.fc(pooled.squeeze(1))")
    assert tuple(run(src)["out"].shape) == (6, 2)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_one_feature_outputs_added_to_one_value_per_sample_are_squeezed_together():
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn


        class Scorer(nn.Module):
            def __init__(self):
                super().__init__()
                self.proj = nn.Linear(16, 8)
                self.bias = nn.Linear(16, 1)
                self.offset = nn.Linear(16, 1)

            def forward(self, x):
                h = self.proj(x)
                return (h * h).sum(dim=1) + self.bias(x) + self.offset(x)


        out = Scorer()(torch.randn(6, 16))
    """).lstrip()
    assert tuple(run(src)["out"].shape) == (6, 6)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP227" and d.line == 14
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "self.bias(x).squeeze(-1) + self.offset(x).squeeze(-1)" in fixed
    assert tuple(run(fixed)["out"].shape) == (6,)
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]


def test_the_mse_help_never_shapes_the_targets_like_crossed_predictions():
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        u = torch.randint(0, 30, (8,))
        bias = nn.Embedding(30, 1)
        dot = torch.randn(8)
        pred = dot + bias(u)
        loss = F.mse_loss(pred, torch.randn(8))
    """).lstrip()
    assert tuple(run(src)["pred"].shape) == (8, 8)
    helps = [d.help for d in check_source("case.py", src).diagnostics if d.code == "SHP202"]
    assert helps and all("hold the batch twice" in h for h in helps)
