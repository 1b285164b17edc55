"""The four applied fixes the eighth unseen review judged wrong, each now mended (torch / Keras are the oracle):

- a (B, 1) pair label broadcast against (B,) distances in two lines of a contrastive loss: both are reported, not
  only the first (``margin - dist`` keeps one row per sample), and no fix of one line is applied alone;
- per-step regression targets (N, T) for an LSTM that returns its last state: ``return_sequences=True``, never a head
  widened to T outputs;
- a forecaster whose head gives every feature of the series, trained on one column: which is meant is the user's, so
  no edit is applied (shrinking the head dropped forecasts the script still used);
- a CRNN whose conv features are permuted batch-first for an LSTM built without batch_first: the permute puts time
  first, never a transpose at the CTC loss."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")


def _found(script):
    return [d for d in check_source("case.py", script).diagnostics if d.severity in ("error", "warning")]


def _fixed(script):
    return fix_source("case.py", script, _found(script), ("safe", "unsafe")).source


PAIRS = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    def contrastive(dist, label, margin=1.0):
        pos = label * dist.pow(2)
        neg = (1 - label) * F.relu(margin - dist).pow(2)
        return pos + neg


    embed = nn.Sequential(nn.Linear(8, 4), nn.Tanh())
    a, b = torch.randn(BATCH, 8), torch.randn(BATCH, 8)
    same = torch.randint(0, 2, (BATCH, 1)).float()
    per_pair = contrastive(F.pairwise_distance(embed(a), embed(b)), same)
    loss = per_pair.mean()
""").lstrip()


@pytest.mark.parametrize("batch", [4, 7])
def test_every_broadcast_of_a_pair_label_is_fixed(batch):
    script = PAIRS.replace("BATCH", str(batch))
    assert run(script)["per_pair"].shape == (batch, batch)  # silent: every pair against every label
    assert sorted(d.primary.span.line for d in _found(script)) == [7, 8]
    fixed = _fixed(script)
    # each line's fix alone leaves the other broadcast (it is refused for that); applied, they come together
    assert fixed == script or run(fixed)["per_pair"].shape == (batch,) and not _found(fixed)


STEPS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    X = np.random.rand(40, 12, 3).astype("float32")
    Y = np.random.rand(40, 12).astype("float32")
    model = keras.Sequential([keras.Input(shape=(None, 3)), layers.LSTM(6), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, Y, batch_size=8, epochs=1, verbose=0)
    forecast = model.predict(X[:5], verbose=0)
""").lstrip()


def test_per_step_targets_make_the_lstm_return_every_step():
    (d,) = _found(STEPS)
    assert d.primary.span.line == 7
    fixed = _fixed(STEPS)
    assert "layers.LSTM(6, return_sequences=True)" in fixed and "layers.Dense(1)" in fixed
    assert run(fixed)["forecast"].shape == (5, 12, 1)
    assert "12 outputs" not in " ".join(d.notes)


SERIES = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers


    def windows(data, back=4):
        xs, ys = [], []
        for i in range(len(data) - back - 1):
            xs.append(data[i:i + back, :])
            ys.append(data[i + back, 2])
        return np.array(xs), np.array(ys)


    X, y = windows(np.random.rand(100, 3).astype("float32"))
    model = keras.Sequential([keras.Input(shape=(4, 3)), layers.LSTM(8), layers.Dense(3)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, y, epochs=1, batch_size=16, verbose=0)
""").lstrip()


def test_a_head_for_every_feature_against_one_target_column_is_left_to_the_user():
    with pytest.raises(Exception):
        run(SERIES)
    (d,) = _found(SERIES)
    assert d.primary.span.line == 10  # the column kept as the target
    assert d.fix is None or not d.fix.edits
    assert _fixed(SERIES) == SERIES


CRNN = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class CRNN(nn.Module):
        def __init__(self, classes=11):
            super().__init__()
            self.conv = nn.Conv1d(1, 16, 3, padding=1)
            self.rnn = nn.LSTM(16, 8)
            self.out = nn.Linear(8, classes)

        def forward(self, x):
            seq = self.conv(x).permute(0, 2, 1)
            h, _ = self.rnn(seq)
            return self.out(h).log_softmax(2)


    signals = torch.randn(BATCH, 1, 20)
    n = signals.size(0)
    net = CRNN()
    preds = net(signals)
    lengths = torch.full((n,), preds.size(0), dtype=torch.long)
    targets = torch.randint(1, 11, (n, 4))
    loss = nn.CTCLoss()(preds, targets, lengths, torch.full((n,), 4, dtype=torch.long))
""").lstrip()


@pytest.mark.parametrize("batch", [3, 5])
def test_a_batch_first_permute_for_a_time_first_lstm_puts_time_first(batch):
    script = CRNN.replace("BATCH", str(batch))
    with pytest.raises(RuntimeError):
        run(script)
    (d,) = _found(script)
    assert d.primary.span.line == 13
    fixed = _fixed(script)
    assert ".permute(2, 0, 1)" in fixed and "transpose(0, 1)" not in fixed
    assert run(fixed)["preds"].shape == (20, batch, 11)
