"""An invalid argument read from a config entry: ``"n_heads": 12`` for a width of 320. The mistake is the entry,
and the fix writes a head count that divides the width there (the nearest, 10), leaving the layer alone. PyTorch is
the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

CONFIG = textwrap.dedent("""
    import torch
    import torch.nn as nn

    CONFIGS = {
        "tiny": {"dim": 64, "layers": 2, "heads": 4},
        "base": {"dim": 320, "layers": 10, "heads": 12},
    }

    class Block(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            self.attn = nn.MultiheadAttention(cfg["dim"], cfg["heads"], batch_first=True)

        def forward(self, x):
            return self.attn(x, x, x)[0]

    cfg = CONFIGS["base"]
    block = Block(cfg)
    y = block(torch.randn(2, 5, cfg["dim"]))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_entry_is_blamed_and_fixed_there():
    (d,) = _errors(CONFIG)
    assert d.code == "SHP107" and d.primary.span.line == 6
    fixed = fix_source("case.py", CONFIG, [d], ("safe", "unsafe")).source
    assert '"base": {"dim": 320, "layers": 10, "heads": 10}' in fixed and not _errors(fixed)
    assert 'nn.MultiheadAttention(cfg["dim"], cfg["heads"], batch_first=True)' in fixed


def test_a_number_in_the_call_stays_at_the_call():
    src = CONFIG.replace('cfg["heads"], batch_first', '12, batch_first')
    (d,) = _errors(src)
    assert d.primary.span.line == 12


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(AssertionError, match="divisible"):
        run(CONFIG)
    assert run(CONFIG.replace('"heads": 12', '"heads": 10'))["y"].shape == (2, 5, 320)
