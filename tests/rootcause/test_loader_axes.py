"""Two PyTorch data-axis mistakes away from where torch raises. A Dataset whose spectrograms have no channel axis:
the loader's (N, 40, 101) batch reaches Conv2d(1, ...) as one unbatched image of N channels; the axis belongs to each
sample (``.unsqueeze(0)`` in ``__getitem__``) -- not a batch axis at the call, not N input channels. ``out[-1]`` on a
batch-first LSTM output takes the last sample, not each sample's last step: ``out[:, -1]``. Torch is the oracle."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SPECTRO = """
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader


class Spectra(Dataset):
    def __init__(self, n=32):
        self.x = [np.random.randn(40, 101).astype(np.float32) for _ in range(n)]

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {item}, i % 4


net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((2, 2)), nn.Flatten(),
                    nn.Linear(32, 4))
for xb, yb in DataLoader(Spectra(), batch_size=8):
    loss = nn.functional.cross_entropy(net(xb), yb)
print(tuple(net(xb).shape))
"""

LAST = """
import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(5, 16, batch_first=True)
        self.head = nn.Linear(16, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head({last})


x, y = torch.randn(12, 20, 5), torch.rand(12, 1)
pred = Net()(x)
loss = nn.BCEWithLogitsLoss()(pred, y)
print(tuple(pred.shape))
"""


WHOLE = """
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

images = np.random.rand(40, 12, 12).astype(np.float32)
X = {made}
y = torch.randint(0, 4, (40,))
net = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((2, 2)), nn.Flatten(),
                    nn.Linear(32, 4))
for xb, yb in DataLoader(TensorDataset(X, y), batch_size=8):
    loss = nn.functional.cross_entropy(net(xb), yb)
print(tuple(net(xb).shape))
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_each_sample_gets_its_channel_axis_where_it_is_made():
    src = SPECTRO.format(item="torch.from_numpy(self.x[i])")
    found = _loud(src)
    assert found and "torch.from_numpy(self.x[i])" in src.splitlines()[found[0].primary.span.line - 1]
    out = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert "torch.from_numpy(self.x[i]).unsqueeze(0)" in out and "nn.Conv2d(1, 8" in out and not _loud(out)
    assert "net(xb.unsqueeze(0))" not in out


def test_a_data_set_made_once_gets_its_channel_axis_there_not_in_the_loop():
    src = WHOLE.format(made="torch.from_numpy(images)")
    found = _loud(src)
    assert found and found[0].primary.span.line == 8
    out = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert "X = torch.from_numpy(images).unsqueeze(1)" in out and "net(xb)" in out and not _loud(out)


def test_a_batch_first_output_gives_each_samples_last_step():
    src = LAST.format(last="out[-1]")
    (d,) = _loud(src)
    assert "out[-1]" in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "self.head(out[:, -1])" in out and "batch_first=True" in out and not _loud(out)


@pytest.mark.parametrize("template, slot, bad, good, shape", [
    (SPECTRO, "item", "torch.from_numpy(self.x[i])", "torch.from_numpy(self.x[i]).unsqueeze(0)", "(8, 4)"),
    (LAST, "last", "out[-1]", "out[:, -1]", "(12, 1)"),
    (WHOLE, "made", "torch.from_numpy(images)", "torch.from_numpy(images).unsqueeze(1)", "(8, 4)")])
def test_what_torch_does(template, slot, bad, good, shape):
    pytest.importorskip("torch")
    r = subprocess.run([sys.executable, "-c", template.replace("{" + slot + "}", bad)], capture_output=True, text=True)
    assert r.returncode != 0
    r = subprocess.run([sys.executable, "-c", template.replace("{" + slot + "}", good)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip() == shape
