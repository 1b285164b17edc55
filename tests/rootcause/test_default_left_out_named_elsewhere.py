"""A builder called without ``in_channels`` (default 3) for 1-channel data whose channel count the script names in
its config (``HP["channels"]``): the call is blamed and passes the config entry -- not the default changed to 1,
which would break every 3-channel caller. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    HP = {"channels": 1, "size": 16}


    def make_layers(widths, in_channels=3):
        layers = []
        for w in widths:
            layers += [nn.Conv2d(in_channels, w, 3, padding=1), nn.ReLU()]
            in_channels = w
        return nn.Sequential(*layers)


    def get_model():
        return nn.Sequential(make_layers([8, 16]), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))


    x = torch.rand(4, HP["channels"], HP["size"], HP["size"])
    out = get_model()(x)
""").lstrip()


def test_the_call_passes_the_config_entry():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.primary.span.line == 16
    assert [e.text for e in d.fix.edits] == [', in_channels=HP["channels"]']


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    scope = run(SRC.replace("make_layers([8, 16])", 'make_layers([8, 16], in_channels=HP["channels"])'))
    assert tuple(scope["out"].shape) == (4, 10)
