"""A collate_fn that stacks the samples on axis 1 (``torch.stack(xs, dim=1)``): the batch reaches a batch-first model
time-major, the model takes the sequence for the samples, and torch raises at the loss (40 rows for 16 targets). The
root is the stack; cutting the outputs or repeating the targets to match would pair outputs with the wrong samples.
Torch is the oracle: the original raises, the fixed script runs with one row per sample."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader


class Seqs(Dataset):
    def __init__(self, n=64):
        self.x = torch.randn(n, 40, 9)
        self.y = torch.randint(0, 5, (n,))

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def collate(batch):
    xs, ys = zip(*batch)
    return {stack}, torch.stack(ys)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(9, 32, batch_first=True)
        self.fc = nn.Linear(32, 5)

    def forward(self, x):
        _, h = self.gru(x)
        return self.fc(h[-1])


model = Net()
for x, y in DataLoader(Seqs(), batch_size={batch}, collate_fn=collate):
    out = model(x)
    loss = nn.CrossEntropyLoss()(out, y)
print(tuple(out.shape))
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("stack, fixed", [("torch.stack(xs, dim=1)", "torch.stack(xs, dim=0)"),
                                          ("torch.stack(xs, 1)", "torch.stack(xs, 0)")])
@pytest.mark.parametrize("batch", [16, 4])
def test_the_samples_are_stacked_on_axis_0_where_the_batch_is_made(stack, fixed, batch):
    src = SRC.format(stack=stack, batch=batch)
    (d,) = _loud(src)
    assert d.cause == "batch-on-axis" and stack in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out and "batch_first=True" in out and not _loud(out)


def test_stacked_on_axis_0_is_right():
    assert not _loud(SRC.format(stack="torch.stack(xs)", batch=16))


def test_what_torch_does():
    pytest.importorskip("torch")
    bad = subprocess.run([sys.executable, "-c", SRC.format(stack="torch.stack(xs, dim=1)", batch=16)],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "batch_size (40) to match target batch_size (16)" in bad.stderr
    good = subprocess.run([sys.executable, "-c", SRC.format(stack="torch.stack(xs, dim=0)", batch=16)],
                          capture_output=True, text=True)
    assert good.returncode == 0 and good.stdout.strip() == "(16, 5)"
