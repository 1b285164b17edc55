"""One-hot rows (N, C) given to NLLLoss, which takes class ids: the one-hot encoding is blamed where it is made
(``np.eye(C)[y]``) and the loss gets the ids (``.argmax(dim=1)``); the loss and the head are left alone. PyTorch is
the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

ONEHOT = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    y = np.random.randint(0, 4, size=20)
    targets = torch.from_numpy(np.eye(4, dtype=np.int64)[y])
    model = nn.Sequential(nn.Linear(6, 4), nn.LogSoftmax(dim=1))
    loss = nn.NLLLoss()(model(torch.randn(20, 6)), targets)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_one_hot_is_blamed_and_the_loss_gets_ids():
    (d,) = _errors(ONEHOT)
    assert d.primary.span.line == 6
    fixed = fix_source("case.py", ONEHOT, [d], ("safe", "unsafe")).source
    assert "targets.argmax(dim=1))" in fixed and "nn.NLLLoss()" in fixed and not _errors(fixed)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(ONEHOT)
    assert run(ONEHOT.replace("model(torch.randn(20, 6)), targets)",
                              "model(torch.randn(20, 6)), targets.argmax(dim=1))"))["loss"].shape == ()


FOR_LOSS_ONLY = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torch.utils.data import DataLoader, TensorDataset

    classes = np.random.randint(0, 4, size=40)
    targets = F.one_hot(torch.from_numpy(classes), num_classes=4)
    loader = DataLoader(TensorDataset(torch.randn(40, 6), targets), batch_size=8)
    model = nn.Sequential(nn.Linear(6, 4), nn.LogSoftmax(dim=1))
    for xb, yb in loader:
        loss = nn.NLLLoss()(model(xb), yb)
""").lstrip()


def test_one_hot_rows_only_the_loss_reads_are_never_made():
    (d,) = _errors(FOR_LOSS_ONLY)
    assert d.primary.span.line == 8
    fixed = fix_source("case.py", FOR_LOSS_ONLY, [d], ("safe", "unsafe")).source
    assert "targets = torch.from_numpy(classes)\n" in fixed and "nn.NLLLoss()(model(xb), yb)" in fixed
    assert not _errors(fixed)


def test_what_torch_does_with_the_ids_kept():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(FOR_LOSS_ONLY)
    assert run(FOR_LOSS_ONLY.replace("F.one_hot(torch.from_numpy(classes), num_classes=4)",
                                     "torch.from_numpy(classes)"))["loss"].shape == ()
