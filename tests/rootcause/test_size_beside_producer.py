"""An MLP built in a loop over widths, ``Linear(widths[i], widths[i + 1])`` then ``BatchNorm1d(widths[i])``: the norm
is sized by the Linear's input. The fix spells the size as the Linear's output, written a line above
(``widths[i + 1]``) -- never a number, which would hold for the first layer only. The widths come from an argparse
string option (``type=str``, ``"512,256"``). PyTorch is the oracle."""
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import argparse
    import torch
    import torch.nn as nn

    p = argparse.ArgumentParser()
    p.add_argument("--layers", type=str, default="64,32")
    args = p.parse_args([])


    class MLP(nn.Module):
        def __init__(self, in_dim, hidden):
            super().__init__()
            widths = [in_dim] + hidden
            blocks = []
            for i in range(len(widths) - 1):
                blocks.append(nn.Linear(widths[i], widths[i + 1]))
                blocks.append(nn.BatchNorm1d(widths[i]))
                blocks.append(nn.ReLU())
            self.net = nn.Sequential(*blocks)

        def forward(self, x):
            return self.net(x)


    model = MLP(16, [int(h) for h in args.layers.split(",")])
    out = model(torch.randn(8, 16))
""").lstrip()


def test_the_norm_is_sized_by_the_linear_output_written_above():
    r = check_source("case.py", SRC)
    (d,) = [d for d in r.diagnostics if d.severity == "error"]
    assert d.code == "SHP102" and d.primary.span.line == 17
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert "nn.BatchNorm1d(widths[i + 1])" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]
    pytest.importorskip("torch")
    from oracle import run
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(fixed)["out"].shape) == (8, 32)
