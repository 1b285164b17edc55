"""Data made by a helper whose width is a parameter left at its default (``vectorize(seqs)`` with
``dimension=1000``) against a model declared for the file's named width (``Input(shape=(NUM_WORDS,))``): the default
is the root and becomes the model's width by name, so every dataset the helper makes fits (passing it at one call is
offered too; the fix contract decides). Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    NUM_WORDS = 300


    def vectorize(sequences, dimension=100):
        out = np.zeros((len(sequences), dimension), dtype="float32")
        for i, seq in enumerate(sequences):
            out[i, seq] = 1.0
        return out


    rng = np.random.default_rng(0)
    seqs = [list(rng.integers(1, 90, size=5)) for _ in range(12)]
    x_train = vectorize(seqs)
    x_test = vectorize(seqs[:4])
    model = keras.Sequential([keras.Input(shape=(NUM_WORDS,)), layers.Dense(8), layers.Dense(3)])
    train_out = model.predict(x_train, verbose=0)
    test_out = model.predict(x_test, verbose=0)
""").lstrip()


def test_the_default_becomes_the_models_width_by_name():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SCRIPT)
    errors = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert errors and errors[0].primary.span.line == 8
    fixed = fix_source("case.py", SCRIPT, errors, ("safe", "unsafe")).source
    assert "def vectorize(sequences, dimension=NUM_WORDS):" in fixed and "keras.Input(shape=(NUM_WORDS,))" in fixed
    scope = run(fixed)
    assert scope["train_out"].shape == (12, 3) and scope["test_out"].shape == (4, 3)
