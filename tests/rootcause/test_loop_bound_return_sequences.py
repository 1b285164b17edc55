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


FIRST = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    UNITS = [32, 16, 8]


    def stack(x, units):
        n = len(units)
        for i, k in enumerate(units):
            last = i == 0
            x = layers.GRU(k, return_sequences=not last)(x)
        return x


    inp = keras.Input(shape=(12, 3))
    model = keras.Model(inp, layers.Dense(2)(stack(inp, UNITS)))
    out = model.predict(np.random.rand(4, 12, 3), verbose=0)
""").lstrip()


def test_a_last_layer_flag_set_on_the_first_iteration():
    """``last = i == 0`` marks the first GRU as the last: it collapses its sequence and the next one fails (rw17b,
    a stacked-GRU forecaster). The flag must mark the last position: ``i == n - 1``."""
    found = [d for d in check_source("case.py", FIRST).diagnostics if d.severity == "error"]
    assert found and all(d.primary.span.line == 11 for d in found)
    fixed = apply_edits(FIRST, found[0].fix.edits)
    assert "last = i == n - 1" in fixed
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(FIRST)
    assert run(fixed)["out"].shape == (4, 2)
