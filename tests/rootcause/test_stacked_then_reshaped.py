"""Windows stacked on axis 1, ``np.stack(windows, axis=1)`` -> (window, n), then reshaped to (n, window, 1): the
reshape re-reads memory and mixes the windows. The stack axis is the root; the fix stacks the samples first
(``axis=0``), after which the reshape only adds the feature axis. numpy is the oracle: the fixed windows equal the
ones stacked one by one."""
import textwrap

import numpy as np
import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import numpy as np

    series = np.arange(60, dtype=np.float32)
    windows = [series[i:i + 8] for i in range(40)]
    X = np.stack(windows, axis=AXIS)
    X = X.reshape(-1, 8, 1)
""").lstrip()


def test_the_samples_are_stacked_first():
    script = SCRIPT.replace("AXIS", "1")
    wanted = np.stack([np.arange(60, dtype=np.float32)[i:i + 8] for i in range(40)])[..., None]
    assert not np.array_equal(run(script)["X"], wanted)  # silent: the windows are mixed
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "warning"]
    assert d.primary.span.line == 5
    fixed = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert "np.stack(windows, axis=0)" in fixed
    assert np.array_equal(run(fixed)["X"], wanted)


@pytest.mark.parametrize("axis", ["0", "-2"])
def test_samples_stacked_first_are_left_alone(axis):
    script = SCRIPT.replace("AXIS", axis)
    assert run(script)["X"].shape == (40, 8, 1)
    assert not [d for d in check_source("case.py", script).diagnostics if d.severity in ("error", "warning")]
