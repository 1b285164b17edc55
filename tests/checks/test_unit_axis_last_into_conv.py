"""A series laid (batch, steps, 1) with ``unsqueeze(-1)`` fed to an ``nn.Conv1d`` built with the steps as its input
channels: the kernel slides over a single position. PyTorch runs it (silent); the oracle shows the degenerate
length and the fixed layout."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    WINDOW = 12
    series = np.sin(np.linspace(0, 20, 200))
    X = np.stack([series[i:i + WINDOW] for i in range(len(series) - WINDOW)])
    X = torch.tensor(X, dtype=torch.float32).unsqueeze(-1)


    class Net(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.conv = nn.Conv1d(channels, 8, kernel_size=3, padding=1)
            self.fc = nn.Linear(8, 1)

        def forward(self, x):
            h = torch.relu(self.conv(x))
            return self.fc(h.view(x.size(0), -1))


    out = Net(WINDOW)(X)
""").lstrip()


def _reported(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_unit_axis_added_last_is_reported_where_it_is_added():
    (d,) = _reported(SRC)
    assert d.code == "SHP215" and d.primary.span.line == 8 and "unsqueeze(1)" in d.help
    assert not d.fix.edits  # data, conv and head all change: described, not applied


def test_the_channel_first_layout_is_not_reported():
    src = SRC.replace("unsqueeze(-1)", "unsqueeze(1)").replace("Net(WINDOW)", "Net(1)").replace(
        "nn.Linear(8, 1)", "nn.Linear(8 * WINDOW, 1)")
    assert _reported(src) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    scope = run(SRC)
    assert tuple(scope["out"].shape) == (188, 1)  # runs: one position convolved
    fixed = SRC.replace("unsqueeze(-1)", "unsqueeze(1)").replace("Net(WINDOW)", "Net(1)").replace(
        "nn.Linear(8, 1)", "nn.Linear(8 * WINDOW, 1)")
    assert tuple(run(fixed)["out"].shape) == (188, 1)
