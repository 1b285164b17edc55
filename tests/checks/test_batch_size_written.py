"""SHP105 batch-written: ``x.view(cfg["batch_size"], -1)`` in a model fed by a DataLoader whose last batch is smaller
(200 samples in batches of 32 leave 8). The view is blamed and fixed with the tensor's own batch, ``x.size(0)``;
a loader whose batches all have the batch size, or a view by ``x.size(0)``, is fine. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

WRITTEN = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    CFG = {"n": 50, "batch_size": 16}

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 4, 3, padding=1)
            self.fc = nn.Linear(4 * 8 * 8, 3)

        def forward(self, x):
            x = self.conv(x)
            x = x.view(CFG["batch_size"], -1)
            return self.fc(x)

    data = TensorDataset(torch.randn(CFG["n"], 1, 8, 8), torch.randint(0, 3, (CFG["n"],)))
    model = Net()
    for xb, yb in DataLoader(data, batch_size=CFG["batch_size"]):
        out = model(xb)
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP105"]


def test_the_written_batch_size_is_replaced_by_the_tensors_own():
    (d,) = _found(WRITTEN)
    assert d.severity == "error" and d.primary.span.line == 15
    fixed = fix_source("case.py", WRITTEN, [d], ("safe", "unsafe")).source
    assert "x = x.view(x.size(0), -1)" in fixed and not _found(fixed)


def test_full_batches_or_the_tensors_own_batch_are_fine():
    assert not _found(WRITTEN.replace('"n": 50', '"n": 48'))
    assert not _found(WRITTEN.replace('x.view(CFG["batch_size"], -1)', "x.view(len(x), -1)"))


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(WRITTEN)
    assert run(WRITTEN.replace('x.view(CFG["batch_size"], -1)', "x.view(x.size(0), -1)"))["out"].shape == (2, 3)
