"""One sample fed to a Keras model as a column -- ``arr.reshape(784, 1)`` for ``Input(shape=(784,))``: the help
says to make it a row, and no fix declares the model's input as one feature (784 samples of one value each).
Keras is the oracle: the column raises, the row predicts."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

pytest.importorskip("keras")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(16, activation="relu"), layers.Dense(10)])
    pixels = np.random.rand(784).astype("float32")
    x = pixels.reshape(SHAPE)
    probs = model.predict(x, verbose=0)
""").lstrip()


def test_a_column_is_made_a_row_not_the_model_bent():
    src = SRC.replace("SHAPE", "784, 1")
    with pytest.raises(Exception):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert "single sample written as a column" in d.help
    assert "declare the input" not in d.help and not (d.fix and d.fix.edits)
    fixed = SRC.replace("SHAPE", "1, 784")
    assert run(fixed)["probs"].shape == (1, 10)
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]
