"""A helper's default (``def fuse(tensors, axis=1)``) used by a call that does not pass it: the diagnosis and the fix
go to the default, so callers that pass their own axis keep it. Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import keras
    from keras import layers


    def fuse(tensors, axis=1):
        return layers.Concatenate(axis=axis)(tensors)


    a, b = keras.Input(shape=(6, 4)), keras.Input(shape=(6, 3))
    model = keras.Model([a, b], fuse([a, b]))
    shape = tuple(model.output.shape)
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_default_is_blamed_and_fixed():
    (d,) = _loud(SRC)
    assert d.primary.span.line == 5 and [s.span.line for s in d.secondary if "not passed" in s.text] == [10]
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "def fuse(tensors, axis=-1):" in fixed and "layers.Concatenate(axis=axis)" in fixed and not _loud(fixed)


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC)
    assert run(SRC.replace("axis=1)", "axis=-1)"))["shape"] == (None, 6, 7)


SHARED = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self, hidden_size=16):
            super().__init__()
            self.rnn = nn.LSTM(8, hidden_size, batch_first=True, bidirectional=True)
            self.fc = nn.Linear(hidden_size, 3)

        def forward(self, x):
            out, _ = self.rnn(x)
            return self.fc(out[:, -1])


    logits = Net()(torch.randn(4, 5, 8))
""").lstrip()


def test_a_default_that_sizes_both_sides_is_left_alone():
    (d,) = _loud(SHARED)
    assert d.primary.span.line == 9  # the Linear, sized as hidden_size * 2 -- never the shared default
    fixed = fix_source("case.py", SHARED, [d], ("safe", "unsafe")).source
    assert "hidden_size=16" in fixed and "nn.Linear(hidden_size * 2, 3)" in fixed
