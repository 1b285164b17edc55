"""Data reshaped with the channel axis of size 1 in front (``x.reshape(-1, 1, 28, 28)``, the PyTorch habit) for a
channels-last Keras model: the reshape writes the model's order itself, since moving an axis of size 1 leaves the
values in place. Three channels in front (CIFAR rows are channel-major) need a transpose instead: rewriting the
reshape would scramble the pixels. Keras is the oracle: the original fails, the fixed script trains."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import numpy as np
import keras
from keras import layers

pixels = np.random.rand(64, {flat}).astype("float32")
labels = np.random.randint(0, 10, 64)
images = {reshape}

model = keras.Sequential([
    keras.Input(shape={declared}),
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
model.compile("adam", "sparse_categorical_crossentropy")
model.fit(images, labels, epochs=1, verbose=0)
print(model.predict(images, verbose=0).shape)
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("reshape, fixed", [("pixels.reshape(-1, 1, 28, 28)", "pixels.reshape(-1, 28, 28, 1)"),
                                            ("pixels.reshape((64, 1, 28, 28))", "pixels.reshape((64, 28, 28, 1))"),
                                            ("np.reshape(pixels, (-1, 1, 28, 28))",
                                             "np.reshape(pixels, (-1, 28, 28, 1))")])
def test_an_axis_of_size_1_is_moved_in_the_reshape(reshape, fixed):
    src = SRC.format(flat=784, reshape=reshape, declared="(28, 28, 1)")
    (d,) = _loud(src)
    assert reshape in src.splitlines()[d.primary.span.line - 1] and d.cause == "data-layout"
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert fixed in out and "shape=(28, 28, 1)" in out and not _loud(out)


def test_channels_of_real_size_are_transposed_not_rewritten():
    src = SRC.format(flat=3072, reshape="pixels.reshape(-1, 3, 32, 32)", declared="(32, 32, 3)")
    (d,) = _loud(src)
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)" in out and "reshape(-1, 32, 32, 3)" not in out


def test_what_keras_does():
    pytest.importorskip("keras")
    pytest.importorskip("torch")
    env = {"KERAS_BACKEND": "torch", "PATH": ""}
    bad = SRC.format(flat=784, reshape="pixels.reshape(-1, 1, 28, 28)", declared="(28, 28, 1)")
    r = subprocess.run([sys.executable, "-c", bad], capture_output=True, text=True, env=env)
    assert r.returncode != 0
    good = bad.replace("reshape(-1, 1, 28, 28)", "reshape(-1, 28, 28, 1)")
    r = subprocess.run([sys.executable, "-c", good], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and r.stdout.strip().endswith("(64, 10)")
