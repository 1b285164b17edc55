"""Image features from a global pooling (N, C, 1, 1) joined with tabular features (N, F) without a flatten: torch.cat
fails on the ranks. The pooled map is flattened where it is joined; giving the table two spatial axes would feed a
map to the fusion Linear. Torch is the oracle."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn


class Fusion(nn.Module):
    def __init__(self):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.fuse = nn.Linear(16 + 5, 2)

    def forward(self, img, meta):
        feat = self.cnn(img)
        return self.fuse(torch.cat([{feat}, meta], dim=1))


print(tuple(Fusion()(torch.randn(4, 3, 32, 32), torch.randn(4, 5)).shape))
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_pooled_features_are_flattened_before_the_join():
    src = SRC.format(feat="feat")
    (d,) = _loud(src)
    assert "nn.AdaptiveAvgPool2d(1)" in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    # flattened where the features are made (the Sequential's call is the assignment's whole value), or where joined
    assert ("feat = self.cnn(img).flatten(1)" in out or "torch.cat([torch.flatten(feat, 1), meta], dim=1)" in out) \
        and "nn.Linear(16 + 5, 2)" in out
    assert "meta[:, :, None, None]" not in out and not _loud(out)


def test_what_torch_does():
    pytest.importorskip("torch")
    bad = subprocess.run([sys.executable, "-c", SRC.format(feat="feat")], capture_output=True, text=True)
    assert bad.returncode != 0 and "same number of dimensions" in bad.stderr
    good = subprocess.run([sys.executable, "-c", SRC.format(feat="torch.flatten(feat, 1)")], capture_output=True,
                          text=True)
    assert good.returncode == 0 and good.stdout.strip() == "(4, 2)"
    made = subprocess.run([sys.executable, "-c", SRC.format(feat="feat").replace("self.cnn(img)",
                                                                                  "self.cnn(img).flatten(1)")],
                          capture_output=True, text=True)
    assert made.returncode == 0 and made.stdout.strip() == "(4, 2)"
