"""``d[b"data"].reshape(-1, 3, 32, 32)`` of an array shapelint cannot follow (a pickle): the sizes are all in the
call, so the result is (None, 3, 32, 32); a call it cannot read stays unknown. NumPy is the oracle."""
import textwrap

from oracle import run, static_values

SRC = textwrap.dedent("""
    import pickle
    import numpy as np

    raw = pickle.dumps({b"data": np.zeros((10, 3072), dtype=np.uint8)})
    d = pickle.loads(raw)
    x = d[b"data"].reshape(-1, 3, 32, 32)
    y = d[b"data"].reshape((10, 3072))
    z = d[b"data"].reshape(-1, -1)
""").lstrip()


def test_sizes_written_in_the_call():
    real = run(SRC.rsplit("z =", 1)[0])  # two -1: NumPy raises
    assert real["x"].shape == (10, 3, 32, 32) and real["y"].shape == (10, 3072)
    ours = static_values(SRC)
    assert tuple(ours["x"].shape) == (None, 3, 32, 32) and tuple(ours["y"].shape) == (10, 3072)
    assert getattr(ours["z"], "shape", None) is None  # two -1: numpy refuses it, and so does shapelint
