"""Sliding windows counted past the end of the series: ``n_samples = len(arr) - window`` windows whose targets are
``arr[i + window:i + window + horizon]``. The last targets are cut short and ``np.stack`` raises "all input arrays
must have the same shape": now an error (numpy is the oracle), reported at the count and fixed to
``len(arr) - window - horizon + 1``. A count that already fits, and stacks of equal arrays, say nothing."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np


    def make_windows(arr, window, horizon):
        n_samples = len(arr) - window
        X = np.stack([arr[i:i + window] for i in range(n_samples)])
        y = np.stack([arr[i + window:i + window + horizon, 0] for i in range(n_samples)])
        return X, y


    series = np.random.rand(100, 3).astype("float32")
    X, y = make_windows(series, 24, 6)
""").lstrip()

FIXED = SRC.replace("n_samples = len(arr) - window\n", "n_samples = len(arr) - window - horizon + 1\n")
INLINE = SRC.replace("for i in range(n_samples)])\n    return", "for i in range(len(arr) - window)])\n    return")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_reported_at_the_count_and_fixed():
    (d,) = _errors(SRC)
    assert d.code == "SHP106" and d.primary.span.line == 5 and d.cause == "window-count"
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == FIXED
    assert not _errors(FIXED)


def test_a_count_written_in_the_range():
    (d,) = _errors(INLINE)
    fixed = fix_source("case.py", INLINE, [d], ("safe", "unsafe")).source
    assert "for i in range(len(arr) - window - horizon + 1)])" in fixed and not _errors(fixed)


def test_arrays_of_one_shape_stack():
    assert not _errors("import numpy as np\nx = np.stack([np.zeros((2, 3)), np.ones((2, 3))])\n")


def test_what_numpy_does():
    with pytest.raises(ValueError, match="same shape"):
        run(SRC)
    scope = run(FIXED)
    assert scope["X"].shape == (71, 24, 3) and scope["y"].shape == (71, 6)
    with pytest.raises(ValueError, match="same shape"):
        run("import numpy as np\nx = np.stack([np.zeros(2), np.zeros(4)])\n")
