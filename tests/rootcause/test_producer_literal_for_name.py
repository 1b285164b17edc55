"""A time-embedding producer built with a number (``FourierFeatures(embedding_size=8)``: sin and cos of 8
frequencies, 16 features) feeding an MLP sized from the model's setting by the same formula (``nn.Linear(2 * c0,
...)``, ``c0 = 32``). The number is blamed and the setting written there -- not the Linear resized to 16, which
would leave the two sides to disagree again. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class FourierFeatures(nn.Module):
        def __init__(self, embedding_size=16):
            super().__init__()
            self.W = nn.Parameter(torch.randn(embedding_size), requires_grad=False)

        def forward(self, t):
            x = t[:, None] * self.W[None, :]
            return torch.cat([torch.sin(x), torch.cos(x)], dim=-1)


    class TimeNet(nn.Module):
        def __init__(self, widths=(32, 64)):
            super().__init__()
            c0 = widths[0]
            self.proj = FourierFeatures(embedding_size=8)
            self.mlp = nn.Sequential(nn.Linear(2 * c0, 4 * c0), nn.SiLU())

        def forward(self, t):
            return self.mlp(self.proj(t))


    out = TimeNet()(torch.rand(5))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_number_is_replaced_by_the_setting():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 19
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "FourierFeatures(embedding_size=c0)" in fixed and "nn.Linear(2 * c0, 4 * c0)" in fixed
    assert not _errors(fixed)


def test_a_number_that_agrees_is_quiet():
    assert not _errors(SRC.replace("embedding_size=8)", "embedding_size=32)"))


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(SRC.replace("embedding_size=8)", "embedding_size=c0)"))["out"].shape) == (5, 128)
