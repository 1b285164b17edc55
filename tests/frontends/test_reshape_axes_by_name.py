"""A reshape whose sizes coincide ((B, N, D) -> (B, D, h, w) with N == D) looks like a plain split; the names the
sizes were read into (``b, n, d = tokens.shape``, ``h = w = int(n ** 0.5)``) say the features were put before the
tokens without moving them. SHP211 then asks for the transpose first. Also: a model called with a constant beside
its tensor (an output size) is run on the tensor. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

TOKENS = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(16, 2, 1)

        def forward(self, tokens, size):
            b, n, d = tokens.shape
            h = w = int(n ** 0.5)
            fmap = tokens.reshape(b, d, h, w)
            return F.interpolate(self.conv(fmap), size=size)

    head = Head()
    tokens = torch.randn(2, 16, 16)
    out = head(tokens, (8, 8))
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP211"]


def test_the_names_show_the_reorder_and_the_fix_transposes_first():
    (d,) = _found(TOKENS)
    assert d.primary.span.line == 13
    fixed = fix_source("case.py", TOKENS, [d], ("safe", "unsafe")).source
    assert "fmap = tokens.transpose(1, 2).reshape(b, d, h, w)" in fixed and not _found(fixed)


def test_splitting_in_order_is_fine():
    assert not _found(TOKENS.replace("tokens.reshape(b, d, h, w)", "tokens.reshape(b, h, w, d).permute(0, 3, 1, 2)"))


def test_the_model_runs_on_the_tensor_beside_a_constant():
    (model,) = [m for m in check_source("case.py", TOKENS).models if m.name == "head"]
    assert model.program.ops[-1].output.shape == (2, 2, 8, 8)


def test_what_torch_does():
    torch = pytest.importorskip("torch")
    scope = run(TOKENS)
    tokens = scope["tokens"]
    fmap = tokens.reshape(2, 16, 4, 4)
    assert not torch.equal(fmap[0, 3].flatten(), tokens[0, :, 3])  # channel 3 is not feature 3 of every token
    assert torch.equal(tokens.transpose(1, 2).reshape(2, 16, 4, 4)[0, 3].flatten(), tokens[0, :, 3])
