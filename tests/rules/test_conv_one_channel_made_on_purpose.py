"""(N, 1, L) signals -- ``torch.unsqueeze(x, 1)`` made the one channel on purpose -- into a Conv1d built for L
channels: the conv's number is wrong (the signal length written where the channel count belongs), not the data's
layout; permuting the data to (N, L, 1) would run on signals of one step. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SIGNALS = textwrap.dedent("""
    import torch
    import torch.nn as nn

    config = [10, 100, 100]
    signal_length = 10
    model = nn.Sequential(nn.Conv1d(config[0], config[1], kernel_size=1), nn.ReLU(),
                          nn.Conv1d(config[1], config[2], kernel_size=1), nn.Flatten(),
                          nn.Linear(config[-1] * signal_length, 3))
    x = torch.unsqueeze(torch.randn(4, signal_length), 1)
    out = model(x)
""").lstrip()


def test_the_channel_count_is_the_mistake_not_the_layout():
    with pytest.raises(RuntimeError):
        run(SIGNALS)
    (d,) = [d for d in check_source("case.py", SIGNALS).diagnostics if d.severity == "error"]
    assert d.code == "SHP102" and d.line == 4  # the 10 in `config`, not the unsqueeze
    fixed = fix_source("case.py", SIGNALS, [d], ("safe", "unsafe")).source
    assert "config = [1, 100, 100]" in fixed and "torch.unsqueeze(torch.randn(4, signal_length), 1)" in fixed
    assert tuple(run(fixed)["out"].shape) == (4, 3)
