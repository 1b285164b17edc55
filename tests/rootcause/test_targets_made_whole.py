"""(N,) regression targets against an (N, 1) output: MSELoss broadcasts silently. Validation targets made whole by
one assignment (``y_val = torch.from_numpy(prices[80:]).float()``) and read twice -- a loss and a mean absolute
error -- get the axis where they are made, once for both readers; a fix at one loss call would leave the other
broadcasting. Training targets read once (by the TensorDataset) are fixed where they meet the loss, which changes
nothing else. Never the output layer. Torch is the oracle."""
import textwrap
import warnings

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    X = np.random.rand(100, 4).astype(np.float32)
    prices = X.sum(1)
    x_train, x_val = torch.from_numpy(X[:80]), torch.from_numpy(X[80:])
    y_train = torch.from_numpy(prices[:80]).float()
    y_val = torch.from_numpy(prices[80:]).float()

    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    loss_fn = nn.MSELoss()
    for xb, yb in DataLoader(TensorDataset(x_train, y_train), batch_size=16):
        loss = loss_fn(model(xb), yb)
    val = loss_fn(model(x_val), y_val)
    mae = (model(x_val) - y_val).abs().mean()
""").lstrip()


def _findings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_targets_read_twice_get_the_axis_where_they_are_made():
    found = _findings(SRC)
    assert sorted(d.primary.span.line for d in found) == [10, 10, 15]
    fixed = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "y_val = torch.from_numpy(prices[80:]).float().unsqueeze(1)" in fixed
    assert "loss_fn(model(xb), yb.unsqueeze(1))" in fixed and "y_train = torch.from_numpy(prices[:80]).float()\n" in fixed
    assert not _findings(fixed)


def test_targets_made_inline_at_the_loss_are_fixed_there():
    src = SRC.replace("val = loss_fn(model(x_val), y_val)", "val = loss_fn(model(x_val), torch.from_numpy(prices[80:]))")
    inline = [d for d in _findings(src) if d.primary.span.line == 16]
    assert len(inline) == 1 and inline[0].fix.edits[0].text.endswith(".unsqueeze(1)")


def test_what_torch_does():
    pytest.importorskip("torch")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        scope = run(SRC)
    assert any("target size" in str(w.message) for w in caught)
    assert scope["val"].shape == ()
    fixed = SRC.replace(".float()\n", ".float().unsqueeze(1)\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(fixed)
    assert not any("target size" in str(w.message) for w in caught)
