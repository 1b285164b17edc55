"""Regression targets made (N,) by a helper that returns features and targets, ``to_tensors(df)``, called for the
training and the test frames: both losses broadcast the (N, 1) output against them. The axis is given once, where
the helper makes the targets, so every caller agrees -- not at one loss call, which leaves the other broadcasting.
Frames split by ``train_test_split`` keep their columns. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import pandas as pd
    import torch
    import torch.nn as nn
    from sklearn.model_selection import train_test_split

    FEATURES = ["a", "b", "c"]
    df = pd.DataFrame(np.random.rand(40, 3), columns=FEATURES)
    df["price"] = df["a"] * 2.0


    def to_tensors(frame):
        X = torch.tensor(frame[FEATURES].values, dtype=torch.float32)
        y = torch.tensor(frame["price"].values, dtype=torch.float32)
        return X, y


    train_df, test_df = train_test_split(df, test_size=0.25, random_state=0)
    X_tr, y_tr = to_tensors(train_df)
    X_te, y_te = to_tensors(test_df)
    model = nn.Linear(3, 1)
    loss_fn = nn.MSELoss()
    loss = loss_fn(model(X_tr), y_tr)
    test_loss = loss_fn(model(X_te), y_te)
""").lstrip()


def test_the_helper_makes_the_targets_with_the_outputs_axis():
    found = [d for d in check_source("case.py", SRC).diagnostics if d.code == "SHP202"]
    made = SRC.splitlines().index('    y = torch.tensor(frame["price"].values, dtype=torch.float32)') + 1
    assert found and all(d.line == made for d in found)  # (one mistake, reported once at its root)
    fixed = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert 'y = torch.tensor(frame["price"].values, dtype=torch.float32).unsqueeze(1)' in fixed
    assert "loss_fn(model(X_tr), y_tr)" in fixed and "loss_fn(model(X_te), y_te)" in fixed
    assert [d for d in check_source("case.py", fixed).diagnostics if d.code == "SHP202"] == []
    pytest.importorskip("torch")
    out = run(fixed)
    assert tuple(out["y_tr"].shape) == (30, 1) and tuple(out["y_te"].shape) == (10, 1)
