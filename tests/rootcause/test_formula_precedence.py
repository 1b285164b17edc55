"""``num_patches = image_size // patch_size ** 2`` is ``64 // 64 = 1``: ``**`` binds before ``//``. The position
table ``num_patches + 1`` then has 2 rows for 65 tokens (64 patches and the class token). The ``+ 1`` is the class
token, joined to the patches with ``torch.cat``: writing 64 there would hide the formula's mistake. The fix groups
the formula the other way, every name kept: ``(image_size // patch_size) ** 2``. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class PatchEmbed(nn.Module):
        def __init__(self, image_size, patch_size, dim):
            super().__init__()
            self.num_patches = image_size // patch_size ** 2
            self.proj = nn.Conv2d(3, dim, kernel_size=patch_size, stride=patch_size)

        def forward(self, x):
            return self.proj(x).flatten(2).transpose(1, 2)


    class ViT(nn.Module):
        def __init__(self, image_size=64, patch_size=8, dim=32):
            super().__init__()
            self.patch_embed = PatchEmbed(image_size, patch_size, dim)
            n = self.patch_embed.num_patches
            self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
            self.pos_embed = nn.Parameter(torch.zeros(1, n + 1, dim))
            self.head = nn.Linear(dim, 5)

        def forward(self, x):
            x = self.patch_embed(x)
            x = torch.cat([self.cls_token.expand(x.size(0), -1, -1), x], dim=1)
            x = x + self.pos_embed
            return self.head(x[:, 0])


    logits = ViT()(torch.randn(2, 3, 64, 64))
""").lstrip()


def test_the_formula_is_regrouped_and_the_class_token_kept():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.line == SRC.splitlines().index("        self.num_patches = image_size // patch_size ** 2") + 1
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "self.num_patches = (image_size // patch_size) ** 2" in fixed and "n + 1, dim" in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["logits"].shape) == (2, 5)
    with pytest.raises(RuntimeError):
        run(SRC)


def test_a_table_one_row_long_without_a_class_token_is_not_blamed_on_the_formula():
    src = SRC.replace("image_size // patch_size ** 2", "(image_size // patch_size) ** 2") \
        .replace("x = torch.cat([self.cls_token.expand(x.size(0), -1, -1), x], dim=1)", "x = x * 1.0")
    errors = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert errors and all("num_patches = " not in (d.help or "") for d in errors)
    assert errors[0].line != src.splitlines().index("        self.num_patches = (image_size // patch_size) ** 2") + 1


RETYPED = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class MelCNN(nn.Module):
        def __init__(self, n_mels=32, n_frames=64, channels=(8, 16, 32)):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.MaxPool2d(2),
                                          nn.Conv2d(8, 16, 3, padding=1), nn.MaxPool2d(2),
                                          nn.Conv2d(16, 32, 3, padding=1), nn.MaxPool2d(2))
            n_pool = len(channels)
            flat = channels[-1] * (n_mels // 2 ** n_pool) * (n_frames // 2 * n_pool)
            self.head = nn.Linear(flat, 4)

        def forward(self, x):
            return self.head(torch.flatten(self.features(x), 1))


    out = MelCNN()(torch.randn(2, 1, 32, 64))
""").lstrip()


def test_one_operator_retyped_beside_its_sibling_factor():
    """``n_frames // 2 * n_pool`` beside ``n_mels // 2 ** n_pool``: the one operator that gives the size the layers
    compute is the sibling's ``**``; every name stays as written. (With two pools ``// 2 // n_pool`` would give the
    same size: ambiguous, and no edit is offered.)"""
    (d,) = [d for d in check_source("case.py", RETYPED).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", RETYPED, [d], ("safe", "unsafe")).source
    assert "flat = channels[-1] * (n_mels // 2 ** n_pool) * (n_frames // 2 ** n_pool)" in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (2, 4)
