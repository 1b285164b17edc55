"""A block built in several places whose input is a concatenation at one of them: a bilinear U-Net's ``Up`` builds
``DoubleConv(in_ch, out_ch)`` but gives it ``cat([skip, up(x)])`` -- in_ch + out_ch channels. Writing the sum into
``DoubleConv``'s own conv would break the encoder's blocks built from the same class; the call in ``Up`` is where the
number is wrong, and the sum is spelled there with Up's own names. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class DoubleConv(nn.Module):
        def __init__(self, in_ch, out_ch):
            super().__init__()
            self.net = nn.Sequential(nn.Conv2d(in_ch, out_ch, 3, padding=1), nn.ReLU(),
                                     nn.Conv2d(out_ch, out_ch, 3, padding=1), nn.ReLU())

        def forward(self, x):
            return self.net(x)


    class Up(nn.Module):
        def __init__(self, in_ch, out_ch):
            super().__init__()
            self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
            self.conv = DoubleConv(in_ch, out_ch)

        def forward(self, x, skip):
            return self.conv(torch.cat([skip, self.up(x)], dim=1))


    class UNet(nn.Module):
        def __init__(self, chs=(8, 16)):
            super().__init__()
            self.inc = DoubleConv(1, chs[0])
            self.down = DoubleConv(chs[0], chs[1])
            self.up = Up(chs[1], chs[0])
            self.head = nn.Conv2d(chs[0], 2, 1)

        def forward(self, x):
            s = self.inc(x)
            return self.head(self.up(self.down(nn.functional.max_pool2d(s, 2)), s))


    out = UNet()(torch.randn(2, 1, 32, 32))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_call_in_up_is_blamed_and_given_the_sum_in_its_own_names():
    (d,) = _errors(SRC)
    assert "self.conv = DoubleConv(in_ch, out_ch)" in SRC.splitlines()[d.primary.span.line - 1]
    assert d.cause == "caller-argument" and d.fix.applicability == "unsafe"
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "self.conv = DoubleConv(in_ch + out_ch, out_ch)" in fixed and _errors(fixed) == []
    assert "nn.Conv2d(in_ch, out_ch, 3, padding=1)" in fixed  # the block the encoder shares is unchanged


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="channels"):
        run(SRC)
    out = run(SRC.replace("self.conv = DoubleConv(in_ch, out_ch)", "self.conv = DoubleConv(in_ch + out_ch, out_ch)"))
    assert tuple(out["out"].shape) == (2, 2, 32, 32)
