"""Class ids read from a label map numbered by ``enumerate(CLASSES, start=1)``: the head has len(CLASSES) outputs,
the ids run 1..C, and CrossEntropyLoss fails on the last class. The numbering is blamed and ``start=1`` dropped --
the inverse map used for the predictions' names follows -- not ``y - 1`` at the loss and not a head of C + 1.
Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    CLASSES = ["walk", "run", "sit", "stand", "cycle"]
    label2id = {name: i for i, name in enumerate(CLASSES, start=1)}
    id2label = {i: name for name, i in label2id.items()}

    names = np.random.default_rng(0).choice(CLASSES, size=64)
    names[0] = "cycle"
    y = torch.from_numpy(np.array([label2id[nm] for nm in names], dtype="int64"))
    x = torch.randn(64, 12)
    model = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, len(CLASSES)))
    loss = nn.CrossEntropyLoss()(model(x), y)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_numbering_from_one_is_dropped():
    (d,) = _errors(SRC)
    assert d.code == "SHP302" and d.primary.span.line == 6
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "enumerate(CLASSES)}" in fixed and "- 1" not in fixed and not _errors(fixed)


def test_a_map_numbered_from_zero_is_quiet():
    assert not _errors(SRC.replace(", start=1", ""))


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(IndexError):
        run(SRC)
    assert run(SRC.replace(", start=1", ""))["loss"].shape == ()
