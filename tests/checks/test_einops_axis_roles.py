"""Axis roles through einops: ``rearrange(x, "b n d -> b d n")`` puts the features before the tokens, so a
``.mean(-1)`` after it pools over the tokens -- correct, and not "the features averaged away". A pattern that only
reorders named axes moves their roles; any other einops pattern forgets them (unknown never reports). torch and
einops are the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from einops import rearrange


    class Pool(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.TransformerEncoderLayer(32, 4, 64, batch_first=True)
            self.head = nn.Linear(32, 3)

        def forward(self, x):
            h = self.enc(x)
            return self.head(rearrange(h, "b n d -> b d n").mean(-1))


    out = Pool()(torch.randn(2, 10, 32))
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_reordering_pattern_moves_the_roles():
    pytest.importorskip("einops")
    assert tuple(run(SRC)["out"].shape) == (2, 3)  # mean over the 10 tokens, 32 features into the head
    assert not _warnings(SRC)


def test_a_grouping_pattern_forgets_the_roles():
    """(b, n, d) -> (b, d, n) by way of a group: the roles are not followed, so nothing is said either way."""
    src = SRC.replace('rearrange(h, "b n d -> b d n")', 'rearrange(h, "b n (g e) -> b (g e) n", g=4)')
    pytest.importorskip("einops")
    assert tuple(run(src)["out"].shape) == (2, 3)
    assert not _warnings(src)
