"""A check that fails internally does not cost the others, and is not silent: one info note (SHP005) per check and
file says what is not reported; SHAPELINT_DEBUG=1 lets the exception through."""
import pytest

from shapelint.checks import silent
from shapelint.frontends.source.check import check_source

SRC = """
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
x, y = torch.randn(16, 4), torch.randn(16)
loss = ((model(x) - y) ** 2).mean()
bad = nn.Linear(3, 2)(torch.randn(5, 4))
"""


def _boom(ev):
    raise RuntimeError("boom")


def test_a_failing_check_is_noted_once_and_the_rest_still_reported(monkeypatch):
    monkeypatch.setattr(silent, "hand_written_loss_broadcast", _boom)
    monkeypatch.delenv("SHAPELINT_DEBUG", raising=False)
    ds = check_source("case.py", SRC).diagnostics
    notes = [d for d in ds if d.code == "SHP005"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert "hand-written loss broadcast" in notes[0].message and "boom" in notes[0].message
    assert any(d.code == "SHP101" for d in ds)  # the other findings are still there


def test_debug_lets_it_through(monkeypatch):
    monkeypatch.setattr(silent, "hand_written_loss_broadcast", _boom)
    monkeypatch.setenv("SHAPELINT_DEBUG", "1")
    with pytest.raises(RuntimeError):
        check_source("case.py", SRC)
