"""A subclassed Keras model whose call() applies the head Dense to the conv map: the edit goes where the layer is
applied in call(), using the Flatten layer __init__ built and call() forgot; without one, a new Flatten. The
validation labels are not blamed for the same missing Flatten. Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

NET = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.conv = layers.Conv2D(4, 3, padding="same")
            self.pool = layers.MaxPooling2D()
            self.flat = layers.Flatten()
            self.hidden = layers.Dense(8, activation="relu")
            self.out = layers.Dense(3, activation="softmax")

        def call(self, x):
            x = self.pool(self.conv(x))
            x = self.hidden(x)
            return self.out(x)

    x = np.random.rand(16, 8, 8, 1).astype("float32")
    y = np.random.randint(0, 3, size=(16,))
    model = Net()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x, y, validation_data=(x[:4], y[:4]), epochs=1, batch_size=8, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_forgotten_flatten_is_applied_in_call():
    (d,) = _errors(NET)
    assert d.primary.span.line == 16
    fixed = fix_source("case.py", NET, [d], ("safe", "unsafe")).source
    assert "x = self.hidden(self.flat(x))" in fixed and not _errors(fixed)


def test_without_one_a_new_flatten_is_applied():
    src = NET.replace("        self.flat = layers.Flatten()\n", "")
    (d,) = _errors(src)
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "x = self.hidden(layers.Flatten()(x))" in fixed and not _errors(fixed)


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(NET)
    run(NET.replace("x = self.hidden(x)", "x = self.hidden(self.flat(x))"))
