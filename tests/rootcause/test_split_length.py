"""An einops split ``"b n (h d)"`` given ``h=self.heads`` = 8 of a 100-wide model: einops raises. The pattern is
right; the head count (or the width) was configured wrong, so the diagnosis points at the config and lists the
counts that divide -- and a rearrange that only moves axes keeps the batch axis (no false "batch merged" story
because 32 samples meet 32 steps). einops is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from einops import rearrange

    CONFIG = {"hidden": 100, "heads": 8}


    class Attention(nn.Module):
        def __init__(self, dim, heads):
            super().__init__()
            self.heads = heads
            self.to_qkv = nn.Linear(dim, dim * 3, bias=False)

        def forward(self, x):
            q, k, v = self.to_qkv(x).chunk(3, dim=-1)
            q = rearrange(q, "b n (h d) -> b h n d", h=self.heads)
            return q


    class Net(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.embed = nn.Conv1d(9, cfg["hidden"], kernel_size=8, stride=4, padding=2)
            self.attn = Attention(cfg["hidden"], cfg["heads"])

        def forward(self, x):
            x = rearrange(self.embed(x), "b d n -> b n d")
            return self.attn(x)


    out = Net(CONFIG)(torch.randn(32, 9, 128))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_configured_count_is_blamed_with_the_counts_that_divide():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 5 and d.cause == "split-length"
    assert "(2, 4, 5, 10, 20, 25)" in d.help and "batch" not in d.help


def test_a_count_that_divides_is_left_alone():
    assert _errors(SRC.replace('"heads": 8', '"heads": 4')) == []


def test_what_einops_does():
    pytest.importorskip("einops")
    pytest.importorskip("torch")
    with pytest.raises(Exception):
        run(SRC)
    assert tuple(run(SRC.replace('"heads": 8', '"heads": 4'))["out"].shape) == (32, 4, 32, 25)
