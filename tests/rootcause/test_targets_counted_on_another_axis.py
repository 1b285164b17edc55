"""Contrastive targets counted from the wrong axis -- ``torch.arange(img.shape[-1])`` where the similarity matrix
has one row per sample: the read is blamed and made to read axis 0 (the samples), not the targets cut to a number
and not the loss given the embedding width. PyTorch is the oracle: the original raises, the fixed file runs at two
batch sizes; a count that is already the samples, or a target made otherwise, claims nothing."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn.functional as F

    proj_img = torch.nn.Linear(128, 64)
    proj_txt = torch.nn.Linear(96, 64)


    def clip_loss(img, txt):
        logits = img @ txt.t()
        targets = COUNT
        return (F.cross_entropy(logits, targets) + F.cross_entropy(logits.t(), targets)) / 2


    img = F.normalize(proj_img(torch.randn(BATCH, 128)), dim=-1)
    txt = F.normalize(proj_txt(torch.randn(BATCH, 96)), dim=-1)
    loss = clip_loss(img, txt)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("count, fixed", [
    ("torch.arange(img.shape[-1])", "torch.arange(img.shape[0])"),
    ("torch.arange(img.size(1))", "torch.arange(img.size(0))"),
    ("torch.arange(0, txt.shape[1], dtype=torch.long)", "torch.arange(0, txt.shape[0], dtype=torch.long)"),
])
def test_the_count_is_blamed_and_reads_the_samples(count, fixed):
    src = SRC.replace("COUNT", count).replace("BATCH", "16")
    with pytest.raises((ValueError, RuntimeError, IndexError)):
        run(src)
    errors = _errors(src)
    assert errors and all(d.cause == "axis-read" for d in errors)
    d = errors[0]
    assert d.primary.span.line == 10
    edited = apply_edits(src, d.fix.edits)
    assert fixed in edited
    for batch in ("16", "5"):
        again = edited.replace("BATCH = 16", f"BATCH = {batch}").replace("(16, ", f"({batch}, ")
        run(again)
        assert not _errors(again)


@pytest.mark.parametrize("count", ["torch.arange(img.shape[0])", "torch.arange(len(img))",
                                   "torch.arange(logits.shape[0])"])
def test_a_count_of_the_samples_claims_nothing(count):
    src = SRC.replace("COUNT", count).replace("BATCH", "16")
    run(src)
    assert not _errors(src)


def test_targets_written_as_a_number_are_not_blamed_on_an_axis():
    src = SRC.replace("COUNT", "torch.arange(64)").replace("BATCH", "16")
    with pytest.raises((ValueError, RuntimeError, IndexError)):
        run(src)
    errors = _errors(src)
    assert errors and all(d.cause != "axis-read" for d in errors)
