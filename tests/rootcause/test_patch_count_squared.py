"""A ViT's ``num_patches = image_size // patch_size`` counts one side of the patch grid; the patches tensor holds
its square. The formula is the mistake; the fix squares it (never a literal, never another patch size). Keras is
the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops

    image_size, patch_size, dim = 24, 6, 16
    num_patches = image_size // patch_size


    class PatchEncoder(layers.Layer):
        def __init__(self, num_patches, dim):
            super().__init__()
            self.num_patches = num_patches
            self.proj = layers.Dense(dim)
            self.pos = layers.Embedding(input_dim=num_patches, output_dim=dim)

        def call(self, patches):
            positions = ops.expand_dims(ops.arange(0, self.num_patches), axis=0)
            return self.proj(patches) + self.pos(positions)


    inp = keras.Input(shape=(image_size, image_size, 3))
    x = layers.Conv2D(8, patch_size, strides=patch_size)(inp)
    x = layers.Reshape(((image_size // patch_size) * (image_size // patch_size), 8))(x)
    x = PatchEncoder(num_patches, dim)(x)
    model = keras.Model(inp, layers.Dense(3)(layers.GlobalAveragePooling1D()(x)))
    model.predict(np.random.rand(2, image_size, image_size, 3), verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_side_count_is_blamed_and_squared():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 6
    fixed = apply_edits(SRC, d.fix.edits)
    assert "num_patches = (image_size // patch_size) ** 2" in fixed and _errors(fixed) == []


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    run(SRC.replace("num_patches = image_size // patch_size", "num_patches = (image_size // patch_size) ** 2"))
