"""SHP203 (norm-steps): ``BatchNorm1d(seq_len)`` on an embedded sequence (B, L, E) normalises each token position,
not each feature; PyTorch runs it. Reported only where the roles say axis 1 is the tokens and the last axis the
features; the transposed norm over the features is quiet."""
import textwrap

import pytest

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(100, 32)
            self.bn = nn.BatchNorm1d(20)
            self.fc = nn.Linear(32, 2)

        def forward(self, x):
            return self.fc(self.bn(self.emb(x)))


    m = M()
    out = m(torch.randint(0, 100, (8, 20)))
""").lstrip()

GOOD = SRC.replace("nn.BatchNorm1d(20)", "nn.BatchNorm1d(32)").replace(
    "self.fc(self.bn(self.emb(x)))", "self.fc(self.bn(self.emb(x).transpose(1, 2)).transpose(1, 2))")


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_norm_over_token_positions_is_reported():
    (d,) = _loud(SRC)
    assert d.code == "SHP203" and d.primary.span.line == 9


def test_the_norm_over_the_features_is_quiet():
    assert _loud(GOOD) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    assert tuple(run(SRC)["out"].shape) == (8, 20, 2) and tuple(run(GOOD)["out"].shape) == (8, 20, 2)
