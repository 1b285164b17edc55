"""A sub-pixel super-resolution model built for RGB (``Conv2d(channels, ...)``) whose last convolution makes
``upscale_factor ** 2`` planes: after ``PixelShuffle`` one channel, broadcast by the loss over the target's three.
The convolution's count is blamed and made ``channels * upscale_factor ** 2`` -- the targets are not cut to one
plane. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class ESPCN(nn.Module):
        def __init__(self, upscale_factor, channels=3):
            super().__init__()
            self.conv1 = nn.Conv2d(channels, 32, 5, padding=2)
            self.conv2 = nn.Conv2d(32, upscale_factor ** 2, 3, padding=1)
            self.shuffle = nn.PixelShuffle(upscale_factor)

        def forward(self, x):
            return self.shuffle(self.conv2(torch.relu(self.conv1(x))))

    model = ESPCN(3)
    lr = torch.rand(BATCH, 3, 16, 16)
    hr = torch.rand(BATCH, 3, 48, 48)
    sr = model(lr)
    loss = F.mse_loss(sr, hr)
""").lstrip()


def test_the_last_convolution_is_given_the_targets_planes():
    src = SRC.replace("BATCH", "4")
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP202"]
    assert d.primary.span.line == 9
    assert "nn.Conv2d(32, channels * upscale_factor ** 2, 3, padding=1)" in apply_edits(src, d.fix.edits)


def test_what_torch_does():
    pytest.importorskip("torch")
    assert tuple(run(SRC.replace("BATCH", "4"))["sr"].shape) == (4, 1, 48, 48)
    for batch in (4, 1):
        fixed = SRC.replace("BATCH", str(batch)).replace("Conv2d(32, upscale_factor", "Conv2d(32, channels * upscale_factor")
        assert tuple(run(fixed)["sr"].shape) == (batch, 3, 48, 48)
