"""Data fed straight to a PyTorch model (``model(x)``) whose names say its axes are in another order than the first
layer reads: (batch, seq_len, n_vars) into an ``nn.Conv1d`` sized ``in_channels=seq_len`` to make it fit, and
(batch, regions, features) into ``nn.BatchNorm1d(NUM_REGIONS)``. Both run (silent); PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

CONV = textwrap.dedent("""
    import torch
    import torch.nn as nn

    cfg = {"seq_len": 48, "enc_in": 48, "d_model": 16, "n_vars": 5}


    class Forecaster(nn.Module):
        def __init__(self, enc_in, d_model):
            super().__init__()
            self.conv = nn.Conv1d(enc_in, d_model, kernel_size=3, padding=1)
            self.head = nn.Linear(d_model, 1)

        def forward(self, x):
            h = torch.relu(self.conv(x)).mean(dim=-1)
            return self.head(h)


    model = Forecaster(cfg["enc_in"], cfg["d_model"])
    batch = torch.randn(8, cfg["seq_len"], cfg["n_vars"])
    out = model(batch)
""").lstrip()

NORM = textwrap.dedent("""
    import torch
    import torch.nn as nn

    NUM_REGIONS, FEAT_DIM = 12, 64
    model = nn.Sequential(nn.BatchNorm1d(NUM_REGIONS), nn.Linear(FEAT_DIM, 8))
    feats = torch.randn(4, NUM_REGIONS, FEAT_DIM)
    out = model(feats)
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_channel_count_written_to_fit_is_blamed_and_the_axes_moved_in_the_model():
    (d,) = _warnings(CONV)
    assert d.code == "SHP215" and d.primary.span.line == 4  # the config entry
    fixed = apply_edits(CONV, d.fix.edits)
    assert '"enc_in": 5' in fixed and "self.conv(x.permute(0, 2, 1))" in fixed
    assert _warnings(fixed) == []


def test_a_conv_over_data_laid_as_it_reads_is_not_reported():
    src = CONV.replace('cfg["seq_len"], cfg["n_vars"]', 'cfg["n_vars"], cfg["seq_len"]').replace(
        '"enc_in": 48', '"enc_in": 5')
    assert _warnings(src) == []


def test_a_batch_norm_over_the_positions_is_reported_at_the_norm():
    (d,) = _warnings(NORM)
    assert d.code == "SHP203" and d.primary.span.line == 5 and "BatchNorm1d(64)" in d.help
    assert not d.fix.edits  # the layers after it read the features last: shown, not applied


def test_a_batch_norm_over_named_channels_is_not_reported():
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn

        N_CHANNELS, SEQ_LEN = 12, 64
        model = nn.Sequential(nn.BatchNorm1d(N_CHANNELS), nn.Conv1d(N_CHANNELS, 8, 3))
        x = torch.randn(4, N_CHANNELS, SEQ_LEN)
        out = model(x)
    """).lstrip()
    assert _warnings(src) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    assert tuple(run(CONV)["out"].shape) == (8, 1)  # runs: the 48 steps taken for channels
    fixed = CONV.replace('"enc_in": 48', '"enc_in": 5').replace("self.conv(x)", "self.conv(x.permute(0, 2, 1))")
    assert tuple(run(fixed)["out"].shape) == (8, 1)
    assert tuple(run(NORM)["out"].shape) == (4, 12, 8)  # runs: statistics per region
    with pytest.raises(RuntimeError):
        run(NORM.replace("BatchNorm1d(NUM_REGIONS)", "BatchNorm1d(FEAT_DIM)"))  # why the mistake was made
