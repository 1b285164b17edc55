"""Time-major attention: (T, B, E) viewed (T * B, E) so a per-token Linear scores every token, then a softmax over
the one score of each row. The view is not the mistake -- it keeps one row per token of every sample -- and is not
blamed (its "keep the batch axis" help would make (T, B * E) rows and break the model); the softmax is."""
import textwrap

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Scorer(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(100, 8)
            self.attn = nn.Linear(8, 1)

        def forward(self, text):
            seq_len, batch = text.size()
            x = self.embed(text)
            x = x.view(-1, x.size(2))
            weights = F.softmax(self.attn(x), dim=1)
            return (weights * x).view(seq_len, batch, -1).sum(0)

    out = Scorer()(torch.randint(0, 100, (16, 20)))
""").lstrip()



def test_the_softmax_is_reported_not_the_token_rows():
    found = [d for d in check_source("case.py", SRC).diagnostics if d.code == "SHP210"]
    assert len(found) == 1 and found[0].primary.span.line == 15
    assert "x.size(0), -1" not in found[0].help
