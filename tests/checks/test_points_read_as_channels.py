"""SHP215: a point cloud exported channels-first, (n, 3, NUM_POINTS), declared from the data into a channels-last
Keras Conv1D: the per-point layers slide over the 3 coordinates and take the 512 points for channels. The names say
which axis is the length (``NUM_POINTS``); the unnamed axis of 3 is what the conv reads as steps. It runs (Keras is
the oracle for the shapes); the fix transposes the data where it is made."""
import os
import textwrap

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    NUM_POINTS = 64
    clouds = np.random.randn(8, 3, NUM_POINTS).astype("float32")
    inputs = keras.Input(shape=clouds.shape[1:])
    x = layers.Conv1D(16, kernel_size=1, activation="relu")(inputs)
    outputs = layers.Dense(4, activation="softmax")(layers.GlobalMaxPooling1D()(x))
    model = keras.Model(inputs, outputs)
    steps = model.layers[1].output.shape[1]
    probabilities = model.predict(clouds, verbose=0)
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_a_channels_first_cloud_into_a_channels_last_conv_is_moved():
    assert run(SCRIPT)["steps"] == 3  # the conv slides over the coordinates
    (d,) = _loud(SCRIPT)
    assert d.code == "SHP215" and d.primary.span.line == 6
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "np.random.randn(8, 3, NUM_POINTS).transpose(0, 2, 1)" in fixed and not _loud(fixed)
    assert run(fixed)["steps"] == 64


def test_points_already_first_say_nothing():
    src = SCRIPT.replace("np.random.randn(8, 3, NUM_POINTS)", "np.random.randn(8, NUM_POINTS, 3)")
    assert run(src)["steps"] == 64 and not _loud(src)


def test_landmark_frames_named_for_their_points_say_nothing():
    """30 frames of 42 hand-landmark coordinates, (N, 30, NUM_POINTS): "points" names a feature count here; with no
    axis of 2 or 3 coordinates beside it, it is not a cloud's length."""
    src = textwrap.dedent("""
        import numpy as np
        import keras
        from keras import layers

        NUM_POINTS = 42
        X = np.random.rand(64, 30 * NUM_POINTS).astype("float32").reshape(-1, 30, NUM_POINTS)
        model = keras.Sequential([keras.Input(shape=(30, NUM_POINTS)), layers.Conv1D(16, 3, activation="relu"),
                                  layers.GlobalAveragePooling1D(), layers.Dense(5, activation="softmax")])
        probabilities = model.predict(X, verbose=0)
    """).lstrip()
    run(src)
    assert not _loud(src)
