"""A stacked RNN built in a loop whose ``return_sequences`` comes from a variable computed off by one
(``keep_seq = i < n_layers - 2``): the next GRU gets (batch, units). The loop builds both layers on one line, so the
diagnosis goes to where the variable is computed. Keras is the oracle: the script raises, and with ``- 1`` it runs."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers


    def build(units_list):
        model = keras.Sequential()
        model.add(keras.Input(shape=(12, 3)))
        n_layers = len(units_list)
        for i, units in enumerate(units_list):
            keep_seq = i < n_layers - 2
            model.add(layers.GRU(units, return_sequences=keep_seq))
        model.add(layers.Dense(1))
        return model


    model = build([16, 8, 4])
    out = model.predict(np.zeros((2, 12, 3), "float32"), verbose=0)
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_blamed_where_the_setting_is_computed():
    (d,) = _loud(SRC)
    assert d.code == "SHP103" and d.primary.span.line == 11  # keep_seq = i < n_layers - 2
    assert "keep_seq" in d.primary.text
    assert d.fix is None or not d.fix.edits  # no edit: which value is right is for the user to say
    assert not _loud(SRC.replace("n_layers - 2", "n_layers - 1"))


def test_what_keras_does():
    pytest.importorskip("keras")
    for src, fails in ((SRC, True), (SRC.replace("n_layers - 2", "n_layers - 1"), False)):
        try:
            run(src)
            raised = False
        except ValueError:
            raised = True
        assert raised is fails
