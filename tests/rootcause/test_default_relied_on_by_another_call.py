"""A model class whose ``in_channels=3`` default is right for the RGB model built without it, and built again without
it for grayscale batches: the first Conv2d of the second model expects 3 channels and gets 1. Changing the default
would break the RGB model; the call that left it out is the slip, and the fix passes ``in_channels=1`` there. With
one call only, the default itself stays where the report points. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class SmallCNN(nn.Module):
        def __init__(self, num_classes=10, in_channels=3, width=16):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(in_channels, width, 3, padding=1), nn.ReLU(),
                                          nn.AdaptiveAvgPool2d(1))
            self.head = nn.Linear(width, num_classes)

        def forward(self, x):
            return self.head(torch.flatten(self.features(x), 1))


    rgb_model = SmallCNN(num_classes=10)
    rgb_out = rgb_model(torch.rand(8, 3, 32, 32))
    gray_model = SmallCNN(num_classes=10)
    gray_out = gray_model(torch.rand(8, 1, 28, 28))
""").lstrip()

ONE_CALL = SRC.replace("rgb_model = SmallCNN(num_classes=10)\n", "").replace(
    "rgb_out = rgb_model(torch.rand(8, 3, 32, 32))\n", "")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_call_that_left_the_default_is_blamed_and_fixed():
    (d,) = _errors(SRC)
    call = SRC.splitlines().index("gray_model = SmallCNN(num_classes=10)") + 1
    assert d.primary.span.line == call and "in_channels=1" in d.help
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "gray_model = SmallCNN(num_classes=10, in_channels=1)" in fixed and "in_channels=3," in fixed
    assert _errors(fixed) == []


def test_a_default_no_other_call_relies_on_is_where_the_report_points():
    (d,) = _errors(ONE_CALL)
    default = ONE_CALL.splitlines().index("    def __init__(self, num_classes=10, in_channels=3, width=16):") + 1
    assert d.primary.span.line == default


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="expected input"):
        run(SRC)
    out = run(SRC.replace("gray_model = SmallCNN(num_classes=10)", "gray_model = SmallCNN(num_classes=10, in_channels=1)"))
    assert tuple(out["gray_out"].shape) == (8, 10) and tuple(out["rgb_out"].shape) == (8, 10)
