"""A builder computes the final map side as ``img // 2 ** (len(widths) - 1)`` for a body that halves once per
width: the formula is blamed and its off-by-one dropped (``2 ** len(widths)``), not the Linear hard-coded to the
features this input size gives -- and writing a number over a formula is never a safe fix. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    CFG = {"img": 32, "widths": [8, 16, 16]}


    class Net(nn.Module):
        def __init__(self, widths, fc_scale=16):
            super().__init__()
            layers, cin = [], 3
            for w in widths:
                layers += [nn.Conv2d(cin, w, 3, stride=2, padding=1), nn.ReLU()]
                cin = w
            self.body = nn.Sequential(*layers)
            self.fc = nn.Linear(widths[-1] * fc_scale, 10)

        def forward(self, x):
            return self.fc(torch.flatten(self.body(x), 1))


    def build(cfg):
        side = cfg["img"] // 2 ** (len(cfg["widths"]) - 1)
        return Net(cfg["widths"], fc_scale=side * side)


    out = build(CFG)(torch.randn(2, 3, 32, 32))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_formula_is_blamed_and_its_off_by_one_dropped():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 22
    out = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert 'side = cfg["img"] // 2 ** len(cfg["widths"])' in out and "nn.Linear(widths[-1] * fc_scale, 10)" in out
    assert not _errors(out)


def test_a_number_over_a_formula_is_never_safe():
    src = SRC.replace("fc_scale=side * side", "fc_scale=side * side + 0")
    for d in _errors(src):
        assert d.fix is None or d.fix.applicability != "safe" or all(e.text.strip() != "256" for e in d.fix.edits)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    scope = run(SRC.replace('2 ** (len(cfg["widths"]) - 1)', '2 ** len(cfg["widths"])'))
    assert tuple(scope["out"].shape) == (2, 10)
