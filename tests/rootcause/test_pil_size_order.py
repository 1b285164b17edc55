"""PIL's ``Image.resize`` takes (width, height); written ``resize((IMG_H, IMG_W))`` by its names, the images come out
transposed, and an (N, 1, H, W) depth map then meets an (N, 1, W, H) prediction at the loss. The diagnosis is the
size, the fix writes it (width, height) -- never a transpose of the prediction or the targets. PIL and torch are the
oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from PIL import Image

    IMG_H, IMG_W = 24, 32


    def sample(seed):
        rng = np.random.default_rng(seed)
        photo = Image.fromarray(rng.integers(0, 255, (48, 64, 3), dtype=np.uint8))
        photo = photo.resize((IMG_H, IMG_W))
        image = torch.from_numpy(np.asarray(photo, dtype=np.float32) / 255.0).permute(2, 0, 1)
        depth = torch.from_numpy(rng.uniform(0.5, 10.0, (IMG_H, IMG_W)).astype(np.float32)).unsqueeze(0)
        return image, depth


    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 1, 3, padding=1))
    images, depths = zip(*[sample(i) for i in range(4)])
    pred = model(torch.stack(images))
    loss = F.l1_loss(pred, torch.stack(depths))
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_size_written_height_first_is_the_diagnosis_and_the_fix():
    with pytest.raises(RuntimeError):
        run(SCRIPT)
    (d,) = _loud(SCRIPT)
    assert d.severity == "error" and d.primary.span.line == 13
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "photo.resize((IMG_W, IMG_H))" in fixed and "transpose" not in fixed and not _loud(fixed)
    assert tuple(run(fixed)["pred"].shape) == (4, 1, 24, 32)


def test_width_first_or_a_square_size_say_nothing():
    assert not _loud(SCRIPT.replace("photo.resize((IMG_H, IMG_W))", "photo.resize((IMG_W, IMG_H))"))
    square = SCRIPT.replace("IMG_H, IMG_W = 24, 32", "IMG_H, IMG_W = 32, 32")
    run(square)
    assert not _loud(square)
