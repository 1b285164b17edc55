"""An overlapping patch embedding (a strided conv) whose token grid is computed as ``img_size // patch_size``: the
position table is sized by ``grid * grid``, so the square's side -- the grid formula -- is where the number went
wrong, and the fix counts what the conv gives. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class PatchEmbed(nn.Module):
        def __init__(self, img_size=32, patch_size=5, stride=2, dim=16):
            super().__init__()
            self.proj = nn.Conv2d(3, dim, kernel_size=patch_size, stride=stride, padding=patch_size // 2)
            self.grid = img_size // patch_size
            self.num_patches = self.grid * self.grid
            self.pos = nn.Parameter(torch.zeros(1, self.num_patches, dim))

        def forward(self, x):
            return self.proj(x).flatten(2).transpose(1, 2) + self.pos


    out = PatchEmbed()(torch.randn(2, 3, 32, 32))
""").lstrip()

FIXED = SRC.replace("self.grid = img_size // patch_size",
                    "self.grid = (img_size + 2 * (patch_size // 2) - patch_size) // stride + 1")


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_grid_formula_is_blamed_and_follows_the_conv():
    (d,) = _loud(SRC)
    assert d.primary.span.line == 9
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == FIXED
    assert not _loud(FIXED)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    scope = run(FIXED)
    assert tuple(scope["out"].shape) == (2, 256, 16)
