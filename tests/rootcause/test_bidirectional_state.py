"""A bidirectional encoder's final state handed unjoined to a one-direction decoder: blamed where the encoder
returns it, and fixed by summing the two directions there. Torch is the oracle: the script raises at the decoder,
the fixed one runs with one row per sample."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.GRU(6, 16, batch_first=True, bidirectional=True)

        def forward(self, x):
            outputs, hidden = self.rnn(x)
            return outputs, hidden


    class Decoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.GRU(5, 16, batch_first=True)
            self.out = nn.Linear(16, 5)

        def forward(self, y, hidden):
            output, hidden = self.rnn(y, hidden)
            return self.out(output)


    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc, self.dec = Encoder(), Decoder()

        def forward(self, x, y):
            _, h = self.enc(x)
            return self.dec(y, h)


    logits = Seq2Seq()(torch.randn(4, 9, 6), torch.randn(4, 7, 5))
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_joined_where_the_encoder_returns_it():
    (d,) = _loud(SRC)
    assert d.code == "SHP111" and d.primary.span.line == 12  # return outputs, hidden
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "return outputs, hidden.sum(0, keepdim=True)" in fixed and not _loud(fixed)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    scope = run(SRC.replace("return outputs, hidden", "return outputs, hidden.sum(0, keepdim=True)"))
    assert tuple(scope["logits"].shape) == (4, 7, 5)
