"""Two heads on the same tensor whose outputs meet: the one sized by a stale literal is the root cause, and the fix
sizes it like its named sibling. The frameworks are the oracle: the scripts raise at the sampling step, and the
fixed ones run and give one row per sample."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class VAE(nn.Module):
        def __init__(self, latent=8):
            super().__init__()
            self.enc = nn.Sequential(nn.Linear(20, 32), nn.ReLU())
            self.mu = nn.Linear(32, latent)
            self.log_var = nn.Linear(32, 2)
            self.dec = nn.Linear(latent, 20)

        def forward(self, x):
            h = self.enc(x)
            mu, log_var = self.mu(h), self.log_var(h)
            z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
            return self.dec(z)


    out = VAE()(torch.randn(5, 20))
""").lstrip()

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops

    latent_dim = 6
    inputs = keras.Input(shape=(12,))
    x = layers.Dense(16, activation="relu")(inputs)
    z_mean = layers.Dense(latent_dim)(x)
    z_log_var = layers.Dense(2)(x)
    z = layers.Lambda(lambda t: t[0] + ops.exp(0.5 * t[1]) * t[2])([z_mean, z_log_var, z_mean])
    model = keras.Model(inputs, z)
    out = model.predict(np.zeros((3, 12), "float32"), verbose=0)
""").lstrip()

SAME_LITERALS = TORCH.replace("nn.Linear(32, latent)", "nn.Linear(32, 8)")


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_stale_literal_is_blamed_and_named_like_its_sibling():
    (d,) = _loud(TORCH)
    assert d.primary.span.line == 10  # self.log_var = nn.Linear(32, 2)
    fixed = fix_source("case.py", TORCH, [d], ("safe", "unsafe")).source
    assert "self.log_var = nn.Linear(32, latent)" in fixed and not _loud(fixed)


def test_keras_heads():
    (d,) = _loud(KERAS)
    assert d.primary.span.line == 9  # z_log_var = layers.Dense(2)(x)
    fixed = fix_source("case.py", KERAS, [d], ("safe", "unsafe")).source
    assert "z_log_var = layers.Dense(latent_dim)(x)" in fixed and not _loud(fixed)


def test_two_literals_are_ambiguous():
    (d,) = _loud(SAME_LITERALS)
    assert d.primary.span.line != 10 or "sibling" not in d.primary.text


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(KERAS)
    scope = run(KERAS.replace("layers.Dense(2)", "layers.Dense(latent_dim)"))
    assert tuple(scope["out"].shape) == (3, 6)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(TORCH)
    scope = run(TORCH.replace("nn.Linear(32, 2)", "nn.Linear(32, latent)"))
    assert tuple(scope["out"].shape) == (5, 20)
