"""One conv-pool stage per entry of a config list, one entry too many for 28-pixel images: the last pool has nothing
to halve. The list is blamed -- it chose the number of stages -- not the pool inside the helper. PyTorch is the
oracle."""
import textwrap

import pytest

from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    CFG = {"widths": [8, 16, 32, 32, 32]}


    def stage(cin, cout):
        return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            stages, cin = [], 1
            for w in CFG["widths"]:
                stages.append(stage(cin, w))
                cin = w
            self.features = nn.Sequential(*stages)

        def forward(self, x):
            return self.features(x)


    out = Net()(torch.randn(2, 1, 28, 28))
""").lstrip()


def test_the_list_of_stages_is_blamed():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.code == "SHP104" and d.primary.span.line == 4
    assert "at most 4 stages" in d.help


def test_what_torch_does():
    pytest.importorskip("torch")
    from oracle import run
    with pytest.raises(RuntimeError):
        run(SRC)
    assert tuple(run(SRC.replace("[8, 16, 32, 32, 32]", "[8, 16, 32, 32]"))["out"].shape) == (2, 32, 1, 1)
