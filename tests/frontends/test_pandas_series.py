"""pandas Series as the evaluator follows them: ``pd.Series(values)``, element-wise arithmetic with numbers (a mean
we cannot follow is a number all the same), ``iloc`` row slices and ``len``. Two series are aligned on their
index by pandas, so the rows are kept only for columns of one frame (code review: a CSV column divided into a
series of another length gave a false SHP301). pandas is the oracle."""
import textwrap
from pathlib import Path

from oracle import run, static_values
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import pandas as pd

    s = pd.Series(np.arange(300, dtype=float))
    z = (s - s.mean()) / s.std()
    head = z.iloc[:200]
    n = len(head)
    values = head.values
""").lstrip()


def test_series_rows_follow_pandas():
    got, real = static_values(SRC), run(SRC)
    assert got["n"] == real["n"] == 200
    assert tuple(got["values"].shape) == real["values"].shape == (200,)


def test_two_series_of_other_indexes_are_not_given_one_length():
    src = (Path(__file__).resolve().parents[1] / "fixtures" / "review18" / "j_series.py").read_text()
    assert not [d for d in check_source("j_series.py", src).diagnostics if d.severity in ("error", "warning")]
