"""A helper ``rnn_block(x, units, return_sequences=True)`` called twice: the last call relies on the default and the
model returns one output per step for per-sample targets (silent in Keras: the mse broadcasts). The call that
leaves the setting at its default is blamed; the fix passes it there, so the first call keeps its sequence. Keras
is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers


    def rnn_block(x, units, return_sequences=True):
        return layers.GRU(units, return_sequences=return_sequences)(x)


    inp = keras.Input(shape=(20, 3))
    x = rnn_block(inp, 16)
    x = rnn_block(x, 8)
    model = keras.Model(inp, layers.Dense(1)(x))
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.random.rand(32, 20, 3), np.random.rand(32, 1), epochs=1, verbose=0)
""").lstrip()


def _reported(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_call_relying_on_the_default_is_blamed_and_passes_the_setting():
    (d,) = _reported(SRC)
    assert d.primary.span.line == 12
    fixed = apply_edits(SRC, d.fix.edits)
    assert "x = rnn_block(x, 8, return_sequences=False)" in fixed and "rnn_block(inp, 16)\n" in fixed
    assert "return_sequences=True):" in fixed and _reported(fixed) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    assert run(SRC)["model"].output_shape == (None, 20, 1)  # one output per step: the mse broadcasts
    fixed = run(SRC.replace("rnn_block(x, 8)", "rnn_block(x, 8, return_sequences=False)"))
    assert fixed["model"].output_shape == (None, 1)
