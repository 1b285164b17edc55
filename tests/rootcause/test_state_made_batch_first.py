"""An initial RNN state made (batch, layers, hidden) by an ``init_hidden`` that follows ``batch_first=True``: PyTorch
takes states as (layers, batch, hidden) whatever batch_first says. The mistake is the order written where the state
is made, fixed there (not by a transpose where it is passed). Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Tagger(nn.Module):
        def __init__(self, hidden=24, layers=2):
            super().__init__()
            self.hidden, self.layers = hidden, layers
            self.rnn = nn.GRU(8, hidden, num_layers=layers, batch_first=True)

        def init_hidden(self, batch_size):
            return torch.zeros(batch_size, self.layers, self.hidden)

        def forward(self, x):
            out, h_n = self.rnn(x, self.init_hidden(x.size(0)))
            return h_n[-1]


    final = Tagger()(torch.randn(5, 7, 8))
""").lstrip()


def test_the_state_is_made_with_the_layers_first():
    with pytest.raises(RuntimeError):
        run(SCRIPT)
    (d,) = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 12
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "torch.zeros(self.layers, batch_size, self.hidden)" in fixed and "transpose" not in fixed
    assert tuple(run(fixed)["final"].shape) == (5, 24)


def test_a_correct_helper_in_another_module_is_not_blamed():
    """The failing GRU's own module makes its state (x.size(0), 2, 16); a helper elsewhere that makes a state
    batch-first and transposes it is correct and is not the diagnosis."""
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn


        class Enc(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = 2
                self.rnn = nn.GRU(8, 16, num_layers=2, batch_first=True)

            def init_hidden(self, bs):
                return torch.zeros(bs, self.layers, 16).transpose(0, 1).contiguous()

            def forward(self, x):
                return self.rnn(x, self.init_hidden(x.size(0)))[0]


        class Dec(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = nn.GRU(16, 16, num_layers=2, batch_first=True)

            def forward(self, x):
                return self.rnn(x, torch.zeros(x.size(0), 2, 16))[0]


        out = Dec()(Enc()(torch.randn(4, 5, 8)))
    """).lstrip()
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.primary.span.line != 12 and d.cause != "state-batch-first"
