"""A (B, S) padding mask made by a helper and passed by keyword through a custom Transformer block to Keras
MultiHeadAttention, which wants (B, T, S) or (B, 1, S): the block's call() now receives the keyword, the mismatch is
found inside it, and the fix adds the query axis where the helper returns the mask. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops


    class Block(layers.Layer):
        def __init__(self, dim, heads):
            super().__init__()
            self.att = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)

        def call(self, x, attention_mask=None):
            return x + self.att(x, x, attention_mask=attention_mask)


    def padding_mask(token_ids):
        return ops.not_equal(token_ids, 0)


    inputs = keras.Input(shape=(64,), dtype="int32")
    x = layers.Embedding(1000, 32)(inputs)
    x = Block(32, 4)(x, attention_mask=padding_mask(inputs))
    model = keras.Model(inputs, layers.Dense(2)(layers.GlobalAveragePooling1D()(x)))
    out = model(np.random.randint(1, 1000, (3, 64)))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_mask_is_followed_into_the_block_and_given_its_query_axis_where_it_is_made():
    (d,) = _errors(SRC)
    assert d.code == "SHP125" and d.primary.span.line == 16
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "return ops.not_equal(token_ids, 0)[:, None, :]" in fixed and _errors(fixed) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    fixed = run(SRC.replace("ops.not_equal(token_ids, 0)", "ops.not_equal(token_ids, 0)[:, None, :]"))
    assert tuple(fixed["out"].shape) == (3, 2)
