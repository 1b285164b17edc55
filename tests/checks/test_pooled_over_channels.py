"""A per-channel pooling that reduces the channels with one spatial axis: a squeeze-and-excitation block's
``ops.mean(x, axis=(2, 3))`` ported from PyTorch's (N, C, H, W) to Keras's (N, H, W, C). It keeps the rows, averages
width and channels, broadcasts back and trains without channel attention. The spatial axes are where the roles put
them. The frameworks are the oracle."""
import textwrap

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops

    inputs = keras.Input(shape=(8, 8, 3))
    x = layers.Conv2D(16, 3, padding="same")(inputs)
    s = ops.mean(x, axis=(2, 3), keepdims=True)
    out = layers.GlobalAveragePooling2D()(x * s)
    model = keras.Model(inputs, [out, s])
    pooled = keras.ops.convert_to_numpy(model(np.random.rand(2, 8, 8, 3).astype("float32"))[1])
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class SE(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 16, 3, padding=1)

        def forward(self, x):
            h = self.conv(x)
            return h * h.mean(dim=(2, 3), keepdim=True)


    out = SE()(torch.randn(2, 3, 8, 8))
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_keras_pooling_over_width_and_channels_moves_to_height_and_width():
    assert run(KERAS)["pooled"].shape == (2, 8, 1, 1)  # one value per row: no channel attention
    (d,) = _warnings(KERAS)
    assert d.code == "SHP203" and d.primary.span.line == 7
    fixed = apply_edits(KERAS, d.fix.edits)
    assert "ops.mean(x, axis=(1, 2), keepdims=True)" in fixed
    assert run(fixed)["pooled"].shape == (2, 1, 1, 16)
    assert not _warnings(fixed)


def test_torch_pooling_over_height_and_width_is_right():
    assert tuple(run(TORCH)["out"].shape) == (2, 16, 8, 8)
    assert not _warnings(TORCH)
    wrong = TORCH.replace("dim=(2, 3)", "dim=(1, 2)")
    (d,) = _warnings(wrong)
    assert "h.mean(dim=(2, 3), keepdim=True)" in apply_edits(wrong, d.fix.edits)


CBAM = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops

    inputs = keras.Input(shape=(8, 8, 3))
    x = layers.Conv2D(16, 3, padding="same")(inputs)
    step = ops.sigmoid(ops.mean(x, axis=-1, keepdims=True))        # CBAM spatial attention: channels only
    seq = layers.Conv1D(16, 3, padding="same")(layers.Reshape((64, 3))(inputs))
    per_step = ops.mean(seq, axis=[-1], keepdims=True)              # one weight per step of a 1-D map
    model = keras.Model(inputs, [x * step, seq * per_step])
    outs = model(np.random.rand(2, 8, 8, 3).astype("float32"))
""").lstrip()


def test_averaging_only_the_channels_is_left_alone():
    """Spatial attention averages the channels at each position on purpose (code review: a 1-D map was reported,
    with a fix that changed the model)."""
    outs = run(CBAM)["outs"]
    assert tuple(outs[0].shape) == (2, 8, 8, 16) and tuple(outs[1].shape) == (2, 64, 16)
    assert not _warnings(CBAM)
