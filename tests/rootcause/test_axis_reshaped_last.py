"""``preds.reshape(-1, c)`` on (N, C, H, W) logits with ``c`` read off axis 1: rows of the C class scores at one
pixel are meant (pixel-wise distillation, rw31c), but C is not the last axis, so each row reads C neighbouring values
of one class map. No sample is mixed (each sample's values divide into rows), so this is reported as a reorder, fixed
by moving the axis last first. PyTorch is the oracle: after the fix row i holds pixel i's C scores."""
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn.functional as F


def pixel_rows(preds):
    n, c, h, w = preds.shape
    return F.log_softmax(preds.reshape(-1, c), dim=1)


logits = torch.randn(2, 6, 8, 8)
rows = pixel_rows(logits)
expected = F.log_softmax(logits.permute(0, 2, 3, 1).reshape(-1, 6), dim=1)
same = bool(torch.allclose(rows, expected))
"""


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "warning"]


def test_the_class_axis_is_moved_last_before_the_reshape():
    src = SRC.lstrip()
    assert not run(src)["same"]
    (d,) = _warnings(src)
    assert d.code == "SHP211" and "axis 1" in d.message and "mix values of different samples" not in d.message
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "preds.permute(0, 2, 3, 1).reshape(-1, c)" in fixed and run(fixed)["same"] and not _warnings(fixed)


@pytest.mark.parametrize("line", ["return F.log_softmax(preds.permute(0, 2, 3, 1).reshape(-1, c), dim=1)",
                                  "return F.log_softmax(preds.reshape(-1, w), dim=1)"])
def test_rows_of_the_last_axis_say_nothing(line):
    assert not _warnings(SRC.replace("return F.log_softmax(preds.reshape(-1, c), dim=1)", line).lstrip())
