"""An RNN's final state indexed on axis 1 (``hidden[:, -1, :]``) as if it were batch-first: it picks one sample, the
model returns one row per layer, and the loss raises on the row count. Torch is the oracle: the script raises, and
with ``hidden[-2]`` / ``hidden[-1]`` it runs with one row per sample."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.LSTM(8, 16, num_layers=2, bidirectional=True, batch_first=True)
            self.fc = nn.Linear(32, 3)

        def forward(self, x):
            out, (hidden, cell) = self.rnn(x)
            return self.fc(torch.cat((hidden[:, -2, :], hidden[:, -1, :]), dim=1))


    logits = Net()(torch.randn(6, 10, 8))
    loss = nn.CrossEntropyLoss()(logits, torch.randint(0, 3, (6,)))
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_both_indexes_move_to_the_layers_axis():
    (d,) = _loud(SRC)
    assert d.primary.span.line == 13
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "torch.cat((hidden[-2], hidden[-1]), dim=1)" in fixed and not _loud(fixed)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(ValueError):
        run(SRC)
    scope = {"__name__": "__main__"}
    exec(compile(SRC.replace("hidden[:, -2, :], hidden[:, -1, :]", "hidden[-2], hidden[-1]"), "case.py", "exec"),
         scope)
    assert tuple(scope["logits"].shape) == (6, 3)
