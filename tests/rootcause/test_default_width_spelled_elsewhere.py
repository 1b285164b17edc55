"""Bahdanau attention built with its defaults (``Attention()``: ``enc_hid=HID_DIM``) for a bidirectional encoder
whose outputs are ``2 * HID_DIM`` wide: the Linear over ``cat([s, enc_outputs])`` raises inside the attention.
Of the two defaults that could make it fit, the one named like the joined encoder outputs is passed where the
object is made, spelled as the file writes that width elsewhere -- not the Linear resized, not a default changed.
Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    HID_DIM = 16


    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = nn.GRU(8, HID_DIM, batch_first=True, bidirectional=True)
            self.fc = nn.Linear(2 * HID_DIM, HID_DIM)

        def forward(self, x):
            outputs, hidden = self.rnn(x)
            return outputs, torch.tanh(self.fc(torch.cat([hidden[-2], hidden[-1]], dim=1)))


    class Attention(nn.Module):
        def __init__(self, enc_hid=HID_DIM, dec_hid=HID_DIM):
            super().__init__()
            self.attn = nn.Linear(enc_hid + dec_hid, dec_hid)
            self.v = nn.Linear(dec_hid, 1, bias=False)

        def forward(self, dec_hidden, enc_outputs):
            s = dec_hidden.unsqueeze(1).repeat(1, enc_outputs.shape[1], 1)
            energy = torch.tanh(self.attn(torch.cat([s, enc_outputs], dim=2)))
            return torch.softmax(self.v(energy).squeeze(2), dim=1)


    enc, attention = Encoder(), Attention()
    enc_out, hidden = enc(torch.randn(4, 7, 8))
    weights = attention(hidden, enc_out)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_default_named_for_the_encoder_outputs_is_passed():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 30
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "Attention(enc_hid=2 * HID_DIM)" in fixed and "def __init__(self, enc_hid=HID_DIM" in fixed
    assert not _errors(fixed)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(SRC.replace("Attention()", "Attention(enc_hid=2 * HID_DIM)"))["weights"].shape) == (4, 7)
