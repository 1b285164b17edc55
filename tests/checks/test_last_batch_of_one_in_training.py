"""A training DataLoader whose last batch holds one sample (65 rows in batches of 16), feeding a model with
``BatchNorm1d`` in training mode: torch raises "Expected more than 1 value per channel when training" at the end of
the first epoch. Reported at the loader and fixed with ``drop_last=True``; an evaluation loop (``model.eval()``), a
BatchNorm2d with more than one value per channel, or batches that divide the samples are fine. PyTorch is the
oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    X, y = torch.randn(65, 8), torch.randint(0, 2, (65,))
    loader = DataLoader(TensorDataset(X, y), batch_size=16, shuffle=True)
    model = nn.Sequential(nn.Linear(8, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 2))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    model.train()
    for xb, yb in loader:
        loss = nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_loader_is_blamed_and_drops_its_last_batch():
    (d,) = _errors(SRC)
    assert (d.code, d.primary.span.line) == ("SHP124", 6)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "batch_size=16, shuffle=True, drop_last=True)" in fixed
    assert not _errors(fixed)
    run(fixed)


@pytest.mark.parametrize("change", [
    ("model.train()", "model.eval()"),                              # evaluation mode: running statistics
    ("torch.randn(65, 8), torch.randint(0, 2, (65,))", "torch.randn(64, 8), torch.randint(0, 2, (64,))"),
    ("batch_size=16, shuffle=True)", "batch_size=16, shuffle=True, drop_last=True)"),
])
def test_fine_without_a_last_batch_of_one_in_training(change):
    assert not _errors(SRC.replace(*change))


def test_what_torch_does():
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        run(SRC)
    run(SRC.replace("model.train()", "model.eval()"))
