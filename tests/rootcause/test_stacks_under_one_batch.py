"""Samples that are stacks of what the first layer reads, under one batch axis: a Dataset whose item is already a
stack of tiles, batched again by the DataLoader; volumes (B, C, D, H, W) given to a network of 2-D convs that reads
slices. The conv refuses the rank; the root is the stack, and the fix folds it into the batch where the batch is
unpacked, for the targets too. torch is the oracle: each script raises, each fixed one runs at two batch sizes with
one output per image or slice. A model that says it reads volumes (``UNet3D``) gets no fold."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")


def _error(script):
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    return d


TILES = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.utils.data import DataLoader, Dataset


    class Scenes(Dataset):
        def __init__(self, n):
            self.tiles = torch.rand(n, 6, 3, 16, 16)
            self.masks = (torch.rand(n, 6, 1, 16, 16) > 0.5).float()

        def __len__(self):
            return len(self.tiles)

        def __getitem__(self, i):
            return self.tiles[i], self.masks[i]


    net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 1))
    for tiles, masks in DataLoader(Scenes(10), batch_size=BATCH):
        logits = net(tiles)
        loss = F.binary_cross_entropy_with_logits(logits, masks)
""").lstrip()


@pytest.mark.parametrize("batch", [2, 5])
def test_stacked_items_are_folded_with_their_targets(batch):
    script = TILES.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    d = _error(script)
    assert d.primary.span.line == 16  # the item, a stack of 6 tiles
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert "tiles, masks = tiles.flatten(0, 1), masks.flatten(0, 1)" in fixed
    assert "Conv2d(3, 8" in fixed
    assert run(fixed)["logits"].shape == (batch * 6, 1, 16, 16)


VOLUMES = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class SliceNet(nn.Module):
        def __init__(self, channels=2, classes=3):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(channels, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, classes, 1))

        def forward(self, x):
            return self.body(x)


    def volumes(n):
        for _ in range(2):
            yield torch.randn(n, 2, 5, 16, 16), torch.randint(0, 3, (n, 5, 16, 16))


    net = SliceNet()
    for scans, labels in volumes(BATCH):
        logits = net(scans)
        loss = F.cross_entropy(logits, labels)
""").lstrip()


@pytest.mark.parametrize("batch", [2, 3])
def test_volumes_into_a_slice_network_fold_their_depth(batch):
    script = VOLUMES.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    d = _error(script)
    assert d.primary.span.line == 23
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert "scans, labels = scans.permute(0, 2, 1, 3, 4).flatten(0, 1), labels.flatten(0, 1)" in fixed
    assert run(fixed)["logits"].shape == (batch * 5, 3, 16, 16)


def test_a_model_named_for_volumes_gets_no_fold():
    script = VOLUMES.replace("SliceNet", "SliceNet3D").replace("BATCH", "2")
    d = _error(script)
    assert "flatten(0, 1)" not in (d.help or "")
    assert d.fix is None or not d.fix.edits or all("flatten" not in e.text for e in d.fix.edits)
