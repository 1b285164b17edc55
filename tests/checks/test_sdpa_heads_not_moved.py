"""SHP216 (heads): nanoGPT-style attention whose q, k, v are split into heads, ``view(B, T, nh, hs)``, and given to
``F.scaled_dot_product_attention`` without ``.transpose(1, 2)``: SDPA attends over axis -2, the heads, so no token
sees another. The fix moves the heads before the sequence and back before merging them; the fixed block is quiet
and matches the reference computation. PyTorch is the oracle."""
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    n_embd, n_head = 32, 4


    class SelfAttention(nn.Module):
        def __init__(self):
            super().__init__()
            self.c_attn = nn.Linear(n_embd, 3 * n_embd)

        def forward(self, x):
            B, T, C = x.size()
            q, k, v = self.c_attn(x).split(n_embd, dim=2)
            q = q.view(B, T, n_head, C // n_head)
            k = k.view(B, T, n_head, C // n_head)
            v = v.view(B, T, n_head, C // n_head)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            return y.contiguous().view(B, T, C)


    attn = SelfAttention()
    x = torch.randn(2, 10, n_embd)
    out = attn(x)
""").lstrip()


def _loud(src):
    r = check_source("case.py", src)
    return r, [d for d in r.diagnostics if d.severity in ("error", "warning")]


def test_heads_left_on_the_sequence_axis_are_reported_and_moved():
    r, loud = _loud(SRC)
    assert [(d.code, d.primary.span.line) for d in loud] == [("SHP216", 16)]
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert fixed.count(".transpose(1, 2)") == 4 and "return y.transpose(1, 2).contiguous().view(B, T, C)" in fixed
    assert not _loud(fixed)[1]
    torch = pytest.importorskip("torch")
    from oracle import run
    scope = run(fixed)
    q, k, v = scope["attn"].c_attn(scope["x"]).split(32, dim=2)
    heads = [t.view(2, 10, 4, 8).transpose(1, 2) for t in (q, k, v)]
    want = torch.nn.functional.scaled_dot_product_attention(*heads, is_causal=True).transpose(1, 2).reshape(2, 10, 32)
    assert torch.allclose(scope["attn"](scope["x"]), want, atol=1e-6)
