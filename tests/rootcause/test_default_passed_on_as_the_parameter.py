"""A size taken from a default (``Sampling(latent_dim=2)``) inside a model whose constructor was given the setting
as a parameter of the same name and sized its other layers with it (``Dense(latent_dim)``): the fix passes the
parameter, ``Sampling(latent_dim=latent_dim)``, not its number in this run (``latent_dim=8``), which would break
when the setting changes (a round-13 review). Keras is the oracle, at two settings."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops

    LATENT_DIM = 8


    class Sampling(layers.Layer):
        def __init__(self, latent_dim=2, **kwargs):
            super().__init__(**kwargs)
            self.latent_dim = latent_dim

        def call(self, inputs):
            z_mean, z_log_var = inputs
            eps = keras.random.normal((ops.shape(z_mean)[0], self.latent_dim))
            return z_mean + ops.exp(0.5 * z_log_var) * eps


    class VAE(keras.Model):
        def __init__(self, latent_dim, **kwargs):
            super().__init__(**kwargs)
            self.to_mean = layers.Dense(latent_dim)
            self.to_logvar = layers.Dense(latent_dim)
            self.sampler = Sampling()
            self.dec = layers.Dense(16)

        def call(self, x):
            return self.dec(self.sampler([self.to_mean(x), self.to_logvar(x)]))


    vae = VAE(LATENT_DIM)
    out = vae(np.random.rand(4, 16).astype("float32"))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_parameter_is_passed_not_its_number():
    (d,) = _errors(SRC)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "self.sampler = Sampling(latent_dim=latent_dim)" in fixed
    assert not _errors(fixed) and not _errors(fixed.replace("LATENT_DIM = 8", "LATENT_DIM = 5"))


def test_what_keras_does():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    fixed = fix_source("case.py", SRC, _errors(SRC), ("safe", "unsafe")).source
    for n in (8, 5):
        assert tuple(run(fixed.replace("LATENT_DIM = 8", f"LATENT_DIM = {n}"))["out"].shape) == (4, 16)
