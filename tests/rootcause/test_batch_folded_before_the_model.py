"""The batch folded into the features in the training loop, before the model: ``images.view(1, -1)`` on a (64, 1,
28, 28) batch from a DataLoader. The model's first Linear refuses (1, 50176); the labels still have 64 rows. The
reshape is the mistake and keeps the batch axis after the fix; a layer sized by the batch (``IMG * IMG * BATCH``) is
refused by the fix contract even though it moves with the batch literal. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    BATCH = 16
    IMG = 28

    data = TensorDataset(torch.rand(64, 1, IMG, IMG), torch.randint(0, 10, (64,)))
    loader = DataLoader(data, batch_size=BATCH, shuffle=True)
    model = nn.Sequential(nn.Linear(IMG * IMG, 64), nn.ReLU(), nn.Linear(64, 10))
    for images, labels in loader:
        images = images.view(1, -1)
        loss = nn.functional.cross_entropy(model(images), labels)
""").lstrip()

FIXED = SRC.replace("images.view(1, -1)", "images.view(images.size(0), -1)")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_reshape_keeps_the_batch():
    errs = _errors(SRC)
    assert errs and all(d.primary.span.line == 12 and d.cause == "batch-merged" for d in errs)
    assert fix_source("case.py", SRC, errs[:1], ("safe", "unsafe")).source == FIXED
    assert not _errors(FIXED)


def test_no_layer_is_sized_by_the_batch():
    for d in _errors(SRC):
        assert d.fix is None or all("BATCH" not in e.text for e in d.fix.edits)


def test_what_torch_does():
    with pytest.raises(RuntimeError):
        run(SRC)
    assert run(FIXED)["loss"].shape == ()
