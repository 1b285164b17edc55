"""A Keras ``Normalization`` adapted on the whole table (features and the target column, 5 columns) and then given
the 4 features: the statistics do not fit, and Keras raises when the model is built in fit. The ``adapt`` call is
the mistake; the fix adapts on the array the model is trained on. Keras is the oracle."""
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

    raw = np.random.rand(200, 5).astype("float32")
    x_train, y_train = raw[:, :4], raw[:, 4]
    normalizer = layers.Normalization(axis=-1)
    normalizer.adapt(raw)
    model = keras.Sequential([keras.Input(shape=(4,)), normalizer, layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x_train, y_train, epochs=1, verbose=0)
""").lstrip()


def test_the_adapt_call_is_blamed_and_adapts_on_the_training_features():
    r = check_source("case.py", SRC)
    (d,) = [d for d in r.diagnostics if d.severity == "error"]
    assert d.code == "SHP101" and d.primary.span.line == 8
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert "normalizer.adapt(x_train)" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]


def test_adapted_on_the_features_is_quiet():
    assert not [d for d in check_source("case.py", SRC.replace("adapt(raw)", "adapt(x_train)")).diagnostics
                if d.severity in ("error", "warning")]


def test_what_keras_does():
    pytest.importorskip("keras")
    from oracle import run
    with pytest.raises(Exception):
        run(SRC)
    run(SRC.replace("adapt(raw)", "adapt(x_train)"))
