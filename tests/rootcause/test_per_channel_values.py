"""ImageNet statistics written as (3,) tensors and applied to (N, 3, H, W) images: broadcasting meets the width,
not the channels. The root cause is where the statistics are made; both get ``.view(-1, 1, 1)`` at once, and the
model is left alone. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

NORMALIZE = textwrap.dedent("""
    import torch
    import torch.nn as nn

    mean = torch.tensor([0.485, 0.456, 0.406])
    std = torch.tensor([0.229, 0.224, 0.225])


    def preprocess(batch):
        return (batch - mean) / std


    model = nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 2))
    logits = model(preprocess(torch.rand(5, 3, 32, 32)))
""").lstrip()


def test_the_statistics_get_the_images_trailing_axes_where_they_are_made():
    with pytest.raises(RuntimeError):
        run(NORMALIZE)
    (d,) = [d for d in check_source("case.py", NORMALIZE).diagnostics if d.severity == "error"]
    assert d.cause == "per-channel-values" and d.line == 4  # where `mean` is made, not where it meets the images
    fixed = fix_source("case.py", NORMALIZE, [d], ("safe", "unsafe")).source
    assert "torch.tensor([0.485, 0.456, 0.406]).view(-1, 1, 1)" in fixed
    assert "torch.tensor([0.229, 0.224, 0.225]).view(-1, 1, 1)" in fixed
    assert "nn.Conv2d(3, 8, 3)" in fixed
    assert tuple(run(fixed)["logits"].shape) == (5, 2)
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]
