"""Token ids made as (samples, MAX_LEN) -- axis 1 sized by a length's name -- fed in row slices to an LSTM left at
batch_first=False: the LSTM takes the batch for the time axis and PyTorch runs it. Flagged, with batch_first=True
as the fix; data made time-major (MAX_LEN first) or transposed before the RNN is left alone. Torch is the oracle:
the same output shape hides a different computation."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    MAX_LEN, BATCH = 12, 4
    tokens = torch.randint(1, 50, (32, MAX_LEN))


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(50, 8)
            self.rnn = nn.LSTM(8, 16)
            self.fc = nn.Linear(16, 1)

        def forward(self, x):
            out, _ = self.rnn(self.emb(x))
            return self.fc(out[:, -1, :])


    net = Net()
    for i in range(0, 32, BATCH):
        pred = net(tokens[i:i + BATCH])
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_batch_first_data_into_a_time_major_rnn_is_flagged():
    (d,) = _loud(SRC)
    assert d.code == "SHP205" and d.primary.span.line == 12
    assert [e.text for e in d.fix.edits] == [", batch_first=True"]


def test_time_major_data_is_left_alone():
    assert not _loud(SRC.replace("(32, MAX_LEN)", "(MAX_LEN, 32)").replace("tokens[i:i + BATCH]", "tokens[:, i:i + BATCH]")
                     .replace("out[:, -1, :]", "out[-1]"))


def test_what_torch_does():
    pytest.importorskip("torch")
    scope = run(SRC)
    assert tuple(scope["pred"].shape) == (4, 1)  # runs: one prediction per sample by shape, from the wrong axis
    fixed = run(SRC.replace("nn.LSTM(8, 16)", "nn.LSTM(8, 16, batch_first=True)"))
    assert tuple(fixed["pred"].shape) == (4, 1)
