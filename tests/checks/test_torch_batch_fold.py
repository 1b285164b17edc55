"""A reshape inside a PyTorch model that folds the batch axis (``x.view(-1, 64)`` on (32, 64, 4, 4)) surfaces as a
sample-count mismatch at the loss: the diagnostic points at the reshape (checks/torch_loss.py), once. Each script is
also run with real torch to confirm it raises."""
from __future__ import annotations

import pytest

from shapelint.frontends.source.check import check_source

TEMPLATE = """import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 3, padding=1)
        self.fc = nn.Linear(FEATURES, 10)

    def forward(self, x):
        x = F.max_pool2d(self.conv(x), 2)
        x = RESHAPE
        return self.fc(x)


net = Net()
criterion = nn.CrossEntropyLoss()
images = torch.randn(8, 1, 8, 8)
labels = torch.randint(0, 10, (8,))
out = net(images)
loss = criterion(out, labels)
"""
RESHAPE_LINE = 14


def _run(src: str):
    torch = pytest.importorskip("torch")  # noqa: F841
    try:
        exec(compile(src, "t.py", "exec"), {"__name__": "__main__"})
    except Exception as exc:  # noqa: BLE001
        return exc
    return None


@pytest.mark.parametrize("reshape,features", [("x.view(-1, 16)", 16), ("x.reshape(-1, 64)", 64),
                                              ("x.view(-1, 16 * 2 * 2)", 64)])
def test_folded_batch_is_reported_at_the_reshape(reshape, features):
    src = TEMPLATE.replace("RESHAPE", reshape).replace("FEATURES", str(features))
    assert _run(src) is not None
    errs = [d for d in check_source("t.py", src).diagnostics if d.severity == "error"]
    assert [(d.code, d.line) for d in errs] == [("SHP305", RESHAPE_LINE)]
    assert "x.size(0), -1" in errs[0].help and "256 features" in errs[0].help
    assert any(label.span.line == 19 for label in errs[0].secondary)  # the loss that raises


def test_batch_kept_gives_no_error():
    src = TEMPLATE.replace("RESHAPE", "x.view(x.size(0), -1)").replace("FEATURES", "256")
    assert _run(src) is None
    assert not [d for d in check_source("t.py", src).diagnostics if d.severity == "error"]


def test_wrong_labels_batch_still_points_at_the_loss():
    src = TEMPLATE.replace("RESHAPE", "x.view(x.size(0), -1)").replace("FEATURES", "256") \
        .replace("(0, 10, (8,))", "(0, 10, (6,))")
    assert _run(src) is not None
    errs = [d for d in check_source("t.py", src).diagnostics if d.severity == "error"]
    assert [(d.code, d.line) for d in errs] == [("SHP305", 23)]  # at the loss call (where torch raises)
