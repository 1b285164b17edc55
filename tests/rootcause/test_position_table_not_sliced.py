"""A learned position table of ``max_len = 256`` rows added whole to a 180-step sequence: (B, 180, D) + (1, 256, D)
cannot broadcast. The table is for the longest sequence the model takes; the tokens read the first positions,
``self.pe[:, : x.size(1)]``. Writing 180 as ``max_len`` would tie the model to one length. A table shorter than the
sequence is another mistake (its size), not a slice. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class LearnedPositions(nn.Module):
        def __init__(self, max_len, d_model):
            super().__init__()
            self.pe = nn.Parameter(torch.zeros(1, max_len, d_model))

        def forward(self, x):
            x = x + self.pe
            return x


    class Classifier(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.embed = nn.Linear(3, 16)
            self.pos = LearnedPositions(cfg["max_len"], 16)
            self.head = nn.Linear(16, 4)

        def forward(self, x):
            return self.head(self.pos(self.embed(x)).mean(1))


    cfg = {"max_len": 256}
    out = Classifier(cfg)(torch.randn(5, 180, 3))
""").lstrip()


def test_the_tokens_read_the_first_positions():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.line == SRC.splitlines().index("        x = x + self.pe") + 1
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "x = x + self.pe[:, : x.size(1)]" in fixed and 'cfg = {"max_len": 256}' in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (5, 4)
    assert tuple(run(fixed.replace("randn(5, 180, 3)", "randn(2, 37, 3)"))["out"].shape) == (2, 4)
    with pytest.raises(RuntimeError):
        run(SRC)


def test_a_table_shorter_than_the_sequence_is_not_sliced():
    src = SRC.replace('cfg = {"max_len": 256}', 'cfg = {"max_len": 100}')
    errors = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert errors and all("x.size(1)]" not in (d.help or "") for d in errors)
