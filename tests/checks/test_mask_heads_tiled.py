"""SHP226: ``mask.repeat(num_heads, 1, 1)`` on a per-sample (N, L, S) mask tiles the batch, where
``nn.MultiheadAttention`` reads row ``n * num_heads + h`` as head ``h`` of sample ``n``: heads get other samples'
masks. torch is the oracle: with the tiled mask a sample's output changes when another sample's length changes; with
``repeat_interleave`` it does not (rw18b, a clip classifier with a windowed padding mask)."""
from pathlib import Path

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "codes" / "examples"
SRC = (EXAMPLES / "SHP226_bad.py").read_text()
PROBE = """
torch.manual_seed(0)
block = Block().eval()
x = torch.randn(3, 5, 16)
first = block(x, torch.tensor([5, 3, 2]))[0]
other = block(x, torch.tensor([5, 3, 4]))[0]  # only sample 2's length changes
"""


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "warning"]


def test_the_tiled_mask_is_reported_and_interleaved():
    (d,) = _warnings(SRC)
    assert d.code == "SHP226" and d.primary.span.line == 13
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "attn_mask=mask.repeat_interleave(4, dim=0)" in fixed
    assert not _warnings(fixed)


def test_a_mask_for_one_sample_or_tiled_heads_of_one_is_quiet():
    assert not _warnings(SRC.replace("torch.randn(3, 5, 16), torch.tensor([5, 3, 2])",
                                     "torch.randn(1, 5, 16), torch.tensor([5])"))


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    wrong = run(SRC + PROBE)
    assert not bool((wrong["first"] - wrong["other"]).abs().max() < 1e-6)  # sample 0 sees sample 2's mask
    right = run(SRC.replace("mask.repeat(4, 1, 1)", "mask.repeat_interleave(4, dim=0)") + PROBE)
    assert bool((right["first"] - right["other"]).abs().max() < 1e-6)
