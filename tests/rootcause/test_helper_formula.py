"""A conv output-size helper that leaves out the padding it is passed: ``conv_out(28, 5, padding=2)`` computes
24, the layers produce 28, and the Linear sized from it fails. The root is the helper's formula; hard-coding the
received size would leave the helper wrong for every other setting. Torch is the oracle: the original raises, the
fixed script runs."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_out(size, kernel, stride=1, padding=0):
    return {formula}


class Net(nn.Module):
    def __init__(self, img=28):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, kernel_size=5, padding=2)
        s = conv_out(img, 5, padding=2) // 2
        self.fc = nn.Linear(8 * s * s, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(x.flatten(1))


print(tuple(Net()(torch.randn(4, 1, 28, 28)).shape))
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_padding_is_put_back_into_the_formula():
    src = SRC.format(formula="(size - kernel) // stride + 1")
    (d,) = _loud(src)
    assert d.cause == "formula" and "return (size - kernel)" in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "return (size + 2 * padding - kernel) // stride + 1" in out and "nn.Linear(8 * s * s, 10)" in out
    assert not _loud(out)


def test_a_formula_that_counts_the_padding_is_right():
    assert not _loud(SRC.format(formula="(size + 2 * padding - kernel) // stride + 1"))


def test_what_torch_does():
    pytest.importorskip("torch")
    bad = subprocess.run([sys.executable, "-c", SRC.format(formula="(size - kernel) // stride + 1")],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "cannot be multiplied" in bad.stderr
    good = subprocess.run([sys.executable, "-c", SRC.format(formula="(size + 2 * padding - kernel) // stride + 1")],
                          capture_output=True, text=True)
    assert good.returncode == 0 and good.stdout.strip() == "(4, 10)"
