"""A block built with ``AttnPool(hidden)`` after a bidirectional GRU, in a constructor that already computes
``out_dim = hidden * (2 if bidirectional else 1)`` for the classifier: the call is fixed with ``out_dim`` -- right
for both settings of the flag -- not ``hidden * 2``, which breaks the unidirectional default. Torch is the
oracle, at both settings."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Pool(nn.Module):
        def __init__(self, dim=64):
            super().__init__()
            self.score = nn.Linear(dim, 1)

        def forward(self, h):
            return (h * torch.softmax(self.score(h), dim=1)).sum(dim=1)


    class Net(nn.Module):
        def __init__(self, hidden=10, bidirectional=True):
            super().__init__()
            self.gru = nn.GRU(4, hidden, batch_first=True, bidirectional=bidirectional)
            out_dim = hidden * (2 if bidirectional else 1)
            self.pool = Pool(hidden)
            self.fc = nn.Linear(out_dim, 3)

        def forward(self, x):
            h, _ = self.gru(x)
            return self.fc(self.pool(h))


    out = Net()(torch.randn(5, 7, 4))
""").lstrip()


def test_the_call_is_fixed_with_the_name_the_constructor_computes():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 19
    assert [e.text for e in d.fix.edits] == ["out_dim"]


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    fixed = SRC.replace("Pool(hidden)", "Pool(out_dim)")
    assert tuple(run(fixed)["out"].shape) == (5, 3)
    assert tuple(run(fixed.replace("bidirectional=True", "bidirectional=False"))["out"].shape) == (5, 3)
