"""``torch.mm(x, W)`` where W was sized from the wrong axis of x -- (600, 436) for 600 nodes of 96 features -- must
not be "fixed" by transposing x: that contracts over the nodes and gives one row per feature (an unseen reviewer,
round 6, judged it wrong; the script still failed further on). The left transpose stays offered where both operands
have one shape (``X @ X`` meant as ``X.T @ X``). PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

WEIGHT = textwrap.dedent("""
    import torch

    x = torch.randn(600, 96)
    weight = torch.empty(600, 436)
    support = torch.mm(x, weight)
""").lstrip()

GRAM = textwrap.dedent("""
    import torch

    x = torch.randn(600, 96)
    gram = torch.mm(x, x)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_no_transpose_of_the_samples_into_the_contraction():
    (d,) = _errors(WEIGHT)
    assert d.code == "SHP112" and (d.fix is None or not d.fix.edits)
    assert "a.transpose(-2, -1) @ b" not in (d.help or "")


def test_one_shape_on_both_sides_gets_the_transpose():
    (d,) = _errors(GRAM)
    assert d.fix is not None and any(".transpose(-2, -1)" in e.text for e in d.fix.edits)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="cannot be multiplied"):
        run(WEIGHT)
    assert tuple(run(WEIGHT.replace("torch.mm(x, weight)", "torch.mm(x.T, weight)"))["support"].shape) == (96, 436)
    assert tuple(run(GRAM.replace("torch.mm(x, x)", "torch.mm(x.T, x)"))["gram"].shape) == (96, 96)
