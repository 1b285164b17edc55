"""``torch.from_numpy(a[i])`` of a 1-D array: the index gives a numpy scalar and torch raises TypeError. Reported
once at the call (SHP107); a 2-D row or a slice is an array and fine. Torch is the oracle. It also keeps a fix that
drops a label's spare axis from being applied where the dataset then hands a scalar to from_numpy."""
import textwrap

import pytest

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch

    data = np.random.rand(10, 3).astype(np.float32)
    y = data[:, -1]
    a = torch.from_numpy(data[2])
    b = torch.from_numpy(y[2:3])
    c = torch.from_numpy(y[2])
""").lstrip()


def test_only_the_scalar_is_reported():
    ds = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert [(d.code, d.primary.span.line) for d in ds] == [("SHP107", 8)]


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(TypeError):
        exec(compile(SRC, "case.py", "exec"), {})
    exec(compile(SRC.replace("c = torch.from_numpy(y[2])", "c = torch.tensor(y[2])"), "case.py", "exec"), {})
