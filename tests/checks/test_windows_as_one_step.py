"""Windows of LOOK_BACK values reshaped to (samples, 1, LOOK_BACK) for an LSTM -- the classic tutorial layout
whose comment says "[samples, time steps, features]": the LSTM gets one time step of LOOK_BACK features and never
recurs over the window. Nothing raises (the Input / input_size was written for the same misread layout). The
window length is known to be steps from the constant it was cut with. The fix reorders the reshape -- every one
of them, train and test -- and the declaration or the LSTM's input_size with it. The frameworks are the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    LOOK_BACK = 6


    def create_dataset(series, look_back):
        xs, ys = [], []
        for i in range(len(series) - look_back):
            xs.append(series[i:i + look_back])
            ys.append(series[i + look_back])
        return np.array(xs), np.array(ys)


    series = np.sin(np.arange(120) / 4).astype("float32")
    trainX, trainY = create_dataset(series[:80], LOOK_BACK)
    testX, testY = create_dataset(series[80:], LOOK_BACK)
    trainX = np.reshape(trainX, (trainX.shape[0], 1, trainX.shape[1]))
    testX = np.reshape(testX, (testX.shape[0], 1, testX.shape[1]))
    model = keras.Sequential([keras.Input(shape=(1, LOOK_BACK)), layers.LSTM(4), layers.Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    model.fit(trainX, trainY, epochs=1, verbose=0)
    pred = model.predict(testX, verbose=0)
""").lstrip()

TORCH = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    SEQ_LEN = 16
    series = np.sin(np.arange(400) / 5).astype(np.float32)
    windows = np.stack([series[i:i + SEQ_LEN] for i in range(300)])
    x = torch.from_numpy(windows).reshape(-1, 1, SEQ_LEN)


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(input_size=SEQ_LEN, hidden_size=8, batch_first=True)
            self.fc = nn.Linear(8, 1)

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.fc(out[:, -1])


    pred = Net()(x)
""").lstrip()


def _findings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def _fixed(src):
    return fix_source("case.py", src, _findings(src), ("safe", "unsafe")).source


def test_keras_windows_of_one_step_are_reordered_with_the_declaration():
    (d,) = _findings(KERAS)
    assert d.code == "SHP215" and d.severity == "warning" and d.primary.span.line == 19
    fixed = _fixed(KERAS)
    assert "(trainX.shape[0], trainX.shape[1], 1)" in fixed and "(testX.shape[0], testX.shape[1], 1)" in fixed
    assert "keras.Input(shape=(LOOK_BACK, 1))" in fixed and "LOOK_BACK = 6" in fixed
    assert not _findings(fixed) and _fixed(fixed) == fixed


def test_torch_windows_of_one_step_are_reordered_with_the_input_size():
    (d,) = _findings(TORCH)
    assert d.code == "SHP215" and d.primary.span.line == 8
    fixed = _fixed(TORCH)
    assert ".reshape(-1, SEQ_LEN, 1)" in fixed and "nn.LSTM(input_size=1," in fixed and "SEQ_LEN = 16" in fixed
    assert not _findings(fixed)


def test_windows_read_as_steps_are_quiet():
    assert not _findings(KERAS.replace("(LOOK_BACK, 1)", "(1, LOOK_BACK)").replace(
        "1, trainX.shape[1])", "trainX.shape[1], 1)").replace("1, testX.shape[1])", "testX.shape[1], 1)")
        .replace("shape=(1, LOOK_BACK)", "shape=(LOOK_BACK, 1)"))


def test_a_table_of_features_as_one_step_is_not_flagged():
    # the features' width has a name that says nothing of time: one step of N_FEATURES values is a choice, not a slip
    src = TORCH.replace("SEQ_LEN", "N_FEATURES")
    assert not _findings(src)


def test_what_the_frameworks_do():
    pytest.importorskip("torch")
    pytest.importorskip("keras")
    assert tuple(run(KERAS)["trainX"].shape[1:]) == (1, 6)  # runs: silent
    assert tuple(run(_fixed(KERAS))["trainX"].shape[1:]) == (6, 1)
    assert tuple(run(TORCH)["pred"].shape) == (300, 1)
    assert tuple(run(_fixed(TORCH))["x"].shape) == (300, 16, 1)
