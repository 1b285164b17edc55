"""A helper that sizes the classifier from chained formulas -- ``channels[-1] * side * side`` with ``side =
img_size // (2 ** (n_blocks - 1))`` -- where every block halves: the exponent's ``- 1`` is the number written wrong,
on the line of ``side``, not the product that returns it. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    CONFIG = {"img_size": 64, "channels": [32, 64, 128]}


    def flat_features(img_size, channels):
        n_blocks = len(channels)
        side = img_size // (2 ** (n_blocks - 1))
        return channels[-1] * side * side


    class Net(nn.Module):
        def __init__(self, cfg):
            super().__init__()
            blocks, cin = [], 3
            for c in cfg["channels"]:
                blocks += [nn.Conv2d(cin, c, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
                cin = c
            self.features = nn.Sequential(*blocks)
            self.fc = nn.Linear(flat_features(cfg["img_size"], cfg["channels"]), 10)

        def forward(self, x):
            return self.fc(torch.flatten(self.features(x), 1))


    out = Net(CONFIG)(torch.randn(4, 3, 64, 64))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_exponent_is_blamed_and_its_off_by_one_dropped():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 9 and "computed here as 16" in d.primary.text
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "side = img_size // (2 ** n_blocks)" in fixed and _errors(fixed) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(SRC.replace("(n_blocks - 1)", "n_blocks"))["out"].shape) == (4, 10)
