"""A per-sample (N, L, S) mask given to ``F.scaled_dot_product_attention`` on (N, H, L, S) scores lacks the heads
axis. With L == S the mask is square, and "transpose it" -- which changes nothing -- must not be the advice: the
heads axis is what is missing. PyTorch is the oracle."""
import textwrap

import pytest

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn.functional as F

    q = torch.randn(8, 6, 64, 32)
    mask = torch.ones(8, 64, 64, dtype=torch.bool)
    out = F.scaled_dot_product_attention(q, q, q, attn_mask=mask)
""").lstrip()


def test_the_heads_axis_is_the_advice_not_a_transpose():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.code == "SHP125" and "unsqueeze(1)" in d.help and "transpose" not in d.help


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(SRC.replace("attn_mask=mask)", "attn_mask=mask.unsqueeze(1))"))["out"].shape) == (8, 6, 64, 32)


HELPER = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    def build_mask(lengths, n):
        keep = torch.arange(n)[None, :] < lengths[:, None]
        return keep[:, None, :].expand(-1, n, -1)


    class Attn(nn.Module):
        def forward(self, q, mask):
            return F.scaled_dot_product_attention(q, q, q, attn_mask=mask)


    q = torch.randn(4, 2, 10, 8)
    mask = build_mask(torch.tensor([10, 7, 5, 3]), 10)
    out = Attn()(q, mask)
""").lstrip()


def test_the_heads_axis_goes_in_where_the_mask_is_made():
    from shapelint.fixing import fix_source
    r = check_source("case.py", HELPER)
    (d,) = [d for d in r.diagnostics if d.severity == "error"]
    assert d.primary.span.line == 17  # where the mask the model is given is made
    fixed = fix_source("case.py", HELPER, r.diagnostics, ("safe", "unsafe")).source
    assert "mask = build_mask(torch.tensor([10, 7, 5, 3]), 10).unsqueeze(1)" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]
    pytest.importorskip("torch")
    from oracle import run
    assert tuple(run(fixed)["out"].shape) == (4, 2, 10, 8)
