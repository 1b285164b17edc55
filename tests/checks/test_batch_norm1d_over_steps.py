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


RAW = textwrap.dedent("""
    import torch
    import torch.nn as nn

    N_STEPS, N_INPUT = 32, 36


    class PoseLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.bn = nn.BatchNorm1d(N_STEPS)
            self.lstm = nn.LSTM(N_INPUT, 64, batch_first=True)
            self.fc = nn.Linear(64, 6)

        def forward(self, x):
            x = self.bn(x)
            out, _ = self.lstm(x)
            return self.fc(out[:, -1, :])


    x = torch.randn(64, N_STEPS, N_INPUT) * torch.linspace(1.0, 300.0, N_INPUT)
    model = PoseLSTM()
    out = model(x)
    normed = model.bn(x)
""").lstrip()


def test_the_next_reader_names_the_axes_the_norm_reads_as_channels():
    """Raw (batch, steps, features) data: the norm is the first layer, so it would name axis 1 "channels" itself;
    the ``LSTM(batch_first=True)`` after it says axis 1 is time (rw17a s04, a pose-sequence report)."""
    (d,) = _loud(RAW)  # one mistake, one diagnostic: the names check (SHP215) stands down for the norm's
    assert d.code == "SHP203" and d.primary.span.line == 10
    assert any(s.span.line == 11 for s in d.secondary)
    from shapelint.diagnostics.fixes.text import apply_edits
    fixed = apply_edits(RAW, d.fix.edits)
    assert "nn.BatchNorm1d(N_INPUT)" in fixed and "self.bn(x.transpose(1, 2)).transpose(1, 2)" in fixed
    assert _loud(fixed) == []


def test_raw_data_into_a_conv_after_the_norm_is_quiet():
    """A norm before a Conv1d: the conv reads (batch, channels, length) too, so axis 1 is channels -- quiet."""
    src = RAW.replace("torch.randn(64, N_STEPS, N_INPUT) * torch.linspace(1.0, 300.0, N_INPUT)",
                      "torch.randn(64, 32, 36)").replace(  # no names: only the layers speak
        "nn.LSTM(N_INPUT, 64, batch_first=True)", "nn.Conv1d(N_STEPS, 64, 3)").replace(
        "out, _ = self.lstm(x)\n        return self.fc(out[:, -1, :])", "return self.fc(self.lstm(x)[:, :, -1])")
    assert _loud(src) == []


def test_what_torch_does_with_raw_steps():
    pytest.importorskip("torch")
    from oracle import run
    scope = run(RAW)
    per_feature_std = scope["normed"].std(dim=(0, 1))
    assert float(per_feature_std[0].detach()) < 0.2  # the features are not normalised: each step was
    fixed = RAW.replace("nn.BatchNorm1d(N_STEPS)", "nn.BatchNorm1d(N_INPUT)").replace(
        "normed = model.bn(x)", "normed = model.bn(x.transpose(1, 2)).transpose(1, 2)").replace(
        "x = self.bn(x)", "x = self.bn(x.transpose(1, 2)).transpose(1, 2)")
    assert abs(float(run(fixed)["normed"].std(dim=(0, 1))[0].detach()) - 1.0) < 0.1


def test_a_norm_after_a_conv_keeps_the_conv_reading():
    """Code review: Conv1d -> BatchNorm1d(64) -> LSTM without a permute. The norm over the conv's channels is right;
    the LSTM's misreading is the mistake, not the norm (its rewrite made a per-position norm)."""
    from pathlib import Path
    src = (Path(__file__).resolve().parents[1] / "fixtures" / "review18" / "d_cnnlstm.py").read_text()
    assert not [d for d in _loud(src) if d.code == "SHP203"]
