"""Two Keras root causes away from where fit raises. Grayscale images declared ``Input(shape=(28, 28))``: the 2-D conv
gets a 3-D tensor (a ``Resizing`` in front takes the batch for one image); the declaration lacks the channel axis.
Class ids 1..6 one-hot encoded without a shift: 7 columns for a 6-unit softmax; the ids are shifted where they are
encoded, training and validation labels both. Keras is the oracle: the originals raise, the fixed scripts train."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

GRAY = """
import numpy as np
import keras
from keras import layers

images = np.random.rand(32, 28, 28).astype("float32")
labels = np.random.randint(0, 10, 32)
model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    {first}
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
model.compile("adam", "sparse_categorical_crossentropy")
model.fit(images, labels, epochs=1, verbose=0)
print(model.predict(images[:2], verbose=0).shape)
"""

FROM_ONE = """
import numpy as np
import keras
from keras import layers

np.random.seed(0)  # every id 1..6 drawn in both sets, so to_categorical of the shifted ids has 6 columns
x_train, x_val = np.random.rand(60, 8).astype("float32"), np.random.rand(20, 8).astype("float32")
ids_train, ids_val = np.random.randint(1, 7, 60), np.random.randint(1, 7, 20)
y_train = keras.utils.to_categorical(ids_train)
y_val = keras.utils.to_categorical(ids_val)
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(6, activation="softmax")])
model.compile("adam", "categorical_crossentropy")
model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=1, verbose=0)
print(model.predict(x_val[:2], verbose=0).shape)
"""


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("first", ["layers.Resizing(32, 32),", "layers.Rescaling(1 / 255),", ""])
def test_grayscale_images_get_their_channel_axis_declared(first):
    src = GRAY.format(first=first)
    found = _loud(src)
    assert found and "keras.Input(shape=(28, 28))" in src.splitlines()[found[0].primary.span.line - 1]
    out = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert "keras.Input(shape=(28, 28, 1))" in out and "Reshape" not in out and not _loud(out)


def test_ids_from_one_are_shifted_where_they_are_encoded():
    found = _loud(FROM_ONE)
    assert found and found[0].cause == "ids-from-one"
    out = fix_source("case.py", FROM_ONE, found, ("safe", "unsafe")).source
    assert "to_categorical(ids_train - 1)" in out and "to_categorical(ids_val - 1)" in out
    assert "layers.Dense(6," in out and not _loud(out)


@pytest.mark.parametrize("src, fixed", [(GRAY.format(first="layers.Resizing(32, 32),"),
                                         ("shape=(28, 28))", "shape=(28, 28, 1))")),
                                        (FROM_ONE, ("(ids_train)", "(ids_train - 1)"))])
def test_what_keras_does(src, fixed):
    pytest.importorskip("keras")
    pytest.importorskip("torch")
    env = {"KERAS_BACKEND": "torch", "PATH": ""}
    bad = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, env=env)
    assert bad.returncode != 0
    good_src = src.replace(*fixed).replace("(ids_val)", "(ids_val - 1)")
    good = subprocess.run([sys.executable, "-c", good_src], capture_output=True, text=True, env=env)
    assert good.returncode == 0, good.stderr[-500:]


def test_the_whole_array_shape_declared_as_the_input():
    """``input_shape=X_train.shape`` declares (382, 30): the sample count taken as an axis. Located at the
    declaration for the training and the test data alike (rw18a, a Conv1D on tabular rows); the per-sample shape is
    ``X_train.shape[1:]`` (a Conv1D then also needs a channel axis: the fix is not applied alone)."""
    import textwrap
    from shapelint.frontends.source.check import check_source
    src = textwrap.dedent("""
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Conv1D, Dense, Flatten

        X_train = np.random.rand(382, 30).astype("float32")
        X_test = np.random.rand(187, 30).astype("float32")
        y_train = np.random.randint(0, 2, 382)
        y_test = np.random.randint(0, 2, 187)
        model = Sequential()
        model.add(Conv1D(8, 3, activation="relu", input_shape=X_train.shape))
        model.add(Flatten())
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(X_train, y_train, epochs=1, verbose=0)
        model.evaluate(X_test, y_test, verbose=0)
    """).lstrip()
    found = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert found and all(d.primary.span.line == 10 for d in found)
    assert all("X_train.shape[1:]" in d.help and "reshape(-1, 382" not in d.help for d in found)
