"""A residual block whose two 3x3 convs both take the block's stride while the projection shortcut is strided
once: the add fails (H/4 against H/2). The block's stride belongs on its first wide conv; the fix gives the second
``stride=1`` where it is written. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

BLOCK = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Block(nn.Module):
        def __init__(self, cin, cout, stride=1):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)
            self.conv2 = nn.Conv2d(cout, cout, 3, stride=stride, padding=1)
            self.shortcut = nn.Identity()
            if stride != 1 or cin != cout:
                self.shortcut = nn.Conv2d(cin, cout, 1, stride=stride)

        def forward(self, x):
            out = self.conv2(F.relu(self.conv1(x)))
            return F.relu(out + self.shortcut(x))


    net = nn.Sequential(Block(3, 16), Block(16, 32, stride=2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(32, 10))
    logits = net(torch.randn(4, 3, 32, 32))
""").lstrip()


def test_the_second_conv_takes_stride_one():
    with pytest.raises(RuntimeError):
        run(BLOCK)
    (d,) = [d for d in check_source("case.py", BLOCK).diagnostics if d.severity == "error"]
    assert d.cause == "stride-twice" and d.primary.span.line == 10
    fixed = fix_source("case.py", BLOCK, [d], ("safe", "unsafe")).source
    assert "self.conv2 = nn.Conv2d(cout, cout, 3, stride=1, padding=1)" in fixed
    assert "self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1)" in fixed
    assert tuple(run(fixed)["logits"].shape) == (4, 10)


def test_a_block_strided_once_is_not_blamed():
    src = BLOCK.replace("self.conv2 = nn.Conv2d(cout, cout, 3, stride=stride, padding=1)",
                        "self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)")
    assert tuple(run(src)["logits"].shape) == (4, 10)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
