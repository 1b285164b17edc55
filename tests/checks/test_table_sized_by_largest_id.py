"""A table sized by the largest id: ``n_users = int(users.max())`` for ids drawn from 1..300, then
``Embedding(n_users, ...)``. Whatever the draw, the largest id has no row (ids 0..n-1). Reported where the largest
id is taken, fixed by one row more there, also when the model has several inputs fed as a list. Keras is the
oracle."""
import os
import textwrap

import pytest

from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    rng = np.random.default_rng(0)
    users = rng.integers(1, 301, size=2000)
    books = rng.integers(0, 50, size=2000)


    def table_size(ids):
        return int(ids.max())


    user_in, book_in = keras.Input(shape=(1,)), keras.Input(shape=(1,))
    u = layers.Flatten()(layers.Embedding(table_size(users), 8)(user_in))
    b = layers.Flatten()(layers.Embedding(50, 8)(book_in))
    model = keras.Model([user_in, book_in], layers.Dot(axes=1)([u, b]))
    model.compile(optimizer="adam", loss="mse")
    model.fit([users, books], np.zeros(2000), epochs=1, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_largest_id_taken_for_the_row_count_is_blamed_and_grown():
    (d,) = _errors(SRC)
    assert d.code == "SHP309" and d.primary.span.line == 11
    fixed = apply_edits(SRC, d.fix.edits)
    assert "return int(ids.max() + 1)" in fixed
    assert _errors(fixed) == []


def test_few_draws_say_nothing_of_the_largest_id():
    assert _errors(SRC.replace("size=2000)\nbooks", "size=20)\nbooks").replace("[users, books]", "[users[:20], books[:20]]")
                   .replace("np.zeros(2000)", "np.zeros(20)")) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    from oracle import run
    with pytest.raises(Exception):
        run(SRC)
    run(SRC.replace("return int(ids.max())", "return int(ids.max() + 1)"))
