"""NumPy reductions over several axes at once (``X.mean(axis=(0, 1))``: per-channel statistics of windows or images)
and ``keepdims``: the shapes numpy gives. They were unknown, and so was everything normalised with them (an unseen
case, rw24d, fed such windows channels-last to a Conv1d unnoticed). numpy is the oracle."""
import textwrap

from oracle import run, static_values

SRC = textwrap.dedent("""
    import numpy as np

    X = np.zeros((92, 128, 6))
    a = X.mean(axis=(0, 1))
    b = X.std(axis=(0, 1), keepdims=True)
    c = np.mean(X, axis=(0, 2))
    d = X.sum(axis=1)
    e = X.mean(axis=-1, keepdims=True)
    f = X.max(axis=(1, 2))
    g = X.mean(keepdims=True)
    h = (X - X.mean(axis=(0, 1))) / X.std(axis=(0, 1))
""").lstrip()


def test_shapes_as_numpy_gives_them():
    real, ours = run(SRC), static_values(SRC)
    for name in "abcdefgh":
        assert tuple(ours[name].shape) == tuple(real[name].shape), name
