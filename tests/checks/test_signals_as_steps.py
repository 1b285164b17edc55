"""SHP215: separate (N, T) signals stacked on axis 1 and fed to a Keras RNN / Conv1D declared from the data. Keras is
the oracle: the bad model's LSTM runs over 3 steps, the fixed one over 40."""
import os
from pathlib import Path

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "codes" / "examples"


def _loud(src: str) -> list:
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_reported_at_the_stack_and_fixed_to_stack_last():
    src = (EXAMPLES / "SHP215_bad.py").read_text()
    (d,) = _loud(src)
    assert d.code == "SHP215" and "np.stack" in src.splitlines()[d.primary.span.line - 1]
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "np.stack([acc_x, acc_y, acc_z], axis=-1)" in fixed and not _loud(fixed)
    pytest.importorskip("keras")
    bad, good = {}, {}
    exec(compile(src, "case.py", "exec"), bad)
    exec(compile(fixed, "case.py", "exec"), good)
    assert tuple(bad["model"].input_shape) == (None, 3, 40) and tuple(good["model"].input_shape) == (None, 40, 3)


@pytest.mark.parametrize("change", [
    ("axis=1)", "axis=1)\nX = X.transpose(0, 2, 1)"),            # moved to (N, T, signals) before the model
    ("layers.LSTM(16)", "layers.Flatten(), layers.Dense(16)"),    # no layer reads steps
    ("axis=1)", "axis=0)"),                                      # not the signals-on-axis-1 layout
])
def test_left_alone_when_nothing_reads_the_signals_as_steps(change):
    src = (EXAMPLES / "SHP215_bad.py").read_text().replace(*change)
    assert not [d for d in _loud(src) if d.code == "SHP215"]
