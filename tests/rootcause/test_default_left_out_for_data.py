"""A builder called without the size the data was made with: ``build(vocab, classes)`` leaves ``max_len=100`` at
its default while the corpus is padded to ``CFG["max_len"]`` (120) -- the sequences drawn at random, so only the
padding width is known. The call that leaves the argument out is the mistake; the fix passes the config entry.
Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    CFG = {"vocab_size": 300, "max_len": 40, "n_classes": 3}


    def corpus(n, cfg):
        rng = np.random.default_rng(0)
        seqs = [rng.integers(1, cfg["vocab_size"], size=rng.integers(5, 60)).tolist() for _ in range(n)]
        return keras.utils.pad_sequences(seqs, maxlen=cfg["max_len"]), rng.integers(0, cfg["n_classes"], size=n)


    def build(vocab_size, n_classes, max_len=30):
        inp = keras.Input(shape=(max_len,), dtype="int32")
        x = layers.Embedding(vocab_size, 16)(inp)
        x = layers.Conv1D(8, 3, activation="relu")(x)
        x = layers.MaxPooling1D(pool_size=max_len - 2)(x)
        return keras.Model(inp, layers.Dense(n_classes, activation="softmax")(layers.Flatten()(x)))


    x_train, y_train = corpus(64, CFG)
    model = build(CFG["vocab_size"], CFG["n_classes"])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=1, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_call_that_leaves_the_size_out_is_blamed_and_passes_the_config_entry():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 23
    fixed = apply_edits(SRC, d.fix.edits)
    assert 'build(CFG["vocab_size"], CFG["n_classes"], max_len=CFG["max_len"])' in fixed
    assert _errors(fixed) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    run(SRC.replace('build(CFG["vocab_size"], CFG["n_classes"])',
                    'build(CFG["vocab_size"], CFG["n_classes"], max_len=CFG["max_len"])'))
