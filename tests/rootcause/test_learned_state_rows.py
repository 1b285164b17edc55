"""A learned initial state ``nn.Parameter(torch.randn(1, 1, hidden_size) * 0.01)`` for a GRU built with
``num_layers=num_layers``: the literal 1 is blamed and the layer's own settings written there (with the directions
the module keeps in ``self.num_directions``, or spelled from the flag). PyTorch is the oracle, at a second number of
layers and with both directions."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    class Encoder(nn.Module):
        def __init__(self, hidden_size, num_layers=1, bidirectional=False):
            super().__init__()
            self.rnn = nn.GRU(8, hidden_size, num_layers=num_layers, batch_first=True, bidirectional=bidirectional)
            self.num_directions = 2 if bidirectional else 1
            self.starter_h = nn.Parameter(torch.randn(1, 1, hidden_size) * 0.01)

        def forward(self, x):
            h_0 = self.starter_h.expand(-1, x.size(0), -1).contiguous()
            out, h_n = self.rnn(x, h_0)
            return out[:, -1]

    enc = Encoder(16, num_layers=LAYERS, bidirectional=BIDIR)
    out = enc(torch.randn(4, 10, 8))
""").lstrip()


def _fix(src):
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert "torch.randn(1, 1, hidden_size)" in src.splitlines()[d.primary.span.line - 1]
    return apply_edits(src, d.fix.edits)


def test_the_literal_gets_the_layers_and_the_kept_directions():
    fixed = _fix(SRC.replace("LAYERS", "3").replace("BIDIR", "False"))
    assert "torch.randn(num_layers * self.num_directions, 1, hidden_size)" in fixed


def test_without_a_kept_attribute_the_flag_is_spelled():
    src = SRC.replace("LAYERS", "3").replace("BIDIR", "False").replace(
        "        self.num_directions = 2 if bidirectional else 1\n", "")
    assert "torch.randn(num_layers * (2 if bidirectional else 1), 1, hidden_size)" in _fix(src)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC.replace("LAYERS", "3").replace("BIDIR", "False"))
    for layers, bidir in ((3, "False"), (2, "True")):
        fixed = SRC.replace("LAYERS", str(layers)).replace("BIDIR", bidir).replace(
            "torch.randn(1, 1,", "torch.randn(num_layers * self.num_directions, 1,")
        assert tuple(run(fixed)["out"].shape) == (4, 16 * (2 if bidir == "True" else 1))
