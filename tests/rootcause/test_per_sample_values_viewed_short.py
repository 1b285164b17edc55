"""A diffusion schedule's per-sample values ``gammas[t]``, (B,), viewed as (B, 1) to scale images (B, C, H, W):
broadcasting lines (B, 1) up with (H, W) and torch refuses it. The view is the root; ``view(-1, 1, 1, 1)`` gives
each sample its value. torch is the oracle: the script raises, the fixed one scales each image by its own value at
two batch sizes; the right view is left alone."""
import os
import textwrap

import pytest
import torch

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import torch

    gammas = torch.cumprod(1.0 - torch.linspace(1e-4, 0.02, 100), dim=0)
    images = torch.randn(BATCH, 3, 12, 12)
    t = torch.randint(0, 100, (BATCH,))
    scale = gammas[t].view(VIEW)
    noisy = scale.sqrt() * images
""").lstrip()


@pytest.mark.parametrize("batch", [4, 6])
def test_the_values_get_axes_of_one_after_the_batch(batch):
    script = SCRIPT.replace("BATCH", str(batch)).replace("VIEW", "-1, 1")
    with pytest.raises(RuntimeError):
        run(script)
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 6
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert "scale = gammas[t].view(-1, 1, 1, 1)" in fixed
    ns = run(fixed)
    assert ns["noisy"].shape == (batch, 3, 12, 12)
    assert torch.allclose(ns["noisy"][1], ns["scale"][1].sqrt() * ns["images"][1])


def test_the_right_view_is_left_alone():
    script = SCRIPT.replace("BATCH", "4").replace("VIEW", "-1, 1, 1, 1")
    assert run(script)["noisy"].shape == (4, 3, 12, 12)
    assert not [d for d in check_source("case.py", script).diagnostics if d.severity in ("error", "warning")]
