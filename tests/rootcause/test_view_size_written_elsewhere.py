"""A reshape module built with its size (``View((-1, 256 * 2 * 2))``) whose forward is ``x.view(self.size)``: the
per-sample size written where the module is made is what is wrong (left from smaller images), so it is blamed and
fixed there -- with the spelling the Linear that wants the features uses -- not by ``x.view(x.size(0), -1)`` in a
forward every other View shares (the decoder's ``View((-1, 32, f, f))`` would break), and not by resizing the
Linear to the folded rows. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class View(nn.Module):
        def __init__(self, size):
            super().__init__()
            self.size = size

        def forward(self, x):
            return x.view(self.size)


    class AE(nn.Module):
        def __init__(self, img=32):
            super().__init__()
            f = img // 4
            self.enc = nn.Sequential(nn.Conv2d(3, 32, 4, 2, 1), nn.ReLU(), nn.Conv2d(32, 32, 4, 2, 1),
                                     View((-1, 32 * 4 * 4)))
            self.fc = nn.Linear(32 * f * f, 16)
            self.dec = nn.Sequential(nn.Linear(16, 32 * f * f), View((-1, 32, f, f)),
                                     nn.ConvTranspose2d(32, 3, 4, 4))

        def forward(self, x):
            return self.dec(self.fc(self.enc(x)))


    out = AE()(torch.rand(4, 3, 32, 32))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_size_written_with_the_module_is_fixed_there():
    found = _errors(SRC)
    assert found and found[0].primary.span.line == 19
    out = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "View((-1, 32 * f * f))" in out and "x.view(self.size)" in out and "nn.Linear(32 * f * f, 16)" in out
    assert not _errors(out)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    scope = run(SRC.replace("View((-1, 32 * 4 * 4))", "View((-1, 32 * f * f))"))
    assert tuple(scope["out"].shape) == (4, 3, 32, 32)
