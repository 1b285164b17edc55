"""A GAN's real images made larger than the size its discriminator reduces to one score (a DCGAN built for 32x32
fed 48x48 real images): the discriminator gives a 3x3 map per real image and one score per generated 32x32 image,
and BCELoss sees nine rows per label. The root is where the real images' size was written; averaging the map or
labels of the map's shape would run and compare images of two sizes. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    IMG = 48
    nz, ngf, ndf = 16, 8, 8


    class G(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(
                nn.ConvTranspose2d(nz, ngf * 4, 4, 1, 0), nn.ReLU(),
                nn.ConvTranspose2d(ngf * 4, ngf * 2, 4, 2, 1), nn.ReLU(),
                nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1), nn.ReLU(),
                nn.ConvTranspose2d(ngf, 3, 4, 2, 1), nn.Tanh())

        def forward(self, z):
            return self.net(z)


    class D(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(
                nn.Conv2d(3, ndf, 4, 2, 1), nn.LeakyReLU(0.2),
                nn.Conv2d(ndf, ndf * 2, 4, 2, 1), nn.LeakyReLU(0.2),
                nn.Conv2d(ndf * 2, ndf * 4, 4, 2, 1), nn.LeakyReLU(0.2),
                nn.Conv2d(ndf * 4, 1, 4, 1, 0), nn.Sigmoid())

        def forward(self, x):
            return self.net(x)


    gen, disc = G(), D()
    bce = nn.BCELoss()
    real = torch.rand(8, 3, IMG, IMG)
    fake = gen(torch.randn(8, nz, 1, 1))
    loss_fake = bce(disc(fake.detach()).view(-1), torch.zeros(8))
    loss_real = bce(disc(real).view(-1), torch.ones(8))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_real_images_size_is_blamed_and_set_to_the_size_the_model_reduces():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 4 and d.cause == "data-size"
    assert "32x32" in d.help and d.fix.applicability == "unsafe"
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "IMG = 32" in fixed and _errors(fixed) == []
    assert fix_source("case.py", fixed, _errors(fixed), ("safe", "unsafe")).source == fixed  # once, not again


def test_a_patch_discriminator_with_labels_of_its_maps_shape_is_quiet():
    """A PatchGAN is meant to give a map: labels made like the map are right, on images of any size."""
    src = SRC.replace("torch.zeros(8))", "torch.zeros(8 * 1 * 1))").replace(
        "bce(disc(real).view(-1), torch.ones(8))", "bce(disc(real), torch.ones_like(disc(real)))")
    assert _errors(src) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(ValueError, match="target size"):
        run(SRC)
    scope = run(SRC.replace("IMG = 48", "IMG = 32"))
    assert tuple(scope["fake"].shape) == (8, 3, 32, 32)


def test_a_discriminator_that_flattens_its_map_in_forward_is_read_the_same():
    """rw20c (unseen): the discriminator's ``forward`` ends in ``.view(-1)``, so 48x48 images give (8 * 9,) scores
    in one axis rather than (8, 1, 3, 3): still nine scores per image, and still the image size to blame."""
    src = SRC.replace("return self.net(x)\n\n\ngen", "return self.net(x).view(-1)\n\n\ngen") \
        .replace("disc(fake.detach()).view(-1)", "disc(fake.detach())").replace("disc(real).view(-1)", "disc(real)")
    assert "self.net(x).view(-1)" in src
    (d,) = _errors(src)
    assert d.primary.span.line == 4 and d.cause == "data-size"
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "IMG = 32" in fixed and _errors(fixed) == []
    assert tuple(run(fixed)["loss_real"].shape) == ()
