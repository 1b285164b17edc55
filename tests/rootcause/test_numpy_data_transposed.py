"""Windows of sensor data drawn with numpy as (N, steps, sensors) -- "one row per time step, one column per sensor"
-- fed through a Dataset and a DataLoader to a Conv1d that reads (N, channels, steps). The layout was set by numpy
code, before ``torch.from_numpy``: the axes move there with numpy's ``.transpose(0, 2, 1)`` (torch's ``.permute``
does not exist on an array). torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import Dataset, DataLoader

    rng = np.random.default_rng(0)
    data = rng.normal(size=(40, 48, 5)).astype("float32")


    class Windows(Dataset):
        def __init__(self, x):
            self.x = torch.from_numpy(x)

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return self.x[i]


    model = nn.Sequential(nn.Conv1d(5, 8, 3), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten())
    for xb in DataLoader(Windows(data), batch_size=8):
        out = model(xb)
""").lstrip()


def test_numpy_data_is_transposed_with_numpy():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert 'rng.normal(size=(40, 48, 5)).transpose(0, 2, 1).astype("float32")' in fixed and ".permute" not in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (8, 8)
    with pytest.raises(RuntimeError):
        run(SRC)
