"""An RNN's initial state made with a layer count written by hand -- ``torch.zeros(1, bsz, self.nhid)`` for an RNN
of ``num_layers=2`` (or a bidirectional one): the literal is blamed and replaced by the RNN's own count, spelled as
the class keeps it (``self.num_layers``, times 2 when bidirectional); the RNN is not rebuilt with fewer layers.
torch is the oracle: the original raises, the fixed file runs at two batch sizes; a state whose batch is wrong too
is not blamed on its layer count."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Scorer(nn.Module):
        def __init__(self, vocab=50, ninp=16, nhid=32, num_layers=2):
            super().__init__()
            self.nhid = nhid
            self.num_layers = num_layers
            self.encoder = nn.Embedding(vocab, ninp)
            self.rnn = nn.KIND(ninp, nhid, num_layers=LAYERS, batch_first=True, bidirectional=BIDI)

        def init_hidden(self, bsz):
            return STATE

        def forward(self, tokens, hidden):
            out, hidden = self.rnn(self.encoder(tokens), hidden)
            return out, hidden


    BSZ = 4
    model = Scorer()
    out, hidden = model(torch.randint(0, 50, (BSZ, 20)), model.init_hidden(BSZ))
""").lstrip()

GRU_STATE = "torch.zeros(1, bsz, self.nhid)"
LSTM_STATE = "(torch.zeros(1, bsz, self.nhid), torch.zeros(1, bsz, self.nhid))"


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("kind, state, layers, bidi, spelled", [
    ("GRU", GRU_STATE, "num_layers", "False", "self.num_layers"),
    ("GRU", GRU_STATE, "num_layers", "True", "self.num_layers * 2"),
    ("GRU", GRU_STATE, "3", "False", "3"),
    ("LSTM", LSTM_STATE, "num_layers", "False", "self.num_layers"),
])
def test_the_written_count_is_blamed_and_follows_the_rnn(kind, state, layers, bidi, spelled):
    src = SRC.replace("KIND", kind).replace("STATE", state).replace("LAYERS", layers).replace("BIDI", bidi)
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = _errors(src)
    assert d.cause == "upstream-literal" and d.primary.span.line == 14
    edited = apply_edits(src, d.fix.edits)
    assert f"torch.zeros({spelled}, bsz, self.nhid)" in edited and f"num_layers={layers}" in edited
    for bsz in ("4", "7"):
        again = edited.replace("BSZ = 4", f"BSZ = {bsz}")
        run(again)
        assert not _errors(again)


def test_a_state_with_another_batch_too_is_not_blamed_on_its_layers():
    src = SRC.replace("KIND", "GRU").replace("STATE", "torch.zeros(1, 3, self.nhid)").replace("LAYERS", "num_layers") \
        .replace("BIDI", "False")
    with pytest.raises(RuntimeError):
        run(src)
    assert all(d.cause != "upstream-literal" for d in _errors(src))
