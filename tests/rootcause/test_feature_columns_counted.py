"""A model sized ``df.shape[1] - 1`` (the table's width minus the target) while the features are
``df[feature_cols]`` and ``feature_cols`` also leaves out an id column: the count is that list's length, and the fix
writes ``len(feature_cols)`` (fix review: ``- 2`` breaks again when the columns change). pandas and torch are the
oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import pandas as pd
    import torch
    import torch.nn as nn

    df = pd.DataFrame({"id": np.arange(50), "a": np.random.rand(50), "b": np.random.rand(50),
                       "c": np.random.rand(50), "price": np.random.rand(50)})
    TARGET = "price"
    feature_cols = [c for c in df.columns if c not in ("id", TARGET)]
    CONFIG = {"input_dim": df.shape[1] - 1, "hidden": 8}
    X = torch.tensor(df[feature_cols].values, dtype=torch.float32)
    model = nn.Sequential(nn.Linear(CONFIG["input_dim"], CONFIG["hidden"]), nn.ReLU(), nn.Linear(CONFIG["hidden"], 1))
    out = model(X)
""").lstrip()


def test_the_feature_list_is_counted():
    with pytest.raises(RuntimeError):
        run(SRC)
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 10
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert '"input_dim": len(feature_cols)' in fixed
    assert tuple(run(fixed)["out"].shape) == (50, 1)
