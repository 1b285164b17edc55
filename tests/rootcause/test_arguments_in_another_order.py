"""``PositionalEncoding(d_model, max_frames)`` for ``def __init__(self, max_len, d_model)``: the call passes a
variable named like one parameter in the place of another, so the table is (1, 32, 64) for 32-wide tokens. The call
is the mistake: the fix passes each argument by its parameter's name. Changing the data's length or the model width
would hide it. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class PositionalEncoding(nn.Module):
        def __init__(self, max_len, d_model):
            super().__init__()
            self.register_buffer("pe", torch.zeros(1, max_len, d_model))

        def forward(self, x):
            return x + self.pe[:, : x.size(1), :]


    class Encoder(nn.Module):
        def __init__(self, n_feats=6, d_model=32, max_frames=64):
            super().__init__()
            self.embed = nn.Linear(n_feats, d_model)
            self.pos = PositionalEncoding(d_model, max_frames)

        def forward(self, x):
            return self.pos(self.embed(x))


    out = Encoder()(torch.randn(4, 50, 6))
""").lstrip()


def test_the_call_passes_each_argument_by_name():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.line == SRC.splitlines().index("        self.pos = PositionalEncoding(d_model, max_frames)") + 1
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "self.pos = PositionalEncoding(max_len=max_frames, d_model=d_model)" in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (4, 50, 32)
    with pytest.raises(RuntimeError):
        run(SRC)


def test_arguments_in_their_order_are_not_blamed():
    src = SRC.replace("PositionalEncoding(d_model, max_frames)", "PositionalEncoding(max_frames, d_model)")
    assert [d for d in check_source("case.py", src).diagnostics if d.severity == "error"] == []
