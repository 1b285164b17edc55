"""One call of a block leaves out a size its sibling call passes (``Down(64, 64)`` beside
``Down(32, 64, emb_dim=time_dim)``), so the block's default is used: the call that leaves it out is blamed and
given the sibling's spelling, not the default changed nor the layer resized. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, ch, emb_dim=64):
            super().__init__()
            self.conv = nn.Conv2d(ch, ch, 3, padding=1)
            self.emb = nn.Linear(emb_dim, ch)

        def forward(self, x, t):
            return self.conv(x) + self.emb(t)[:, :, None, None]


    class Net(nn.Module):
        def __init__(self, time_dim=32):
            super().__init__()
            self.time = nn.Embedding(100, time_dim)
            self.b1 = Block(8, emb_dim=time_dim)
            self.b2 = Block(8)

        def forward(self, x, t):
            e = self.time(t)
            return self.b2(self.b1(x, e), e)


    out = Net()(torch.randn(2, 8, 16, 16), torch.randint(0, 100, (2,)))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_call_that_leaves_the_size_out_is_blamed():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 20
    assert [e.text for e in d.fix.edits] == [", emb_dim=time_dim"]


def test_without_a_sibling_the_default_is_still_the_suspect():
    (d,) = _errors(SRC.replace("Block(8, emb_dim=time_dim)", "Block(8, 32)"))
    assert d.primary.span.line != 20 or "sibling" not in d.primary.text


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    scope = run(SRC.replace("Block(8)", "Block(8, emb_dim=time_dim)"))
    assert tuple(scope["out"].shape) == (2, 8, 16, 16)
