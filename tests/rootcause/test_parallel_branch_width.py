"""Two branches computed from one input and added, of different widths: a side branch (an adapter, a gate, a
second projection) built at another width than the main one. Which side is wrong is what the layers after the sum
need: each side is proposed at the other's width and only the change that keeps the rest of the model running is
offered -- never shrinking the main projection that a split after the sum reads. torch is the oracle."""
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

    HP = {"width": 24, "parts": 2}


    class SideBranch(nn.Module):
        def __init__(self, d_in, d_out, hidden=6):
            super().__init__()
            self.a = nn.Linear(d_in, hidden)
            self.b = nn.Linear(hidden, d_out)

        def forward(self, x):
            return self.b(torch.tanh(self.a(x))) * 0.5


    class Gated(nn.Module):
        def __init__(self, width, parts):
            super().__init__()
            self.parts = parts
            self.proj = nn.Linear(width, width * parts)
            self.side = SideBranch(width, width)
            self.out = nn.Linear(width, 3)

        def forward(self, x):
            h = self.proj(x) + self.side(x)
            value, gate = h.view(x.shape[0], self.parts, -1).unbind(1)
            return self.out(value * torch.sigmoid(gate))


    model = Gated(HP["width"], HP["parts"])
    out = model(torch.randn(BATCH, HP["width"]))
""").lstrip()


@pytest.mark.parametrize("batch", [4, 9])
def test_the_side_branch_is_widened_where_it_is_built(batch):
    script = SCRIPT.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 22  # self.side = SideBranch(width, width): its d_out
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert "self.side = SideBranch(width, width * 2)" in fixed and "nn.Linear(width, width * parts)" in fixed
    assert tuple(run(fixed)["out"].shape) == (batch, 3)
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]


def test_when_nothing_after_the_sum_decides_both_sides_stay_possible():
    """No split after the sum: either width could be meant, and the first fix proposed must still run."""
    script = SCRIPT.replace("BATCH", "4").replace(
        "value, gate = h.view(x.shape[0], self.parts, -1).unbind(1)\n        return self.out(value * torch.sigmoid(gate))",
        "return h")
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    run(fixed)
