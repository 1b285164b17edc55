"""One image predicted with ``torch.no_grad()`` by a model never put in evaluation mode: its BatchNorm sees one
value per channel and PyTorch raises. The root is the missing ``model.eval()`` (fixed before the no_grad block),
not the batch of one. torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

pytest.importorskip("torch")

SCRIPT = textwrap.dedent("""
    import torch
    import torch.nn as nn

    net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4),
                        nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    loss = net(torch.rand(6, 3, 16, 16)).sum()
    loss.backward()
    opt.step()


    def predict(model, image):
        with torch.no_grad():
            return model(image.unsqueeze(0)).argmax(1)


    label = predict(net, torch.rand(3, 16, 16))
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_model_is_put_in_evaluation_mode_before_predicting():
    with pytest.raises(ValueError):
        run(SCRIPT)
    (d,) = _loud(SCRIPT)
    assert d.code == "SHP124" and d.primary.span.line == 13
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "    model.eval()\n    with torch.no_grad():" in fixed and "unsqueeze(0)" in fixed
    assert tuple(run(fixed)["label"].shape) == (1,) and not _loud(fixed)
