"""einops rearrange / reduce / repeat and the Rearrange layer on PyTorch tensors, table-driven through
``y = <expr>`` in shapelint's evaluator; every row is also run with real einops 0.8 on torch tensors
(``test_rows_match_einops``, skipped when einops is not installed)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "differential"))
from torch_ops_harness import shapelint_result, torch_result  # noqa: E402

E = "from einops import rearrange, reduce, repeat\nx = torch.randn(2, 3, 32, 32)\nt = torch.randn(2, 10, 64)"
L = "import torch.nn as nn\nfrom einops.layers.torch import Rearrange, Reduce\nx = torch.randn(2, 3, 32, 32)"
ROWS = [
    (E, "rearrange(x, 'b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=8, p2=8)", (2, 16, 192)),
    (E, "rearrange(x, 'b c h w -> b (c h w)')", (2, 3072)),
    (E, "rearrange(x, 'b c h w -> b h w c')", (2, 32, 32, 3)),
    (E, "rearrange(x, 'b ... -> b (...)')", (2, 3072)),
    (E, "rearrange(t, 'b n (h d) -> b h n d', h=8)", (2, 8, 10, 8)),
    (E, "rearrange(t, 'b n (h d) -> b h n d', h=6)", "error"),
    (E, "rearrange(x, 'b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=5, p2=5)", "error"),
    (E, "rearrange(x, 'b c h -> b (c h)')", "error"),
    (E, "rearrange(x, 'b c h w -> b c h')", "error"),
    (E, "rearrange(t, 'b n d -> b d n 1')", (2, 64, 10, 1)),
    (E, "rearrange(t, 'b (n 2) d -> b n (2 d)')", "error"),  # einops: no anonymous axes but 1 in rearrange
    (E, "reduce(x, 'b c h w -> b c', 'mean')", (2, 3)),
    (E, "reduce(x, 'b c (h 2) (w 2) -> b c h w', 'max')", (2, 3, 16, 16)),
    (E, "reduce(x, 'b c h w -> b c 1 1', 'mean')", (2, 3, 1, 1)),
    (E, "reduce(x, 'b c h w -> b k', 'mean')", "error"),
    (E, "repeat(torch.randn(1, 1, 64), '() n d -> b n d', b=2)", (2, 1, 64)),
    (E, "repeat(t, 'b n d -> b (n r) d', r=3)", (2, 30, 64)),
    (E, "repeat(t, 'b n d -> b n d k')", "error"),
    (E, "rearrange(x, 'b c (h p) w -> b c h p w', p=4, h=9)", "error"),
    (L, "nn.Sequential(Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=8, p2=8), nn.Linear(192, 64))(x)",
     (2, 16, 64)),
    (L, "Reduce('b c h w -> b c', 'mean')(x)", (2, 3)),
]

# a length shapelint cannot follow leaves that axis unknown; the rest is still known
VAGUE = ("from einops import rearrange\nx = torch.randn(2, 3, 32, 32)\nheads = int(input())",
         "rearrange(x, 'b (h c) y z -> b h c (y z)', h=heads)")


@pytest.mark.parametrize("setup,expr,expected", ROWS)
def test_einops(setup, expr, expected):
    got = shapelint_result(setup, expr)
    assert (got[1] if got[0] == "ok" else "error") == expected, got


@pytest.mark.parametrize("setup,expr,expected", ROWS)
def test_rows_match_einops(setup, expr, expected):
    pytest.importorskip("einops")
    got = torch_result(setup, expr)
    assert (got[1] if got[0] == "ok" else "error") == expected, got


def test_a_layer_after_rearrange_is_checked_on_its_output():
    from shapelint.frontends.source.check import check_source
    src = ("import torch\nimport torch.nn as nn\nfrom einops.layers.torch import Rearrange\n"
           "patch = nn.Sequential(Rearrange('b c (h p1) (w p2) -> b (h w) (p1 p2 c)', p1=8, p2=8), nn.Linear(64, 64))\n"
           "y = patch(torch.randn(2, 3, 32, 32))\n")
    errors = [d for d in check_source("e.py", src).diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["SHP101"] and "192" in errors[0].message


def test_an_unknown_length_leaves_only_its_axes_unknown():
    got = shapelint_result(*VAGUE)
    assert got[0] == "ok" and got[1] == (2, None, None, 1024)
