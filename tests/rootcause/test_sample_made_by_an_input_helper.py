"""One raw digit (28, 28) turned into the model's input by a helper -- ``to_input(image)`` returns
``x.unsqueeze(0)`` -- which adds one axis where two are missing: Conv2d takes (1, 28, 28) as one unbatched image,
Flatten takes its 16 channels for the batch, and the Linear raises. The helper exists to make model inputs (every call
of it is passed straight to the model), so the batch axis belongs in its ``return``, not at one caller. A helper
whose result is also used otherwise keeps the fix where the sample is fed. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import torch
    import torch.nn as nn


    def to_input(image):
        x = torch.tensor(image, dtype=torch.float32) / 255.0
        return x.unsqueeze(0)


    class DigitNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4))
            self.fc = nn.Sequential(nn.Flatten(), nn.Linear(16 * 7 * 7, 10))

        def forward(self, x):
            return self.fc(self.body(x))


    model = DigitNet()
    model(torch.rand(8, 1, 28, 28))
    digit = np.zeros((28, 28), dtype=np.uint8)
    logits = model(to_input(digit))
""").lstrip()

SHOWN_TOO = SRC + "print(to_input(digit).shape)\n"


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_batch_axis_is_added_where_the_helper_makes_the_input():
    (d,) = _errors(SRC)
    line = SRC.splitlines().index("    return x.unsqueeze(0)") + 1
    assert d.cause == "missing-batch-axis" and d.primary.span.line == line and d.fix.applicability == "unsafe"
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "return x.unsqueeze(0).unsqueeze(0)" in fixed and "model(to_input(digit))" in fixed
    assert _errors(fixed) == []


def test_a_helper_used_otherwise_too_is_fixed_where_the_sample_is_fed():
    (d,) = _errors(SHOWN_TOO)
    fixed = fix_source("case.py", SHOWN_TOO, [d], ("safe", "unsafe")).source
    assert "model(to_input(digit).unsqueeze(0))" in fixed and "return x.unsqueeze(0)\n" in fixed


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="mat1 and mat2"):
        run(SRC)
    fixed = run(SRC.replace("return x.unsqueeze(0)", "return x.unsqueeze(0).unsqueeze(0)"))
    assert tuple(fixed["logits"].shape) == (1, 10)
