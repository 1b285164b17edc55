"""Rows of sensor channels, (steps, channels), fed to a Conv1d that wants (N, C, L): torch reads the 2-D input as
ONE unbatched sample whose channels are the rows. The channels are last and the batch axis is missing; resizing
``in_channels`` to the number of rows would run and mix every row. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

ROWS = textwrap.dedent("""
    import numpy
    import torch

    X = numpy.random.uniform(-10, 10, 10 * 40 * 7).reshape(-1, 7)
    conv = torch.nn.Conv1d(in_channels=7, out_channels=20, kernel_size=5, stride=2)
    out = conv(torch.tensor(X).float())
""").lstrip()


def test_rows_of_channels_are_not_taken_for_channels():
    with pytest.raises(RuntimeError):
        run(ROWS)
    (d,) = [d for d in check_source("case.py", ROWS).diagnostics if d.severity == "error"]
    assert d.code == "SHP109" and "would run and read every row as a channel" in d.help
    assert not (d.fix and d.fix.edits)  # nothing to apply: the data must be regrouped by someone who knows it
    fixed = ROWS.replace(".reshape(-1, 7)", ".reshape(-1, 40, 7)").replace(
        "torch.tensor(X).float()", "torch.tensor(X).float().permute(0, 2, 1)")
    assert tuple(run(fixed)["out"].shape) == (10, 20, 18)
    assert not [d for d in check_source("case.py", fixed).diagnostics if d.severity in ("error", "warning")]


def test_an_unbatched_sample_with_its_channels_first_is_clean():
    src = ROWS.replace(".reshape(-1, 7)", ".reshape(7, -1)")
    assert tuple(run(src)["out"].shape) == (20, 198)
    assert not [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]
