"""The tf.data forecasting pattern ``window(size)`` / ``flat_map(lambda w: w.batch(size))`` / ``map(lambda w:
(w[:-1], w[-1]))`` for a model declared with ``size`` steps: the split leaves ``size - 1`` inputs. The window must
hold the target too; the fix cuts both one longer, never the model one shorter. The oracle is tensorflow-keras
(``SHAPELINT_TF_PYTHON``, skipped when absent): the script raises, the fixed one trains."""
import os
import subprocess
import textwrap
from pathlib import Path

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

TF_PYTHON = os.environ.get("SHAPELINT_TF_PYTHON", "/work/fwenv/bin/python")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import tensorflow as tf
    import keras
    from keras import layers

    STEPS = 12


    def windows(series, size):
        ds = tf.data.Dataset.from_tensor_slices(series)
        ds = ds.window(size, shift=1, drop_remainder=True)
        ds = ds.flat_map(lambda w: w.batch(size))
        ds = ds.map(lambda w: (w[:-1, None], w[-1]))
        return ds.batch(16)


    model = keras.Sequential([keras.Input(shape=(STEPS, 1)), layers.Flatten(), layers.Dense(1)])
    model.compile(loss="mse", optimizer="adam")
    model.fit(windows(np.sin(np.arange(300) / 9.0).astype("float32"), STEPS), epochs=1, verbose=0)
""").lstrip()


def _runs(script: str) -> bool:
    proc = subprocess.run([TF_PYTHON, "-c", script], capture_output=True, text=True,
                          env=dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3"))
    return proc.returncode == 0


def test_the_window_is_cut_one_longer():
    (d,) = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 11
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "ds.window(size + 1, shift=1" in fixed and "w.batch(size + 1)" in fixed
    assert "keras.Input(shape=(STEPS, 1))" in fixed
    assert not [e for e in check_source("case.py", fixed).diagnostics if e.severity == "error"]
    if Path(TF_PYTHON).is_file():
        assert not _runs(SCRIPT) and _runs(fixed)


def test_a_window_that_holds_its_target_is_left_alone():
    script = SCRIPT.replace("windows(np.sin(np.arange(300) / 9.0).astype(\"float32\"), STEPS)",
                            "windows(np.sin(np.arange(300) / 9.0).astype(\"float32\"), STEPS + 1)")
    assert not [e for e in check_source("case.py", script).diagnostics if e.severity in ("error", "warning")]
