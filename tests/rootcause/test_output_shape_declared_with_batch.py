"""A siamese head built with ``keras.Input(shape=embedding_shape)`` from ``base.output_shape``, which holds the batch
axis: the head takes (None, None, 4) and refuses the (None, 4) embeddings. Where ``output_shape`` is read is the
root; the fix takes one sample's shape, ``output_shape[1:]``. Keras is the oracle."""
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

    base = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(4)])


    def head_for(embedding_shape):
        a, b = keras.Input(shape=embedding_shape), keras.Input(shape=embedding_shape)
        return keras.Model([a, b], layers.Dense(1)(layers.Concatenate()([a, b])))


    head = head_for(base.output_shape)
    x1, x2 = keras.Input(shape=(6,)), keras.Input(shape=(6,))
    pair = keras.Model([x1, x2], head([base(x1), base(x2)]))
    scores = pair.predict([np.random.rand(5, 6), np.random.rand(5, 6)], verbose=0)
""").lstrip()


def test_the_head_is_declared_per_sample():
    with pytest.raises(Exception):
        run(SCRIPT)
    (d,) = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 13
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "head = head_for(base.output_shape[1:])" in fixed
    assert run(fixed)["scores"].shape == (5, 1)
