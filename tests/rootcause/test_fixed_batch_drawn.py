"""A VAE's sampling layer draws its noise as ``(BATCH_SIZE, latent)``: a fixed batch meets the model's free batch
axis. The torch backend fails as the model is built (TensorFlow at the last, smaller batch of ``fit``). The size
written into the shape is the mistake; the fix reads it from a tensor of the batch. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops

    BATCH_SIZE, LATENT = 32, 2


    class Sampling(layers.Layer):
        def call(self, inputs):
            z_mean, z_log_var = inputs
            epsilon = keras.random.normal(shape=(BATCH_SIZE, LATENT))
            return z_mean + ops.exp(0.5 * z_log_var) * epsilon


    inp = keras.Input(shape=(20,))
    h = layers.Dense(16, activation="relu")(inp)
    z = Sampling()([layers.Dense(LATENT)(h), layers.Dense(LATENT)(h)])
    out = layers.Dense(20)(z)
    model = keras.Model(inp, out)
    model.compile(optimizer="adam", loss="mse")
    x = np.random.rand(100, 20).astype("float32")
    model.fit(x, x, batch_size=BATCH_SIZE, epochs=1, verbose=0)
""").lstrip()

FIXED = SRC.replace("shape=(BATCH_SIZE, LATENT)", "shape=(ops.shape(z_log_var)[0], LATENT)")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_written_batch_size_is_blamed_and_read_from_the_batch():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 11 and d.primary.span.column == 46
    assert [e.text for e in d.fix.edits] == ["ops.shape(z_log_var)[0]"]
    assert _errors(FIXED) == []


def test_a_fixed_batch_declared_for_the_whole_model_is_not_an_error():
    src = SRC.replace("keras.Input(shape=(20,))", "keras.Input(batch_shape=(BATCH_SIZE, 20))")
    assert _errors(src) == []


def test_a_size_one_batch_broadcasts():
    assert _errors(SRC.replace("shape=(BATCH_SIZE, LATENT)", "shape=(1, LATENT)")) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    run(FIXED)
    run(SRC.replace("shape=(BATCH_SIZE, LATENT)", "shape=(1, LATENT)"))


def test_noise_sized_from_the_batch_in_a_model_replayed_on_data_is_not_an_error():
    """The sampling layer traced on ``keras.Input`` reads the batch as ``ops.shape(z_mean)``; a subclassed model
    then runs the encoder on data of a known batch: that replay is not a fixed batch meeting a free one."""
    src = textwrap.dedent("""
        import numpy as np
        import keras
        from keras import layers, ops


        class Sampling(layers.Layer):
            def call(self, inputs):
                z_mean, z_log_var = inputs
                eps = keras.random.normal(ops.shape(z_mean))
                return z_mean + ops.exp(0.5 * z_log_var) * eps


        inp = keras.Input(shape=(20,))
        h = layers.Dense(16)(inp)
        z_mean, z_log_var = layers.Dense(2)(h), layers.Dense(2)(h)
        encoder = keras.Model(inp, [z_mean, z_log_var, Sampling()([z_mean, z_log_var])])
        decoder = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(20)])


        class VAE(keras.Model):
            def __init__(self, encoder, decoder):
                super().__init__()
                self.encoder, self.decoder = encoder, decoder

            def call(self, x):
                z_mean, z_log_var, z = self.encoder(x)
                return self.decoder(z)


        vae = VAE(encoder, decoder)
        vae.compile(optimizer="adam", loss="mse")
        data = np.random.rand(64, 20).astype("float32")
        vae.fit(data, data, batch_size=16, epochs=1, verbose=0)
    """).lstrip()
    assert _errors(src) == []
    pytest.importorskip("keras")
    run(src)
