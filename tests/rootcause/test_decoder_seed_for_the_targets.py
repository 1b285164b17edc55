"""An autoencoder whose decoder starts from a seed map copied from a smaller model: Keras ``Dense(7 * 7 * 64)`` +
``Reshape((7, 7, 64))`` upsampled x4 gives 28x28 where the targets (the images themselves) are 32x32; a PyTorch VAE's
``Linear(latent, 64 * 8 * 8)`` + ``.view(-1, 64, 8, 8)`` upsampled x4 gives 32x32 for 64x64 images. The mismatch
shows at the loss; the number that is wrong is the seed, the target size over the upsampling factor. Resizing the
targets or cropping the output would run and reconstruct another image. The frameworks are the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    x_train = np.random.rand(8, 32, 32, 3).astype("float32")
    enc_in = keras.Input(shape=(32, 32, 3))
    h = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(enc_in)
    h = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(h)
    z = layers.Dense(16)(layers.Flatten()(h))
    encoder = keras.Model(enc_in, z)
    dec_in = keras.Input(shape=(16,))
    d = layers.Dense(7 * 7 * 64, activation="relu")(dec_in)
    d = layers.Reshape((7, 7, 64))(d)
    d = layers.Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu")(d)
    d = layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu")(d)
    out = layers.Conv2DTranspose(3, 3, padding="same", activation="sigmoid")(d)
    decoder = keras.Model(dec_in, out)
    ae = keras.Model(enc_in, decoder(encoder(enc_in)))
    ae.compile(optimizer="adam", loss="mse")
    ae.fit(x_train, x_train, epochs=1, batch_size=4, verbose=0)
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class ConvVAE(nn.Module):
        def __init__(self, latent_dim=32):
            super().__init__()
            self.enc = nn.Sequential(nn.Conv2d(3, 32, 4, stride=2, padding=1), nn.ReLU(),
                                     nn.Conv2d(32, 64, 4, stride=2, padding=1), nn.ReLU(), nn.Flatten())
            self.mu = nn.Linear(64 * 16 * 16, latent_dim)
            self.logvar = nn.Linear(64 * 16 * 16, latent_dim)
            self.fc = nn.Linear(latent_dim, 64 * 8 * 8)
            self.dec = nn.Sequential(nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1), nn.ReLU(),
                                     nn.ConvTranspose2d(32, 3, 4, stride=2, padding=1), nn.Sigmoid())

        def forward(self, x):
            h = self.enc(x)
            mu, logvar = self.mu(h), self.logvar(h)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            return self.dec(self.fc(z).view(-1, 64, 8, 8)), mu, logvar


    x = torch.rand(4, 3, 64, 64)
    recon, mu, logvar = ConvVAE()(x)
    loss = F.mse_loss(recon, x) - 0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp())
""").lstrip()


def _fixed(src):
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    return d, fix_source("case.py", src, [d], ("safe", "unsafe")).source


def test_the_keras_decoder_starts_from_the_target_size_over_its_upsampling():
    d, fixed = _fixed(KERAS)
    assert d.line == KERAS.splitlines().index("d = layers.Reshape((7, 7, 64))(d)") + 1
    assert "Dense(8 * 8 * 64" in fixed and "Reshape((8, 8, 64))" in fixed
    assert "32, 32, 3" in fixed  # the images and the encoder are left as they are
    assert check_source("case.py", fixed).diagnostics == []
    pytest.importorskip("keras")
    run(fixed)


def test_the_torch_decoder_seed_and_its_linear_move_together():
    d, fixed = _fixed(TORCH)
    assert "start the decoder from a 16x16 map" in d.help
    assert "nn.Linear(latent_dim, 64 * 16 * 16)" in fixed and ".view(-1, 64, 16, 16)" in fixed
    pytest.importorskip("torch")
    assert tuple(run(fixed)["recon"].shape) == (4, 3, 64, 64)
    assert [x for x in check_source("case.py", fixed).diagnostics if x.severity == "error"] == []


def test_what_the_frameworks_do():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(TORCH)
    pytest.importorskip("keras")
    with pytest.raises((ValueError, RuntimeError)):
        run(KERAS)
