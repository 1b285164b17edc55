"""A TinyVGG block of two unpadded 3x3 convs and a pool, and a classifier sized by a helper that counts only the
poolings (28 -> 14 -> 7, so 10 * 7 * 7): the convs trim the maps (28 -> 24 -> 12 -> 8 -> 4). Both conv sites of the
block are padded so the helper's formula holds. PyTorch is the oracle."""
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    def block(cin, cout, k=3):
        return nn.Sequential(nn.Conv2d(cin, cout, k, padding=0), nn.ReLU(),
                             nn.Conv2d(cout, cout, k, padding=0), nn.ReLU(), nn.MaxPool2d(2))


    def out_side(size, n):
        for _ in range(n):
            size = size // 2
        return size


    side = out_side(28, 2)
    model = nn.Sequential(block(1, 10), block(10, 10), nn.Flatten(), nn.Linear(10 * side * side, 3))
    out = model(torch.randn(4, 1, 28, 28))
""").lstrip()


def test_both_conv_sites_are_padded():
    r = check_source("case.py", SRC)
    (d,) = [d for d in r.diagnostics if d.severity == "error"]
    assert d.primary.span.line == 6
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert fixed.count("padding=k // 2") == 2
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]
    pytest.importorskip("torch")
    from oracle import run
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(fixed)["out"].shape) == (4, 3)
