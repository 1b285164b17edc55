"""A two-head Keras model fit with its targets listed in another order than its outputs: Keras pairs them by
position, the classifier head gets the regression targets and fit raises. The list is reordered where it is
written; widening a head or swapping the losses would train each head on the other's quantity. Keras is the
oracle."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(6,))
h = layers.Dense(16, activation="relu")(inputs)
kind = layers.Dense(3, activation="softmax", name="kind")(h)
amount = layers.Dense(1, name="amount")(h)
model = keras.Model(inputs, [kind, amount])
model.compile("adam", loss=["categorical_crossentropy", "mse"])
rng = np.random.default_rng(0)
x = rng.normal(size=(40, 6)).astype("float32")
y_kind = keras.utils.to_categorical(rng.integers(0, 3, size=40), 3)
y_amount = rng.gamma(2.0, 1.0, size=(40, 1)).astype("float32")
targets = [{first}, {second}]
model.fit(x, targets, epochs=1, verbose=0)
print([p.shape for p in model.predict(x[:2], verbose=0)])
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_targets_are_listed_in_the_outputs_order():
    src = SRC.format(first="y_amount", second="y_kind")
    found = _loud(src)
    assert found and all("targets = [" in src.splitlines()[d.primary.span.line - 1] for d in found)
    out = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert "targets = [y_kind, y_amount]" in out and 'layers.Dense(3, activation="softmax"' in out
    assert 'loss=["categorical_crossentropy", "mse"]' in out and not _loud(out)


def test_what_keras_does():
    pytest.importorskip("keras")
    pytest.importorskip("torch")
    env = {"KERAS_BACKEND": "torch", "PATH": ""}
    bad = subprocess.run([sys.executable, "-c", SRC.format(first="y_amount", second="y_kind")],
                         capture_output=True, text=True, env=env)
    assert bad.returncode != 0
    good = subprocess.run([sys.executable, "-c", SRC.format(first="y_kind", second="y_amount")],
                          capture_output=True, text=True, env=env)
    assert good.returncode == 0, good.stderr[-400:]
