"""A VAE encoder head (N, 2 * z) split into mu and logvar along axis 0 -- ``chunk(2)`` defaults to dim=0 -- cuts the
batch in half: the decoder's Linear(z, ...) gets (N / 2, 2 * z). The root is the split; widening the decoder (the
tempting fix that runs) pairs the first half of the batch with the second. Torch is the oracle."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn


class VAE(nn.Module):
    def __init__(self, z=8):
        super().__init__()
        self.enc = nn.Linear(32, 2 * z)
        self.dec = nn.Linear(z, 32)

    def forward(self, x):
        mu, logvar = {split}
        z = mu + torch.randn_like(logvar) * torch.exp(0.5 * logvar)
        return self.dec(z)


print(tuple(VAE()(torch.randn(12, 32)).shape))
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("split, fixed", [("self.enc(x).chunk(2)", "self.enc(x).chunk(2, dim=1)"),
                                          ("self.enc(x).chunk(2, dim=0)", "self.enc(x).chunk(2, dim=1)"),
                                          ("torch.chunk(self.enc(x), 2, 0)", "torch.chunk(self.enc(x), 2, 1)")])
def test_the_split_takes_the_features_not_the_samples(split, fixed):
    src = SRC.format(split=split)
    found = _loud(src)
    assert found and found[0].cause == "batch-merged" and split in src.splitlines()[found[0].primary.span.line - 1]
    out = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert fixed in out and "nn.Linear(z, 32)" in out and not _loud(out)


def test_what_torch_does():
    pytest.importorskip("torch")
    bad = subprocess.run([sys.executable, "-c", SRC.format(split="self.enc(x).chunk(2)")], capture_output=True,
                         text=True)
    assert bad.returncode != 0 and "cannot be multiplied" in bad.stderr
    good = subprocess.run([sys.executable, "-c", SRC.format(split="self.enc(x).chunk(2, dim=1)")],
                          capture_output=True, text=True)
    assert good.returncode == 0 and good.stdout.strip() == "(12, 32)"
