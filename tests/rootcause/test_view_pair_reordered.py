"""A batch-first sequence viewed (S, B, C) for a sequence-first ``nn.MultiheadAttention`` and viewed back (B, S, C):
both views reorder by reading memory in order, so samples mix twice. Each view is reported where it is written and
fixed to a permute; the second is never blamed on the first as a batch "merged into the features" (nothing is
merged: the sizes are the same, in another order). PyTorch is the oracle: after the fix a sample's output depends
only on that sample."""
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn


class Classifier(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        self.proj = nn.Linear(12, width)
        self.mhsa = nn.MultiheadAttention(width, num_heads=4)
        self.fc = nn.Linear(width, 6)

    def forward(self, tokens):
        y = self.proj(tokens)
        B, S, C = y.shape
        y = y.view(S, B, C)
        y, _ = self.mhsa(y, y, y)
        y = y.view(B, S, C)
        return self.fc(y.mean(dim=1))


torch.manual_seed(0)
model = Classifier().eval()
x = torch.randn(BATCH, 8, 12)
out = model(x)
x2 = x.clone()
x2[1:] = torch.randn_like(x2[1:])
leak = (model(x2)[0] - out[0]).abs().max().item()
"""


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "warning"]


def test_both_views_become_permutes():
    src = SRC.replace("BATCH", "16").lstrip()
    assert run(src)["leak"] > 1e-4  # the original mixes the samples
    found = _warnings(src)
    assert sorted(d.primary.span.line for d in found) == [15, 17] and all(d.code == "SHP211" for d in found)
    fixed = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert fixed.count("y = y.permute(1, 0, 2)") == 2 and not _warnings(fixed)
    for batch in ("16", "5"):
        done = run(fixed.replace("torch.randn(16,", f"torch.randn({batch},"))
        assert done["leak"] < 1e-6 and tuple(done["out"].shape) == (int(batch), 6)
