"""``data[s:s + SEQ_LEN]`` with a random start ``s``: a window of SEQ_LEN items wherever it starts -- the batch of a
character language model (``torch.stack([data[s:s + T] for s in starts])``) has a known shape, and so do the
targets one step ahead (``data[s + 1:s + T + 1]``)."""
import ast
import textwrap

import pytest

from shapelint.frontends.source.evaluator import Evaluator

SRC = textwrap.dedent("""
    import torch

    T = 30
    data = torch.arange(1000)
    starts = torch.randint(0, 1000 - T - 1, (16,))
    x = torch.stack([data[s:s + T] for s in starts])
    y = torch.stack([data[s + 1:s + T + 1] for s in starts])
    z = data[starts[0] + 2:starts[0] + 7]
    unknown = data[starts[0]:starts[1]]
""").lstrip()


def _vars():
    ev = Evaluator("case.py", SRC, ast.parse(SRC), None)
    ev.run(None)
    return ev.module.vars


def test_windows_of_a_known_width_have_a_known_shape():
    v = _vars()
    assert tuple(v["x"].shape) == (16, 30) and tuple(v["y"].shape) == (16, 30) and tuple(v["z"].shape) == (5,)


def test_bounds_with_different_unknowns_stay_unknown():
    assert getattr(_vars()["unknown"], "shape", None) is None


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    scope = run(SRC)
    assert tuple(scope["x"].shape) == (16, 30) and tuple(scope["y"].shape) == (16, 30)
    assert tuple(scope["z"].shape) == (5,)
