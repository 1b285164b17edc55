"""Tensors joined per step where one got an axis too many upstream: ``self.emb(items.unsqueeze(-1))`` on (B, T) ids is
(B, T, 1, D), and ``torch.cat([e, cont], dim=-1)`` with (B, T, C) fails on the ranks. The insertion is the mistake:
reported there and taken out (the fix contract re-checks the model). An insertion the join needs is left alone.
torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Session(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(50, 8)
            self.gru = nn.GRU(8 + 2, 16, batch_first=True)

        def forward(self, items, cont):
            e = self.emb(items.unsqueeze(-1))
            x = torch.cat([e, cont], dim=-1)
            out, _ = self.gru(x)
            return out


    model = Session()
    out = model(torch.randint(0, 50, (4, 7)), torch.randn(4, 7, 2))
""").lstrip()

FIXED = SRC.replace("self.emb(items.unsqueeze(-1))", "self.emb(items)")

NEEDED = textwrap.dedent("""
    import torch

    prices = torch.randn(4, 7)
    feats = torch.randn(4, 7, 3)
    x = torch.cat([feats, prices.unsqueeze(-1)], dim=-1)
    y = torch.cat([feats, prices.unsqueeze(-1).unsqueeze(-1)], dim=-1)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_insertion_is_reported_and_taken_out():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 12 and d.cause == "inserted-axis"
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == FIXED
    assert not _errors(FIXED)


def test_an_insertion_the_join_needs_stays():
    (d,) = _errors(NEEDED)  # the second join has one axis too many: the later insertion is the spare one
    fixed = fix_source("case.py", NEEDED, [d], ("safe", "unsafe")).source.splitlines()
    assert fixed[4] == "x = torch.cat([feats, prices.unsqueeze(-1)], dim=-1)"
    assert fixed[5] == "y = torch.cat([feats, prices.unsqueeze(-1)], dim=-1)"


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(FIXED)["out"].shape) == (4, 7, 16)
