"""Regression targets taken from a table by a column index (``data[:, 10]``) are (N,) against the model's (N, 1):
``MSELoss`` broadcasts them to (N, N) with only a UserWarning. The axis was dropped where the column was taken; the
fix keeps it there (``data[:, 10:11]``). Torch is the oracle: the original warns about broadcasting, the fix does
not."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

data = np.random.randn(200, 11).astype(np.float32)
features = torch.from_numpy(data[:, :10])
target = torch.from_numpy(data[:, {col}])
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1))
loss_fn = nn.MSELoss()
for xb, yb in DataLoader(TensorDataset(features, target), batch_size=50):
    loss = loss_fn(model(xb), yb)
print(tuple(yb.shape))
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("col, fixed", [("10", "data[:, 10:11]"), ("-1", "data[:, -1:]")])
def test_the_column_keeps_its_axis_where_it_is_taken(col, fixed):
    src = SRC.format(col=col)
    (d,) = _loud(src)
    assert d.code == "SHP202" and "target = " in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert f"torch.from_numpy({fixed})" in out and "yb.unsqueeze" not in out and not _loud(out)


def test_what_torch_does():
    pytest.importorskip("torch")
    bad = subprocess.run([sys.executable, "-W", "error::UserWarning", "-c", SRC.format(col="10")],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "different to the input size" in bad.stderr
    good = subprocess.run([sys.executable, "-W", "error::UserWarning", "-c", SRC.format(col="10:11")],
                          capture_output=True, text=True)
    assert good.returncode == 0 and good.stdout.strip() == "(50, 1)"


def test_a_column_that_is_one_operand_of_the_targets_formula_is_not_blamed():
    """rw19d (an energy target computed as ``x[:, 2] * 0.8 - x[:, 3] * 0.3``): the column is one operand of the
    formula, not the targets; keeping its axis (``x[:, 2:3]``) would broadcast the formula to (N, N) instead. The
    targets get their axis where they meet the loss."""
    src = SRC.replace("target = torch.from_numpy(data[:, {col}])",
                      "target = torch.from_numpy(data[:, {col}] * 0.8 - data[:, 3] * 0.3)").format(col="10")
    (d,) = _loud(src)
    assert d.code == "SHP202" and "loss_fn(" in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "10:11" not in out and "yb.unsqueeze(1)" in out and not _loud(out)
