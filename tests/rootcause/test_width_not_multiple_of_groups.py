"""A grouped convolution given a width its groups do not divide, the width written in a table of stage settings:
the number in the table is blamed, with the multiples of the groups; no edit is applied (which width, or which
cardinality, is the author's choice) and ``groups=1`` is never offered. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    WIDTHS = [32, 40, 64]
    GROUPS = 8


    def grouped(width, groups):
        return nn.Sequential(nn.Conv2d(width, width, 3, padding=1, groups=groups), nn.ReLU())


    layers, prev = [], 3
    for w in WIDTHS:
        layers += [nn.Conv2d(prev, w, 1), grouped(w, GROUPS * 2)]
        prev = w
    out = nn.Sequential(*layers)(torch.randn(2, 3, 16, 16))
""").lstrip()


def test_the_width_in_the_table_is_blamed_and_no_edit_is_applied():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 4 and "40" in d.primary.text and "16 groups" in d.primary.text
    assert "32 or 48" in d.help and (d.fix is None or not d.fix.edits)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(ValueError, match="groups"):
        run(SRC)
    run(SRC.replace("[32, 40, 64]", "[32, 48, 64]"))
