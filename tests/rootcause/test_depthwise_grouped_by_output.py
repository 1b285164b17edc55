"""A depthwise convolution with a channel multiplier grouped by its output width (``groups=mid`` with
``mid = in_ch * mult``): torch refuses. The groups are the root and become the input channels; a full convolution
(``groups=1``) is not the fix. torch is the oracle: the fixed conv has one group per input channel."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class DepthwiseMult(nn.Module):
        def __init__(self, in_ch, mult=2):
            super().__init__()
            mid = in_ch * mult
            self.dw = nn.Conv2d(in_ch, mid, 3, 1, 1, groups=mid)
            self.pw = nn.Conv2d(mid, 8, 1)

        def forward(self, x):
            return self.pw(self.dw(x))


    block = DepthwiseMult(6)
    out = block(torch.randn(2, 6, 10, 10))
""").lstrip()


def test_a_depthwise_conv_is_grouped_by_its_input_channels():
    with pytest.raises(ValueError):  # torch refuses it where the conv is built
        run(SCRIPT)
    (d,) = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 9
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "nn.Conv2d(in_ch, mid, 3, 1, 1, groups=in_ch)" in fixed
    scope = run(fixed)
    assert tuple(scope["out"].shape) == (2, 8, 10, 10) and scope["block"].dw.weight.shape[1] == 1
