"""A regression head sized ``output_size=len(INPUTS)`` where the targets are ``df[TARGETS].values``: the count of
the wrong list is blamed where it is passed and replaced by ``len(TARGETS)`` -- not the head's Linear given a
hard-coded 2 (which would leave the model's ``output_size`` parameter ignored). PyTorch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import pandas as pd
    import torch
    import torch.nn as nn

    INPUTS = ["chord", "thickness", "camber", "aoa", "mach"]
    TARGETS = ["cl", "cd"]
    df = pd.DataFrame(np.random.rand(ROWS, 7), columns=INPUTS + TARGETS)

    class Surrogate(nn.Module):
        def __init__(self, input_size, output_size):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(input_size, 32), nn.SiLU(), nn.Linear(32, output_size))

        def forward(self, x):
            return self.net(x)

    X = torch.tensor(df[INPUTS].values, dtype=torch.float32)
    Y = torch.tensor(df[TARGETS].values, dtype=torch.float32)
    model = Surrogate(input_size=len(INPUTS), output_size=len(INPUTS))
    loss = nn.MSELoss()(model(X), Y)
""").lstrip()


def test_the_count_of_the_other_list_is_blamed():
    src = SRC.replace("ROWS", "40")
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 20
    assert "output_size=len(TARGETS))" in apply_edits(src, d.fix.edits)


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC.replace("ROWS", "40"))
    for rows in (40, 7):
        fixed = SRC.replace("ROWS", str(rows)).replace("output_size=len(INPUTS)", "output_size=len(TARGETS)")
        assert tuple(run(fixed)["model"](run(fixed)["X"]).shape) == (rows, 2)
