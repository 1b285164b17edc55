"""Labels taken from a DataFrame with double brackets, ``df[[TARGET]].to_numpy(dtype=np.int64)``: a frame of one
column, (N, 1), which CrossEntropyLoss refuses as class ids. The fix takes the column itself where it is taken
(``df[TARGET]``), so every later use (an accuracy) gets (N,) too. pandas and torch are the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

pytest.importorskip("pandas")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import pandas as pd
    import torch
    import torch.nn as nn

    FEATURES, TARGET = ["a", "b", "c"], "label"
    df = pd.DataFrame(np.random.rand(64, 3), columns=FEATURES)
    df[TARGET] = np.random.randint(0, 3, 64)
    x = torch.from_numpy(df[FEATURES].to_numpy(dtype=np.float32))
    y = torch.from_numpy(df[[TARGET]].to_numpy(dtype=np.int64))
    logits = nn.Linear(3, 3)(x)
    loss = nn.CrossEntropyLoss()(logits, y)
    accuracy = (logits.argmax(1) == y).float().mean()
""").lstrip()


def test_the_column_is_taken_itself():
    with pytest.raises(RuntimeError):
        run(SCRIPT)
    (d,) = [d for d in check_source("case.py", SCRIPT).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 10
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "df[TARGET].to_numpy(dtype=np.int64)" in fixed
    assert tuple(run(fixed)["y"].shape) == (64,)
