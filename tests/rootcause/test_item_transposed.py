"""Windows transposed one by one as they are collected (``xs.append(block.T)``) then stacked: the LSTM built for the
features gets the time steps as features. The transpose where each window is appended is blamed and dropped -- not
the stacked data permuted back, not the LSTM widened to the window. When the model reads (N, C, L) (a Conv1d), the
same transpose is right and nothing is said. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn


    def windows(series, w):
        xs = []
        for i in range(len(series) - w):
            block = series[i:i + w]
            xs.append(block.T)
        return np.stack(xs).astype(np.float32)


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.LSTM(3, 8, batch_first=True)

        def forward(self, x):
            return self.rnn(x)[0]


    series = np.random.randn(100, 3)
    x = torch.from_numpy(windows(series, 10))
    out = Net()(x)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_transpose_of_each_window_is_dropped():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 10
    assert [e.text for e in d.fix.edits] == ["block"]


def test_a_conv1d_reading_channels_first_is_left_alone():
    src = SRC.replace("nn.LSTM(3, 8, batch_first=True)", "nn.Conv1d(3, 8, 3)").replace("self.rnn(x)[0]", "self.rnn(x)")
    assert "Conv1d" in src and not _errors(src)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    scope = run(SRC.replace("xs.append(block.T)", "xs.append(block)"))
    assert tuple(scope["out"].shape) == (90, 10, 8)


def test_a_bare_layer_resized_to_data_in_another_order_is_never_a_safe_fix():
    src = SRC.split("class Net")[0] + "x = torch.from_numpy(windows(np.random.randn(100, 3), 10))\n" \
        "out, _ = nn.LSTM(3, 8, batch_first=True)(x)\n"
    (d,) = _errors(src)
    assert d.fix is None or d.fix.applicability != "safe"
