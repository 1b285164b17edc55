"""A recurrent layer's whole output sequence reaching a loss that has one target per sample is blamed where the
sequence is consumed, whether the head's (N, T, 1) output is squeezed to (N, T) or not (PyTorch), and at the last
recurrent layer that keeps ``return_sequences=True`` (Keras). Giving the targets the output's shape would make it
run and train every step on the sample's one target, so that is never the help. The frameworks are the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn

    class Price(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(4, 16, num_layers=2, batch_first=True)
            self.fc = nn.Linear(16, 1)

        def forward(self, x):
            out, (h, c) = self.lstm(x)
            return self.fc(out).squeeze(-1)

    model = Price()
    pred = model(torch.randn(8, 20, 4))
    loss = nn.MSELoss()(pred, torch.randn(8))
""").lstrip()

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    x = np.random.randint(1, 100, size=(64, 12))
    y = np.random.randint(0, 2, size=(64,)).astype("float32")
    model = keras.Sequential([
        keras.Input(shape=(12,)),
        layers.Embedding(100, 8),
        layers.LSTM(8, return_sequences=True),
        layers.LSTM(4, return_sequences=True),
        layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(loss="binary_crossentropy", optimizer="adam")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_squeezed_sequence_output_is_blamed_where_the_sequence_is_used():
    (d,) = _errors(TORCH)
    assert d.primary.span.line == 12
    assert [e.text for e in d.fix.edits] == ["out[:, -1]"]
    assert "give the target" not in d.help


def test_the_last_step_fix_is_what_torch_accepts():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(TORCH.replace("nn.MSELoss()(pred", "nn.MSELoss(reduction='none')(pred"))
    scope = run(TORCH.replace("self.fc(out)", "self.fc(out[:, -1])"))
    assert tuple(scope["pred"].shape) == (8,)


def test_a_head_after_the_last_step_whose_width_is_the_length_is_not_blamed():
    src = TORCH.replace("nn.Linear(16, 1)", "nn.Linear(16, 20)").replace("self.fc(out).squeeze(-1)",
                                                                          "self.fc(out[:, -1])")
    assert not [d for d in _errors(src) if d.fix and any("[:, -1]" in e.text for e in d.fix.edits)]


def test_keras_return_sequences_left_on_is_the_primary_line():
    (d,) = _errors(KERAS)
    assert d.primary.span.line == 11
    assert [e.text for e in d.fix.edits] == ["False"]


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(KERAS)
    run(KERAS.replace("layers.LSTM(4, return_sequences=True)", "layers.LSTM(4)"))
