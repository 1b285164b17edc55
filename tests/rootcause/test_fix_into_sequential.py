"""A conv front end in an ``nn.Sequential`` whose (batch, channels, time) output meets a position table built for
(batch, time, channels): the transpose goes where the Sequential's output is a value (``self.frontend(x)``), not on
its last layer's constructor (``nn.GELU().transpose(1, 2)`` crashes when the model is built). The fix contract
refuses an edit that makes the shapes after it unknown. Torch is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class ConvTransformer(nn.Module):
        def __init__(self):
            super().__init__()
            self.frontend = nn.Sequential(nn.Conv1d(8, 32, 5, stride=2, padding=2), nn.BatchNorm1d(32), nn.GELU())
            self.pos = nn.Parameter(torch.zeros(1, 100, 32))
            layer = nn.TransformerEncoderLayer(32, 4, 64, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, num_layers=1)
            self.cls = nn.Linear(32, 3)

        def forward(self, x):
            h = self.frontend(x)
            h = h + self.pos[:, : h.size(1)]
            return self.cls(self.encoder(h).mean(dim=1))


    out = ConvTransformer()(torch.randn(4, 8, 100))
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_transposed_where_the_sequential_is_called():
    (d,) = _loud(SRC)
    assert d.primary.span.line == 15  # h = self.frontend(x)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "h = self.frontend(x).transpose(1, 2)" in fixed and "nn.GELU().transpose" not in fixed
    assert not _loud(fixed)


def test_the_contract_refuses_an_edit_on_the_constructor(monkeypatch):
    # imported here, after the front-end: importing the root-cause package first loads the torch support modules
    # out of their usual order, and the handlers they chain change (noted in issue #14)
    from shapelint.rootcause.causes import layout
    monkeypatch.setattr(layout, "value_span", lambda op: op.layer.extra.get("call_span") or op.layer.origin.span)
    (d,) = _loud(SRC)
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "nn.GELU().transpose" not in fixed


def test_what_torch_does():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(SRC)
    with pytest.raises(AttributeError):
        exec(compile(SRC.replace("nn.GELU())", "nn.GELU().transpose(1, 2))"), "case.py", "exec"), {})
    scope = {"__name__": "__main__"}
    exec(compile(SRC.replace("h = self.frontend(x)", "h = self.frontend(x).transpose(1, 2)"), "case.py", "exec"),
         scope)
    assert tuple(scope["out"].shape) == (4, 3)
