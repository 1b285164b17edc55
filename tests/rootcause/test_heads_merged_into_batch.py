"""``q.view(batch_size * heads, -1, d)`` on (B, F, heads * d): the heads are merged with the batch without being
moved beside it, so each head row reads several fields' values in place of one head of every field -- silently (an AutoInt-style
interaction layer, rw31a). Reported at the view, fixed by splitting the heads where they are, moving them beside the
batch, then merging; a batch equal by chance to heads * d is never read as an axis reorder (whose permute would move
the batch axis). PyTorch is the oracle: the fixed layer computes per-head attention (checked against einsum), at
two batch sizes."""
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn


class Interaction(nn.Module):
    def __init__(self, input_dim=16, attention_dim=32, num_heads=2):
        super().__init__()
        self.num_heads, self.attention_dim = num_heads, attention_dim
        self.W_q = nn.Linear(input_dim, attention_dim * num_heads, bias=False)
        self.W_v = nn.Linear(input_dim, attention_dim * num_heads, bias=False)

    def forward(self, X):
        batch_size, num_fields, _ = X.shape
        query = self.W_q(X).view(batch_size * self.num_heads, -1, self.attention_dim)
        value = self.W_v(X).view(batch_size * self.num_heads, -1, self.attention_dim)
        scores = torch.bmm(query, query.transpose(1, 2)).softmax(dim=-1)
        out = torch.bmm(scores, value).view(batch_size, self.num_heads, num_fields, self.attention_dim)
        return out.transpose(1, 2).reshape(batch_size, num_fields, -1)


torch.manual_seed(0)
layer = Interaction()
x = torch.randn(BATCH, 6, 16)
out = layer(x)
q = layer.W_q(x).view(BATCH, 6, 2, 32)
v = layer.W_v(x).view(BATCH, 6, 2, 32)
weights = torch.einsum("bfhd,bghd->bhfg", q, q).softmax(dim=-1)
expected = torch.einsum("bhfg,bghd->bfhd", weights, v).reshape(BATCH, 6, 64)
error = (out - expected).abs().max().item()
"""


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "warning"]


@pytest.mark.parametrize("batch", ["8", "64"])  # 64 == heads * d: sizes equal by chance
def test_heads_are_split_then_merged(batch):
    src = SRC.replace("BATCH", batch).lstrip()
    assert run(src)["error"] > 1e-3
    found = _warnings(src)
    assert sorted(d.primary.span.line for d in found) == [14, 15] and all("heads" in d.message for d in found)
    fixed = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert "view(batch_size, -1, self.num_heads, self.attention_dim).transpose(1, 2).reshape(" \
           "batch_size * self.num_heads, -1, self.attention_dim)" in fixed
    assert "permute(2, 1, 0)" not in fixed and not _warnings(fixed)
    for b in (batch, "5"):
        other = SRC.replace("BATCH", b).lstrip()
        done = run(fix_source("case.py", other, _warnings(other), ("safe", "unsafe")).source)
        assert done["error"] < 1e-5 and tuple(done["out"].shape) == (int(b), 6, 64)


def test_a_reorder_whose_sizes_share_one_object_is_still_reported():
    """``b, t, c, h, w = x.shape; x.view(b, c, t, h, w)`` with H and W from one constant (rw26a, a C3D clip
    classifier): h is computed from the axis it stays on, so the reading as a reorder stands."""
    src = """
import torch
import torch.nn as nn

CROP = 48
conv = nn.Conv3d(3, 8, 3, padding=1)
clips = torch.randn(4, 8, 3, CROP, CROP)
b, t, c, h, w = clips.shape
y = conv(clips.view(b, c, t, h, w))
"""
    (d,) = _warnings(src)
    assert d.code == "SHP211" and "permute(0, 2, 1, 3, 4)" in d.help
