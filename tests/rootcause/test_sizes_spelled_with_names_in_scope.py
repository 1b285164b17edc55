"""A decoder cell fed the embedding joined to a bidirectional encoder's context: ``nn.GRUCell(hp["emb_dim"] +
hp["enc_hidden"], ...)`` receives ``emb_dim + 2 * enc_hidden`` features. The fix writes the size the way the
function building the cell reads its settings -- ``hp["emb_dim"] + hp["enc_hidden"] * 2`` -- not the number 320,
which would be right for these settings only. PyTorch is the oracle (the fix runs at other settings too)."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    HPARAMS = {"vocab": 50, "emb_dim": 64, "enc_hidden": 128, "dec_hidden": 96}


    class Decoder(nn.Module):
        def __init__(self, hp):
            super().__init__()
            self.emb = nn.Embedding(hp["vocab"], hp["emb_dim"])
            self.enc = nn.LSTM(hp["emb_dim"], hp["enc_hidden"], batch_first=True, bidirectional=True)
            self.cell = nn.GRUCell(hp["emb_dim"] + hp["enc_hidden"], hp["dec_hidden"])

        def forward(self, src, tok, s):
            enc_out, _ = self.enc(self.emb(src))
            context = enc_out.mean(dim=1)
            return self.cell(torch.cat([self.emb(tok), context], dim=-1), s)


    dec = Decoder(HPARAMS)
    out = dec(torch.randint(0, 50, (4, 7)), torch.randint(0, 50, (4,)), torch.zeros(4, 96))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_size_is_written_with_the_settings_in_scope():
    (d,) = _errors(SRC)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert 'nn.GRUCell(hp["emb_dim"] + hp["enc_hidden"] * 2, hp["dec_hidden"])' in fixed
    assert _errors(fixed) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="input has inconsistent input_size"):
        run(SRC)
    fixed = SRC.replace('hp["emb_dim"] + hp["enc_hidden"], hp', 'hp["emb_dim"] + hp["enc_hidden"] * 2, hp')
    assert tuple(run(fixed)["out"].shape) == (4, 96)
    other = fixed.replace('"emb_dim": 64, "enc_hidden": 128', '"emb_dim": 32, "enc_hidden": 16')
    assert tuple(run(other)["out"].shape) == (4, 96)  # a number would have broken here
