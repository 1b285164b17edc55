"""A Dataset that returns each label wrapped in a list (``torch.tensor([self.y[i]])``) gives the loader (N, 1) class
ids; CrossEntropyLoss wants (N,). The root is the list in __getitem__, and the fix unwraps it there (not a squeeze at
the loss). PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

WRAPPED = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, Dataset

    class Rows(Dataset):
        def __init__(self):
            self.x = np.random.randn(40, 6).astype("float32")
            self.y = np.random.randint(0, 3, size=40)

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return torch.from_numpy(self.x[i]), torch.tensor([self.y[i]], dtype=torch.long)

    model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3))
    criterion = nn.CrossEntropyLoss()
    for xb, yb in DataLoader(Rows(), batch_size=8):
        loss = criterion(model(xb), yb)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_list_around_each_label_is_removed_in_the_dataset():
    (d,) = _errors(WRAPPED)
    assert d.primary.span.line == 15
    fixed = fix_source("case.py", WRAPPED, [d], ("safe", "unsafe")).source
    assert "torch.tensor(self.y[i], dtype=torch.long)" in fixed and not _errors(fixed)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(WRAPPED)
    run(WRAPPED.replace("torch.tensor([self.y[i]]", "torch.tensor(self.y[i]"))
