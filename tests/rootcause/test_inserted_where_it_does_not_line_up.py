"""Mean pooling of token states with a (B, T) attention mask: ``mask.unsqueeze(1).expand(h.size())`` gives (B, 1, T),
whose T meets the feature axis D, and torch refuses to expand it; ``h * mask.unsqueeze(1)`` fails to broadcast the
same way. The insertion position is the mistake: ``unsqueeze(-1)`` gives (B, T, 1), which lines up. When two
positions would line up (a square case), nothing is claimed about the insertion. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Pooler(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(100, 16)

        def forward(self, ids, attention_mask):
            h = self.emb(ids)
            mask = attention_mask.unsqueeze(1).expand(h.size()).float()
            return (h * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)


    model = Pooler()
    ids = torch.randint(1, 100, (4, 9))
    pooled = model(ids, torch.ones(4, 9, dtype=torch.long))
""").lstrip()

BROADCAST = SRC.replace("attention_mask.unsqueeze(1).expand(h.size()).float()", "attention_mask.unsqueeze(1).float()")
SQUARE = SRC.replace("nn.Embedding(100, 16)", "nn.Embedding(100, 9)").replace("(4, 9)", "(9, 9)").replace(
    "torch.ones(4, 9,", "torch.ones(9, 9,")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("src", [SRC, BROADCAST], ids=["expand", "broadcast"])
def test_the_insertion_is_moved_to_where_the_axes_line_up(src):
    (d,) = _errors(src)
    assert d.cause == "axis-inserted-elsewhere" and d.primary.span.line == 12
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "attention_mask.unsqueeze(-1)" in fixed and _errors(fixed) == []


def test_square_shapes_that_line_up_either_way_are_not_blamed_on_the_insertion():
    assert all(d.cause != "axis-inserted-elsewhere" for d in _errors(SQUARE))


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="expanded size"):
        run(SRC)
    with pytest.raises(RuntimeError, match="must match the size"):
        run(BROADCAST)
    for src in (SRC, BROADCAST):
        assert tuple(run(src.replace("unsqueeze(1)", "unsqueeze(-1)"))["pooled"].shape) == (4, 16)
