"""Class ids 1..C one-hot encoded with ``to_categorical(y)`` give C + 1 columns: the help names the shift
(data_api records the unused low columns, checks/feed.py words it). Run with real Keras."""
from __future__ import annotations

import pytest

from shapelint.frontends.source.check import check_source

SRC = """import numpy as np
import keras
from keras import layers

x = np.random.rand(64, 8).astype("float32")
y = np.random.randint(LOW, LOW + 5, size=(64,))
y_cat = keras.utils.to_categorical(ENCODE)
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(5, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, y_cat, epochs=1, verbose=0)
"""


def _runs(src: str) -> bool:
    pytest.importorskip("keras")
    try:
        exec(compile(src, "t.py", "exec"), {"__name__": "__main__"})
    except Exception:  # noqa: BLE001
        return False
    return True


def _errors(src: str):
    return [d for d in check_source("t.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("low", [1, 2])
def test_ids_from_one_name_the_shift(low):
    src = SRC.replace("LOW", str(low)).replace("ENCODE", "y")
    assert not _runs(src)
    (d,) = _errors(src)
    assert d.code == "SHP301" and f"to_categorical(y - {low})" in d.help
    if low == 1:  # the root cause: the ids are shifted where they are encoded; a 6-unit head would train a phantom
        assert d.cause == "ids-from-one" and [e.text for e in d.fix.edits] == ["y - 1"]
        assert "6 units" not in d.help
    else:
        assert f"{5 + low} units" in d.help
    fixed = SRC.replace("LOW", str(low)).replace("ENCODE", f"y - {low}")
    assert _runs(fixed) and not _errors(fixed)


def test_ids_from_zero_are_fine():
    src = SRC.replace("LOW", "0").replace("ENCODE", "y")
    assert _runs(src) and not _errors(src)
