"""``nn.BatchNorm2d(256)`` after a ``Linear``: the (N, 256) features are what a batch norm takes, only the variant is
wrong; the fix writes ``BatchNorm1d``. The model is reached through a ``torch.autograd.Function``'s ``apply`` (a
gradient reversal, as in DANN), which runs its static ``forward``. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.autograd import Function


    class GradReverse(Function):
        @staticmethod
        def forward(ctx, x, alpha):
            ctx.alpha = alpha
            return x.view_as(x)

        @staticmethod
        def backward(ctx, grad):
            return grad.neg() * ctx.alpha, None


    class Heads(nn.Module):
        def __init__(self):
            super().__init__()
            self.domain = nn.Sequential(nn.Linear(64, 32), nn.BatchNorm2d(32), nn.ReLU(), nn.Linear(32, 2))

        def forward(self, feat):
            return self.domain(GradReverse.apply(feat, 1.0))


    out = Heads()(torch.randn(8, 64))
""").lstrip()


def test_the_variant_for_the_rank_is_written():
    with pytest.raises(ValueError):
        run(SRC)
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 20 and d.cause == "layer-variant"
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "nn.BatchNorm1d(32)" in fixed
    assert tuple(run(fixed)["out"].shape) == (8, 2)


def test_an_image_missing_its_batch_axis_is_not_renamed():
    """(32, 14, 14) from a conv given one unbatched image: axis 1 is not the 32 features, so BatchNorm1d is not the
    fix (the batch axis is)."""
    src = SRC.replace("nn.Linear(64, 32), nn.BatchNorm2d(32), nn.ReLU(), nn.Linear(32, 2)",
                      "nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU()")
    src = src.replace("torch.randn(8, 64)", "torch.randn(3, 16, 16)")
    with pytest.raises(ValueError):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.cause != "layer-variant" and "BatchNorm1d" not in (d.help or "")
