"""One image (C, H, W) predicted with a model trained on batches, whose forward calls its own ``nn.Sequential``
blocks: Conv2d accepts the unbatched sample, Flatten then takes the channels for the batch, and the Linear raises.
The fix adds the batch axis where the sample is passed. The contract's second batch size must perturb only the data
the file feeds its model -- not the axis 0 a block is called with inside the forward (there, the channel count of
the unbatched sample, written as ``hidden_units=10``). Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self, hidden_units, classes):
            super().__init__()
            self.features = nn.Sequential(nn.Conv2d(1, hidden_units, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4))
            self.head = nn.Sequential(nn.Flatten(), nn.Linear(hidden_units * 7 * 7, classes))

        def forward(self, x):
            return self.head(self.features(x))


    model = Net(hidden_units=10, classes=5)
    batch = torch.rand(16, 1, 28, 28)
    loss = nn.functional.cross_entropy(model(batch), torch.randint(0, 5, (16,)))
    sample = torch.rand(1, 28, 28)
    probs = torch.softmax(model(sample), dim=1)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_batch_axis_is_added_where_the_sample_is_passed():
    (d,) = _errors(SRC)
    assert d.cause == "missing-batch-axis" and d.fix.applicability == "unsafe"
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "model(sample.unsqueeze(0))" in fixed and _errors(fixed) == []


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="mat1 and mat2"):
        run(SRC)
    assert tuple(run(SRC.replace("model(sample)", "model(sample.unsqueeze(0))"))["probs"].shape) == (1, 5)
