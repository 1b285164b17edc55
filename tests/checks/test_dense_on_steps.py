"""A Conv1D / pooling stack whose Dense head gets (N, steps, channels): with one label per sample the classifier's
sparse loss fails (Keras raises in fit) and a regressor's mae silently broadcasts the targets over the steps. The
root is the head without pooling; repeating the labels or reshaping them to the output would train one prediction
per step. Keras is the oracle: the bad classifier raises and the bad regressor returns a prediction per step, the
fixed ones return one per sample."""
import subprocess
import sys

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = """
import numpy as np
import keras
from keras import layers

inp = keras.Input(shape=(60, 2))
x = layers.Conv1D(8, 5, padding="same", activation="relu")(inp)
x = layers.MaxPooling1D(2)(x)
out = layers.Dense({units}{activation})(x)
model = keras.Model(inp, out)
model.compile("adam", "{loss}")
x_data = np.random.rand(64, 60, 2).astype("float32")
y_data = {labels}
model.fit(x_data, y_data, epochs=1, verbose=0)
print(model.predict(x_data[:3], verbose=0).shape)
"""

CLASSIFIER = dict(units=4, activation=', activation="softmax"', loss="sparse_categorical_crossentropy",
                  labels="np.random.randint(0, 4, 64)")
REGRESSOR = dict(units=1, activation="", loss="mae", labels='np.random.rand(64, 1).astype("float32")')


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("case, severity", [(CLASSIFIER, "error"), (REGRESSOR, "warning")])
def test_the_steps_are_pooled_before_the_head(case, severity):
    src = SRC.format(**case)
    (d,) = _loud(src)
    assert d.severity == severity and "layers.Dense(" in src.splitlines()[d.primary.span.line - 1]
    out = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "GlobalAveragePooling1D()" in out and "np.repeat" not in out and not _loud(out)


@pytest.mark.parametrize("case, bad_shape", [(CLASSIFIER, None), (REGRESSOR, "(3, 30, 1)")])
def test_what_keras_does(case, bad_shape):
    pytest.importorskip("keras")
    pytest.importorskip("torch")
    env = {"KERAS_BACKEND": "torch", "PATH": ""}
    src = SRC.format(**case)
    bad = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, env=env)
    if bad_shape is None:
        assert bad.returncode != 0
    else:
        assert bad.returncode == 0 and bad.stdout.strip().endswith(bad_shape)
    fixed = src.replace("out = layers.Dense(", "out = layers.Dense(").replace(
        "(x)\nmodel = keras.Model", "(layers.GlobalAveragePooling1D()(x))\nmodel = keras.Model")
    good = subprocess.run([sys.executable, "-c", fixed], capture_output=True, text=True, env=env)
    assert good.returncode == 0 and good.stdout.strip().endswith(f"(3, {case['units']})")
