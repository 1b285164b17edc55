"""A masked mean pooling whose count of kept steps is summed over the whole batch (``mask.sum()``, no ``dim``):
each sample's total is divided by the batch's count and the pooled vectors shrink with the batch size. Torch runs
it. Flagged where the count is made, fixed per sample with ``dim=1, keepdim=True``; a token-average loss (numerator
summed over everything too) is right and left alone. PyTorch is the oracle."""
import textwrap

import pytest
import torch

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Pool(nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = nn.Linear(16, 16)

        def forward(self, x, mask):
            h = self.proj(x) * mask.unsqueeze(-1)
            return h.sum(dim=1) / mask.sum().clamp(min=1.0)


    x = torch.randn(4, 10, 16)
    mask = (torch.arange(10)[None, :] < torch.tensor([10, 7, 3, 5])[:, None]).float()
    out = Pool()(x, mask)
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("warning", "error")]


def test_the_count_over_the_batch_is_flagged_and_made_per_sample():
    (d,) = _found(SRC)
    assert (d.code, d.primary.span.line) == ("SHP203", 12)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "mask.sum(dim=1, keepdim=True).clamp(min=1.0)" in fixed and not _found(fixed)
    scope = run(fixed)
    model, x, mask = scope["Pool"](), scope["x"], scope["mask"]
    with torch.no_grad():
        ref = (model.proj(x) * mask[:, :, None]).sum(1) / mask.sum(1, keepdim=True)
        assert torch.allclose(model(x, mask), ref)


@pytest.mark.parametrize("change", [
    ("h.sum(dim=1) / mask.sum().clamp(min=1.0)", "h.sum() / mask.sum().clamp(min=1.0)"),   # a token average
    ("h.sum(dim=1) / mask.sum().clamp(min=1.0)", "h.sum(dim=1) / mask.sum(dim=1, keepdim=True)"),
])
def test_counts_that_match_the_total_are_fine(change):
    assert not _found(SRC.replace(*change))


def test_what_torch_does():
    scope = run(SRC)
    one = scope["Pool"]()
    with torch.no_grad():
        alone = one(scope["x"][:1], scope["mask"][:1])
        together = one(scope["x"], scope["mask"])[:1]
    assert not torch.allclose(alone, together)  # a sample's vector depends on the rest of its batch
