"""``preds = model(x).argmax(dim=1, keepdim=True)`` is (B, 1); ``(preds == yb).sum()`` against (B,) labels broadcasts
to (B, B) and the "accuracy" counts every prediction against every label (rw18d: 1298% validation accuracy). Torch is
the oracle; the fix flattens the column where it is compared."""
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 4))
    N = 50
    xb = torch.randn(N, 20)
    yb = torch.randint(0, 4, (N,))


    def predict(model, x):
        with torch.no_grad():
            return model(x).argmax(dim=1, keepdim=True)


    preds = predict(model, xb)
    correct = (preds == yb).sum().item()
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "warning"]


def test_a_prediction_column_against_labels():
    (d,) = _warnings(SRC)
    assert d.code == "SHP202" and d.primary.span.line == 16
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "(preds.squeeze(1) == yb)" in fixed
    assert not _warnings(fixed)
    pytest.importorskip("torch")
    from oracle import run
    assert run(SRC)["correct"] > 50 and run(fixed)["correct"] <= 50


def test_one_value_per_sample_on_both_sides_is_quiet():
    assert not _warnings(SRC.replace("argmax(dim=1, keepdim=True)", "argmax(dim=1)"))
    assert not _warnings(SRC.replace("(preds == yb)", "(preds == yb.unsqueeze(1))"))
