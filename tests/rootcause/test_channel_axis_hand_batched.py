"""Volumes stacked (N, D, H, W) without their channel axis, batched by hand (``X[perm[i:i + BATCH_SIZE]]``) into a
``Conv3d(1, ...)``: the batch is read as one unbatched sample of BATCH_SIZE channels. The labels fed beside it say
axis 0 holds samples; the data set made once in the ``__main__`` block is given the axis there, so the later
``model(X[:2])`` gets it too. PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    BATCH_SIZE = 4

    model = nn.Sequential(nn.Conv3d(1, 8, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool3d(1), nn.Flatten(),
                          nn.Linear(8, 3))

    def fit(model, X, y):
        perm = torch.randperm(len(X))
        for i in range(0, len(X), BATCH_SIZE):
            idx = perm[i:i + BATCH_SIZE]
            loss = nn.functional.cross_entropy(model(X[idx]), y[idx])

    if __name__ == "__main__":
        vols = np.random.rand(12, 8, 16, 16).astype("float32")
        X = torch.from_numpy(vols)
        y = torch.randint(0, 3, (12,))
        fit(model, X, y)
        probs = model(X[:2]).softmax(-1)
""").lstrip()


def test_the_data_set_gets_its_channel_axis_where_it_is_made():
    found = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert found and all("torch.from_numpy(vols)" in SRC.splitlines()[d.primary.span.line - 1] for d in found)
    assert "X = torch.from_numpy(vols).unsqueeze(1)" in apply_edits(SRC, found[0].fix.edits)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    fixed = run(SRC.replace("torch.from_numpy(vols)", "torch.from_numpy(vols).unsqueeze(1)"))
    assert tuple(fixed["probs"].shape) == (2, 3)
