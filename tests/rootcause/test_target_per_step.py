"""Targets built as the input window shifted by one -- (N, T) for a model that keeps only the last step -- are one
target per step, not the next value: the head is not widened to T (that predicts a whole window from the last
state); the diagnosis goes to the targets and no edit is made. A multi-step horizon of another length still gets the
head width. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SHIFTED = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    W = 12
    series = np.sin(np.linspace(0, 20, 200)).astype(np.float32)
    xs = np.stack([series[i:i + W] for i in range(100)])
    ys = np.stack([series[i + 1:i + W + 1] for i in range(100)])

    class Next(nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = nn.GRU(1, 8, batch_first=True)
            self.fc = nn.Linear(8, 1)

        def forward(self, x):
            out, _ = self.gru(x)
            return self.fc(out[:, -1])

    model = Next()
    pred = model(torch.from_numpy(xs).unsqueeze(-1))
    loss = nn.MSELoss()(pred, torch.from_numpy(ys))
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP202"]


def test_no_head_as_wide_as_the_window():
    (d,) = _found(SHIFTED)
    assert d.primary.span.line == 8 and (d.fix is None or not d.fix.edits)
    assert "one target per step" in " ".join(d.notes)


def test_a_horizon_of_another_length_still_widens_the_head():
    src = SHIFTED.replace("series[i + 1:i + W + 1]", "series[i + W:i + W + 3]")
    (d,) = _found(src)
    assert d.fix is not None and any("nn.Linear(8, 3)" in e.text or e.text == "3" for e in d.fix.edits)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.warns(UserWarning, match="different to the input size"):
        run(SHIFTED)
