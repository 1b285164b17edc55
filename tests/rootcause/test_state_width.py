"""A Keras decoder LSTM given the concatenated states of a bidirectional encoder as ``initial_state``: each state is
2 * latent_dim wide, the decoder has latent_dim units. Keras raises when the model runs; the decoder's units are
fixed as ``latent_dim * 2`` (latent_dim sizes the encoder too). Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    latent_dim = 16
    enc_in = keras.Input(shape=(None, 5))
    _, fh, fc, bh, bc = layers.Bidirectional(layers.LSTM(latent_dim, return_state=True))(enc_in)
    states = [layers.Concatenate()([fh, bh]), layers.Concatenate()([fc, bc])]
    dec_in = keras.Input(shape=(None, 7))
    dec_out = layers.LSTM(latent_dim, return_sequences=True)(dec_in, initial_state=states)
    model = keras.Model([enc_in, dec_in], layers.Dense(7)(dec_out))
    out = model.predict([np.zeros((2, 4, 5), "float32"), np.zeros((2, 3, 7), "float32")], verbose=0)
""").lstrip()

FIXED = SRC.replace("layers.LSTM(latent_dim, return_sequences=True)", "layers.LSTM(latent_dim * 2, return_sequences=True)")


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_decoder_is_sized_for_both_directions():
    (d,) = _loud(SRC)
    assert d.code == "SHP111" and d.primary.span.line == 10
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == FIXED
    assert not _loud(FIXED)


def test_states_as_wide_as_the_units_are_fine():
    assert not _loud(SRC.replace("layers.Concatenate()([fh, bh])", "layers.Add()([fh, bh])")
                     .replace("layers.Concatenate()([fc, bc])", "layers.Add()([fc, bc])"))


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    scope = run(FIXED)
    assert tuple(scope["out"].shape) == (2, 3, 7)
