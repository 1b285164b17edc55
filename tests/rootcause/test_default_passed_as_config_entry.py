"""A ViT built from a config that names the image size ``config["image_size"]`` but never passes it: the class
default ``img_size=224`` sizes the position table. The fix passes the config entry -- a parameter ``img_size`` and a
key ``image_size`` say the same thing -- not a copy of its number (an unseen reviewer judged ``img_size=256`` a
workaround: changing the config breaks it again). PyTorch is the oracle."""
import textwrap

import pytest

from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    config = {"image_size": 64, "patch_size": 16, "dim": 32}


    class ViT(nn.Module):
        def __init__(self, img_size=224, patch_size=16, dim=64):
            super().__init__()
            self.proj = nn.Conv2d(3, dim, patch_size, patch_size)
            self.pos = nn.Parameter(torch.zeros(1, (img_size // patch_size) ** 2, dim))

        def forward(self, x):
            return self.proj(x).flatten(2).transpose(1, 2) + self.pos


    model = ViT(patch_size=config["patch_size"], dim=config["dim"])
    out = model(torch.randn(2, 3, config["image_size"], config["image_size"]))
""").lstrip()

FIXED = SRC.replace('dim=config["dim"])', 'dim=config["dim"], img_size=config["image_size"])')


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_config_entry_is_passed_not_its_number():
    (d,) = _errors(SRC)
    assert apply_edits(SRC, d.fix.edits) == FIXED
    assert _errors(FIXED) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(FIXED)["out"].shape) == (2, 16, 32)
