"""A size helper that applies one step per conv-pool block in a loop (``for _ in range(n_pools): side = (side - 2)
// 2``), called with one block too few for a model with three: the flattened width it gives is that of a larger map
and the ``view`` (or the Linear) fails. The count at the call is blamed and set to the model's -- not the width
written out as a number (expert review: a workaround that breaks at another image size), not the batch axis.
Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    IMG = 64


    def feature_side(img_size, n_pools):
        side = img_size
        for _ in range(n_pools):
            side = (side - 2) // 2
        return side


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1, self.c2, self.c3 = nn.Conv2d(3, 8, 3), nn.Conv2d(8, 16, 3), nn.Conv2d(16, 32, 3)
            side = feature_side(IMG, 2)
            self.flat = 32 * side * side
            self.fc = nn.Linear(self.flat, 10)

        def forward(self, x):
            for conv in (self.c1, self.c2, self.c3):
                x = F.max_pool2d(F.relu(conv(x)), 2)
            return self.fc(x.view(-1, self.flat))


    out = Net()(torch.randn(4, 3, IMG, IMG))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_count_of_stages_is_blamed_where_the_helper_is_called():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 19
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "feature_side(IMG, 3)" in fixed and "nn.Linear(self.flat, 10)" in fixed and not _errors(fixed)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    for size in ("64", "96"):
        fixed = SRC.replace("feature_side(IMG, 2)", "feature_side(IMG, 3)").replace("IMG = 64", f"IMG = {size}")
        assert tuple(run(fixed)["out"].shape) == (4, 10)
