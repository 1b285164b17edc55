"""An LSTM left at batch_first=False fed (batch, steps, features) batches with a hand-made initial state sized by
``x.size(0)``: torch raises on the state (it reads the 16 samples as 16 steps and the 50 steps as the batch). Writing
50 as the batch size makes it run and trains on steps taken for samples; the fix contract refuses any edit of the
batch size the data is made with, and the diagnosis is the missing ``batch_first=True`` -- added after the
constructor's trailing comma without a second comma. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    BATCH_SIZE = 16


    class ActivityLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(
                input_size=6,
                hidden_size=64,
                num_layers=2,
            )
            self.head = nn.Linear(64, 5)

        def forward(self, x):
            state = (torch.zeros(2, x.size(0), 64), torch.zeros(2, x.size(0), 64))
            out, (h_n, c_n) = self.lstm(x, state)
            return self.head(h_n[-1])


    loader = DataLoader(TensorDataset(torch.randn(160, 50, 6), torch.randint(0, 5, (160,))), batch_size=BATCH_SIZE)
    model = ActivityLSTM()
    for x, y in loader:
        loss = nn.CrossEntropyLoss()(model(x), y)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_layout_flag_is_blamed_and_added_never_the_batch_size():
    found = _errors(SRC)
    assert found and all(d.primary.span.line == 11 for d in found)
    fixed = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "            num_layers=2,\n            batch_first=True,\n        )" in fixed  # a line like the others
    assert "BATCH_SIZE = 16" in fixed and _errors(fixed) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="hidden"):
        run(SRC)
    run(SRC.replace("num_layers=2,\n", "num_layers=2,\n        batch_first=True,\n"))
