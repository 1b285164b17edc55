"""A bidirectional LSTM given an initial state shaped (num_layers, batch, hidden): torch wants num_layers * 2 on the
first axis. The root is where the state's shape is written; turning the layer unidirectional would run and change
the model. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Tagger(nn.Module):
        def __init__(self, num_layers=2, hidden=64, bidirectional=True):
            super().__init__()
            self.num_layers, self.hidden = num_layers, hidden
            self.num_directions = 2 if bidirectional else 1
            self.embedding = nn.Embedding(100, 32)
            self.lstm = nn.LSTM(32, hidden, num_layers=num_layers, bidirectional=bidirectional, batch_first=True)
            self.out = nn.Linear(hidden * self.num_directions, 5)

        def init_hidden(self, batch):
            shape = (self.num_layers, batch, self.hidden)
            return torch.zeros(shape), torch.zeros(shape)

        def forward(self, tokens):
            out, _ = self.lstm(self.embedding(tokens), self.init_hidden(tokens.size(0)))
            return self.out(out)


    scores = Tagger()(torch.randint(0, 100, (8, 12)))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_state_shape_is_blamed_and_counts_the_directions():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 15
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "shape = (self.num_layers * self.num_directions, batch, self.hidden)" in fixed and _errors(fixed) == []
    assert "bidirectional=True" in fixed


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="hidden"):
        run(SRC)
    out = run(SRC.replace("(self.num_layers, batch", "(self.num_layers * self.num_directions, batch"))["scores"]
    assert tuple(out.shape) == (8, 12, 5)


LSTM_PAIR = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.num_layers, self.hidden = 2, 16
            self.num_directions = 2
            self.emb = nn.Embedding(100, 8)
            self.lstm = nn.LSTM(8, 16, num_layers=2, bidirectional=True, batch_first=True)
            self.fc = nn.Linear(32, 3)

        def init_hidden(self, batch):
            h0 = torch.zeros(self.num_layers, batch, self.hidden)
            c0 = torch.zeros(self.num_layers, batch, self.hidden)
            return h0, c0

        def forward(self, x):
            _, (h_n, _) = self.lstm(self.emb(x), self.init_hidden(x.size(0)))
            return self.fc(torch.cat([h_n[-2], h_n[-1]], dim=1))


    logits = Classifier()(torch.randint(0, 100, (4, 9)))
""").lstrip()


def test_an_lstm_pair_of_states_gets_the_directions_in_both():
    """Expert case: h0 and c0 made side by side -- one site each; both count the directions."""
    (d,) = _errors(LSTM_PAIR)
    assert d.primary.span.line == 15
    fixed = fix_source("case.py", LSTM_PAIR, [d], ("safe", "unsafe")).source
    assert fixed.count("torch.zeros(self.num_layers * self.num_directions, batch, self.hidden)") == 2
    assert _errors(fixed) == []


def test_what_torch_does_with_the_pair():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(LSTM_PAIR)
    fixed = LSTM_PAIR.replace("(self.num_layers, batch", "(self.num_layers * self.num_directions, batch")
    assert tuple(run(fixed)["logits"].shape) == (4, 3)


def test_a_layer_count_named_otherwise_is_found_too():
    """``self.n_layers`` (or ``self.layers``) names the layer count as well as ``num_layers`` does."""
    src = LSTM_PAIR.replace("self.num_layers", "self.n_layers")
    (d,) = _errors(src)
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed.count("torch.zeros(self.n_layers * self.num_directions, batch, self.hidden)") == 2
    assert _errors(fixed) == [] and tuple(run(fixed)["logits"].shape)[0] == 4
