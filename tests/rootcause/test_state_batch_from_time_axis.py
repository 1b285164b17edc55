"""A batch-first LSTM whose initial state is sized by ``x.size(1)`` -- the time steps -- instead of the batch (rw20a,
unseen: ``init_hidden(x.size(1))``). The state's batch size is the input's time-axis size itself: the index of that
read is blamed and made the batch axis. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class CharLSTM(nn.Module):
        def __init__(self, vocab, emb, hidden, batch_first=True):
            super().__init__()
            self.hidden = hidden
            self.embedding = nn.Embedding(vocab, emb)
            self.lstm = nn.LSTM(emb, hidden, batch_first=batch_first)
            self.fc = nn.Linear(hidden, vocab)

        def init_hidden(self, batch_size):
            return (torch.zeros(1, batch_size, self.hidden), torch.zeros(1, batch_size, self.hidden))

        def forward(self, x):
            x = self.embedding(x)
            state = self.init_hidden(x.size(1))
            out, _ = self.lstm(x, state)
            return self.fc(out)


    model = CharLSTM(30, 16, 32)
    logits = model(torch.randint(0, 30, (8, 50)))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_read_of_the_time_axis_is_blamed_and_made_the_batch_axis():
    (d,) = _errors(SRC)
    assert d.cause == "batch-axis-read" and d.primary.span.line == 18
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "self.init_hidden(x.size(0))" in fixed and not _errors(fixed)
    assert tuple(run(fixed)["logits"].shape) == (8, 50, 30)


def test_time_first_reads_axis_1():
    src = SRC.replace("batch_first=True", "batch_first=False").replace("x.size(1)", "x.size(0)") \
        .replace("(8, 50)", "(50, 8)")
    (d,) = _errors(src)
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "self.init_hidden(x.size(1))" in fixed and tuple(run(fixed)["logits"].shape) == (50, 8, 30)


def test_a_state_of_the_right_size_is_not_blamed():
    src = SRC.replace("x.size(1)", "x.size(0)")
    assert not _errors(src)
    run(src)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
