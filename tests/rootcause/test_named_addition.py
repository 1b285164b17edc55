"""A conditional GAN generator whose first Linear is sized for the noise alone while the label embedding is
concatenated to it: the width is written with the names in scope (``latent_dim + n_classes``), not a literal that
fits one configuration. Torch is the oracle."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn


class Generator(nn.Module):
    def __init__(self, latent_dim, n_classes):
        super().__init__()
        self.label_emb = nn.Embedding(n_classes, n_classes)
        self.net = nn.Sequential(nn.Linear({width}, 64), nn.ReLU(), nn.Linear(64, 28 * 28))

    def forward(self, z, labels):
        return self.net(torch.cat((self.label_emb(labels), z), -1))


g = Generator(32, 10)
print(tuple(g(torch.randn(4, 32), torch.randint(0, 10, (4,))).shape))
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_width_is_written_with_the_names_in_scope():
    src = SRC.format(width="latent_dim")
    (d,) = _loud(src)
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "nn.Linear(latent_dim + n_classes, 64)" in out and not _loud(out)


def test_what_torch_does():
    pytest.importorskip("torch")
    assert subprocess.run([sys.executable, "-c", SRC.format(width="latent_dim")], capture_output=True,
                          text=True).returncode != 0
    r = subprocess.run([sys.executable, "-c", SRC.format(width="latent_dim + n_classes")], capture_output=True,
                       text=True)
    assert r.returncode == 0 and r.stdout.strip() == "(4, 784)"
