"""A U-Net whose every conv is built by one helper with ``pad=0`` as the default: each conv trims two pixels, the
upsampled maps come out smaller than the skips. The default is blamed and set to kernel_size // 2, not the upsampled
maps padded by the difference (that fits one input size and still gives a smaller output than the masks). Torch is
the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    def block(cin, cout, k=3, pad=0):
        return nn.Sequential(nn.Conv2d(cin, cout, k, padding=pad), nn.ReLU(),
                             nn.Conv2d(cout, cout, k, padding=pad), nn.ReLU())


    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = block(1, 8)
            self.mid = block(8, 16)
            self.pool = nn.MaxPool2d(2)
            self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
            self.dec = block(16, 8)
            self.out = nn.Conv2d(8, 2, 1)

        def forward(self, x):
            e = self.enc(x)
            m = self.mid(self.pool(e))
            return self.out(self.dec(torch.cat([self.up(m), e], dim=1)))


    logits = UNet()(torch.randn(2, 1, 32, 32))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_padding_default_is_blamed_and_fixed():
    found = _errors(SRC)
    assert found and found[0].primary.span.line == 5
    out = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "def block(cin, cout, k=3, pad=1):" in out and "pad(" not in out.replace("pad=", "") and not _errors(out)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    scope = run(SRC.replace("pad=0", "pad=1"))
    assert tuple(scope["logits"].shape) == (2, 2, 32, 32)
