"""A view whose result has the input's sizes in another order -- batch-first RNN outputs (B, T, 1) viewed as
(T, B, 1) to take the last step: the values are re-read in memory order, not moved, so rows mix samples. The help
names the move (``transpose(0, 1)``, or a ``permute``), not the flatten template. torch is the oracle: the view and
the move give different values, and the move keeps each sample's own steps."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

torch = pytest.importorskip("torch")

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Tail(nn.Module):
        def forward(self, x):
            b = x.size(0)
            return x.view(-1, b, 1)[-1]


    x = torch.arange(16 * 40, dtype=torch.float32).view(16, 40, 1)
    last = Tail()(x)
""").lstrip()


def test_the_help_moves_the_axes():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.code == "SHP209"]
    assert "transpose(0, 1)" in d.help and "give the next layer" not in d.help
    viewed = run(SRC)["last"]
    moved = run(SRC.replace("x.view(-1, b, 1)", "x.transpose(0, 1)"))["last"]
    assert torch.equal(moved.squeeze(-1), torch.arange(16) * 40 + 39)  # each sample's own last step
    assert not torch.equal(viewed, moved)


def test_a_three_way_reorder_is_a_permute():
    src = SRC.replace("x.view(-1, b, 1)[-1]", "x.view(-1, 5, b)").replace("view(16, 40, 1)", "view(16, 8, 5)")
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP209"]
    assert "permute(1, 2, 0)" in d.help
