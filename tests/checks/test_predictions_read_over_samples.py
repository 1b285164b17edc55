"""Predictions read over the samples: ``np.argmax(model.predict(x), axis=0)`` (one index per class, not one label
per sample) and an ``nn.Softmax(dim=0)`` made in the script and applied to a model's (N, C) outputs. Nothing
raises; the frameworks are the oracles of the shapes."""
import textwrap

import numpy as np

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input((8,)), layers.Dense(5, activation="softmax")])
    x_test = np.random.rand(9, 8).astype("float32")
    predictions = model.predict(x_test, verbose=0)
    predicted_labels = np.argmax(predictions, axis=0)
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 3))
    softmax = nn.Softmax(dim=0)
    inputs = torch.randn(7, 8)
    with torch.no_grad():
        probs = softmax(model(inputs))
        conf, preds = torch.max(probs, 1)
""").lstrip()


def test_argmax_over_the_samples_of_predictions():
    assert run(KERAS)["predicted_labels"].shape == (5,)  # one per class, not one per sample
    (d,) = [d for d in check_source("case.py", KERAS).diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP203" and d.line == 8
    fixed = fix_source("case.py", KERAS, [d], ("safe", "unsafe")).source
    assert "np.argmax(predictions, axis=1)" in fixed
    assert run(fixed)["predicted_labels"].shape == (9,)


def test_argmax_of_transposed_predictions_over_axis_0_is_right():
    src = KERAS.replace("np.argmax(predictions, axis=0)", "np.argmax(predictions.T, axis=0)")
    assert run(src)["predicted_labels"].shape == (9,)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_softmax_module_over_the_batch_in_the_script():
    assert not np.allclose(run(TORCH)["probs"].sum(1).numpy(), 1.0)
    (d,) = [d for d in check_source("case.py", TORCH).diagnostics if d.severity in ("error", "warning")]
    assert d.code == "SHP203" and d.line == 5
    fixed = fix_source("case.py", TORCH, [d], ("safe", "unsafe")).source
    assert "nn.Softmax(dim=-1)" in fixed
    assert np.allclose(run(fixed)["probs"].sum(1).numpy(), 1.0, atol=1e-5)
