"""An attention layer sized ``ENC_HID_DIM + DEC_HID_DIM`` but given a decoder state joined to a bidirectional
encoder's outputs (rw20a, unseen; the fix ``... + 128`` was judged a workaround: it breaks when ENC_HID_DIM changes).
The size it receives is written the way it was computed, by name: ``DEC_HID_DIM + ENC_HID_DIM * 2``. torch is the
oracle, at two encoder widths."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    ENC_HID_DIM = 32
    DEC_HID_DIM = 32


    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.attn = nn.Linear(ENC_HID_DIM + DEC_HID_DIM, DEC_HID_DIM)
            self.v = nn.Linear(DEC_HID_DIM, 1, bias=False)

        def forward(self, hidden, encoder_outputs):
            steps = encoder_outputs.shape[1]
            hidden = hidden.unsqueeze(1).repeat(1, steps, 1)
            energy = torch.tanh(self.attn(torch.cat((hidden, encoder_outputs), dim=2)))
            return torch.softmax(self.v(energy).squeeze(2), dim=1)


    encoder = nn.GRU(16, ENC_HID_DIM, bidirectional=True, batch_first=True)
    outputs, _ = encoder(torch.randn(4, 10, 16))
    weights = Attention()(torch.randn(4, DEC_HID_DIM), outputs)
""").lstrip()


def test_the_size_is_written_as_it_was_computed():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "nn.Linear(DEC_HID_DIM + ENC_HID_DIM * 2, DEC_HID_DIM)" in fixed
    assert tuple(run(fixed)["weights"].shape) == (4, 10)
    assert tuple(run(fixed.replace("ENC_HID_DIM = 32", "ENC_HID_DIM = 24"))["weights"].shape) == (4, 10)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
