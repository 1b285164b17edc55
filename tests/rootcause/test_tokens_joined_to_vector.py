"""Late fusion in PyTorch: a text branch returns every token's vector (B, T, D) from its Transformer encoder while
the image branch gives one pooled vector (B, F); ``torch.cat(..., dim=1)`` fails on ranks 2 and 3. The mistake is in
the text branch, which was meant to pool its tokens: blamed at its ``return``, fixed there with a mean over the
tokens (the head was sized F + D). The fix is checked at a second batch size with the loss's targets resized too.
Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class TextEncoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(100, 32)
            self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(32, 4, 64, batch_first=True), 1)

        def forward(self, tokens):
            h = self.enc(self.emb(tokens))
            return h


    class Fusion(nn.Module):
        def __init__(self):
            super().__init__()
            self.img = nn.Sequential(nn.Conv2d(3, 16, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten())
            self.txt = TextEncoder()
            self.head = nn.Linear(16 + 32, 4)

        def forward(self, image, tokens):
            return self.head(torch.cat([self.img(image), self.txt(tokens)], dim=1))


    images = torch.randn(6, 3, 16, 16)
    tokens = torch.randint(0, 100, (6, 10))
    labels = torch.randint(0, 4, (6,))
    logits = Fusion()(images, tokens)
    loss = F.cross_entropy(logits, labels)
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_branch_that_keeps_its_tokens_pools_them_where_it_returns_them():
    with pytest.raises(RuntimeError):
        run(SCRIPT)
    (d,) = _loud(SCRIPT)
    assert d.code == "SHP106" and d.primary.span.line == 14  # return h
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "return h.mean(dim=1)" in fixed and "flatten(1)" not in fixed and not _loud(fixed)
    assert tuple(run(fixed)["logits"].shape) == (6, 4)


def test_a_branch_that_pools_its_tokens_is_fine():
    pooled = SCRIPT.replace("        return h\n", "        return h[:, 0]\n")
    assert tuple(run(pooled)["logits"].shape) == (6, 4) and not _loud(pooled)


def test_tokens_joined_in_the_function_that_made_them_are_not_pooled_at_its_return():
    """``x = self.encoder(...)``, ``x = torch.cat([x, ...])``, ``x = self.head(x)``, ``return x``: the return is the
    model's logits, not a branch handing over its tokens -- pooling it would average the classes."""
    src = textwrap.dedent("""
        import torch
        import torch.nn as nn


        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.emb = nn.Embedding(100, 32)
                self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(32, 4, batch_first=True), 2)
                self.mlp = nn.Linear(8, 16)
                self.head = nn.Linear(48, 4)

            def forward(self, x, feats):
                x = self.encoder(self.emb(x))
                x = torch.cat([x, self.mlp(feats)], dim=1)
                x = self.head(x)
                return x


        out = Net()(torch.randint(0, 100, (6, 10)), torch.randn(6, 8))
    """).lstrip()
    (d,) = _loud(src)
    assert d.primary.span.line != 17 and "mean(dim=1)" not in "".join(e.text for e in (d.fix.edits if d.fix else []))
