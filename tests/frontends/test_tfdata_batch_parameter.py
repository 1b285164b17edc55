"""A pipeline helper that never batches, ``df_to_dataset(..., batch_size=BATCH_SIZE)``: the fix batches with the
helper's own parameter -- the caller's choice -- not the module constant it defaults to (an unseen reviewer judged
``.batch(BATCH_SIZE)`` a workaround: the argument was silently ignored)."""
import textwrap

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import tensorflow as tf
    import keras
    from keras import layers

    BATCH_SIZE = 32


    def to_dataset(x, y, batch_size=BATCH_SIZE):
        ds = tf.data.Dataset.from_tensor_slices((x, y))
        return ds.prefetch(tf.data.AUTOTUNE)


    x = np.random.rand(200, 5).astype("float32")
    y = np.random.randint(0, 2, 200).astype("float32")
    model = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    model.fit(to_dataset(x, y, batch_size=16), epochs=1)
""").lstrip()


def test_the_helper_batches_with_its_own_parameter():
    r = check_source("case.py", SRC)
    assert [d.code for d in r.diagnostics if d.severity == "error"] == ["SHP307"]
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert "return ds.batch(batch_size).prefetch(tf.data.AUTOTUNE)" in fixed
