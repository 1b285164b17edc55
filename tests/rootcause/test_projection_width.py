"""A diffusion ResBlock whose time projection was sized to the embedding (``nn.Linear(time_dim, time_dim)``) and is
added to a map of ``out_ch`` channels: the projection must give ``out_ch``, the name the block's conv was built with
in the same constructor. Passing ``time_dim=out_ch`` to the model would fit one block only. Torch is the oracle."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, in_ch, out_ch, time_dim):
        super().__init__()
        self.conv = nn.Conv2d(in_ch, out_ch, 3, padding=1)
        self.time_mlp = {proj}

    def forward(self, x, t):
        return self.conv(x) + self.time_mlp(t)[:, :, None, None]


class Net(nn.Module):
    def __init__(self, time_dim=32):
        super().__init__()
        self.b1, self.b2 = Block(3, 16, time_dim), Block(16, 24, time_dim)

    def forward(self, x, t):
        return self.b2(self.b1(x, t), t)


print(tuple(Net()(torch.randn(2, 3, 8, 8), torch.randn(2, 32)).shape))
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("proj, fixed", [("nn.Linear(time_dim, time_dim)", "nn.Linear(time_dim, out_ch)"),
                                         ("nn.Sequential(nn.SiLU(), nn.Linear(time_dim, time_dim))",
                                          "nn.Sequential(nn.SiLU(), nn.Linear(time_dim, out_ch))")])
def test_the_projection_gives_the_maps_channels(proj, fixed):
    src = SRC.format(proj=proj)
    found = _loud(src)
    assert found and all(d.primary.span.line == src.splitlines().index(f"        self.time_mlp = {proj}") + 1
                         for d in found)
    out = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert fixed in out and "time_dim=32" in out and not _loud(out)


def test_what_torch_does():
    pytest.importorskip("torch")
    bad = subprocess.run([sys.executable, "-c", SRC.format(proj="nn.Linear(time_dim, time_dim)")],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "must match the size of tensor b" in bad.stderr
    good = subprocess.run([sys.executable, "-c", SRC.format(proj="nn.Linear(time_dim, out_ch)")],
                          capture_output=True, text=True)
    assert good.returncode == 0 and good.stdout.strip() == "(2, 24, 8, 8)"
