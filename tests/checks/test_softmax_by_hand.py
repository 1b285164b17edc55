"""A softmax written by hand over the batch axis: ``e / e.sum(dim=0)`` on (N, C) scores normalises each class
across the samples. Nothing raises; the rows do not sum to 1 (the oracle shows it) and the fix makes them. A softmax
over the last axis, and one whose axis no role or use pins, is not reported."""
import textwrap

import numpy as np
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    def softmax(x):
        e = torch.exp(x - x.amax(dim=0, keepdim=True))
        return e / e.sum(dim=0, keepdim=True)


    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 5))
    x = torch.randn(32, 20)
    probs = softmax(model(x))
    y = torch.randint(0, 5, (32,))
    loss = -torch.log(probs[range(32), y]).mean()
""").lstrip()

NUMPY = textwrap.dedent("""
    import numpy as np


    def softmax(z):
        z = z - np.max(z, axis=0)
        return np.exp(z) / np.sum(np.exp(z), axis=0)


    X = np.random.randn(100, 4)
    W = np.random.randn(4, 3) * 0.01
    b = np.zeros(3)
    probs = softmax(X @ W + b)
    y = np.random.randint(0, 3, 100)
    loss = -np.mean(np.log(probs[np.arange(100), y]))
""").lstrip()

NUMPY_ARGMAX = textwrap.dedent("""
    import numpy as np

    scores = np.random.randn(50, 4)
    exps = np.exp(scores)
    probs = exps / exps.sum(0)
    predicted = np.argmax(probs, axis=1)
""").lstrip()


def _row_sums(values):
    p = values["probs"]
    return np.asarray(p.detach() if hasattr(p, "detach") else p).sum(1)


@pytest.mark.parametrize("src, wrong, right", [
    (TORCH, "e.sum(dim=0", ["e.sum(dim=-1, keepdim=True)", "x.amax(dim=-1, keepdim=True)"]),
    (NUMPY, "np.sum(np.exp(z), axis=0)", ["np.sum(np.exp(z), axis=1, keepdims=True)",
                                          "np.max(z, axis=1, keepdims=True)"]),
    (NUMPY_ARGMAX, "exps.sum(0)", ["exps.sum(1, keepdims=True)"]),
])
def test_the_sum_moves_to_the_classes(src, wrong, right):
    assert not np.allclose(_row_sums(run(src)), 1.0)  # it runs, and no row is a distribution
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP203" and wrong in src.splitlines()[d.line - 1]
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert all(r in fixed for r in right)
    assert np.allclose(_row_sums(run(fixed)), 1.0, atol=1e-5)
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]


def test_a_softmax_over_the_rows_read_per_column_is_not_reported():
    """Attention weights over the 50 positions of each of 4 queries, read per column: axis 0 is right here."""
    src = textwrap.dedent("""
        import numpy as np

        scores = np.random.randn(50, 4)
        exps = np.exp(scores)
        weights = exps / exps.sum(axis=0)
        best = np.argmax(weights, axis=0)
    """).lstrip()
    assert np.allclose(run(src)["weights"].sum(0), 1.0)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_softmax_by_hand_on_unknown_axes_is_not_reported():
    src = textwrap.dedent("""
        import torch

        def softmax(x):
            e = torch.exp(x)
            return e / e.sum(dim=0, keepdim=True)

        table = torch.randn(7, 3)
        weights = softmax(table)
    """).lstrip()
    run(src)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
