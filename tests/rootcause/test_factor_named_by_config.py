"""A classifier head sized ``cfg["widths"][-1]`` for a bottleneck backbone whose last stage gives
``widths[-1] * expansion`` channels: the head is sized for what it receives, and the factor is written the way the
config names it, ``cfg["expansion"]`` -- not the number 4, which breaks again when the expansion changes. torch is
the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    BACKBONE = {"widths": [8, 16], "expansion": 4}


    class Backbone(nn.Module):
        def __init__(self, widths, expansion):
            super().__init__()
            layers, cin = [], 3
            for w in widths:
                layers += [nn.Conv2d(cin, w * expansion, 3, 2, 1), nn.ReLU()]
                cin = w * expansion
            self.body = nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())

        def forward(self, x):
            return self.body(x)


    class Classifier(nn.Module):
        def __init__(self, cfg, n_classes):
            super().__init__()
            self.backbone = Backbone(**cfg)
            self.fc = nn.Linear(cfg["widths"][-1], n_classes)

        def forward(self, img):
            return self.fc(self.backbone(img))


    out = Classifier(BACKBONE, 5)(torch.randn(2, 3, 32, 32))
""").lstrip()


def test_the_head_names_the_configs_expansion():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert 'self.fc = nn.Linear(cfg["widths"][-1] * cfg["expansion"], n_classes)' in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (2, 5)
    assert tuple(run(fixed.replace('"expansion": 4', '"expansion": 2'))["out"].shape) == (2, 5)
