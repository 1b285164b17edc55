"""One-hot targets cast to long (``torch.tensor(np.eye(3)[y], dtype=torch.long)``) given to ``CrossEntropyLoss`` in a
training loop, indexed by a permutation tensor (``Y[idx]``): the loss check follows the dtype through the script's
own indexing, so the target-dtype cause points where the dtype was given (the conversion), and the fix makes the
targets float there where the loss is called. torch is the oracle: the original raises, the fixed file trains at
two batch sizes."""
import textwrap

import pytest

from oracle import run
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn

    y = np.random.randint(0, 3, 40)
    Y = torch.tensor(np.eye(3)[y], dtype=torch.long)
    model = nn.Linear(4, 3)
    criterion = nn.CrossEntropyLoss()
    X = torch.randn(40, 4)
    for epoch in range(3):
        perm = torch.randperm(len(X))
        for i in range(0, len(X), BS):
            idx = perm[i:i + BS]
            loss = criterion(model(X[idx]), Y[idx])
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_dtype_is_blamed_and_fixed_where_it_was_given():
    src = SRC.replace("BS", "16")
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = _errors(src)
    assert d.code == "SHP303" and d.cause == "target-dtype" and d.primary.span.line == 6
    edited = apply_edits(src, d.fix.edits)
    # the dtype is written at the conversion: the fix is made there, not at each use of the targets
    assert "Y = torch.tensor(np.eye(3)[y], dtype=torch.float32)" in edited and "Y[idx])" in edited
    for bs in ("16", "7"):
        again = edited.replace("BS", bs)
        run(again)
        assert not _errors(again)
