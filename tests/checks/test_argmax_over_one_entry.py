"""argmax over an axis with one entry -- the (N, 1) output of a one-unit head -- is always 0: every sample gets the
negative class and nothing raises. The fix thresholds the one value (0.5 for a sigmoid's probabilities, 0 for a
Linear's logits). Multi-class outputs are left alone. NumPy / torch / Keras are the oracle."""
import textwrap

import numpy as np

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    x = np.random.rand(64, 8).astype("float32")
    y = (x[:, 0] > 0.5).astype("float32")
    model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4, activation="relu"),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam")
    probs = model.predict(x, verbose=0)
    classes = np.argmax(probs, axis=1)
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 1))
    x = torch.randn(64, 8)
    classes = model(x).argmax(dim=1)
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_keras_probabilities_are_thresholded_at_a_half():
    assert not np.asarray(run(KERAS)["classes"]).any()  # always 0
    (d,) = _warnings(KERAS)
    assert d.code == "SHP203" and d.primary.span.line == 11
    fixed = apply_edits(KERAS, d.fix.edits)
    assert "classes = (probs.squeeze(1) > 0.5).astype(int)" in fixed
    assert run(fixed)["classes"].shape == (64,)
    assert not _warnings(fixed)


def test_torch_logits_are_thresholded_at_zero():
    assert not run(TORCH)["classes"].any()
    (d,) = _warnings(TORCH)
    fixed = apply_edits(TORCH, d.fix.edits)
    assert "classes = (model(x).squeeze(1) > 0).long()" in fixed
    assert tuple(run(fixed)["classes"].shape) == (64,)
    assert not _warnings(fixed)


def test_several_classes_are_left_alone():
    src = TORCH.replace("nn.Linear(4, 1)", "nn.Linear(4, 3)")
    assert run(src)["classes"].shape == (64,)
    assert not _warnings(src)
