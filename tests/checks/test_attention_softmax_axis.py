"""SHP216: a softmax over a middle axis of Q Kᵀ attention scores. Torch is the oracle: the bad weights do not sum to
1 over the keys, the fixed ones do; attention pooling over time (a Linear score, softmax over dim=1) is right."""
from pathlib import Path

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "codes" / "examples"


def _loud(src: str) -> list:
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("transpose", ["k.transpose(1, 2)", "k.transpose(-2, -1)", "k.permute(0, 2, 1)"])
def test_reported_and_fixed_to_the_key_axis(transpose):
    src = (EXAMPLES / "SHP216_bad.py").read_text().replace("k.transpose(1, 2)", transpose)
    (d,) = _loud(src)
    assert d.code == "SHP216" and "F.softmax(scores, dim=1)" in src.splitlines()[d.primary.span.line - 1]
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "F.softmax(scores, dim=-1)" in fixed and not _loud(fixed)


def test_what_torch_does_with_it():
    torch = pytest.importorskip("torch")
    q, k = torch.randn(2, 6, 8), torch.randn(2, 40, 8)
    scores = q @ k.transpose(1, 2)
    assert not torch.allclose(torch.softmax(scores, dim=1).sum(-1), torch.ones(2, 6))
    assert torch.allclose(torch.softmax(scores, dim=-1).sum(-1), torch.ones(2, 6))


def test_attention_pooling_over_time_is_left_alone():
    src = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class Pool(nn.Module):
    def __init__(self, dim=32):
        super().__init__()
        self.score = nn.Linear(dim, 1)

    def forward(self, x):
        w = F.softmax(self.score(x), dim=1)
        return (w * x).sum(1)


out = Pool()(torch.randn(4, 10, 32))
"""
    assert not _loud(src)
