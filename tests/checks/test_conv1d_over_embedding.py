"""SHP212 (conv1d-tokens): a text CNN's ``Conv1d(in_channels=MAX_LEN)`` given the embedded sequence (B, L, E)
straight from ``Embedding``: the token positions become channels and the filters slide along the embedding. Fixed
by permuting where the conv is called and declaring the embedding width as its channels; the permuted model is
quiet. PyTorch is the oracle for the fixed model."""
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    MAX_LEN, EMBED_DIM = 20, 32


    class TextCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(100, EMBED_DIM)
            self.conv = nn.Conv1d(in_channels=MAX_LEN, out_channels=8, kernel_size=3)
            self.fc = nn.Linear(8, 2)

        def forward(self, tokens):
            x = self.embedding(tokens)
            h = torch.relu(self.conv(x)).amax(dim=2)
            return self.fc(h)


    model = TextCNN()
    out = model(torch.randint(0, 100, (4, MAX_LEN)))
""").lstrip()


def _loud(src):
    r = check_source("case.py", src)
    return r, [d for d in r.diagnostics if d.severity in ("error", "warning")]


def test_tokens_read_as_channels_are_reported_and_permuted():
    r, loud = _loud(SRC)
    assert [(d.code, d.primary.span.line) for d in loud] == [("SHP212", 11)]
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert "nn.Conv1d(in_channels=EMBED_DIM," in fixed and "self.conv(x.permute(0, 2, 1))" in fixed
    assert not _loud(fixed)[1]
    pytest.importorskip("torch")
    from oracle import run
    assert tuple(run(fixed)["out"].shape) == (4, 2)
