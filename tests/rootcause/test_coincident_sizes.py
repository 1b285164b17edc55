"""An attention decoder's GRU sized ``2 * embed_size`` receives the embedding (embed_size) joined to the context
(num_hiddens): the size it needs is ``embed_size + num_hiddens`` -- not ``(2 * embed_size) + embed_size``, which
has the same value only because num_hiddens happens to be twice embed_size. PyTorch is the oracle, at another
num_hiddens too."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    class Decoder(nn.Module):
        def __init__(self, vocab_size, embed_size, num_hiddens):
            super().__init__()
            self.embedding = nn.Embedding(vocab_size, embed_size)
            self.rnn = nn.GRU(2 * embed_size, num_hiddens)

        def forward(self, tokens, context, state):
            joined = torch.cat((self.embedding(tokens), context), dim=1)
            return self.rnn(joined.unsqueeze(0), state)

    CFG = dict(vocab_size=100, embed_size=64, num_hiddens=HIDDEN)
    decoder = Decoder(CFG["vocab_size"], CFG["embed_size"], CFG["num_hiddens"])
    context = torch.randn(4, CFG["num_hiddens"])
    out, state = decoder(torch.zeros(4, dtype=torch.long), context, torch.zeros(1, 4, CFG["num_hiddens"]))
""").lstrip()


def test_the_size_is_spelled_from_what_was_joined():
    src = SRC.replace("HIDDEN", "128")
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    fixed = apply_edits(src, d.fix.edits)
    assert "nn.GRU(embed_size + num_hiddens, num_hiddens)" in fixed
    assert "(2 * embed_size) + embed_size" not in d.help + " ".join(n for n in d.notes)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC.replace("HIDDEN", "128"))
    for hidden in (128, 96):
        fixed = SRC.replace("HIDDEN", str(hidden)).replace("nn.GRU(2 * embed_size", "nn.GRU(embed_size + num_hiddens")
        assert tuple(run(fixed)["out"].shape) == (1, 4, hidden)
