"""Channels-last images converted in a Dataset's ``__getitem__`` (``torch.from_numpy(img)`` of an (H, W, C) item)
and fed to ``nn.Conv2d``: the fix permutes the item where it is converted, with the item's own axes
(``.permute(2, 0, 1)``), not the batch's (0, 3, 1, 2) -- which the fix contract rightly refused. PyTorch is the
oracle."""
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, Dataset

    images = np.random.rand(32, 16, 16, 3).astype(np.float32)


    class Items(Dataset):
        def __len__(self):
            return len(images)

        def __getitem__(self, idx):
            img = torch.from_numpy(images[idx])
            return img, 0


    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
    for x, y in DataLoader(Items(), batch_size=8):
        out = model(x)
""").lstrip()


def test_the_item_is_permuted_with_its_own_axes():
    r = check_source("case.py", SRC)
    (d,) = [d for d in r.diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert "img = torch.from_numpy(images[idx]).permute(2, 0, 1)" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]
    pytest.importorskip("torch")
    from oracle import run
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(fixed)["out"].shape) == (8, 2)
