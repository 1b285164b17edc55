"""A vocabulary counted from a corpus shapelint cannot follow, numbered from 1 (0 is the padding id), and an embedding
table of ``len(word_index)`` rows: whatever the count, the last word's id has no row. Keras raises in fit; the fix
is one row more. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(50)]
    texts = [" ".join(rng.choice(words, size=8)) for _ in range(64)]
    counts = {}
    for t in texts:
        for tok in t.split():
            counts[tok] = counts.get(tok, 0) + 1
    word_index = {w: i + 1 for i, w in enumerate(sorted(counts))}
    VOCAB = len(word_index)
    x = np.array([[word_index[w] for w in t.split()] for t in texts], dtype="int32")
    model = keras.Sequential([keras.Input(shape=(8,)), layers.Embedding(VOCAB, 4), layers.GlobalAveragePooling1D(),
                              layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, np.zeros((64, 1)), epochs=1, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_len_is_blamed_and_grown_by_one():
    (d,) = _errors(SRC)
    assert d.code == "SHP309" and d.primary.span.line == 13
    fixed = apply_edits(SRC, d.fix.edits)
    assert "VOCAB = len(word_index) + 1" in fixed and _errors(fixed) == []


def test_a_vocabulary_numbered_from_zero_is_not_reported():
    assert _errors(SRC.replace("{w: i + 1 for i, w", "{w: i for i, w")) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    run(SRC.replace("VOCAB = len(word_index)", "VOCAB = len(word_index) + 1"))
