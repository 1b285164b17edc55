"""Windows of a univariate series declared ``Input(shape=(LOOK_BACK,))`` before an LSTM: the declaration lacks the
features axis; it is blamed and completed with the name the file uses (not a ``Reshape((8, 1))`` with the number
copied, not (1, LOOK_BACK), which makes each window one step). Keras is the oracle, on (samples, LOOK_BACK) data."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    LOOK_BACK = 6
    series = np.random.rand(120).astype("float32")
    x = np.stack([series[i:i + LOOK_BACK] for i in range(100)])
    y = series[LOOK_BACK:LOOK_BACK + 100]
    model = keras.Sequential([
        keras.Input(shape=(LOOK_BACK,)),
        layers.LSTM(8),
        layers.Dense(1),
    ])
    model.compile(loss="mse", optimizer="adam")
    model.fit(x, y, epochs=1, batch_size=20, verbose=0)
    out = model.predict(x[:3], verbose=0)
""").lstrip()


def test_the_declaration_is_blamed_and_given_a_feature_axis():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 10
    assert [e.text for e in d.fix.edits] == ["(LOOK_BACK, 1)"]


def test_a_tabular_input_before_a_dense_is_left_alone():
    src = SRC.replace("layers.LSTM(8),", "layers.Dense(8),")
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC)
    scope = run(SRC.replace("shape=(LOOK_BACK,)", "shape=(LOOK_BACK, 1)"))
    assert scope["out"].shape == (3, 1)
