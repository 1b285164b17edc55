"""An LSTM given one tensor as its initial state (an ``init_hidden`` written for a GRU) where it takes the pair
``(h_0, c_0)``: PyTorch raises inside the LSTM; the mistake is where the state is made, and the fix makes the pair
there. Stacking the two, or a first axis of 2, is not the fix. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

HEADER = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.LSTM(8, 24, batch_first=True)
            self.out = nn.Linear(24, 3)
""").lstrip()

MADE_IN_FORWARD = HEADER + textwrap.indent(textwrap.dedent("""
    def forward(self, x):
        h = torch.zeros(1, x.size(0), 24)
        out, _ = self.rnn(x, h)
        return self.out(out[:, -1])
"""), "    ") + "\n\nfinal = Tagger()(torch.randn(5, 7, 8))\n"

MADE_BY_METHOD = HEADER + textwrap.indent(textwrap.dedent("""
    def init_hidden(self, batch):
        return torch.zeros(1, batch, 24)

    def forward(self, x):
        out, _ = self.rnn(x, self.init_hidden(x.size(0)))
        return self.out(out[:, -1])
"""), "    ") + "\n\nfinal = Tagger()(torch.randn(5, 7, 8))\n"

MADE_BY_CALLER = HEADER + textwrap.indent(textwrap.dedent("""
    def forward(self, x, state):
        out, state = self.rnn(x, state)
        return self.out(out[:, -1]), state
"""), "    ") + textwrap.dedent("""


    def zero_state(batch):
        return torch.zeros(1, batch, 24)


    final, _ = Tagger()(torch.randn(5, 7, 8), zero_state(5))
""")


@pytest.mark.parametrize("src, line", [(MADE_IN_FORWARD, 12), (MADE_BY_METHOD, 12), (MADE_BY_CALLER, 18)])
def test_the_pair_is_made_where_the_state_is_made(src, line):
    with pytest.raises((RuntimeError, IndexError)):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.primary.span.line == line
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "stack" not in fixed and "zeros(2," not in fixed
    assert tuple(run(fixed)["final"].shape) == (5, 3)
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]


def test_a_pair_is_not_blamed():
    src = MADE_IN_FORWARD.replace("self.rnn(x, h)", "self.rnn(x, (h, h))")
    assert tuple(run(src)["final"].shape) == (5, 3)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_maker_shared_with_a_gru_is_left_alone():
    """zero_state() also feeds a GRU, which takes one tensor (a tuple fails): the pair is not made in the helper
    (code review: the fix broke the GRU)."""
    src = MADE_BY_CALLER.replace("final, _ = Tagger()(torch.randn(5, 7, 8), zero_state(5))", textwrap.dedent("""
        gru = nn.GRU(8, 24, batch_first=True)
        seq, _ = gru(torch.randn(5, 7, 8), zero_state(5))
        final, _ = Tagger()(torch.randn(5, 7, 8), zero_state(5))""").strip())
    with pytest.raises((RuntimeError, IndexError)):
        run(src)
    found = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert found and all(d.cause != "state-not-pair" for d in found)
    fixed = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert "return torch.zeros(1, batch, 24)" in fixed
