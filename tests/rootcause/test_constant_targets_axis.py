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


HELPER = textwrap.dedent("""
    import warnings

    import torch
    import torch.nn as nn

    D = nn.Linear(4, 1)
    mse = nn.MSELoss()


    def noisy_labels(n, real):
        lo = 0.9 if real else 0.0
        return torch.empty(n).uniform_(lo, lo + 0.1)


    real, fake = torch.randn(8, 4), torch.randn(8, 4)
    real_label, fake_label = noisy_labels(8, True), noisy_labels(8, False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        d_loss = mse(D(real), real_label) + mse(D(fake), fake_label)
        g_loss = mse(D(fake), real_label)
""").lstrip()


def test_labels_made_by_a_helper_get_the_axis_in_its_return_once():
    """MSELoss broadcasts (8, 1) against (8,) with only a warning; the helper made every label, so the axis goes
    into its return, and the three loss calls are one mistake reported once."""
    assert run(HELPER)["caught"]  # torch warns about the broadcast
    (d,) = [d for d in check_source("case.py", HELPER).diagnostics if d.severity in ("error", "warning")]
    assert d.primary.span.line == 12
    assert {l.span.line for l in d.secondary} >= {19, 20}
    fixed = apply_edits(HELPER, d.fix.edits)
    assert "return torch.empty(n).uniform_(lo, lo + 0.1).unsqueeze(1)" in fixed
    assert not run(fixed)["caught"]
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]
