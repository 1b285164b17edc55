"""``target = copy.deepcopy(online)`` -- a teacher, an EMA or a target network -- has the original's structure: its
output has the original's shape, so a loss comparing the two is checked (a cosine similarity over the tokens axis of
(B, N, D) patch features is found). A copy changed afterwards (its head replaced) leaves the model unknown rather
than reporting a mismatch the change may have made: no false alarm. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import copy
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.TransformerEncoder(nn.TransformerEncoderLayer(32, 4, 64, batch_first=True), 1)

        def forward(self, x):
            return self.blocks(x)


    online = Encoder()
    target = copy.deepcopy(online).requires_grad_(False)
    patches = torch.randn(4, 10, 32)
    z, h = online(patches), target(patches)
    loss = 1 - F.cosine_similarity(z, h, dim=1).mean()
""").lstrip()

CHANGED = textwrap.dedent("""
    import copy
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 4))
    probe = copy.deepcopy(model)
    probe[2] = nn.Linear(16, 2)
    out = probe(torch.randn(5, 8))
    loss = nn.functional.cross_entropy(out, torch.randint(0, 2, (5,)))
    original = nn.functional.cross_entropy(model(torch.randn(5, 8)), torch.tensor([0, 1, 2, 3, 3]))
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_copy_stands_for_the_original():
    (d,) = _loud(SRC)
    assert d.code == "SHP203" and "tokens" in d.message


def test_a_changed_copy_is_no_false_alarm():
    assert _loud(CHANGED) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    scope = run(SRC)
    assert tuple(scope["h"].shape) == tuple(scope["z"].shape) == (4, 10, 32)
    changed = run(CHANGED)
    assert tuple(changed["out"].shape) == (5, 2) and changed["original"].shape == ()
