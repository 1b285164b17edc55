"""A CIFAR network's "global" pool written with the 8x8 size of its last map, ``F.avg_pool2d(out, 8)``, then
``out.view(-1, channels)``: on 64x64 crops the pool leaves 2x2 positions and the view cuts each sample into 4 rows.
The pool is the root; an adaptive pool to 1 is global for any image size. Widening the head or repeating the labels
is never offered. torch is the oracle: the script raises, the fixed one gives one row per sample at two sizes; the
same network on the 32x32 images it was designed for is left alone."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class SmallNet(nn.Module):
        def __init__(self, classes=10):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                          nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
            self.fc = nn.Linear(32, classes)

        def forward(self, x):
            out = F.avg_pool2d(self.features(x), 8)
            out = out.view(-1, 32)
            return self.fc(out)


    images, labels = torch.randn(BATCH, 3, SIDE, SIDE), torch.randint(0, 10, (BATCH,))
    logits = SmallNet()(images)
    loss = F.cross_entropy(logits, labels)
""").lstrip()


@pytest.mark.parametrize("batch", [4, 6])
def test_the_pool_becomes_global(batch):
    script = SCRIPT.replace("BATCH", str(batch)).replace("SIDE", "64")
    with pytest.raises(ValueError):
        run(script)
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 14
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert "out = F.adaptive_avg_pool2d(self.features(x), 1)" in fixed and "nn.Linear(32, classes)" in fixed
    assert run(fixed)["logits"].shape == (batch, 10)


def test_the_images_it_was_designed_for_are_left_alone():
    script = SCRIPT.replace("BATCH", "4").replace("SIDE", "32")
    assert run(script)["logits"].shape == (4, 10)
    assert not [d for d in check_source("case.py", script).diagnostics if d.severity in ("error", "warning")]
