"""A loop stacks recurrent layers with ``return_sequences=i < len(units) - 2``: the second-to-last layer returns one
vector and the last one fails. The bound is the mistake (every layer but the last returns its sequence); the fix
makes it ``- 1``. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    UNITS = [32, 16, 8]


    def stack(x, units):
        for i, n in enumerate(units):
            keep = i < len(units) - 2
            x = layers.GRU(n, return_sequences=keep)(x)
        return x


    inp = keras.Input(shape=(12, 3))
    model = keras.Model(inp, layers.Dense(2)(stack(inp, UNITS)))
    model.predict(np.random.rand(4, 12, 3), verbose=0)
""").lstrip()

RANGE = SRC.replace("for i, n in enumerate(units):", "for i in range(len(units)):").replace(
    "layers.GRU(n,", "layers.GRU(units[i],")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("src", [SRC, RANGE])
def test_the_bound_is_blamed_and_made_all_but_the_last(src):
    (d,) = _errors(src)
    assert d.primary.span.line == 10
    fixed = apply_edits(src, d.fix.edits)
    assert "keep = i < len(units) - 1" in fixed and _errors(fixed) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    assert run(SRC.replace("len(units) - 2", "len(units) - 1"))["model"].output_shape == (None, 2)
