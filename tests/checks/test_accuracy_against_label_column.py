"""SHP202, comparison: predicted classes (N,) -- ``logits.argmax(1)``, ``logits.max(-1)[1]``, ``torch.max(logits, 1)``
-- compared with labels kept as a column (N, 1) broadcast to (N, N): every prediction against every label, so the
accuracy is about the class frequency whatever the model learns. Torch is the oracle for the broadcast and for the
value; the fix squeezes the labels at the comparison."""
import textwrap

import pytest
import torch

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(0)
    X = torch.randn(256, 8)
    y = (X[:, :1] > 0).long()
    loader = DataLoader(TensorDataset(X, y), batch_size=64)


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 2)

        def forward(self, x):
            return self.fc(x)


    model = Net()
    with torch.no_grad():
        model.fc.weight.zero_()
        model.fc.bias.zero_()
        model.fc.weight[1, 0] = 10.0
    accs = []
    for xb, yb in loader:
        output = model(xb)
        PICK
        accs.append((preds == yb).float().mean().item())
    accuracy = sum(accs) / len(accs)
""").lstrip()

PICKS = ["preds = output.argmax(1)", "preds = output.max(-1)[1]", "_, preds = torch.max(output.data, 1)"]


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


@pytest.mark.parametrize("pick", PICKS)
def test_the_comparison_is_reported_and_squeezed(pick):
    src = SCRIPT.replace("PICK", pick)
    assert tuple((torch.zeros(64) == torch.zeros(64, 1)).shape) == (64, 64)
    assert run(src)["accuracy"] < 0.7  # a perfect classifier, measured against every label
    (d,) = _warnings(src)
    assert d.code == "SHP202" and d.primary.span.line == 29
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "(preds == yb.squeeze(1))" in fixed and not _warnings(fixed)
    assert run(fixed)["accuracy"] == 1.0


def test_labels_of_one_value_per_sample_and_a_pairwise_mask_are_left_alone():
    flat = SCRIPT.replace("PICK", PICKS[0]).replace("y = (X[:, :1] > 0).long()", "y = (X[:, 0] > 0).long()")
    assert run(flat)["accuracy"] == 1.0 and not _warnings(flat)
    pairwise = SCRIPT.replace("PICK", PICKS[0]).replace(
        "accs.append((preds == yb).float().mean().item())", "same = yb == yb.view(-1)")
    assert not _warnings(pairwise)
