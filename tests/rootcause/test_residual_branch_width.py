"""A residual ``x + f(x)`` whose branch ends at another width than ``x``: a transformer block's feed-forward network
written ``Dense(ff_dim), Dense(ff_dim)`` (or ``Linear(d, 4 * d), Linear(4 * d, 4 * d)``). The last layer of the
branch is blamed and sized back to the width it is added to, by the name in scope there; ``ff_dim = embed_dim``
would run and remove the expansion. Keras and PyTorch are the oracles."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    import keras
    from keras import layers


    class Block(layers.Layer):
        def __init__(self, embed_dim, ff_dim, **kwargs):
            super().__init__(**kwargs)
            self.ffn = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(ff_dim)])
            self.norm = layers.LayerNormalization()

        def call(self, x):
            return self.norm(x + self.ffn(x))


    inp = keras.Input(shape=(10, 16))
    model = keras.Model(inp, Block(16, 64)(inp))
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Block(nn.Module):
        def __init__(self, d_model=16, expansion=4):
            super().__init__()
            self.ff = nn.Sequential(nn.Linear(d_model, d_model * expansion), nn.GELU(),
                                    nn.Linear(d_model * expansion, d_model * expansion))

        def forward(self, x):
            return x + self.ff(x)


    out = Block()(torch.randn(2, 10, 16))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("src, fixed", [(KERAS, "layers.Dense(embed_dim)])"),
                                        (TORCH, "nn.Linear(d_model * expansion, d_model))")], ids=["keras", "torch"])
def test_the_branch_is_brought_back_to_the_width_it_adds_to(src, fixed):
    (d,) = _errors(src)
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out and _errors(out) == []


def test_what_the_frameworks_do():
    pytest.importorskip("keras")
    pytest.importorskip("torch")
    for src, good in ((KERAS, KERAS.replace("layers.Dense(ff_dim)])", "layers.Dense(embed_dim)])")),
                      (TORCH, TORCH.replace("nn.Linear(d_model * expansion, d_model * expansion)",
                                            "nn.Linear(d_model * expansion, d_model)"))):
        with pytest.raises(Exception):
            run(src)
        run(good)
