"""1-D data (N,) fed to Linear(in_features=2): torch takes it as one sample of N values. When the labels have the
same N rows, the N are samples and the features were never built: the diagnosis goes to the data, and no fix may
write N into the model (in_features=N takes the batch for features). PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

MOONS = textwrap.dedent("""
    import numpy as np
    import torch
    from torch import nn

    X_np = np.random.randn(300, 2)
    y_np = (X_np[:, 0] > 0).astype("float64")
    X = torch.tensor(y_np, dtype=torch.float)
    y = torch.tensor(y_np, dtype=torch.float)

    class Net(nn.Module):
        def __init__(self, in_features=2):
            super().__init__()
            self.fc = nn.Linear(in_features, 1)

        def forward(self, x):
            return self.fc(x)

    model = Net()
    out = model(X)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_data_is_blamed_and_the_model_is_not_resized():
    (d,) = _errors(MOONS)
    assert d.primary.span.line == 7 and "never built" in " ".join(d.notes)
    fixed = fix_source("case.py", MOONS, [d], ("safe", "unsafe")).source
    assert "300" not in fixed.replace("randn(300, 2)", "")


def test_the_right_features_are_fine():
    assert not _errors(MOONS.replace("X = torch.tensor(y_np", "X = torch.tensor(X_np"))


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        run(MOONS)
    assert run(MOONS.replace("X = torch.tensor(y_np", "X = torch.tensor(X_np"))["out"].shape == (300, 1)
