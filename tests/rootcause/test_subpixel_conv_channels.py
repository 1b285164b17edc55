"""A sub-pixel convolution written for the scale instead of its square (``Conv2d(32, channels * scale, 3)`` before
``PixelShuffle(scale)``): the convolution's output count is blamed and given ``* scale`` once more; a smaller shuffle
would run and make another output size. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class SubPixel(nn.Module):
        def __init__(self, channels=1, scale=3):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU())
            self.up = nn.Conv2d(32, channels * scale, 3, padding=1)
            self.shuffle = nn.PixelShuffle(scale)

        def forward(self, x):
            return self.shuffle(self.up(self.body(x)))


    sr = SubPixel()(torch.rand(2, 1, 20, 20))
    loss = nn.functional.mse_loss(sr, torch.rand(2, 1, 60, 60))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_convolution_gets_the_square_of_the_scale():
    (d,) = _errors(SRC)
    assert "self.up = " in SRC.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "nn.Conv2d(32, channels * scale * scale, 3, padding=1)" in out and _errors(out) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(SRC.replace("channels * scale,", "channels * scale * scale,"))["sr"].shape) == (2, 1, 60, 60)
