"""Hand-written attention masks (B, H, L, S) scores with a pairwise (B, L, S) padding mask: broadcasting aligns the
mask's batch with the heads and fails. The mask is made where it was made, as a key-padding mask (B, 1, 1, S). With a batch of 6 and a
list of lengths for the padding, the batch size has no literal to vary: a fix that passes ``heads=6`` -- the batch
size -- would run for this batch only and mask each head with another sample's padding; it is refused, and not
offered. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Attention(nn.Module):
        def __init__(self, dim, heads=4):
            super().__init__()
            self.heads = heads
            self.to_qkv = nn.Linear(dim, dim * 3)

        def forward(self, x, valid):
            b, n, _ = x.shape
            q, k, v = [t.view(b, n, self.heads, -1).transpose(1, 2) for t in self.to_qkv(x).chunk(3, dim=-1)]
            dots = torch.einsum("bhid,bhjd->bhij", q, k)
            mask = valid[:, None, :] * valid[:, :, None]
            dots = dots.masked_fill(~mask, -1e9)
            return torch.einsum("bhij,bhjd->bhid", dots.softmax(-1), v).transpose(1, 2).reshape(b, n, -1)


    attn = Attention(32)
    x = torch.randn(6, 10, 32)
    lengths = torch.tensor([10, 8, 10, 7, 9, 10])
    valid = torch.arange(10)[None, :] < lengths[:, None]
    out = attn(x, valid)
""").lstrip()


def test_the_mask_gets_its_heads_axis_where_it_is_made():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    made = SRC.splitlines().index("        mask = valid[:, None, :] * valid[:, :, None]") + 1
    assert d.line == made and "heads=6" not in (d.help or "") and "heads=6" not in " ".join(d.notes)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    # the outer product of the padding mask with itself masks padded queries' whole rows (a softmax of -inf: NaN); the
    # padded keys alone, for every head and query, is what a padding mask means (unseen reviewers, rw21 round 2)
    assert "mask = valid[:, None, None, :]" in fixed and "Attention(32)" in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (6, 10, 32)
    with pytest.raises(RuntimeError):
        run(SRC)


def test_a_per_query_mask_that_is_no_outer_product_gets_its_heads_axis():
    src = SRC.replace("mask = valid[:, None, :] * valid[:, :, None]",
                      "mask = torch.ones(10, 10, dtype=torch.bool).tril()[None] & valid[:, None, :]")
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "valid[:, None, :]).unsqueeze(1)" in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (6, 10, 32)
