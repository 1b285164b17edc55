"""A ViT patch embedding that flattens the conv map to (N, C, H*W) and never transposes it: joining it with the
class token (N, 1, C) or adding the position embedding (1, H*W, C) fails. The root is the flatten; padding the
tokens or resizing the embedding to fit would treat channels as tokens. Torch is the oracle: the original raises,
the fixed model runs and gives one row of class scores per image."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn


class ViT(nn.Module):
    def __init__(self, dim=48, n=64):
        super().__init__()
        self.proj = nn.Conv2d(3, dim, kernel_size=4, stride=4)
        self.cls = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos = nn.Parameter(torch.zeros(1, n + 1, dim))
        self.head = nn.Linear(dim, 10)

    def forward(self, x):
        x = {flatten}
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
        x = x + self.pos
        return self.head(x[:, 0])


print(tuple(ViT()(torch.randn(5, 3, 32, 32)).shape))
"""

CASES = [("self.proj(x).flatten(2)", "self.proj(x).flatten(2).transpose(1, 2)"),
         ("self.proj(x).view(x.size(0), 48, -1)", "self.proj(x).view(x.size(0), 48, -1).transpose(1, 2)")]


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("flatten, fixed", CASES)
def test_the_positions_are_put_before_the_channels_where_the_map_is_flattened(flatten, fixed):
    src = SRC.format(flatten=flatten)
    found = _loud(src)
    assert found and found[0].cause == "layout" and flatten in src.splitlines()[found[0].primary.span.line - 1]
    out = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert fixed in out and "pad(" not in out and "dim=48, n=64" in out and not _loud(out)


def test_what_torch_does():
    pytest.importorskip("torch")
    bad = subprocess.run([sys.executable, "-c", SRC.format(flatten=CASES[0][0])], capture_output=True, text=True)
    assert bad.returncode != 0 and "Sizes of tensors must match" in bad.stderr
    good = subprocess.run([sys.executable, "-c", SRC.format(flatten=CASES[0][1])], capture_output=True, text=True)
    assert good.returncode == 0 and good.stdout.strip() == "(5, 10)"
