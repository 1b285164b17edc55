"""Segmentation masks given a unit axis -- ``mask.unsqueeze(0)`` in a Dataset's ``__getitem__`` -- reach
CrossEntropyLoss as (N, 1, H, W) for (N, C, H, W) scores; it takes (N, H, W) class ids. The unit axis is removed
where it was added (never an argmax over it: they are ids, not one-hot rows); maps made whole are squeezed at the
loss. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, Dataset


    class Masks(Dataset):
        def __init__(self, n):
            rng = np.random.default_rng(0)
            self.images = rng.random((n, 3, 16, 16), dtype=np.float32)
            self.masks = rng.integers(0, 4, size=(n, 16, 16))

        def __len__(self):
            return len(self.images)

        def __getitem__(self, i):
            image = torch.from_numpy(self.images[i])
            mask = torch.from_numpy(self.masks[i]).long().unsqueeze(0)
            return image, mask


    model = nn.Conv2d(3, 4, 3, padding=1)
    for images, masks in DataLoader(Masks(8), batch_size=4):
        loss = nn.CrossEntropyLoss()(model(images), masks)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_unit_axis_is_removed_where_each_mask_is_made():
    with pytest.raises(RuntimeError):
        run(SCRIPT)
    (d,) = _errors(SCRIPT)
    assert d.primary.span.line == 18 and all("argmax" not in e.text for e in d.fix.edits)
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "mask = torch.from_numpy(self.masks[i]).long()\n" in fixed and not _errors(fixed)
    run(fixed)


def test_masks_made_whole_are_squeezed_at_the_loss():
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn

        model = nn.Conv2d(3, 4, 3, padding=1)
        masks = torch.randint(0, 4, (4, 1, 16, 16))
        loss = nn.CrossEntropyLoss()(model(torch.rand(4, 3, 16, 16)), masks)
    """).lstrip()
    (d,) = _errors(src)
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "masks.squeeze(1)" in fixed and "argmax" not in fixed
    run(fixed)
