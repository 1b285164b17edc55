"""``df.iloc`` in data code: rows by a slice (a count when the bounds and the frame's rows are known), columns by an
int (a Series, one column), a slice or a list (a Frame); pandas is the oracle for the shapes of ``.values``. The
label column taken as a one-column slice, ``iloc[:, -1:]``, keeps its axis and CrossEntropyLoss refuses it; the
fix takes the column itself there."""
import textwrap

import pytest

from oracle import run, static_values
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

pytest.importorskip("pandas")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import pandas as pd

    df = pd.DataFrame(np.zeros((150, 5)), columns=["a", "b", "c", "d", "label"])
    split = int(0.8 * len(df))
    train = df.iloc[:split]
    head = df.iloc[:120]
    X = train.iloc[:, :-1].values
    y_flat = train.iloc[:, -1].values
    y_col = train.iloc[:, -1:].values
    picked = head.iloc[:, [0, 2]].values
    every = df.iloc[10:20, 1:3].values
""").lstrip()


def test_shapes_agree_with_pandas():
    real, static = run(SCRIPT), static_values(SCRIPT)
    for name in ("X", "y_flat", "y_col", "picked", "every"):
        got = tuple(static[name].shape)
        assert len(got) == real[name].ndim, name
        assert all(g is None or g == r for g, r in zip(got, real[name].shape)), name
    assert tuple(static["picked"].shape) == (120, 2) and tuple(static["every"].shape) == (10, 2)
    assert tuple(static["y_col"].shape)[1:] == (1,) and len(static["y_flat"].shape) == 1


def test_a_label_column_slice_into_cross_entropy_is_found_where_it_is_taken():
    src = textwrap.dedent("""
        import numpy as np
        import pandas as pd
        import torch
        import torch.nn as nn

        df = pd.DataFrame(np.random.rand(100, 5), columns=["a", "b", "c", "d", "species"])
        df["species"] = np.random.randint(0, 3, 100)
        train = df.iloc[:80]
        X = torch.tensor(train.iloc[:, :-1].values, dtype=torch.float32)
        y = torch.tensor(train.iloc[:, -1:].values, dtype=torch.long)
        loss = nn.CrossEntropyLoss()(nn.Linear(4, 3)(X), y)
    """)
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.code == "SHP301" and d.primary.span.line == 11
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "train.iloc[:, -1].values" in fixed  # the column itself, where it is taken
    run(fixed)
