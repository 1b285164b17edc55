"""GAN labels made as ``torch.ones(BATCH)`` for a discriminator that outputs (BATCH, 1), used at three loss calls:
the missing axis is given once where the labels are made, not at every call. PyTorch is the oracle (BCELoss
rejects (B,) targets for (B, 1) inputs)."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    BATCH = 8
    D = nn.Sequential(nn.Linear(4, 1), nn.Sigmoid())
    loss_fn = nn.BCELoss()
    real_labels = torch.ones(BATCH)
    fake_labels = torch.zeros(BATCH)
    real, fake = torch.randn(BATCH, 4), torch.randn(BATCH, 4)
    d_loss = loss_fn(D(real), real_labels) + loss_fn(D(fake), fake_labels)
    g_loss = loss_fn(D(fake), real_labels)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_labels_get_the_axis_where_they_are_made():
    found = _errors(SRC)
    assert found and {d.primary.span.line for d in found} <= {7, 8}
    fixed = SRC
    for _ in range(3):  # what --fix does: apply, re-check, until nothing is left
        remaining = _errors(fixed)
        if not remaining:
            break
        fixed = apply_edits(fixed, remaining[0].fix.edits)
    assert "torch.ones(BATCH, 1)" in fixed and "torch.zeros(BATCH, 1)" in fixed and "unsqueeze" not in fixed
    assert _errors(fixed) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(ValueError):
        run(SRC)
    run(SRC.replace("torch.ones(BATCH)", "torch.ones(BATCH, 1)").replace("torch.zeros(BATCH)", "torch.zeros(BATCH, 1)"))
