"""A many-to-one head fed a bidirectional LSTM's whole output sequence: the fix gives it where each direction ends
-- the forward half of the last step and the backward half of the first, what Keras's Bidirectional returns and what
``torch.cat((h_n[-2], h_n[-1]), 1)`` holds -- never ``out[:, -1]`` alone, whose backward half has read one token.
torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

torch = pytest.importorskip("torch")

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Tagger(nn.Module):
        def __init__(self, vocab=50, emb=12, hidden=6, classes=3):
            super().__init__()
            self.emb = nn.Embedding(vocab, emb)
            self.rnn = nn.LSTM(emb, hidden, num_layers=2, batch_first=True, bidirectional=BIDIRECTIONAL)
            self.head = nn.Linear(hidden * DIRECTIONS, classes)

        def forward(self, tokens):
            out, _ = self.rnn(self.emb(tokens))
            return self.head(out)


    torch.manual_seed(0)
    model = Tagger()
    tokens = torch.randint(0, 50, (5, 9))
    loss = nn.functional.cross_entropy(model(tokens), torch.randint(0, 3, (5,)))
""").lstrip()


def _fixed(src):
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    return fix_source("case.py", src, [d], ("safe", "unsafe")).source


def test_a_bidirectional_head_reads_where_each_direction_ends():
    src = SCRIPT.replace("BIDIRECTIONAL", "True").replace("DIRECTIONS", "2")
    with pytest.raises((RuntimeError, ValueError)):
        run(src)
    fixed = _fixed(src)
    step = "torch.cat((out[:, -1, :self.rnn.hidden_size], out[:, 0, self.rnn.hidden_size:]), dim=1)"
    assert f"return self.head({step})" in fixed
    scope = run(fixed)
    model, tokens = scope["model"], scope["tokens"]
    out, (h_n, _) = model.rnn(model.emb(tokens))
    taken = torch.cat((out[:, -1, :6], out[:, 0, 6:]), dim=1)
    assert torch.allclose(taken, torch.cat((h_n[-2], h_n[-1]), dim=1))  # what Keras's Bidirectional returns


def test_a_one_direction_head_reads_the_last_step():
    src = SCRIPT.replace("BIDIRECTIONAL", "False").replace("DIRECTIONS", "1")
    assert "return self.head(out[:, -1])" in _fixed(src)
