"""A global average pooling written by hand over the wrong axes of an NCHW map (Keras's GlobalAveragePooling2D
ported as ``x.mean(dim=(1, 2))``): the channels are averaged away and a spatial axis kept, and the Linear built for
the channels refuses it. The reduction's axes are the root, fixed to pool the spatial axes; resizing the Linear
(which would fit one image size only) is never the fix. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Net(nn.Module):
        def __init__(self, width=32, classes=5):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
            self.head = nn.Linear(width, classes)

        def forward(self, x):
            x = self.body(x)
            x = torch.relu(x.mean(dim=AXES))
            return self.head(x)


    out = Net()(torch.rand(BATCH, 3, SIDE, SIDE))
""").lstrip()


@pytest.mark.parametrize("axes, fixed", [("(1, 2)", "(2, 3)"), ("(1, 3)", "(2, 3)")])
def test_the_reduction_pools_the_spatial_axes(axes, fixed):
    script = SCRIPT.replace("AXES", axes).replace("BATCH", "4").replace("SIDE", "20")
    with pytest.raises(RuntimeError):
        run(script)
    (d,) = [d for d in check_source("case.py", script).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 13
    edited = fix_source("case.py", script, [d], ("safe", "unsafe")).source
    assert f"x.mean(dim={fixed})" in edited and "nn.Linear(width, classes)" in edited
    for batch, side in (("4", "20"), ("3", "36")):  # any batch, any image size
        again = edited.replace("out = Net()(torch.rand(4, 3, 20, 20))", f"out = Net()(torch.rand({batch}, 3, {side}, {side}))")
        assert tuple(run(again)["out"].shape) == (int(batch), 5)


def test_a_pooling_that_keeps_the_channels_is_left_alone():
    script = SCRIPT.replace("AXES", "(2, 3)").replace("BATCH", "4").replace("SIDE", "20")
    run(script)
    assert not [d for d in check_source("case.py", script).diagnostics if d.severity in ("error", "warning")]


ENSEMBLE = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    nets = [nn.Linear(6, 3) for _ in range(4)]


    def predict(models, x):
        scores = torch.stack([F.softmax(m(x), dim=1) for m in models])
        return scores.mean(dim=1)


    x, y = torch.randn(BATCH, 6), torch.randint(0, 3, (BATCH,))
    loss = F.nll_loss(torch.log(predict(nets, x)), y)
""").lstrip()


@pytest.mark.parametrize("batch", [10, 7])
def test_an_ensemble_is_averaged_over_its_models_not_its_samples(batch):
    src = ENSEMBLE.replace("BATCH", str(batch))
    with pytest.raises((RuntimeError, ValueError)):
        run(src)
    errors = [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]
    assert errors and errors[0].primary.span.line == 10
    fixed = fix_source("case.py", src, errors, ("safe", "unsafe")).source
    assert "return scores.mean(dim=0)" in fixed
    assert run(fixed)["loss"].shape == ()
