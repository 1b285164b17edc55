"""(N,) targets against a one-unit head's (N, 1) output: the targets get the axis where they are made -- unless
another use reads them without it (an accuracy that adds the axis itself: it would then compare (N, 1) with
(N, 1, 1), N x N pairs, silently). Then the axis is added at the loss only. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))

        def forward(self, x):
            return self.body(x)


    features = np.random.rand(60, 4)
    X = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor((features[:, 0] > 0.5).astype(int), dtype=torch.float32)
    model = Net()
    criterion = nn.BCEWithLogitsLoss()
    for xb, yb in DataLoader(TensorDataset(X, y), batch_size=16):
        loss = criterion(model(xb), yb)
    ACCURACY
""").lstrip()

ACCURACY = "acc = ((model(X) > 0).float() == y.unsqueeze(1)).float().mean()"


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_axis_is_added_at_the_loss_when_another_use_adds_it_itself():
    src = SCRIPT.replace("ACCURACY", ACCURACY)
    with pytest.raises(ValueError):
        run(src)
    (d,) = _loud(src)
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "criterion(model(xb), yb.unsqueeze(1))" in fixed and ACCURACY in fixed
    assert run(fixed)["acc"].shape == () and not _loud(fixed)


def test_the_axis_is_given_where_the_targets_are_made_when_every_use_needs_it():
    src = SCRIPT.replace("ACCURACY", "full = criterion(model(X), y)")
    found = _loud(src)
    fixed = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert "dtype=torch.float32).unsqueeze(1)" in fixed and "criterion(model(xb), yb)" in fixed
    assert run(fixed)["full"].shape == () and not _loud(fixed)
