"""SHP202 in a loss written as an nn.Module: a contrastive loss gets (N,) distances from pairwise_distance and (N, 1)
labels from a Dataset that wraps each label in a list (``torch.tensor([float(a != b)])``, an item index from
``random.randrange``): ``(1 - label) * dist ** 2`` is (N, N). PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

PAIRS = textwrap.dedent("""
    import random
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.utils.data import DataLoader, Dataset

    class Pairs(Dataset):
        def __init__(self, x, ids):
            self.x, self.ids = x, ids

        def __len__(self):
            return len(self.ids)

        def __getitem__(self, i):
            j = random.randrange(len(self.ids))
            different = float(self.ids[i] != self.ids[j])
            return self.x[i], self.x[j], torch.tensor([different])

    class Contrastive(nn.Module):
        def forward(self, a, b, label):
            dist = F.pairwise_distance(a, b)
            return torch.mean((1 - label) * dist.pow(2) + label * torch.clamp(1.0 - dist, min=0.0).pow(2))

    net, criterion = nn.Sequential(nn.Linear(6, 4), nn.ReLU()), Contrastive()
    loader = DataLoader(Pairs(torch.randn(32, 6), torch.randint(0, 3, (32,)).tolist()), batch_size=8)
    for x1, x2, label in loader:
        terms = (1 - label) * F.pairwise_distance(net(x1), net(x2)).pow(2)
        loss = criterion(net(x1), net(x2), label)
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP202"]


def test_the_label_column_against_distances_is_reported_in_the_loss_module():
    found = _found(PAIRS)
    assert {d.primary.span.line for d in found} == {22}
    fixed = fix_source("case.py", PAIRS, found, ("safe", "unsafe")).source
    assert "label.squeeze(1) * torch.clamp" in fixed


def test_a_scalar_label_per_item_is_fine():
    assert not _found(PAIRS.replace("torch.tensor([different])", "torch.tensor(different)"))


def test_what_torch_does():
    pytest.importorskip("torch")
    scope = run(PAIRS)
    assert scope["label"].shape == (8, 1) and scope["terms"].shape == (8, 8)
    scope = run(PAIRS.replace("torch.tensor([different])", "torch.tensor(different)"))
    assert scope["terms"].shape == (8,)
