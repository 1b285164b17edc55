"""A pose regressor whose heads are 1x1 convolutions on a globally pooled map: they give (N, 3, 1, 1) and
(N, 4, 1, 1) where the targets are (N, 3) and (N, 4). ``F.l1_loss`` broadcasts them to (N, 3, N, 3) and compares
every prediction with every sample's target, with only a warning. The fix flattens each head's output where the
model makes it -- before the normalisation over the channels, which means the same on (N, 4) -- and leaves the
targets alone. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class PoseNet(nn.Module):
        def __init__(self, width=16):
            super().__init__()
            self.encoder = nn.Sequential(nn.Conv2d(3, width, 3, stride=2, padding=1), nn.ReLU(),
                                         nn.AdaptiveAvgPool2d(1))
            self.trans = nn.Conv2d(width, 3, 1)
            self.rot = nn.Conv2d(width, 4, 1)

        def forward(self, img):
            f = self.encoder(img)
            return self.trans(f), F.normalize(self.rot(f), dim=1)


    model = PoseNet()
    t_pred, q_pred = model(torch.randn(6, 3, 32, 32))
    t_gt, q_gt = torch.randn(6, 3), F.normalize(torch.randn(6, 4), dim=1)
    loss = F.l1_loss(t_pred, t_gt) + F.l1_loss(q_pred, q_gt)
""").lstrip()


def test_each_head_is_flattened_where_the_model_makes_it():
    found = [d for d in check_source("case.py", SRC).diagnostics if d.code == "SHP202"]
    assert len(found) == 2
    head = SRC.splitlines().index("        return self.trans(f), F.normalize(self.rot(f), dim=1)") + 1
    assert all(d.line == head for d in found)
    fixed = fix_source("case.py", SRC, found, ("safe", "unsafe")).source
    assert "return self.trans(f).flatten(1), F.normalize(self.rot(f).flatten(1), dim=1)" in fixed
    assert "t_gt, q_gt = torch.randn(6, 3), F.normalize(torch.randn(6, 4), dim=1)" in fixed
    pytest.importorskip("torch")
    out = run(fixed)
    assert tuple(out["t_pred"].shape) == (6, 3) and tuple(out["q_pred"].shape) == (6, 4)
    assert tuple(run(SRC)["t_pred"].shape) == (6, 3, 1, 1)  # the original runs: the bug is silent


def test_a_head_read_on_its_last_axis_is_left_to_the_targets_help():
    src = SRC.replace("F.normalize(self.rot(f), dim=1)", "F.normalize(self.rot(f), dim=-1)")
    found = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP202"]
    assert all("self.rot(f).flatten(1)" not in (d.help or "") for d in found)
