"""SHP309 from a lookup: ``StringLookup(vocabulary=WORDS)`` numbers the words from 1 (0 is its out-of-vocabulary
slot), so an ``Embedding(input_dim=len(WORDS))`` reading its ids has no row for the last word. Fixed by sizing the
table from the lookup. Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

LOOKUP = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    WORDS = ["red", "green", "blue", "black"]
    lookup = layers.StringLookup(vocabulary=WORDS)
    ids = lookup(np.array([["red", "black"], ["blue", "green"]]))
    model = keras.Sequential([keras.Input((2,), dtype="int64"), layers.Embedding(input_dim=len(WORDS), output_dim=3),
                              layers.GlobalAveragePooling1D(), layers.Dense(1)])
    out = model.predict(ids, verbose=0)
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP309"]


def test_the_table_is_sized_from_the_lookup():
    (d,) = _found(LOOKUP)
    assert d.primary.span.line == 8
    fixed = fix_source("case.py", LOOKUP, [d], ("safe", "unsafe")).source
    assert "layers.Embedding(input_dim=lookup.vocabulary_size(), output_dim=3)" in fixed and not _found(fixed)


def test_no_reserved_slot_and_a_table_with_one_more_row_are_fine():
    assert not _found(LOOKUP.replace("StringLookup(vocabulary=WORDS)", "StringLookup(vocabulary=WORDS, "
                                                                         "num_oov_indices=0)"))
    assert not _found(LOOKUP.replace("input_dim=len(WORDS)", "input_dim=len(WORDS) + 1"))
    assert not _found(LOOKUP.replace("ids = lookup(", "ids = np.zeros((2, 2), 'int64') or ("))


def test_what_keras_does():
    pytest.importorskip("keras")
    pytest.importorskip("tensorflow")  # Keras's lookup layers need TensorFlow on every backend
    with pytest.raises(Exception):
        run(LOOKUP)
    assert run(LOOKUP.replace("input_dim=len(WORDS)", "input_dim=lookup.vocabulary_size()"))["out"].shape == (2, 1)
