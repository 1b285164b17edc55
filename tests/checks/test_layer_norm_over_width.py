"""``nn.LayerNorm(C)`` on a conv's channels-first (N, C, H, W) map whose width happens to equal C: it runs and
normalises each row of pixels. Flagged only on that coincidence with the roles known; fixed by moving the channels
last around the layer -- the fix re-checks clean and, run with torch at another batch size, normalises per pixel.
At any other width torch raises (an error with the same fix, rootcause/causes/layout.py). PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 32, 3, padding=1)
            self.norm = nn.LayerNorm(32)
            self.head = nn.Linear(32, 10)

        def forward(self, x):
            x = self.norm(self.stem(x))
            return self.head(x.mean(dim=(2, 3)))


    model = Net()
    out = model(torch.randn(8, 3, 32, 32))
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("warning", "error")]


def test_the_width_equal_to_the_channels_is_flagged_and_fixed():
    (d,) = _found(SRC)
    assert (d.code, d.severity, d.primary.span.line) == ("SHP203", "warning", 13)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "self.norm(self.stem(x).permute(0, 2, 3, 1)).permute(0, 3, 1, 2)" in fixed
    assert not _found(fixed)
    for batch in (8, 3):
        assert tuple(run(fixed.replace("randn(8,", f"randn({batch},"))["out"].shape) == (batch, 10)


@pytest.mark.parametrize("change", [
    ("nn.LayerNorm(32)", "nn.LayerNorm([32, 32, 32])"),            # the whole map: deliberate
    ("x = self.norm(self.stem(x))", "x = self.norm(self.stem(x).permute(0, 2, 3, 1)).permute(0, 3, 1, 2)"),
    ("nn.Conv2d(3, 32, 3, padding=1)", "nn.Conv2d(3, 32, 3, padding=1, stride=2)"),  # 16 wide: torch raises
])
def test_other_layouts_are_not_this_warning(change):
    found = _found(SRC.replace(*change))
    assert not [d for d in found if d.code == "SHP203"]


def test_what_torch_does():
    out = run(SRC + "stats = model.norm(model.stem(torch.randn(2, 3, 32, 32)))\n")
    per_row = out["stats"].mean(dim=-1)
    assert float(per_row.abs().max()) < 1e-4  # each row of pixels has mean 0: normalised over the width
