"""One decoding step fed to an RNN without its time axis: (B, E) with a state (layers, B, H) made for a batch. torch
reads the 2-D input as one unbatched sequence and rejects the state; the step is blamed where it is made and given a
time axis of one (at 0, or at 1 for a batch-first RNN) -- the state is not cut to one sample. torch is the oracle:
the original raises, the fixed file runs at two batch sizes; a state of another batch is not explained this way."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Decoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(35, 16)
            self.rnn = nn.KIND(16, 32, 2FIRST)
            self.fc_out = nn.Linear(32, 35)

        def forward(self, token, state):
            embedded = self.embedding(token)
            output, state = self.rnn(embedded, state)
            return self.fc_out(output.squeeze(AXIS)), state


    B = 8
    h = torch.zeros(2, B, 32)
    STATE_LINE
    logits, state = Decoder()(torch.randint(0, 35, (B,)), state)
""").lstrip()


def _src(kind, batch_first):
    state = "state = (h, torch.zeros(2, B, 32))" if kind == "LSTM" else "state = h"
    return SRC.replace("KIND", kind).replace("FIRST", ", batch_first=True" if batch_first else "") \
        .replace("AXIS", "1" if batch_first else "0").replace("STATE_LINE", state)


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("kind, batch_first", [("LSTM", False), ("GRU", False), ("GRU", True)])
def test_the_step_gets_its_time_axis_where_it_is_made(kind, batch_first):
    src = _src(kind, batch_first)
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = _errors(src)
    assert d.cause == "missing-time-axis" and d.primary.span.line == 13
    edited = apply_edits(src, d.fix.edits)
    assert f"self.embedding(token).unsqueeze({1 if batch_first else 0})" in edited
    for b in ("8", "3"):
        again = edited.replace("B = 8", f"B = {b}")
        assert tuple(run(again)["logits"].shape) == (int(b), 35)
        assert not _errors(again)


def test_a_state_of_another_batch_is_not_a_missing_time_axis():
    src = _src("GRU", False).replace("h = torch.zeros(2, B, 32)", "h = torch.zeros(2, 5, 32)")
    with pytest.raises(RuntimeError):
        run(src)
    assert all(d.cause != "missing-time-axis" for d in _errors(src))
