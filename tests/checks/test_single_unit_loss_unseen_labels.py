"""SHP204 when the labels cannot be worked out statically (read back from JSON): a categorical loss
normalises the output over its last axis, so on one output unit every prediction is 1.0 and the loss is 0 whatever
the labels are -- the finding does not need them. The input width written as ``(X.shape[1],)`` keeps its rank, so
the model is still followed. Keras is the oracle: the loss it reports is exactly 0."""
import os
import textwrap

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import json

    import numpy as np
    import pandas as pd
    import keras
    from keras import layers

    rng = np.random.default_rng(0)
    n = 64
    cols = {f"f{i}": rng.normal(0, 1, n) for i in range(5)}
    df = pd.DataFrame({"label": rng.integers(0, 2, n), **cols})
    X = df.iloc[:, 1:].values.astype("float32")
    y = np.array(json.loads(json.dumps(df["label"].tolist())), dtype="float32")  # read back: not followed

    model = keras.Sequential([keras.Input(shape=(X.shape[1],)), layers.Dense(8, activation="relu"),
                              layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss=keras.losses.categorical_crossentropy)
    history = model.fit(X, y, epochs=2, batch_size=16, verbose=0)
""").lstrip()


def _found(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_loss_is_zero_whatever_the_labels():
    assert run(SCRIPT)["history"].history["loss"][-1] < 1e-6  # 0 up to the clipping epsilon
    (d,) = _found(SCRIPT)
    assert d.code == "SHP204" and d.primary.span.line == 17  # the loss


def test_the_function_reference_is_swapped_for_the_binary_loss():
    (d,) = _found(SCRIPT)
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "loss=keras.losses.binary_crossentropy)" in fixed and not _found(fixed)
    assert run(fixed)["history"].history["loss"][-1] > 0.1


def test_the_loss_object_is_renamed_with_its_arguments():
    src = SCRIPT.replace("loss=keras.losses.categorical_crossentropy",
                         "loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1)")
    (d,) = _found(src)
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "keras.losses.BinaryCrossentropy(label_smoothing=0.1)" in fixed


def test_the_model_is_followed_with_the_width_unknown():
    (model,) = check_source("case.py", SCRIPT).models
    assert tuple(model.program.output.shape) == (None, 1)


def test_one_unit_per_class_or_no_labels_say_nothing():
    assert not _found(SCRIPT.replace('layers.Dense(1, activation="sigmoid")', 'layers.Dense(2, activation="softmax")'))
    assert not _found(SCRIPT.replace("model.fit(X, y,", "model.fit(X,"))
