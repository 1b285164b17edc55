"""``hidden * 2 if bidirectional else 1`` is ``(hidden * 2) if bidirectional else 1``: the decoder of a
unidirectional encoder is built with hidden size 1. The conditional is the mistake; the fix parenthesises the
factor. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    HIDDEN, BIDIRECTIONAL = 32, False


    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.GRU(8, HIDDEN, batch_first=True, bidirectional=BIDIRECTIONAL)
            dec_hidden = HIDDEN * 2 if BIDIRECTIONAL else 1
            self.dec = nn.GRU(8, dec_hidden, batch_first=True)

        def forward(self, src, tgt):
            _, h = self.enc(src)
            out, _ = self.dec(tgt, h)
            return out


    out = Seq2Seq()(torch.randn(4, 10, 8), torch.randn(4, 6, 8))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_conditional_is_blamed_and_parenthesised():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 11
    fixed = apply_edits(SRC, d.fix.edits)
    assert "HIDDEN * (2 if BIDIRECTIONAL else 1)" in fixed and _errors(fixed) == []


def test_a_parenthesised_factor_is_not_reported():
    assert _errors(SRC.replace("HIDDEN * 2 if BIDIRECTIONAL else 1", "HIDDEN * (2 if BIDIRECTIONAL else 1)")) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    fixed = run(SRC.replace("HIDDEN * 2 if BIDIRECTIONAL else 1", "HIDDEN * (2 if BIDIRECTIONAL else 1)"))
    assert tuple(fixed["out"].shape) == (4, 6, 32)
