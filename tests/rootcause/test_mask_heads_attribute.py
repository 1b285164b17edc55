"""A per-sample (N, L, S) mask made in a module's forward for its own ``self.attn`` (nn.MultiheadAttention wants
(N·heads, L, S)): the fix repeats it per head where it is made, spelled ``self.attn.num_heads`` -- a number would be
right for this head count only (an unseen reviewer's finding on rw23b). torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Cross(nn.Module):
        def __init__(self, dim=16, heads=4):
            super().__init__()
            self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)

        def forward(self, q, kv, q_ok, kv_ok):
            block = ~(q_ok[:, :, None] & kv_ok[:, None, :])
            block[:, :, 0] = False
            out, _ = self.attn(q, kv, kv, attn_mask=block)
            return out


    model = Cross()
    out = model(torch.randn(3, 5, 16), torch.randn(3, 7, 16), torch.ones(3, 5, dtype=torch.bool),
                torch.ones(3, 7, dtype=torch.bool))
""").lstrip()

FIXED = SRC.replace("block = ~(q_ok[:, :, None] & kv_ok[:, None, :])",
                    "block = (~(q_ok[:, :, None] & kv_ok[:, None, :])).repeat_interleave(self.attn.num_heads, dim=0)")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_repeated_per_head_by_the_layers_own_count():
    (d,) = _errors(SRC)
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == FIXED
    assert not _errors(FIXED)


def test_what_torch_does():
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(FIXED)["out"].shape) == (3, 5, 16)
