"""``Forecaster(input_size=SEQ_LEN)`` where the windows are (N, SEQ_LEN, 1): the window length was passed as the
feature count. The fix passes the features' size at that call; changing SEQ_LEN (which also cuts the windows) is
refused by the contract, and the layer inside the class is left alone. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SENSOR = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    SEQ_LEN = 12
    series = np.random.randn(200).astype(np.float32)
    x = np.stack([series[i:i + SEQ_LEN] for i in range(100)])
    xb = torch.from_numpy(x).unsqueeze(2)

    class Forecaster(nn.Module):
        def __init__(self, input_size, hidden_size):
            super().__init__()
            self.lstm = nn.LSTM(input_size=input_size, hidden_size=hidden_size, batch_first=True)
            self.fc = nn.Linear(hidden_size, 1)

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.fc(out[:, -1, :])

    model = Forecaster(input_size=SEQ_LEN, hidden_size=16)
    pred = model(xb)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_length_passed_as_features_is_fixed_at_the_call():
    (d,) = _errors(SENSOR)
    assert d.primary.span.line == 20
    fixed = fix_source("case.py", SENSOR, [d], ("safe", "unsafe")).source
    assert "Forecaster(input_size=1, hidden_size=16)" in fixed and "SEQ_LEN = 12" in fixed and not _errors(fixed)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="input.size\\(-1\\) must be equal to input_size"):
        run(SENSOR)
    assert run(SENSOR.replace("input_size=SEQ_LEN", "input_size=1"))["pred"].shape == (100, 1)
