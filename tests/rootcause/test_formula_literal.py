"""A CRNN whose LSTM input is ``chans[-1] * feat_h`` with ``feat_h = img_h // 4`` while three halving pools leave
``img_h // 8``: the divisor in the formula is the root cause and the fix writes 8 there -- not a layer sized for this
one image height. Torch is the oracle, at two heights."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class CRNN(nn.Module):
        def __init__(self, img_h=32, hidden=16):
            super().__init__()
            chans = [1, 8, 16, 32]
            blocks = []
            for cin, cout in zip(chans[:-1], chans[1:]):
                blocks += [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
            self.cnn = nn.Sequential(*blocks)
            feat_h = img_h // 4
            self.rnn = nn.LSTM(chans[-1] * feat_h, hidden, batch_first=True)

        def forward(self, x):
            f = self.cnn(x)
            b, c, h, w = f.size()
            out, _ = self.rnn(f.permute(0, 3, 1, 2).reshape(b, w, c * h))
            return out


    out = CRNN()(torch.randn(2, 1, 32, 64))
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_divisor_is_fixed():
    (d,) = _loud(SRC)
    assert d.primary.span.line == 13  # feat_h = img_h // 4
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "feat_h = img_h // 8" in fixed and "nn.LSTM(chans[-1] * feat_h, hidden" in fixed and not _loud(fixed)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    fixed = SRC.replace("img_h // 4", "img_h // 8")
    for h in (32, 40):
        scope = {"__name__": "__main__"}
        exec(compile(fixed.replace("img_h=32", f"img_h={h}").replace("(2, 1, 32, 64)", f"(2, 1, {h}, 64)"),
                     "case.py", "exec"), scope)
        assert tuple(scope["out"].shape) == (2, 8, 16)
