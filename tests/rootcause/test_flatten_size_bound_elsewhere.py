"""``self.n_flat = 16 * 30 * 30`` written for 120x120 images, used by ``x.view(-1, self.n_flat)`` and by
``nn.Linear(self.n_flat, 128)``, with 64x64 images (16 x 16 x 16 after two poolings): the view fails. The stale
binding is the mistake: it gets the per-sample product, in the factors it was written with, and both of its readers
agree. Writing 4096 into the Linear and flattening with ``x.size(0), -1`` would leave the binding lying. torch is the
oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class CellNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(4, 16, 3, padding=1)
            self.pool = nn.MaxPool2d(4)
            self.n_flat = 16 * 30 * 30
            self.fc1 = nn.Linear(self.n_flat, 8)

        def forward(self, x):
            x = self.pool(torch.relu(self.conv(x)))
            x = x.view(-1, self.n_flat)
            return self.fc1(x)


    out = CellNet()(torch.rand(8, 4, 64, 64))
""").lstrip()


def test_the_binding_gets_the_per_sample_size():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.line == SRC.splitlines().index("        self.n_flat = 16 * 30 * 30") + 1
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "self.n_flat = 16 * 16 * 16" in fixed and "nn.Linear(self.n_flat, 8)" in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (8, 8)
    assert tuple(run(fixed.replace("rand(8, 4", "rand(3, 4"))["out"].shape) == (3, 8)
    with pytest.raises(RuntimeError):
        run(SRC)
