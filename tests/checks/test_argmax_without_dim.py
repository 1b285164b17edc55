"""SHP203 (no-dim): ``torch.argmax(logits)`` / ``logits.argmax()`` on a model's (N, C) output without ``dim`` gives
one index into the flattened batch; the accuracy that compares it with the labels is meaningless. A single sample
(N = 1) is the usual inference idiom and is left alone. Torch is the oracle."""
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    x, y = torch.randn(10, 4), torch.randint(0, 3, (10,))
    loss = nn.functional.cross_entropy(model(x), y)
    preds = torch.argmax(model(x))
    acc = (preds == y).float().mean()
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP203"]


@pytest.mark.parametrize("call, fixed", [("torch.argmax(model(x))", "torch.argmax(model(x), dim=1)"),
                                         ("model(x).argmax()", "model(x).argmax(dim=1)")])
def test_reported_and_given_the_class_axis(call, fixed):
    src = SRC.replace("torch.argmax(model(x))", call)
    (d,) = _warnings(src)
    assert d.primary.span.line == 7
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out and not _warnings(out)


def test_one_sample_is_left_alone():
    assert not _warnings(SRC.replace("torch.randn(10, 4)", "torch.randn(1, 4)"))


def test_what_torch_does():
    pytest.importorskip("torch")
    scope = {}
    exec(compile(SRC, "case.py", "exec"), scope)
    assert tuple(scope["preds"].shape) == ()
    exec(compile(SRC.replace("torch.argmax(model(x))", "torch.argmax(model(x), dim=1)"), "case.py", "exec"), scope)
    assert tuple(scope["preds"].shape) == (10,)
