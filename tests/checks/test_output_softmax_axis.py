"""SHP203 (not-features): a model whose output is a softmax over the time steps (a tagger's ``Softmax(axis=1)``) or
over the batch (a time-major model's ``log_softmax(dim=1)``) while its last axis holds the class scores. Reported
where the axis was written (a config entry) and fixed to -1. The frameworks are the oracle: the bad outputs do not
sum to 1 over the classes, the fixed ones do. A softmax over the steps of one-score-per-step attention is left
alone (its last axis is 1)."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

TAGGER = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    cfg = {"units": 8, "norm_axis": 1}
    tokens = keras.Input(shape=(12,), dtype="int32")
    h = layers.Embedding(100, 16)(tokens)
    h = layers.Bidirectional(layers.LSTM(cfg["units"], return_sequences=True))(h)
    probs = layers.Softmax(axis=cfg["norm_axis"])(layers.Dense(5)(h))
    model = keras.Model(tokens, probs)
    p = model.predict(np.ones((2, 12), "int32"), verbose=0)
""").lstrip()

TIME_MAJOR = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Acoustic(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(10, 16)
            self.proj = nn.Linear(16, 6)

        def forward(self, feats):
            out, _ = self.lstm(feats)
            return F.log_softmax(self.proj(out), dim=1)


    log_probs = Acoustic()(torch.randn(20, 4, 10))
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP203"]


@pytest.mark.parametrize("src, line, fixed", [(TAGGER, 5, '"norm_axis": -1'), (TIME_MAJOR, 14, "dim=-1")])
def test_reported_where_the_axis_is_written_and_fixed(src, line, fixed):
    (d,) = _warnings(src)
    assert d.primary.span.line == line
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out.splitlines()[line - 1] and not _warnings(out)


def test_what_the_frameworks_do():
    pytest.importorskip("keras")
    torch = pytest.importorskip("torch")
    scope = run(TAGGER)
    assert abs(float(scope["p"][0].sum(axis=-1)[0]) - 1.0) > 0.1  # not a distribution over the tags
    scope = run(TAGGER.replace('"norm_axis": 1', '"norm_axis": -1'))
    assert abs(float(scope["p"][0].sum(axis=-1)[0]) - 1.0) < 1e-4
    scope = run(TIME_MAJOR)
    assert abs(float(scope["log_probs"].exp().sum(-1).mean()) - 1.0) > 0.1
    scope = run(TIME_MAJOR.replace("dim=1)", "dim=-1)"))
    assert torch.allclose(scope["log_probs"].exp().sum(-1), torch.ones(20, 4), atol=1e-5)
