"""A width worked out twice: the classifier recomputes ``make_divisible(last_channel * width_mult)`` while the
class already holds ``self.last_channel``, made by another formula (the head kept wide for small models). The second
formula is the mistake -- not the shared helper's body, which every other layer's width also goes through. PyTorch
is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    def make_divisible(v, divisor=8):
        new_v = max(divisor, int(v + divisor / 2) // divisor * divisor)
        if new_v < 0.9 * v:
            new_v += divisor
        return new_v


    class Net(nn.Module):
        def __init__(self, width_mult=1.0, num_classes=10, last_channel=1280):
            super().__init__()
            stem = make_divisible(32 * width_mult)
            self.last_channel = make_divisible(last_channel * max(1.0, width_mult))
            self.features = nn.Sequential(
                nn.Conv2d(3, stem, 3, 2, 1), nn.ReLU6(),
                nn.Conv2d(stem, self.last_channel, 1), nn.ReLU6(),
            )
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.classifier = nn.Linear(make_divisible(last_channel * width_mult), num_classes)

        def forward(self, x):
            return self.classifier(self.pool(self.features(x)).flatten(1))


    model = Net(width_mult=0.5)
    out = model(torch.randn(4, 3, 32, 32))
""").lstrip()

FIXED = SRC.replace("nn.Linear(make_divisible(last_channel * width_mult), num_classes)",
                    "nn.Linear(self.last_channel, num_classes)")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_second_formula_is_blamed_and_the_attribute_used():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 22
    assert any(label.span.line == 16 for label in d.secondary)
    assert apply_edits(SRC, d.fix.edits) == FIXED
    assert _errors(FIXED) == []


def test_the_same_widths_are_not_blamed():
    assert _errors(SRC.replace("Net(width_mult=0.5)", "Net(width_mult=1.0)")) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(FIXED)["out"].shape) == (4, 10)
