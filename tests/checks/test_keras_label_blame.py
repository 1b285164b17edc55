"""Keras labels vs output mismatches whose edit belongs to the model, not the loss (checks/feed.py): an Embedding's
token axis reaching a per-sample output, and an autoencoder whose downsampling does not divide the input size.
Every script is also fit with real Keras to confirm it raises (or runs)."""
from __future__ import annotations

import pytest

from shapelint.frontends.source.check import check_source

EMBEDDING = """import numpy as np
import keras
from keras import layers

x = np.random.randint(1, 500, size=(64, 20))
y = np.random.randint(0, 2, size=LABELS)
model = keras.Sequential([
    keras.Input(shape=(20,)),
    layers.Embedding(500, 16),
    REDUCE
    layers.Dense(8, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="LOSS")
model.fit(x, y, epochs=1, batch_size=16, verbose=0)
"""

AUTOENCODER = """import numpy as np
import keras
from keras import layers

x = np.random.rand(16, SIZE, SIZE, 1).astype("float32")
inp = keras.Input(shape=(SIZE, SIZE, 1))
h = layers.Conv2D(8, 3, padding="same", activation="relu")(inp)
h = layers.MaxPooling2D(2, padding="same")(h)
h = layers.Conv2D(8, 3, padding="same", activation="relu")(h)
h = layers.MaxPooling2D(2, padding="same")(h)
h = layers.Conv2D(8, 3, padding="same", activation="relu")(h)
h = layers.UpSampling2D(2)(h)
h = layers.Conv2D(8, 3, padding="same", activation="relu")(h)
h = layers.UpSampling2D(2)(h)
out = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
ae = keras.Model(inp, out)
ae.compile(optimizer="adam", loss="mse")
ae.fit(x, x, epochs=1, batch_size=8, verbose=0)
"""


def _raises(src: str) -> bool:
    pytest.importorskip("keras")
    try:
        exec(compile(src, "t.py", "exec"), {"__name__": "__main__"})
    except Exception:  # noqa: BLE001
        return True
    return False


def _errors(src: str):
    return [(d.code, d.line, d.help) for d in check_source("t.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("loss", ["binary_crossentropy", "sparse_categorical_crossentropy"])
def test_embedding_token_axis_into_per_sample_labels(loss):
    src = EMBEDDING.replace("LABELS", "(64,)").replace("    REDUCE\n", "").replace("LOSS", loss)
    assert _raises(src)
    errs = _errors(src)
    # at the head applied to each token's vector, where the pooling goes (the Embedding is a secondary label)
    assert [(c, line) for c, line, _ in errs] == [("SHP301", 10)]
    assert "GlobalAveragePooling1D()" in errs[0][2]


def test_embedding_with_pooling_or_per_token_labels_is_fine():
    pooled = EMBEDDING.replace("LABELS", "(64,)").replace("REDUCE", "layers.GlobalAveragePooling1D(),") \
        .replace("LOSS", "binary_crossentropy")
    tagged = EMBEDDING.replace("LABELS", "(64, 20, 1)").replace("    REDUCE\n", "") \
        .replace("LOSS", "binary_crossentropy")
    for src in (pooled, tagged):
        assert not _raises(src)
        assert not _errors(src)


def test_autoencoder_size_not_divisible_is_reported_at_the_rounding_pool():
    src = AUTOENCODER.replace("SIZE", "14")  # 14 -> 7 -> 4 -> 8 -> 16
    assert _raises(src)
    errs = _errors(src)
    assert [(c, line) for c, line, _ in errs] == [("SHP301", 10)]
    assert "Cropping2D" in errs[0][2]


def test_autoencoder_divisible_size_is_fine():
    src = AUTOENCODER.replace("SIZE", "28")
    assert not _raises(src)
    assert not _errors(src)


DENOISER = """import numpy as np
import keras
from keras import layers

clean = np.random.rand(16, 28, 28, 1).astype("float32")
noisy = clean + 0.1
inp = keras.Input(shape=(28, 28, 1))
h = inp
for filters in (16, 8, 8):
    h = layers.Conv2D(filters, 3, padding="same", activation="relu")(h)
    h = layers.MaxPooling2D(2)(h)
for filters in (8, 8, 16):
    h = layers.Conv2D(filters, 3, padding="same", activation="relu")(h)
    h = layers.UpSampling2D(2)(h)
out = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(h)
ae = keras.Model(inp, out)
ae.compile(optimizer="adam", loss="mse")
ae.fit(noisy, clean, epochs=1, batch_size=8, verbose=0)
"""


def test_denoiser_whose_valid_pooling_drops_a_row_pools_same_and_crops():
    """A denoising autoencoder (noisy inputs, clean targets of the same shape) whose 'valid' pools take 28 -> 14 ->
    7 -> 3, so three upsamplings give 24: reported at the pool that drops the row, fixed by pooling with
    padding="same" (-> 4 -> 32) and cropping the output back to 28 -- the targets are never cut down."""
    from shapelint.fixing import fix_source
    assert _raises(DENOISER)
    diags = [d for d in check_source("t.py", DENOISER).diagnostics if d.severity == "error"]
    assert [(d.code, d.line) for d in diags] == [("SHP301", 11)]
    fixed = fix_source("t.py", DENOISER, diags, ("safe", "unsafe")).source
    assert 'layers.MaxPooling2D(2, padding="same")(h)' in fixed and "Cropping2D(((2, 2), (2, 2)))" in fixed
    assert "clean[:," not in fixed and not _raises(fixed) and not _errors(fixed)


def test_pools_written_one_per_line_are_replayed_each_with_its_own_rounding():
    """28 -> 14 -> 7 -> 3 with three MaxPooling2D lines: only the pool that drops the row pools with
    padding="same" (7 -> 4); the others are replayed with their own 'valid' rounding, and the output is cropped back."""
    from shapelint.fixing import fix_source
    src = """import numpy as np
import keras
from keras import layers

x = np.random.rand(16, 28, 28, 1).astype("float32")
ae = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(8, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.Conv2D(8, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(2),
    layers.UpSampling2D(2),
    layers.UpSampling2D(2),
    layers.UpSampling2D(2),
    layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
])
ae.compile(optimizer="adam", loss="mse")
ae.fit(x, x, epochs=1, batch_size=8, verbose=0)
"""
    assert _raises(src)
    diags = [d for d in check_source("t.py", src).diagnostics if d.severity == "error"]
    fixed = fix_source("t.py", src, diags, ("safe", "unsafe")).source
    pools = [line.strip() for line in fixed.splitlines() if "MaxPooling2D" in line]
    assert pools == ["layers.MaxPooling2D(2),"] * 2 + ['layers.MaxPooling2D(2, padding="same"),']
    assert "Cropping2D(((2, 2), (2, 2)))" in fixed
    assert not _raises(fixed) and not _errors(fixed)
