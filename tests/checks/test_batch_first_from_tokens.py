"""SHP205 from a model fed token ids (B, T): an Embedding makes (B, T, E) and an nn.MultiheadAttention left at
batch_first=False reads it as (sequence=B, batch=T, ...) -- attention across the samples of the batch -- while the
model returns one row per sample. Torch is the oracle: a sample's output changes when another sample changes."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(50, 16)
            self.attn = nn.MultiheadAttention(16, 2)
            self.head = nn.Linear(16, 3)

        def forward(self, tokens):
            x = self.embed(tokens)
            a, _ = self.attn(x, x, x)
            return self.head(a.mean(dim=1))


    model = Encoder()
    logits = model(torch.randint(0, 50, (8, 12)))
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP205"]


def test_reported_at_the_attention():
    (d,) = _warnings(SRC)
    assert d.primary.span.line == 9  # self.attn = nn.MultiheadAttention(16, 2)


def test_batch_first_is_left_alone():
    assert not _warnings(SRC.replace("nn.MultiheadAttention(16, 2)", "nn.MultiheadAttention(16, 2, batch_first=True)"))


def test_what_torch_does():
    torch = pytest.importorskip("torch")
    scope = run(SRC)
    model = scope["model"].eval()
    t = torch.randint(0, 50, (8, 12))
    u = t.clone()
    u[1] = (u[1] + 1) % 50  # change sample 1 only
    assert not torch.allclose(model(t)[0], model(u)[0])  # sample 0's output depends on sample 1
