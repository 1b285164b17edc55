"""A multi-input Keras model fitted with a dict keyed by its Inputs' names: the ``tags`` Input is declared with
``"num_tags": 12`` written by hand in a config while the multi-hot tags have one column per entry of ``TAG_VOCAB``
(10). Keras checks each named array against its Input; the config entry is where the number went wrong, and counting
the list is the fix. Arrays given as a list, in the Inputs' order, are checked the same way. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    TAG_VOCAB = ["billing", "login", "crash", "ui", "api", "mobile", "email", "refund", "export", "sso"]
    CONFIG = {"title_len": 6, "num_tags": 12}

    title = keras.Input(shape=(CONFIG["title_len"],), name="title")
    tags = keras.Input(shape=(CONFIG["num_tags"],), name="tags")
    features = layers.Concatenate()([layers.Dense(8)(title), tags])
    model = keras.Model([title, tags], layers.Dense(1)(features))
    model.compile(optimizer="adam", loss="mse")
    titles = np.random.rand(16, CONFIG["title_len"]).astype("float32")
    tag_rows = np.zeros((16, len(TAG_VOCAB)), dtype="float32")
    model.fit({"title": titles, "tags": tag_rows}, np.random.rand(16, 1), epochs=1, verbose=0)
""").lstrip()


def test_the_config_entry_counts_the_list():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.code == "SHP304" and d.line == SRC.splitlines().index('CONFIG = {"title_len": 6, "num_tags": 12}') + 1
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert 'CONFIG = {"title_len": 6, "num_tags": len(TAG_VOCAB)}' in fixed
    pytest.importorskip("keras")
    run(fixed)
    with pytest.raises(ValueError):
        run(SRC)


def test_arrays_in_a_list_are_checked_in_the_inputs_order():
    src = SRC.replace('model.fit({"title": titles, "tags": tag_rows}', "model.fit([titles, tag_rows]")
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert "`tags`" in d.message
    swapped = src.replace("model.fit([titles, tag_rows]", "model.fit([tag_rows, titles]").replace(
        '"num_tags": 12', '"num_tags": 10')
    assert [d for d in check_source("case.py", swapped).diagnostics if d.severity == "error"]


def test_matching_arrays_are_not_reported():
    src = SRC.replace('"num_tags": 12', '"num_tags": 10')
    assert [d for d in check_source("case.py", src).diagnostics if d.severity == "error"] == []
