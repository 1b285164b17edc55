"""Seq2seq code written time-major (``nn.GRU`` without ``batch_first``): attention scores are (S, B) and
``F.softmax(scores, dim=0)`` normalises over the source steps -- right. Axis 0 is the batch only where the layers
say so: no "softmax over the batch" warning (its fix would have moved the softmax onto the batch). The decoder's
``embedded.unsqueeze(0)`` makes (1, B, H) for the time-major GRU: the batch is where the GRU reads it, and a GRU
sized for H that receives [embedded; context] = 2H is a size written wrong, not a batch folded away. PyTorch is the
oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Decoder(nn.Module):
        def __init__(self, hidden, vocab):
            super().__init__()
            self.embed = nn.Embedding(vocab, hidden)
            self.W = nn.Linear(hidden, hidden, bias=False)
            self.gru = nn.GRU(hidden, hidden)
            self.out = nn.Linear(hidden, vocab)

        def forward(self, token, hidden, encoder_out):
            scores = (self.W(encoder_out) * hidden[-1:]).sum(-1)
            weights = F.softmax(scores, dim=0)
            context = (weights.unsqueeze(-1) * encoder_out).sum(0, keepdim=True)
            embedded = self.embed(token).unsqueeze(0)
            output, hidden = self.gru(torch.cat([embedded, context], dim=2), hidden)
            return self.out(output.squeeze(0)), hidden


    dec = Decoder(32, 50)
    enc_out = torch.randn(9, 4, 32)
    logits, h = dec(torch.randint(0, 50, (4,)), torch.zeros(1, 4, 32), enc_out)
""").lstrip()


def _diagnostics(src):
    return check_source("case.py", src).diagnostics


def test_no_softmax_over_batch_warning_on_time_major_scores():
    assert all(d.code != "SHP203" for d in _diagnostics(SRC))


def test_the_gru_size_is_fixed_not_the_unsqueeze():
    (d,) = [d for d in _diagnostics(SRC) if d.severity == "error"]
    assert d.cause != "batch-merged"
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "nn.GRU(hidden * 2, hidden)" in fixed and "self.embed(token).unsqueeze(0)" in fixed


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size"):
        run(SRC)
    out = run(SRC.replace("nn.GRU(hidden, hidden)", "nn.GRU(hidden * 2, hidden)"))
    assert tuple(out["logits"].shape) == (4, 50)
