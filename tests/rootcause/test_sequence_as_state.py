"""Keras ``initial_state``: the cell reads ``states[0]`` (an LSTM also ``states[1]``) as (batch, units) matrices.
An encoder built with ``return_sequences=True, return_state=True`` returns ``[sequences, *states]``; passed on whole,
the 3-D sequence becomes the decoder's first state and Keras fails inside the cell. The fix passes the states only,
``encoder_states[1:]``, where the list is handed over. Also: an LSTM given one state fails, a SimpleRNN given two
fails, a GRU or an LSTM ignores extra states. Keras 3 is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

TEMPLATE = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    enc_in = keras.Input(shape=(None, 6))
    encoder_states = layers.KIND(8, return_sequences=True, return_state=True)(enc_in)
    dec_in = keras.Input(shape=(None, 5))
    dec_out = layers.KIND(8, return_sequences=True)(dec_in, initial_state=STATES)
    model = keras.Model([enc_in, dec_in], layers.Dense(5)(dec_out))
    out = model.predict([np.zeros((2, 4, 6), "float32"), np.zeros((2, 3, 5), "float32")], verbose=0)
""").lstrip()


def src(kind: str, states: str) -> str:
    return TEMPLATE.replace("KIND", kind).replace("STATES", states)


def _errors(text):
    return [d for d in check_source("case.py", text).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("kind", ["GRU", "LSTM", "SimpleRNN"])
def test_the_whole_encoder_output_is_fixed_to_its_states(kind):
    bad = src(kind, "encoder_states")
    (d,) = _errors(bad)
    assert d.code == "SHP111" and d.primary.span.line == 8 and "sequence first" in d.primary.text
    fixed = fix_source("case.py", bad, [d], ("safe", "unsafe")).source
    assert fixed == src(kind, "encoder_states[1:]") and not _errors(fixed)


@pytest.mark.parametrize("kind, states, fails", [
    ("LSTM", "encoder_states[1:2]", True),       # an LSTM needs [h, c]
    ("SimpleRNN", "encoder_states[1:] * 2", True),  # a SimpleRNN takes exactly one state
    ("GRU", "encoder_states[1:] * 2", False),    # a GRU reads states[0] and ignores the rest
    ("LSTM", "encoder_states[1:] + encoder_states[1:2]", False),
])
def test_how_many_states(kind, states, fails):
    assert bool(_errors(src(kind, states))) == fails


@pytest.mark.parametrize("kind, states, fails", [
    ("GRU", "encoder_states", True), ("LSTM", "encoder_states", True), ("SimpleRNN", "encoder_states", True),
    ("GRU", "encoder_states[1:]", False), ("LSTM", "encoder_states[1:]", False),
    ("SimpleRNN", "encoder_states[1:]", False),
    ("LSTM", "encoder_states[1:2]", True), ("SimpleRNN", "encoder_states[1:] * 2", True),
    ("GRU", "encoder_states[1:] * 2", False), ("LSTM", "encoder_states[1:] + encoder_states[1:2]", False),
])
def test_what_keras_does(kind, states, fails):
    pytest.importorskip("keras")
    if fails:
        with pytest.raises(Exception):
            run(src(kind, states))
    else:
        assert tuple(run(src(kind, states))["out"].shape) == (2, 3, 5)


def test_states_unpacked_with_a_star():
    # `outputs, *states = encoder(x)`: the starred name holds the list of states, as Python makes it
    text = TEMPLATE.replace("KIND", "LSTM").replace("encoder_states = layers", "_, *encoder_states = layers") \
        .replace("STATES", "encoder_states")
    assert not _errors(text)
    assert not _errors(text.replace("*encoder_states", "*encoder_states, last").replace(
        "initial_state=encoder_states", "initial_state=encoder_states + [last]"))
