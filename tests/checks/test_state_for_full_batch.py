"""``h = net.init_hidden(BATCH_SIZE)`` before the batch loop of a DataLoader whose last batch is smaller (300
reviews in batches of 64 leave 44): torch raises on that batch ("Expected hidden[0] size (2, 44, 32)"). The error is
reported where the state is made, with the state made per batch as the remedy; made per batch, or with
``drop_last=True``, nothing is reported. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    BATCH_SIZE = 64

    class SentimentRNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.n_layers, self.hidden_dim = 2, 32
            self.embedding = nn.Embedding(100, 16)
            self.lstm = nn.LSTM(16, 32, 2, batch_first=True)
            self.fc = nn.Linear(32, 5)

        def forward(self, x, hidden):
            out, hidden = self.lstm(self.embedding(x), hidden)
            return self.fc(out[:, -1, :]), hidden

        def init_hidden(self, batch_size):
            weight = next(self.parameters()).data
            return (weight.new_zeros(self.n_layers, batch_size, self.hidden_dim),
                    weight.new_zeros(self.n_layers, batch_size, self.hidden_dim))

    features = torch.randint(0, 100, (300, 12))
    labels = torch.randint(0, 5, (300,))
    loader = DataLoader(TensorDataset(features, labels), batch_size=BATCH_SIZE)
    net = SentimentRNN()
    h = net.init_hidden(BATCH_SIZE)
    for inputs, targets in loader:
        h = tuple(each.data for each in h)
        output, h = net(inputs, h)
""").lstrip()

PER_BATCH = SRC.replace("h = net.init_hidden(BATCH_SIZE)\n", "").replace(
    "    h = tuple(each.data for each in h)\n", "    h = net.init_hidden(inputs.size(0))\n")


def test_the_state_made_for_the_full_batch_is_reported_where_it_is_made():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.code == "SHP111" and d.primary.span.line == 28
    assert "net.init_hidden(inputs.size(0))" in d.help


@pytest.mark.parametrize("src", [PER_BATCH, SRC.replace("batch_size=BATCH_SIZE)", "batch_size=BATCH_SIZE, drop_last=True)")])
def test_a_state_made_per_batch_or_a_dropped_last_batch_is_fine(src):
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(PER_BATCH)["output"].shape) == (300 % 64, 5)
