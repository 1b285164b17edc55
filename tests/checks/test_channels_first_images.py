"""SHP213: channels-first images fed to a Keras model declared from the data, whose first conv reads channels last.
Reported where the layout was set (the axis move), and the fix deletes a statement that only moved the axes. The
real framework confirms both: the bad script runs (silently), the fixed one gives channels-last activations."""
import os
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

PREP = """
import numpy as np
import keras
from keras import layers


def prep(img):
    img = img.astype("float32") / 255.0
    img = MOVE
    return img


raw = np.random.randint(0, 256, size=(40, 48, 48, 3)).astype("uint8")
X = np.array([prep(im) for im in raw])
y = np.random.randint(0, 5, size=40)
model = keras.Sequential([
    layers.Input(shape=X.shape[1:]),
    layers.Conv2D(8, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
first = model.layers[0].output.shape
"""


def _src(move: str) -> str:
    return textwrap.dedent(PREP).replace("MOVE", move).lstrip()


def _loud(result) -> list:
    return [d for d in result.diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("move", ["np.rollaxis(img, -1)", "np.transpose(img, (2, 0, 1))", "np.moveaxis(img, -1, 0)",
                                  "img.transpose(2, 0, 1)"])
def test_reported_at_the_axis_move_and_fixed_by_deleting_it(move):
    src = _src(move)
    (d,) = _loud(check_source("case.py", src))
    assert d.code == "SHP213" and d.primary.span.line == 8
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert move not in fixed and "layers.Conv2D(8, 3, padding=\"same\", activation=\"relu\")" in fixed
    assert not _loud(check_source("case.py", fixed))


def test_what_keras_does_with_it():
    pytest.importorskip("keras")
    bad, good = {}, {}
    exec(compile(_src("np.rollaxis(img, -1)"), "case.py", "exec"), bad)
    exec(compile(_src("img"), "case.py", "exec"), good)
    assert tuple(bad["first"]) == (None, 3, 48, 8)  # 3 rows, 48 columns read as channels
    assert tuple(good["first"]) == (None, 48, 48, 8)


@pytest.mark.parametrize("shape, extra", [
    ((40, 48, 48, 3), ""),                                   # channels-last: right
    ((40, 3, 48, 48), ', data_format="channels_first"'),     # channels-first, and the conv says so
    ((40, 8, 48, 48), ""),                                   # 8 planes: not an image layout we can be sure of
    ((40, 3, 8, 8), ""),                                     # too small to be sure
])
def test_no_warning_when_the_layout_is_right_or_unclear(shape, extra):
    src = textwrap.dedent(f"""
        import numpy as np
        import keras
        from keras import layers

        X = np.random.rand{shape}.astype("float32")
        model = keras.Sequential([
            layers.Input(shape=X.shape[1:]),
            layers.Conv2D(8, 3, padding="same"{extra}),
            layers.GlobalAveragePooling2D(),
        ])
        model.predict(X, verbose=0)
    """).lstrip()
    assert not [d for d in _loud(check_source("case.py", src)) if d.code == "SHP213"]


LOADER = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers


    def load_tiles(n, seed):
        rng = np.random.default_rng(seed)
        labels = rng.integers(0, 3, n)
        tiles = rng.random((n, 3, 32, 32)).astype("float32")
        for i, c in enumerate(labels):
            tiles[i, c] += 0.5
        return tiles, labels


    x, y = load_tiles(64, 0)
    model = keras.Sequential([keras.Input(shape=x.shape[1:]), layers.Conv2D(8, 3, padding="same"),
                              layers.GlobalAveragePooling2D(), layers.Dense(3)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, epochs=1, verbose=0)
""").lstrip()


def test_images_made_and_worked_on_in_a_loader_are_moved_where_it_returns_them():
    from shapelint.fixing import fix_source
    r = check_source("case.py", LOADER)
    (d,) = [d for d in r.diagnostics if d.severity in ("error", "warning")]
    # blamed where the layout was written; the loader's return, where the fix moves the axes, is labelled too
    assert d.code == "SHP213" and d.primary.span.line == 9 and any(l.span.line == 12 for l in d.secondary)
    fixed = fix_source("case.py", LOADER, r.diagnostics, ("safe", "unsafe")).source
    assert "return tiles.transpose(0, 2, 3, 1), labels" in fixed and "tiles[i, c] += 0.5" in fixed
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]


TRAIN_AND_TEST = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    ROWS, COLS = 28, 28
    raw_train = np.random.randint(0, 256, size=(60, ROWS * COLS)).astype("uint8")
    raw_test = np.random.randint(0, 256, size=(10, ROWS * COLS)).astype("uint8")
    x_train = raw_train.reshape(raw_train.shape[0], 1, ROWS, COLS).astype("float32") / 255.0
    x_test = raw_test.reshape(raw_test.shape[0], 1, ROWS, COLS).astype("float32") / 255.0
    y_train = np.random.randint(0, 10, size=60)
    model = keras.Sequential([keras.Input(shape=x_train.shape[1:]), layers.Conv2D(8, (5, 5), activation="relu"),
                              layers.MaxPooling2D((2, 2)), layers.Flatten(), layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train, epochs=1, verbose=0)
    pred = model.predict(x_test, verbose=0)
""").lstrip()


def test_a_plane_first_reshape_is_fixed_for_train_and_test_and_the_empty_convs_follow_it():
    """Expert review: with (N, 1, 28, 28) data the 5x5 conv has no room on the 1-pixel height, and the fix applied
    was padding="same" on every conv and pool -- a model that runs on 1-pixel-high strips. The reshape is the root;
    every collapsing conv and pool points at it; the test images' reshape moves with the training images'."""
    found = _loud(check_source("case.py", TRAIN_AND_TEST))
    assert {d.code for d in found} == {"SHP213", "SHP104"}
    assert all(d.primary.span.line == 8 for d in found)
    fixed = fix_source("case.py", TRAIN_AND_TEST, found, ("safe", "unsafe")).source
    assert "reshape(raw_train.shape[0], ROWS, COLS, 1)" in fixed and "reshape(raw_test.shape[0], ROWS, COLS, 1)" in fixed
    assert "padding" not in fixed and not _loud(check_source("case.py", fixed))


def test_what_keras_does_with_the_plane_first_reshape():
    pytest.importorskip("keras")
    from oracle import run
    with pytest.raises(Exception):
        run(TRAIN_AND_TEST)
    fixed = TRAIN_AND_TEST.replace("], 1, ROWS, COLS)", "], ROWS, COLS, 1)")
    assert run(fixed)["pred"].shape == (10, 10)


DECLARED = """
import numpy as np
import keras
from keras import layers

pixels = np.random.rand(64, 28, 28).astype("float32")
X = pixels.reshape(pixels.shape[0], 1, 28, 28)
input_shape = (1, 28, 28)
model = keras.Sequential([
    keras.Input(shape=input_shape),
    layers.Conv2D(8, 3, padding="same", activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
out = model.predict(X, verbose=0)
"""


def test_the_declared_input_moves_its_plane_with_the_data():
    """The model is declared (1, 28, 28) like the data (an older channels-first tutorial): moving the plane last in
    the reshape alone would leave the model declared for the old layout, so the declared tuple moves too (rw31b).
    Keras: the fixed model reads (28, 28, 1) and predicts one row per image."""
    src = DECLARED.lstrip()
    (d,) = _loud(check_source("case.py", src))
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "pixels.reshape(pixels.shape[0], 28, 28, 1)" in fixed and "input_shape = (28, 28, 1)" in fixed
    assert not _loud(check_source("case.py", fixed))
    from oracle import run
    assert tuple(run(fixed)["out"].shape) == (64, 10)
