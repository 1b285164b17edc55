"""Review mends: a fix must not stack a second axis move on a wrong one. A stray ``feats.transpose(1, 2)`` of
features already in ``nn.Conv1d``'s order is removed (not undone by a permute after it); a Keras ``Reshape`` that
only reorders the axes is replaced by the ``Permute`` (a Permute in front would leave the Reshape doing nothing).
The frameworks are the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Spotter(nn.Module):
        def __init__(self, n_mels=20):
            super().__init__()
            self.conv = nn.Conv1d(n_mels, 8, kernel_size=3, padding=1)

        def forward(self, feats):
            x = feats.transpose(1, 2)
            return self.conv(x).mean(-1)


    out = Spotter()(torch.randn(4, 20, 50))
""").lstrip()

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    inp = keras.Input(shape=(20, 50))
    x = layers.Reshape((50, 20))(inp)
    x = layers.Conv1D(8, 3, padding="same")(x)
    model = keras.Model(inp, layers.GlobalAveragePooling1D()(x))
    out = model.predict(np.random.rand(2, 20, 50), verbose=0)
""").lstrip()


def _reported(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_stray_transpose_is_removed():
    (d,) = _reported(TORCH)
    fixed = apply_edits(TORCH, d.fix.edits)
    assert "x = feats\n" in fixed and "permute" not in fixed and _reported(fixed) == []


def test_a_reordering_reshape_is_replaced_by_the_permute():
    (d,) = _reported(KERAS)
    fixed = apply_edits(KERAS, d.fix.edits)
    assert "x = layers.Permute((2, 1))(inp)" in fixed and "Reshape" not in fixed and _reported(fixed) == []


def test_what_the_frameworks_do():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(TORCH)
    assert tuple(run(TORCH.replace("feats.transpose(1, 2)", "feats"))["out"].shape) == (4, 8)
    pytest.importorskip("keras")
    assert run(KERAS.replace("layers.Reshape((50, 20))", "layers.Permute((2, 1))"))["out"].shape == (2, 8)
