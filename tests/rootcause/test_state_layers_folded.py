"""``h_n.view(-1, hidden)`` on a two-layer LSTM's state folds the layers into the batch: the model returns two rows
per sample and the loss sees twice the labels. The view is blamed and replaced by the last layer's state
(``h_n[-1]``), not the targets reshaped and not the layers cut to one. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self, hidden=6, layers=2):
            super().__init__()
            self.hidden = hidden
            self.lstm = nn.LSTM(3, hidden, num_layers=layers, batch_first=True)
            self.fc = nn.Linear(hidden, 1)

        def forward(self, x):
            _, (h, _) = self.lstm(x)
            h = h.view(-1, self.hidden)
            return self.fc(h)


    x, y = torch.randn(10, 7, 3), torch.randn(10, 1)
    pred = Net()(x)
    loss = nn.MSELoss()(pred, y)
""").lstrip()


def test_the_view_of_the_state_is_blamed_and_takes_the_last_layer():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 14
    assert [e.text for e in d.fix.edits] == ["h[-1]"]


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises((RuntimeError, ValueError)):
        run(SRC)
    scope = run(SRC.replace("h.view(-1, self.hidden)", "h[-1]"))
    assert tuple(scope["pred"].shape) == (10, 1)
