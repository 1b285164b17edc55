"""Windows of a univariate series converted to torch as (N, T) and fed through a DataLoader to
``nn.LSTM(input_size=1, batch_first=True)``: a 2-D input is one unbatched sequence to torch, so the batch of 64
windows is read as 64 steps of 24 features and the LSTM raises. Expert review judged the applied fix -- input_size
set to the window length -- wrong (each window one step; the head's ``out[:, -1]`` then fails). The windows get
their feature axis, last, where they become torch -- the validation windows too. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    WINDOW = 24
    series = np.sin(np.arange(600) / 7).astype(np.float32)
    X = np.array([series[i:i + WINDOW] for i in range(500)], dtype=np.float32)
    y = series[WINDOW:WINDOW + 500]
    X_train, y_train = torch.from_numpy(X[:400]), torch.from_numpy(y[:400]).unsqueeze(1)
    X_val, y_val = torch.from_numpy(X[400:]), torch.from_numpy(y[400:]).unsqueeze(1)


    class Forecaster(nn.Module):
        def __init__(self, n_features=1, hidden=16):
            super().__init__()
            self.lstm = nn.LSTM(input_size=n_features, hidden_size=hidden, batch_first=True)
            self.head = nn.Linear(hidden, 1)

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.head(out[:, -1, :])


    model = Forecaster()
    for xb, yb in DataLoader(TensorDataset(X_train, y_train), batch_size=64):
        loss = nn.functional.mse_loss(model(xb), yb)
    val = nn.functional.mse_loss(model(X_val), y_val)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_windows_get_their_feature_axis_where_they_become_torch():
    found = _errors(SRC)
    assert found and all(d.primary.span.line == 10 for d in found)
    fixed = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "torch.from_numpy(X[:400]).unsqueeze(-1)" in fixed and "torch.from_numpy(X[400:]).unsqueeze(-1)" in fixed
    assert "n_features=1" in fixed and not _errors(fixed)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    fixed = SRC.replace("torch.from_numpy(X[:400])", "torch.from_numpy(X[:400]).unsqueeze(-1)").replace(
        "torch.from_numpy(X[400:])", "torch.from_numpy(X[400:]).unsqueeze(-1)")
    assert run(fixed)["val"].shape == ()


DATASET = textwrap.dedent("""
    import numpy as np
    import pandas as pd
    import torch
    import torch.nn as nn
    from torch.utils.data import Dataset, DataLoader

    WINDOW = 30
    sales = pd.Series(np.sin(np.arange(300) / 7.0), index=pd.date_range("2021-01-01", periods=300, freq="D"))
    sales = (sales - sales.mean()) / sales.std()


    class SlidingWindow(Dataset):
        def __init__(self, series, window):
            self.values = torch.tensor(series.values, dtype=torch.float32)
            self.window = window

        def __len__(self):
            return len(self.values) - self.window

        def __getitem__(self, i):
            x = self.values[i:i + self.window]
            y = self.values[i + self.window]
            return x, y


    class Forecaster(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(input_size=1, hidden_size=16, batch_first=True)
            self.head = nn.Linear(16, 1)

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.head(out[:, -1, :]).squeeze(-1)


    loader = DataLoader(SlidingWindow(sales.iloc[:200], WINDOW), batch_size=32, shuffle=True)
    model = Forecaster()
    for xb, yb in loader:
        pred = model(xb)
""").lstrip()


def test_a_window_taken_in_a_dataset_gets_its_feature_axis_there():
    """A Dataset's ``__getitem__`` slices each window out of a stored 1-D series: batches are (32, 30) and the LSTM
    built for one feature reads them as one unbatched sequence. The axis goes where the window is taken, not on
    ``input_size`` (rw18c, a daily-sales forecaster; the series is a pandas Series)."""
    result = check_source("case.py", DATASET)
    found = [d for d in result.diagnostics if d.severity == "error"]
    assert found and found[0].primary.span.line == 21
    fixed = fix_source("case.py", DATASET, result.diagnostics, ("safe", "unsafe")).source
    assert "x = self.values[i:i + self.window].unsqueeze(-1)" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(DATASET)
    assert tuple(run(fixed)["pred"].shape)[1:] == ()


def test_a_dataset_class_the_loader_does_not_use_is_not_the_place():
    """Code review: a file with an unused Dataset class beside a TensorDataset of windows -- the fix went into the
    unused class's ``__getitem__``. The window is taken in the Dataset the loader is given, else where the windows
    become torch (training and validation alike)."""
    from pathlib import Path
    src = (Path(__file__).resolve().parents[1] / "fixtures" / "review18" / "h_two_datasets.py").read_text()
    result = check_source("case.py", src)
    found = [d for d in result.diagnostics if d.severity == "error"]
    assert found and "torch.from_numpy(X[:400]).unsqueeze(-1)" in found[0].help
    fixed = fix_source("case.py", src, result.diagnostics, ("safe", "unsafe")).source
    assert "self.series[i:i + self.window]\n" in fixed or "self.series[i:i + self.window]" in fixed
    assert "self.series[i:i + self.window].unsqueeze" not in fixed
