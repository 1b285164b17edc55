"""A Dataset whose ``__getitem__`` returns each label as a 0-d tensor: the loader collates (N,) labels, the model
outputs (N, 1) logits, and ``BCEWithLogitsLoss`` raises. The label gets its axis where each sample's label is made
(``torch.tensor([label])``), so the loss and the accuracy comparison after it both see (N, 1) -- not only the loss
call (the accuracy would still broadcast to (N, N)), and never the output layer. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, Dataset


    class Crops(Dataset):
        def __init__(self, n=32):
            self.images = torch.rand(n, 8)
            self.labels = [int(i % 3 == 0) for i in range(n)]

        def __len__(self):
            return len(self.labels)

        def __getitem__(self, i):
            label = torch.tensor(self.labels[i], dtype=torch.float32)
            return self.images[i], label


    model = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 1))
    criterion = nn.BCEWithLogitsLoss()
    hits = 0
    for x, labels in DataLoader(Crops(), batch_size=8):
        logits = model(x)
        loss = criterion(logits, labels)
        hits += ((logits > 0).float() == labels).sum().item()
""").lstrip()
FIXED = SRC.replace("torch.tensor(self.labels[i],", "torch.tensor([self.labels[i]],")


def _findings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_label_gets_its_axis_where_it_is_made():
    ds = _findings(SRC)
    error = next(d for d in ds if d.severity == "error")
    assert error.primary.span.line == 15
    assert [e.text for e in error.fix.edits] == ["[self.labels[i]]"]
    assert all(d.primary.span.line == 15 for d in ds)  # the accuracy's broadcast has the same root


def test_the_fixed_dataset_is_quiet():
    assert not _findings(FIXED)


def test_a_label_that_already_has_its_axis_is_left_alone():
    assert not _findings(SRC.replace("nn.Linear(4, 1))", "nn.Linear(4, 1), nn.Flatten(0))"))


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(ValueError):
        run(SRC)
    scope = run(FIXED)
    assert scope["hits"] <= 32
