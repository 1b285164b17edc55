"""One sample fed to a Keras model without its batch axis (``model.predict(x_test[0])``): the help and the fix add
the batch axis instead of redeclaring the model's input (checks/data_input.py). Run with real Keras as well."""
from __future__ import annotations

import pytest

from shapelint.frontends.source.check import check_source

SRC = """import numpy as np
import keras
from keras import layers

x_test = np.random.rand(10, INPUT).astype("float32")
model = keras.Sequential([keras.Input(shape=(INPUT,)), LAYERS layers.Dense(3, activation="softmax")])
pred = model.predict(FED, verbose=0)
"""

CASES = [("28, 28, 1", "layers.Conv2D(4, 3), layers.Flatten(),"),
         ("28, 28", "layers.Flatten(),"),
         ("20, 6", "layers.LSTM(4),")]


def _runs(src: str) -> bool:
    pytest.importorskip("keras")
    try:
        exec(compile(src, "t.py", "exec"), {"__name__": "__main__"})
    except Exception:  # noqa: BLE001
        return False
    return True


def _apply(src: str, fix) -> str:
    lines = src.splitlines(keepends=True)
    (e,) = fix.edits
    line = lines[e.span.line - 1]
    lines[e.span.line - 1] = line[:e.span.column - 1] + e.text + line[e.span.end_column - 1:]
    return "".join(lines)


@pytest.mark.parametrize("shape,layers_", CASES)
def test_single_sample_gets_a_batch_axis(shape, layers_):
    src = SRC.replace("INPUT", shape).replace("LAYERS", layers_).replace("FED", "x_test[0]")
    assert not _runs(src)
    errs = [d for d in check_source("t.py", src).diagnostics if d.severity == "error"]
    assert [d.code for d in errs] == ["SHP304"]
    assert "batch axis" in errs[0].help and "declare the input" not in errs[0].help
    fixed = _apply(src, errs[0].fix)
    assert "model.predict(x_test[0][None]" in fixed
    assert _runs(fixed) and not [d for d in check_source("t.py", fixed).diagnostics if d.severity == "error"]


def test_batch_of_one_is_fine():
    src = SRC.replace("INPUT", "28, 28, 1").replace("LAYERS", "layers.Flatten(),").replace("FED", "x_test[:1]")
    assert _runs(src)
    assert not [d for d in check_source("t.py", src).diagnostics if d.severity == "error"]
