"""A segmentation head's softmax over a spatial axis instead of the class (channels) axis of the conv map: Keras
``Softmax(axis=1)`` on (N, H, W, C), torch ``softmax(dim=-1)`` on (N, C, H, W). Each pixel's class scores no longer
sum to 1 and nothing raises. The class axis is where the conv puts its channels. The frameworks are the oracle."""
import textwrap

import numpy as np

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    inputs = keras.Input(shape=(16, 16, 3))
    x = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(4, 1)(x)
    outputs = layers.Softmax(axis=1)(x)
    model = keras.Model(inputs, outputs)
    probs = keras.ops.convert_to_numpy(model(np.random.rand(2, 16, 16, 3).astype("float32")))
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Seg(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Conv2d(3, 8, 3, padding=1)
            self.head = nn.Conv2d(8, 4, 1)

        def forward(self, x):
            return F.softmax(self.head(F.relu(self.body(x))), dim=-1)


    probs = Seg()(torch.randn(2, 3, 16, 16)).detach().numpy()
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def _per_pixel_sums(probs, axis):
    return np.allclose(probs.sum(axis=axis), 1.0, atol=1e-4)


def test_keras_softmax_over_rows_is_moved_to_the_classes():
    assert not _per_pixel_sums(run(KERAS)["probs"], -1)
    (d,) = _warnings(KERAS)
    assert d.code == "SHP203" and d.primary.span.line == 8
    fixed = apply_edits(KERAS, d.fix.edits)
    assert "layers.Softmax(axis=-1)" in fixed and _per_pixel_sums(run(fixed)["probs"], -1)
    assert not _warnings(fixed)


def test_torch_softmax_over_columns_is_moved_to_the_channels():
    assert not _per_pixel_sums(run(TORCH)["probs"], 1)
    (d,) = _warnings(TORCH)
    fixed = apply_edits(TORCH, d.fix.edits)
    assert "dim=1)" in fixed and _per_pixel_sums(run(fixed)["probs"], 1)
    assert not _warnings(fixed)


SPAN = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class SpanHead(nn.Module):
        def __init__(self, d=32):
            super().__init__()
            self.enc = nn.Conv1d(d, d, 3, padding=1)
            self.start_end = nn.Conv1d(d, 2, 1)

        def forward(self, x):
            return F.log_softmax(self.start_end(F.relu(self.enc(x))), dim=-1)  # over the 50 positions


    probs = SpanHead()(torch.randn(2, 32, 50)).exp().detach().numpy()
""").lstrip()


def test_a_distribution_over_the_positions_of_a_1d_map_is_left_alone():
    """A span or pointer head scores positions: its softmax over the one spatial axis is meant (code review)."""
    assert _per_pixel_sums(run(SPAN)["probs"], -1)
    assert not _warnings(SPAN)
