"""``t.numpy()`` leaves torch: from there numpy's methods apply (``w.transpose(2, 3, 1, 0)`` takes every axis,
``sum(axis=1)`` takes numpy's keyword), as when a PyTorch conv kernel is copied into a Keras layer. numpy is the
oracle: every shape claimed is the real one, and the script's numpy calls are no errors."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.frontends.source.check import check_source
from shapelint.frontends.source.objects import TensorVal

pytest.importorskip("torch")

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    conv = nn.Conv2d(3, 4, 3)
    t = torch.randn(2, 4, 5, 6)
    w = conv.weight.detach().numpy()
    kernel = w.transpose(2, 3, 1, 0)
    a = t.numpy()
    moved = a.transpose(0, 2, 3, 1)
    summed = a.sum(axis=1)
    rows = t.detach().cpu().numpy().reshape(2, -1)
    probs = torch.softmax(t.flatten(1), 1).numpy()
    top = probs.argmax(axis=1)
""").lstrip()


def test_numpy_methods_apply_after_numpy():
    static, real = static_values(SRC), run(SRC)
    for name in ("a", "moved", "summed", "rows", "probs", "top"):
        got = static[name]
        assert isinstance(got, TensorVal) and got.lib == "numpy" and got.shape is not None, f"{name}: {got!r}"
        assert tuple(got.shape) == real[name].shape, name
    assert real["kernel"].shape == (3, 3, 3, 4)  # a weight of a shape not followed: no claim, and no error
    assert not [d for d in check_source("case.py", SRC).diagnostics if d.severity in ("error", "warning")]
