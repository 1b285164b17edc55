"""SHP202, comparison, in NumPy after ``model.predict``: the (N, 1) probabilities of a one-unit sigmoid head,
thresholded, compared with (N,) labels broadcast to (N, N) -- the "accuracy" is about the class balance. The column
side is flattened at the comparison. Keras and NumPy are the oracle. Also: labels thresholded at ``np.median`` of a
score are followed (a median without ``axis`` is a 0-d array)."""
import os
import textwrap

import numpy as np

from oracle import run, static_values
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 6)).astype("float32")
    score = X @ rng.normal(size=6)
    y = (score > np.median(score)).astype("int64")
    model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(1, activation="sigmoid")])
    probs = model.predict(X, verbose=0)
    predicted = (probs > 0.5).astype("int64")
    accuracy = np.mean(predicted == y)
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_prediction_column_compared_with_flat_labels_is_flattened():
    real = run(SCRIPT)
    assert (real["predicted"] == real["y"]).shape == (120, 120)
    assert static_values(SCRIPT)["y"].shape == (120,)
    (d,) = _loud(SCRIPT)
    assert d.code == "SHP202" and d.primary.span.line == 12
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "np.mean(predicted.ravel() == y)" in fixed and not _loud(fixed)
    after = run(fixed)
    assert after["accuracy"] == np.mean(after["predicted"].ravel() == after["y"])


def test_argmax_predictions_against_flat_labels_say_nothing():
    src = SCRIPT.replace('layers.Dense(1, activation="sigmoid")', 'layers.Dense(2, activation="softmax")') \
        .replace('(probs > 0.5).astype("int64")', "probs.argmax(axis=1)")
    real = run(src)
    assert (real["predicted"] == real["y"]).shape == (120,) and not _loud(src)
