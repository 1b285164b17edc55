"""Several views per sample (photos of a product, frames of a clip) folded into the batch for a shared encoder --
``self.enc(frames.view(b * t, c, h, w))`` -- is deliberate; what goes wrong is joining the (B * V, F) features with
per-sample ones without pooling the views back. The fold is never blamed; the fix pools the views where the
features are made. torch is the oracle: the script raises, the fixed one runs with one row per sample at two batch
sizes; the same model that pools its views is left alone."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class ClipClassifier(nn.Module):
        def __init__(self, dim=16, meta=4, classes=3):
            super().__init__()
            self.frame = nn.Sequential(nn.Conv2d(3, dim, 3, padding=1), nn.AdaptiveAvgPool2d(1), nn.Flatten())
            self.meta = nn.Linear(meta, dim)
            self.head = nn.Linear(2 * dim, classes)

        def forward(self, frames, meta):
            b, t, c, h, w = frames.shape
            per_frame = self.frame(frames.view(b * t, c, h, w))
            joined = torch.cat([per_frame, self.meta(meta)], dim=1)
            return self.head(joined)


    scores = ClipClassifier()(torch.randn(BATCH, 5, 3, 12, 12), torch.randn(BATCH, 4))
""").lstrip()


@pytest.mark.parametrize("batch", [2, 6])
def test_the_views_are_pooled_back_where_their_features_are_made(batch):
    script = SCRIPT.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 14
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert "per_frame = self.frame(frames.view(b * t, c, h, w)).view(b, t, -1).mean(1)" in fixed
    assert run(fixed)["scores"].shape == (batch, 3)


def test_views_pooled_back_are_left_alone():
    script = SCRIPT.replace("per_frame = self.frame(frames.view(b * t, c, h, w))",
                            "per_frame = self.frame(frames.view(b * t, c, h, w)).view(b, t, -1).amax(1)")
    script = script.replace("BATCH", "3")
    assert run(script)["scores"].shape == (3, 3)
    assert not [d for d in check_source("case.py", script).diagnostics if d.severity in ("error", "warning")]
