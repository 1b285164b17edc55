"""A VAE whose decoder's ``ConvTranspose2d(3, stride=2, padding=1)`` layers give 7 -> 13 -> 25 instead of 28, its
reconstruction returned with ``mu`` and ``logvar`` and compared with the images in a loss helper (rw20c, unseen).
The transposed convolutions get ``output_padding=1``, found through the one output of the three the loss reads.
torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class VAE(nn.Module):
        def __init__(self, latent=8):
            super().__init__()
            self.enc = nn.Sequential(nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(),
                                     nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.ReLU(), nn.Flatten())
            self.mu, self.logvar = nn.Linear(32 * 7 * 7, latent), nn.Linear(32 * 7 * 7, latent)
            self.up = nn.Linear(latent, 32 * 7 * 7)
            self.dec = nn.Sequential(nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1), nn.ReLU(),
                                     nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1), nn.Sigmoid())

        def forward(self, x):
            h = self.enc(x)
            mu, logvar = self.mu(h), self.logvar(h)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            return self.dec(self.up(z).view(-1, 32, 7, 7)), mu, logvar


    def loss_fn(recon, x, mu, logvar):
        return F.binary_cross_entropy(recon, x, reduction="sum") - 0.5 * torch.sum(1 + logvar - mu ** 2 - logvar.exp())


    x = torch.rand(4, 1, 28, 28)
    recon, mu, logvar = VAE()(x)
    loss = loss_fn(recon, x, mu, logvar)
""").lstrip()


def test_the_transposed_convolutions_get_their_output_padding():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert fixed.count("stride=2, padding=1, output_padding=1)") == 2
    assert tuple(run(fixed)["recon"].shape) == (4, 1, 28, 28)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(ValueError):
        run(SRC)
