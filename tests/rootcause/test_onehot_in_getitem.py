"""A Dataset whose ``__getitem__`` one-hot encodes each label, feeding NLLLoss (which takes class ids): the mistake is
the ``one_hot`` call in the dataset, not the loss call and not the array the ids came from. The fix keeps the ids
there; ``.argmax(dim=1)`` at the loss would run and keep the needless encoding. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.utils.data import DataLoader, Dataset


    class Digits(Dataset):
        def __init__(self, x, y):
            self.x, self.y = x, y

        def __len__(self):
            return len(self.y)

        def __getitem__(self, i):
            label = F.one_hot(torch.tensor(self.y[i]), num_classes=4)
            return torch.tensor(self.x[i], dtype=torch.float32), label


    ids = np.random.randint(0, 4, 60)
    loader = DataLoader(Digits(np.random.rand(60, 12), ids), batch_size=20)
    model = nn.Sequential(nn.Linear(12, 4), nn.LogSoftmax(dim=1))
    for xb, yb in loader:
        loss = nn.NLLLoss()(model(xb), yb)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_one_hot_call_in_the_dataset_is_blamed_and_undone_there():
    (d,) = _errors(SRC)
    assert "F.one_hot(" in SRC.splitlines()[d.primary.span.line - 1]
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "label = torch.tensor(self.y[i])" in fixed and "argmax" not in fixed and _errors(fixed) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    run(SRC.replace("F.one_hot(torch.tensor(self.y[i]), num_classes=4)", "torch.tensor(self.y[i])"))
