"""Heads merged batch-major (``view(batch_size * heads, -1, d)`` after moving the heads beside the batch) and split
back the other way round (``view(heads, batch_size, -1, d)``): the shapes fit, the permute and reshape after it run,
and samples mix. Reported at the split (provenance: the axis was made as batch_size * heads), fixed by swapping
the two sizes; the reorder the later reshape shows is its symptom and is not reported (its permute would make the
shapes right and leave the samples mixed). PyTorch is the oracle: after the fix a sample's output depends only on
that sample."""
from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn


class MHA(nn.Module):
    def __init__(self, d_model=96, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, d_model // num_heads
        self.qkv = nn.Linear(d_model, d_model)

    def split(self, batch_size, t):
        t = t.view(batch_size, -1, self.num_heads, self.head_dim).permute(0, 2, 1, 3)
        return t.contiguous().view(batch_size * self.num_heads, -1, self.head_dim)

    def forward(self, x):
        batch_size = x.size(0)
        q = self.split(batch_size, self.qkv(x))
        out = torch.bmm(torch.softmax(torch.bmm(q, q.transpose(1, 2)), dim=-1), q)
        out = out.view(self.num_heads, batch_size, -1, self.head_dim)
        out = out.permute(0, 2, 1, 3)
        return out.contiguous().view(batch_size, -1, self.num_heads * self.head_dim)


torch.manual_seed(0)
layer = MHA()
x = torch.randn(BATCH, 20, 96)
y = layer(x)
x2 = x.clone()
x2[1:] = torch.randn_like(x2[1:])
leak = (layer(x2)[0] - y[0]).abs().max().item()
"""


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "warning"]


def test_the_split_is_swapped_back_and_the_symptom_is_silent():
    src = SRC.replace("BATCH", "6").lstrip()
    assert run(src)["leak"] > 1e-4
    (d,) = _warnings(src)
    assert d.code == "SHP211" and d.primary.span.line == 19 and "6 x 4" in d.message
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "out = out.view(batch_size, self.num_heads, -1, self.head_dim)" in fixed and not _warnings(fixed)
    for batch in ("6", "3"):
        other = SRC.replace("BATCH", batch).lstrip()
        done = run(fix_source("case.py", other, _warnings(other), ("safe", "unsafe")).source)
        assert done["leak"] < 1e-6 and tuple(done["y"].shape) == (int(batch), 20, 96)


def test_a_split_in_merge_order_says_nothing():
    src = SRC.replace("BATCH", "6").replace("out.view(self.num_heads, batch_size, -1, self.head_dim)",
                                            "out.view(batch_size, self.num_heads, -1, self.head_dim)").lstrip()
    assert not _warnings(src)
