"""A detection head that rewrites, item by item, the list of feature maps a neck returned (``x[i] =
self.m[i](x[i])``, as YOLO's ``Detect`` does): the items read after the assignment are the new ones. The list came
out of a model run as a tuple of tensors; assigning into it rebinds the name to the changed list (an unknown index:
every item unknown), never leaves the old item to be read as if nothing happened. torch is the oracle."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Head(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = nn.ModuleList(nn.Conv2d(c, 33, 1) for c in (64, 128))

        def forward(self, x):
            z = []
            for i in range(2):
                x[i] = self.m[i](x[i])
                bs, _, ny, nx = x[i].shape
                x[i] = x[i].view(bs, 3, 11, ny, nx).permute(0, 1, 3, 4, 2)
                z.append(x[i].reshape(bs, -1, 11))
            return torch.cat(z, 1), x


    class Neck(nn.Module):
        def __init__(self):
            super().__init__()
            self.a = nn.Conv2d(3, 64, 3, 2, 1)
            self.b = nn.Conv2d(64, 128, 3, 2, 1)

        def forward(self, img):
            p = self.a(img)
            return [p, self.b(p)]


    preds, raw = Head()(Neck()(torch.randn(2, 3, 32, 40)))
    first = raw[0]
""").lstrip()


def test_items_read_after_the_assignment_are_the_new_ones():
    assert [d for d in check_source("case.py", SRC).diagnostics if d.severity in ("error", "warning")] == []
    ours = static_values(SRC)
    assert tuple(ours["preds"].shape) == (2, 3 * 16 * 20 + 3 * 8 * 10, 11)
    assert tuple(ours["first"].shape) == (2, 3, 16, 20, 11)
    pytest.importorskip("torch")
    real = run(SRC)
    assert tuple(real["preds"].shape) == tuple(ours["preds"].shape)
    assert tuple(real["first"].shape) == tuple(ours["first"].shape)


def test_an_item_assigned_at_an_unknown_index_leaves_the_list_unknown():
    src = SRC.replace("x[i] = self.m[i](x[i])", "x[i % len(x) if torch.rand(1) > 2 else i] = self.m[i](x[i])")
    assert [d for d in check_source("case.py", src).diagnostics if d.severity == "error"] == []
