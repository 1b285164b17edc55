"""(N,) regression targets made whole by one assignment (``y_train = torch.from_numpy(prices[:n]).float()``),
drawn through a TensorDataset for training and read directly for validation, against an (N, 1) output: MSELoss
broadcasts silently at both calls. The axis is added where each target tensor is made -- once for everything that
reads it -- not at one loss call (which leaves the others broadcasting), never at the output layer. Torch is the
oracle."""
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
""").lstrip()


def _findings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_axis_is_added_where_the_targets_are_made():
    found = _findings(SRC)
    assert sorted(d.primary.span.line for d in found) == [9, 10]
    fixed = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "y_train = torch.from_numpy(prices[:80]).float().unsqueeze(1)" in fixed
    assert "y_val = torch.from_numpy(prices[80:]).float().unsqueeze(1)" in fixed
    assert "loss_fn(model(xb), yb)" in fixed and not _findings(fixed)


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
