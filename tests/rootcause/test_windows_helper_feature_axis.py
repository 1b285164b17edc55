"""A window helper that builds the training and the test windows alike, (N, T) for an LSTM of one feature per step:
the feature axis belongs in the helper's return, so both sets get it (a fix where one set is converted left the
other broken). Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    series = np.sin(np.arange(300) / 10.0).astype(np.float32)


    def make_windows(data, window):
        xs, ys = [], []
        for i in range(len(data) - window):
            xs.append(data[i:i + window])
            ys.append(data[i + window])
        return np.array(xs, dtype=np.float32), np.array(ys, dtype=np.float32)


    X_train, y_train = make_windows(series[:200], 20)
    X_test, y_test = make_windows(series[200:], 20)


    class Forecaster(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(1, 8, batch_first=True)
            self.fc = nn.Linear(8, 1)

        def forward(self, x):
            return self.fc(self.lstm(x)[0][:, -1])


    model = Forecaster()
    train_out = model(torch.from_numpy(X_train))
    test_out = model(torch.from_numpy(X_test))
""").lstrip()


def test_the_helper_gives_every_window_its_feature_axis():
    with pytest.raises(RuntimeError):
        run(SRC)
    found = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert found and found[0].primary.span.line == 13
    fixed = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "return np.array(xs, dtype=np.float32)[..., None], np.array(ys, dtype=np.float32)" in fixed
    out = run(fixed)
    assert tuple(out["train_out"].shape) == (180, 1) and tuple(out["test_out"].shape) == (80, 1)
