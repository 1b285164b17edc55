"""A root-cause finder that fails internally offers nothing -- and the diagnostic says so in a note, rather than
stopping at the symptom silently (the rule's own diagnosis is kept)."""
import textwrap

from shapelint.frontends.source.check import check_source
from shapelint.rootcause import engine

SRC = textwrap.dedent("""
    import torch
    import torch.nn as nn

    model = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(5, 2))
    out = model(torch.randn(3, 8))
""").lstrip()


def _broken(ctx, d):
    raise KeyError("boom")


def test_a_failing_finder_leaves_a_note(monkeypatch):
    monkeypatch.delenv("SHAPELINT_DEBUG", raising=False)
    monkeypatch.setattr(engine, "FINDERS", (_broken,) + tuple(engine.FINDERS))
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert d.code == "SHP101"
    assert any("could not be weighed (internal error: KeyError)" in n for n in d.notes)


def test_no_note_when_every_finder_runs():
    (d,) = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert not any("could not be weighed" in n for n in d.notes)
