"""SHP201 (a Linear on a feature map, no Flatten) stays quiet when the loss compares the output with targets of its
own shape: a neural operator's pointwise projection (B, S, S, width) -> (B, S, S, 1) trained against a (B, S, S, 1)
field predicts one value per position by design. With per-sample targets it still warns."""
import textwrap

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Operator(nn.Module):
        def __init__(self):
            super().__init__()
            self.lift = nn.Linear(1, 16)
            self.conv = nn.Conv2d(16, 16, 3, padding=1)
            self.proj = nn.Linear(16, 1)

        def forward(self, a):
            x = self.lift(a).permute(0, 3, 1, 2)
            x = F.gelu(self.conv(x)).permute(0, 2, 3, 1)
            return self.proj(x)


    model = Operator()
    a = torch.rand(4, 32, 32, 1)
    u = torch.sin(a)
    loss = F.mse_loss(model(a), u)
""").lstrip()


def _warnings(src):
    return [d.code for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_targets_of_the_outputs_shape_mean_one_prediction_per_position():
    assert _warnings(SRC) == []


def test_per_sample_targets_still_get_the_warning():
    src = SRC.replace("u = torch.sin(a)", "u = torch.rand(4, 1)")
    assert "SHP201" in _warnings(src)
