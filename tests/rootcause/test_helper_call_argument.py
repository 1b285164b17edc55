"""A layer-building helper called several times (``*block(latent_dim, 128), *block(128, 256)``) whose first call
passes the noise width while the generator feeds noise and label embedding joined: the call's argument is the root
cause, fixed as ``latent_dim * 2`` there (the helper is right for its other calls). ``int(np.prod(IMG_SHAPE))`` of a
constant tuple is known. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    IMG = (1, 8, 8)


    class Generator(nn.Module):
        def __init__(self, latent_dim=16, n_classes=4):
            super().__init__()
            self.label_emb = nn.Embedding(n_classes, latent_dim)

            def block(i, o):
                return [nn.Linear(i, o), nn.BatchNorm1d(o), nn.LeakyReLU(0.2)]

            self.model = nn.Sequential(*block(latent_dim, 32), *block(32, 64), nn.Linear(64, int(np.prod(IMG))))

        def forward(self, z, labels):
            x = torch.cat([z, self.label_emb(labels)], dim=1)
            return self.model(x).view(z.size(0), *IMG)


    out = Generator()(torch.randn(6, 16), torch.randint(0, 4, (6,)))
""").lstrip()


def _diagnostics(src):
    return check_source("case.py", src).diagnostics


def test_the_call_that_passed_the_width_is_fixed():
    ds = _diagnostics(SRC)
    assert not [d for d in ds if d.code == "SHP002"]  # np.prod of a constant tuple is known
    (d,) = [d for d in ds if d.severity == "error"]
    assert d.primary.span.line == 16
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "*block(latent_dim * 2, 32), *block(32, 64)" in fixed and "nn.Linear(i, o)" in fixed
    assert not [x for x in _diagnostics(fixed) if x.severity in ("error", "warning")]


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    scope = run(SRC.replace("*block(latent_dim, 32)", "*block(latent_dim * 2, 32)"))
    assert tuple(scope["out"].shape) == (6, 1, 8, 8)


UNET_UP = textwrap.dedent("""
    import torch
    import torch.nn as nn


    def double_conv(in_ch, out_ch):
        return nn.Sequential(nn.Conv2d(in_ch, out_ch, 3, padding=1), nn.ReLU())


    class Up(nn.Module):
        def __init__(self, in_ch, out_ch):
            super().__init__()
            self.up = nn.ConvTranspose2d(in_ch, in_ch // 2, kernel_size=2, stride=2)
            self.conv = double_conv(in_ch // 2, out_ch)

        def forward(self, x, skip):
            return self.conv(torch.cat([skip, self.up(x)], dim=1))


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.inc = double_conv(1, 16)
            self.down = nn.Sequential(nn.MaxPool2d(2), double_conv(16, 32))
            self.up = Up(32, 16)

        def forward(self, x):
            a = self.inc(x)
            return self.up(self.down(a), a)


    out = Net()(torch.randn(2, 1, 16, 16))
""").lstrip()


def test_the_helper_call_assigned_on_the_layers_path_is_fixed():
    (d,) = [d for d in _diagnostics(UNET_UP) if d.severity == "error"]
    assert d.primary.span.line == 13  # self.conv = double_conv(in_ch // 2, out_ch), not Up(32, 16)
    fixed = fix_source("case.py", UNET_UP, [d], ("safe", "unsafe")).source
    # the block's own `in_ch` is the joined width (the skip's half plus the upsampled half): the file's name for it
    assert "self.conv = double_conv(in_ch, out_ch)" in fixed and "self.up = Up(32, 16)" in fixed
    assert not [x for x in _diagnostics(fixed) if x.severity in ("error", "warning")]
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(UNET_UP)
    scope = run(fixed)
    assert tuple(scope["out"].shape) == (2, 16, 16, 16)
