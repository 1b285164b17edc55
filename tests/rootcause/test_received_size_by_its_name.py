"""A layer inside a block sized by the block's input (``Conv2d(inp, ...)``) where it receives the expanded width
that the block named (``oup = inp * expand_ratio``): the fix sizes it by that name, never by a formula with the
expansion written as a number (``inp * 6``), which breaks for a block with another ratio. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, inp, expand_ratio):
            super().__init__()
            oup = inp * expand_ratio
            self.expand = nn.Conv2d(inp, oup, 1)
            self.squeeze = nn.Conv2d(inp, 4, 1)

        def forward(self, x):
            return self.squeeze(torch.relu(self.expand(x)))


    net = nn.Sequential(Block(8, 6), nn.Conv2d(4, 4, 1), Block(4, 4))
    out = net(torch.randn(2, 8, 5, 5))
""").lstrip()


def test_the_received_width_is_written_by_the_blocks_own_name():
    with pytest.raises(RuntimeError):
        run(SCRIPT)
    errors = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", SCRIPT, errors, ("safe", "unsafe")).source
    assert "self.squeeze = nn.Conv2d(oup, 4, 1)" in fixed
    assert tuple(run(fixed)["out"].shape) == (2, 4, 5, 5)  # both blocks, expansion 6 and 4
