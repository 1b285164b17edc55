"""A CNN whose flatten size is computed from the image size it is told (``int(H / 4) * int(W / 4) * 32`` with
``H=32, W=32`` defaults), built for 28x28 images without passing them: the formula is right and the sizes are not.
Two forms: the flatten keeps the batch axis (the Linear raises), or ``view(-1, <formula>)`` folds it (the loss
raises). The root is the call that builds the model; the fix passes the data's size there. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class CNN(nn.Module):
        def __init__(self, channels=1, H=32, W=32):
            super().__init__()
            self.H, self.W = H, W
            self.conv = nn.Conv2d(channels, 32, 3, padding=1)
            self.fc = nn.Linear(int(H / 4) * int(W / 4) * 32, 10)

        def forward(self, x):
            x = F.max_pool2d(F.relu(self.conv(x)), 4)
            x = FLATTEN
            return self.fc(x)


    model = CNN(channels=1)
    images = torch.randn(64, 1, 28, 28)
    labels = torch.randint(0, 10, (64,))
    loss = nn.CrossEntropyLoss()(model(images), labels)
""").lstrip()

KEEPS_BATCH = SRC.replace("FLATTEN", "x.view(x.size(0), -1)")
FOLDS_BATCH = SRC.replace("FLATTEN", "x.view(-1, int(self.H / 4) * int(self.W / 4) * 32)")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


@pytest.mark.parametrize("src", [KEEPS_BATCH, FOLDS_BATCH], ids=["linear-raises", "loss-raises"])
def test_the_call_is_blamed_and_given_the_images_size(src):
    (d,) = _errors(src)
    assert "model = CNN(channels=1)" in src.splitlines()[d.primary.span.line - 1]
    assert d.cause == "image-size" and d.fix.applicability == "unsafe"
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "model = CNN(channels=1, H=28, W=28)" in fixed and _errors(fixed) == []
    assert "int(H / 4) * int(W / 4) * 32" in fixed  # the formula stays


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError, match="mat1 and mat2"):
        run(KEEPS_BATCH)
    with pytest.raises(ValueError, match="batch_size"):
        run(FOLDS_BATCH)
    for src in (KEEPS_BATCH, FOLDS_BATCH):
        run(src.replace("model = CNN(channels=1)", "model = CNN(channels=1, H=28, W=28)"))
