"""``BCEWithLogitsLoss(pos_weight=...)`` needs one weight per class (it broadcasts with the targets): a label matrix
(N, C) summed over its classes (``axis=1``) gives one weight per sample, which torch rejects when the loss is called.
The weights are followed through numpy: a comparison with a list of thresholds, ``np.maximum``, a division. torch is
the oracle."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    rng = np.random.default_rng(0)
    Y = (rng.random((30, 4)) < [0.3, 0.2, 0.5, 0.1]).astype(np.float32)
    pos = Y.sum(axis=1)
    pos_weight = torch.tensor((Y.shape[0] - pos) / np.maximum(pos, 1.0), dtype=torch.float32)
    criterion = nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    logits = nn.Linear(8, 4)(torch.randn(30, 8))
    loss = criterion(logits, torch.tensor(Y))
""").lstrip()


def test_a_weight_per_sample_is_reported_at_the_loss():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.code == "SHP107" and "pos_weight" in d.message and "(30,)" in d.message
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)


def test_one_weight_per_class_is_not_reported():
    src = SRC.replace("Y.sum(axis=1)", "Y.sum(axis=0)")
    assert [d for d in check_source("case.py", src).diagnostics if d.severity == "error"] == []
    assert tuple(static_values(src)["pos_weight"].shape) == (4,)
    pytest.importorskip("torch")
    assert tuple(run(src)["pos_weight"].shape) == (4,)
