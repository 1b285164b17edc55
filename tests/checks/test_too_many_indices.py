"""More indices than an array has axes (``pred[:, -1, 0]`` on a model's (N, 1) predictions): numpy raises "too
many indices for array". Reported where the index is written; a fix that drops the steps axis the index still
reads is then not applied. numpy and Keras are the oracles."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    model = keras.Sequential([keras.Input(shape=(10, 3)), layers.LSTM(8), layers.Dense(1)])
    X = np.random.rand(20, 10, 3).astype("float32")
    pred = model.predict(X, verbose=0)
    first = pred[:, -1, 0]
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_predictions_indexed_past_their_rank_are_reported_there():
    (d,) = _errors(SRC)
    assert d.code == "SHP103" and d.primary.span.line == 8 and "3 indices for a 2-D array" in d.primary.text


def test_a_numpy_array_indexed_past_its_rank_and_a_right_index_are_told_apart():
    src = "import numpy as np\na = np.zeros((4, 2))\nb = a[:, 1, 0]\nc = a[:, 1]\nd = a[..., None, 0]\n"
    (d,) = _errors(src)
    assert d.primary.span.line == 3


def test_a_fix_that_leaves_the_index_broken_is_not_applied():
    src = SRC.replace("layers.LSTM(8)", "layers.LSTM(8, return_sequences=True)").replace(
        'pred = model.predict', 'model.compile("adam", "mse")\nmodel.fit(X, np.random.rand(20), verbose=0)\npred = model.predict')
    ds = [d for d in check_source("case.py", src).diagnostics if d.code == "SHP207"]
    assert ds and (ds[0].fix is None or not ds[0].fix.edits)


def test_what_numpy_and_keras_do():
    np = pytest.importorskip("numpy")
    pytest.importorskip("keras")
    with pytest.raises(IndexError):
        np.zeros((4, 2))[:, 1, 0]
    with pytest.raises(IndexError):
        run(SRC)
    assert run(SRC.replace("pred[:, -1, 0]", "pred[:, 0]"))["first"].shape == (20,)
