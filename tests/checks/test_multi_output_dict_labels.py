"""A multi-output model fit with one label array per output by name (``y={"priority": ..., "department": ...}``,
given to fit or as a dataset's element): each output is checked against its labels and its loss. A one-unit
softmax ``department`` head with 4-class one-hot labels and categorical cross-entropy fails in Keras; the head is
given 4 units (that output's own head, not the model's last layer). Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    a = keras.Input(shape=(8,), name="a")
    h = layers.Dense(16, activation="relu")(a)
    department = layers.Dense(1, activation="softmax", name="department")(h)
    priority = layers.Dense(1, activation="sigmoid", name="priority")(h)
    model = keras.Model(a, [priority, department])
    model.compile(optimizer="adam", loss={"priority": "mse", "department": "categorical_crossentropy"})
    x = np.zeros((64, 8), "float32")
    y = {"priority": np.zeros((64, 1), "float32"), "department": np.eye(4, dtype="float32")[np.zeros(64, int)]}
    model.fit(x, y, epochs=1, verbose=0)
""").lstrip()

FIXED = SRC.replace('layers.Dense(1, activation="softmax", name="department")',
                    'layers.Dense(4, activation="softmax", name="department")')


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_each_output_meets_its_labels():
    (d,) = _errors(SRC)
    assert d.code == "SHP301" and d.primary.span.line == 7
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == FIXED
    assert not _errors(FIXED)


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC)
    run(FIXED)
