"""A feature pyramid built with its default ``in_channels=(128, 256, 512, 1024)`` -- the stage widths of a
bottleneck backbone -- beside the light backbone the model uses, whose ``out_channels`` list says (32, 64, 128, 256).
The call that leaves the widths at their default is the mistake: it passes ``self.backbone.out_channels``. Changing
the default would break the configuration it was written for; resizing the lateral conv would bend it to one
backbone. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    WIDTHS = (32, 64, 128, 256)


    class Backbone(nn.Module):
        def __init__(self, expansion=1):
            super().__init__()
            cin, self.stages, self.out_channels = 3, nn.ModuleList(), []
            for w in WIDTHS:
                self.stages.append(nn.Conv2d(cin, w * expansion, 3, 2, 1))
                self.out_channels.append(w * expansion)
                cin = w * expansion

        def forward(self, x):
            feats = []
            for stage in self.stages:
                x = stage(x)
                feats.append(x)
            return feats


    class Pyramid(nn.Module):
        def __init__(self, in_channels=(128, 256, 512, 1024), out_dim=16):
            super().__init__()
            self.lateral = nn.ModuleList([nn.Conv2d(c, out_dim, 1) for c in in_channels])

        def forward(self, feats):
            return [l(f) for l, f in zip(self.lateral, feats)]


    class Detector(nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = Backbone()
            self.neck = Pyramid(out_dim=16)

        def forward(self, x):
            return self.neck(self.backbone(x))[0]


    out = Detector()(torch.randn(2, 3, 64, 64))
""").lstrip()


def test_the_call_passes_the_sibling_backbones_widths():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.line == SRC.splitlines().index("        self.neck = Pyramid(out_dim=16)") + 1
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "self.neck = Pyramid(in_channels=self.backbone.out_channels, out_dim=16)" in fixed
    assert "in_channels=(128, 256, 512, 1024)" in fixed  # the default stays for the configuration it was written for
    pytest.importorskip("torch")
    assert tuple(run(fixed)["out"].shape) == (2, 16, 32, 32)
    with pytest.raises(RuntimeError):
        run(SRC)


def test_no_sibling_attribute_no_such_cause():
    src = SRC.replace("self.out_channels.append(w * expansion)", "pass").replace(
        "cin, self.stages, self.out_channels = 3, nn.ModuleList(), []", "cin, self.stages = 3, nn.ModuleList()")
    errors = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert errors and all("self.backbone.out_channels" not in (d.help or "") for d in errors)
