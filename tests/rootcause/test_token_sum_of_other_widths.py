"""A fused qkv projection (N, T, 3 * D) added to an adapter's (N, T, D): which side is wrong is not in the shapes --
the view after it reads 3 * D, so shrinking the projection to D (what the sum alone suggests) only moves the crash.
The sum's output stays unknown (no guessed ResNet-style shortcut along the features), so that edit brings a new
error in the re-check and is never applied; sizing the adapter to the projection is. torch is the oracle: the original and the shrunk projection both raise,
the adapter sized 3 * D runs."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Attention(nn.Module):
        def __init__(self, dim, heads=4):
            super().__init__()
            self.heads = heads
            self.qkv = nn.Linear(dim, dim * 3)
            self.adapter = nn.Linear(dim, ADAPTER)

        def forward(self, x):
            b, t, d = x.shape
            qkv = self.qkv(x) + self.adapter(x)
            return qkv.view(b, t, 3, self.heads, d // self.heads)


    out = Attention(32)(torch.randn(4, 10, 32))
""").lstrip()


def test_no_fix_shrinks_the_projection_the_view_needs():
    src = SRC.replace("ADAPTER", "dim")
    with pytest.raises(RuntimeError):
        run(src)
    errors = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert len(errors) == 1 and errors[0].code == "SHP106"  # the view after the failed sum is not judged on a guess
    fix = errors[0].fix
    if fix and fix.edits:  # the only applicable edit sizes the adapter to the projection the view reads
        fixed = fix_source("case.py", src, errors, ("safe", "unsafe")).source
        assert "self.qkv = nn.Linear(dim, dim * 3)" in fixed and "self.adapter = nn.Linear(dim, dim * 3)" in fixed
        assert run(fixed)["out"].shape == (4, 10, 3, 4, 8)
    with pytest.raises(RuntimeError):  # what that edit would give: the projection shrunk, the view fails
        run(src.replace("nn.Linear(dim, dim * 3)", "nn.Linear(dim, dim * 1)"))
    assert run(SRC.replace("ADAPTER", "dim * 3"))["out"].shape == (4, 10, 3, 4, 8)
