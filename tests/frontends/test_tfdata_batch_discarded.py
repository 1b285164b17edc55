"""``ds.batch(n)`` written as a statement: tf.data returns a new dataset, so the batching is lost and Keras is fed
single samples. The thrown-away call is blamed and its result kept (``ds = ds.batch(n)``), not a second
``.batch(32)`` added at the return. TensorFlow is the oracle where installed."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import tensorflow as tf
    import keras
    from keras import layers

    BATCH = 16


    def make(x, y):
        ds = tf.data.Dataset.from_tensor_slices((x, y))
        ds.batch(BATCH)
        return ds.prefetch(tf.data.AUTOTUNE)


    x = np.random.rand(64, 8).astype("float32")
    y = np.random.randint(0, 2, size=(64,))
    model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4, activation="relu"), layers.Dense(1)])
    model.compile("adam", "mse")
    model.fit(make(x, y), epochs=1, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_thrown_away_batch_is_blamed_and_kept():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 11
    out = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "ds = ds.batch(BATCH)" in out and out.count(".batch(") == 1 and not _errors(out)


def test_what_tensorflow_does():
    pytest.importorskip("tensorflow")
    with pytest.raises(ValueError):
        run(SRC)
    run(SRC.replace("    ds.batch(BATCH)", "    ds = ds.batch(BATCH)"))
