"""0/1 labels (N,) against ``Dense(2) + sigmoid`` with ``binary_crossentropy``: Keras fails in fit. Switching the loss
to sparse categorical cross-entropy runs on two sigmoids (not a softmax) and predicts two numbers per image (fix
review, rw18a: judged wrong); the expert head for two classes is one sigmoid unit. Keras is the oracle."""
import os
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    CONFIG = {"num_classes": 2}
    X = np.random.rand(64, 8).astype("float32")
    y = np.random.randint(0, 2, size=(64,))
    model = keras.Sequential([keras.Input((8,)), layers.Dense(16, activation="relu"),
                              layers.Dense(CONFIG["num_classes"]), layers.Activation("sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam")
    model.fit(X, y, epochs=1, verbose=0)
    p = model.predict(X[:4], verbose=0)
""").lstrip()


def test_two_sigmoid_units_for_binary_labels_become_one():
    result = check_source("case.py", SRC)
    (d,) = [d for d in result.diagnostics if d.severity == "error"]
    assert d.code == "SHP301" and d.primary.span.line == 9
    fixed = fix_source("case.py", SRC, result.diagnostics, ("safe", "unsafe")).source
    assert "layers.Dense(1)" in fixed and "sparse_categorical" not in fixed
    pytest.importorskip("keras")
    from oracle import run
    with pytest.raises(ValueError):
        run(SRC)
    assert run(fixed)["p"].shape == (4, 1)


def test_a_softmax_head_still_gets_the_sparse_loss():
    src = SRC.replace('layers.Activation("sigmoid")', 'layers.Activation("softmax")')
    result = check_source("case.py", src)
    fixed = fix_source("case.py", src, result.diagnostics, ("safe", "unsafe")).source
    assert "sparse_categorical_crossentropy" in fixed


def test_labels_not_known_to_be_binary_are_not_told_they_are():
    """Code review: labels from ``randint(0, 5)`` against Dense(2) + sigmoid: the help must not say "0/1 labels" nor
    offer Dense(1)."""
    from pathlib import Path
    src = (Path(__file__).resolve().parents[1] / "fixtures" / "review18" / "e_five.py").read_text()
    found = [d for d in check_source("e_five.py", src).diagnostics if d.severity == "error"]
    assert found and all("0/1" not in (d.help or "") and "Dense(1)" not in (d.help or "") for d in found)
