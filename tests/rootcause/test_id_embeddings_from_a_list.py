"""Categorical ids fed as (batch, 1) through Embeddings built in a loop and joined, as a list, to a numeric branch
(batch, 3): the Concatenate raises on the ranks. The embedding is where the extra axis is made; with the joined
tensors in a list, the fix flattens each embedding where it is applied. Keras is the oracle."""
import os
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import keras
    from keras import layers

    VOCABS = {"payment": 5, "hour": 24}


    def branch(name, vocab):
        inp = keras.Input(shape=(1,), name=name, dtype="int32")
        emb = layers.Embedding(vocab, 8)(inp)
        return inp, emb


    inputs, encoded = [], []
    for name, vocab in VOCABS.items():
        inp, emb = branch(name, vocab)
        inputs.append(inp)
        encoded.append(emb)
    num = keras.Input(shape=(3,), name="numeric")
    inputs.append(num)
    encoded.append(num)
    x = layers.Concatenate()(encoded)
    model = keras.Model(inputs, layers.Dense(1)(x))
""").lstrip()


def test_each_embedding_is_flattened_where_it_is_applied():
    r = check_source("case.py", SRC)
    (d,) = [d for d in r.diagnostics if d.severity == "error"]
    assert d.primary.span.line == 9
    fixed = fix_source("case.py", SRC, r.diagnostics, ("safe", "unsafe")).source
    assert "emb = layers.Flatten()(layers.Embedding(vocab, 8)(inp))" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity == "error"]
    pytest.importorskip("keras")
    from oracle import run
    with pytest.raises(Exception):
        run(SRC)
    assert run(fixed)["model"].output_shape == (None, 1)
