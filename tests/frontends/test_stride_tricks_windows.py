"""Sliding windows made without a copy: ``np.lib.stride_tricks.as_strided(a, shape=..., strides=...)`` has the shape
it is given, and ``sliding_window_view(a, w, axis=0)`` shrinks the axis to ``n - w + 1`` and appends the window's
axis last. Followed, a multivariate series windowed this way reaches an LSTM left at its univariate default and the
mismatch is found (it was unknown). NumPy and PyTorch are the oracles."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    from numpy.lib.stride_tricks import sliding_window_view

    series = np.random.rand(500, 3).astype("float32")
    shape = (series.shape[0] - 31 + 1, 31) + series.shape[-1:]
    strided = np.lib.stride_tricks.as_strided(series, shape=shape, strides=(series.strides[0],) + series.strides)
    view = sliding_window_view(series, 31, axis=0)
    both = sliding_window_view(np.zeros((10, 8)), (3, 2))
""").lstrip()

MODEL = SRC + textwrap.dedent("""
    import torch
    import torch.nn as nn

    lstm = nn.LSTM(1, 16, batch_first=True)
    out, _ = lstm(torch.tensor(np.ascontiguousarray(strided[:, :-1, :])))
""")


def test_the_windows_have_numpys_shapes():
    scope = static_values(SRC)
    assert tuple(scope["strided"].shape) == (470, 31, 3)
    assert tuple(scope["view"].shape) == (470, 3, 31)
    assert tuple(scope["both"].shape) == (8, 7, 3, 2)


def test_a_multivariate_window_into_a_univariate_lstm_is_found():
    (d,) = [d for d in check_source("case.py", MODEL).diagnostics if d.severity == "error"]
    assert d.code == "SHP101"


def test_what_numpy_and_torch_do():
    scope = run(SRC)
    assert scope["strided"].shape == (470, 31, 3) and scope["view"].shape == (470, 3, 31)
    assert scope["both"].shape == (8, 7, 3, 2)
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match=r"input.size\(-1\) must be equal to input_size"):
        run(MODEL)
