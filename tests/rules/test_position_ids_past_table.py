"""Position ids ``arange(length)`` looked up in an embedding table with fewer rows than the sequence is long: a
position table sized by a ``max_len`` shorter than the data's sequences. PyTorch raises IndexError; Keras raises
when it runs the lookup. The frameworks are the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn

    MAX_LEN = 64


    class Encoder(nn.Module):
        def __init__(self, vocab=500, d=16, max_len=MAX_LEN):
            super().__init__()
            self.tok = nn.Embedding(vocab, d)
            self.pos = nn.Embedding(max_len, d)

        def forward(self, x):
            positions = torch.arange(x.size(1))
            return self.tok(x) + self.pos(positions)


    out = Encoder()(torch.randint(0, 500, (4, 80)))
""").lstrip()

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops

    MAXLEN, SEQ_LEN = 64, 80


    class TokenAndPosition(layers.Layer):
        def __init__(self, maxlen, vocab, dim):
            super().__init__()
            self.tok = layers.Embedding(vocab, dim)
            self.pos = layers.Embedding(maxlen, dim)

        def call(self, x):
            positions = ops.arange(0, ops.shape(x)[-1])
            return self.tok(x) + self.pos(positions)


    inp = keras.Input(shape=(SEQ_LEN,), dtype="int32")
    h = TokenAndPosition(MAXLEN, 500, 16)(inp)
    model = keras.Model(inp, layers.Dense(2)(layers.GlobalAveragePooling1D()(h)))
    model.predict(np.random.randint(1, 500, size=(4, SEQ_LEN)), verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("src,arg", [(TORCH, "num_embeddings"), (KERAS, "input_dim")])
def test_positions_past_the_table_are_an_error(src, arg):
    (d,) = _errors(src)
    assert d.code == "SHP309" and "0 to 79" in d.message and "64 rows" in d.message and arg in d.help


def test_a_table_as_long_as_the_sequences_is_not_reported():
    assert _errors(TORCH.replace("MAX_LEN = 64", "MAX_LEN = 80")) == []
    assert _errors(KERAS.replace("MAXLEN, SEQ_LEN = 64, 80", "MAXLEN, SEQ_LEN = 80, 80")) == []


def test_a_length_read_from_a_symbolic_tensor_gives_a_vector_of_positions():
    src = KERAS.replace("shape=(SEQ_LEN,)", "shape=(None,)")
    assert _errors(src) == []  # the length is unknown: no error, but the shapes go on
    (model,) = check_source("case.py", src).models
    assert tuple(model.program.ops[-1].output.shape) == (None, 2)


def test_what_the_frameworks_do():
    pytest.importorskip("torch")
    with pytest.raises(IndexError):
        run(TORCH)
    run(TORCH.replace("MAX_LEN = 64", "MAX_LEN = 80"))
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(KERAS)
    run(KERAS.replace("MAXLEN, SEQ_LEN = 64, 80", "MAXLEN, SEQ_LEN = 80, 80"))
