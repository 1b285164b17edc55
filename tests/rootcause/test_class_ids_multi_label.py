"""Class ids 0..C-1 for a C-output model, given to BCEWithLogitsLoss (a 0/1 column per class): the loss is the
mistake. The fix switches to CrossEntropyLoss with long targets -- not expanding the ids to (N, C), not shrinking the
head to one unit. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

BCE = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 4))
    x = torch.randn(8, 12)
    y = torch.randint(0, 4, (8,)).float()
    criterion = nn.BCEWithLogitsLoss()
    loss = criterion(model(x), y)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_loss_is_switched_to_class_ids():
    (d,) = _errors(BCE)
    assert d.primary.span.line == 7
    fixed = fix_source("case.py", BCE, [d], ("safe", "unsafe")).source
    assert "criterion = nn.CrossEntropyLoss()" in fixed and "criterion(model(x), y.long())" in fixed
    assert "nn.Linear(16, 4)" in fixed and not _errors(fixed)


def test_one_hot_targets_or_a_binary_task_are_not_this():
    assert not _errors(BCE.replace("torch.randint(0, 4, (8,)).float()",
                                   "nn.functional.one_hot(torch.randint(0, 4, (8,)), 4).float()"))
    two = BCE.replace("nn.Linear(16, 4)", "nn.Linear(16, 2)").replace("randint(0, 4,", "randint(0, 2,")
    assert all(d.primary.span.line != 7 for d in _errors(two))


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(ValueError, match="must be the same as input size"):
        run(BCE)
    run(BCE.replace("nn.BCEWithLogitsLoss()", "nn.CrossEntropyLoss()").replace("(model(x), y)", "(model(x), y.long())"))


def test_the_functional_loss_is_renamed_in_place():
    src = BCE.replace("criterion = nn.BCEWithLogitsLoss()\nloss = criterion(model(x), y)",
                      "loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)")
    (d,) = _errors(src)
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "loss = nn.functional.cross_entropy(model(x), y.long())" in fixed and not _errors(fixed)
