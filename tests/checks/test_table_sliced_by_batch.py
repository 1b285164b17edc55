"""SHP214: the seq-first PositionalEncoding in a batch-first model (pe[:x.size(0)] is the batch size). Real torch is
the oracle: in the bad model every position of a sample gets the same added vector; after the fix, positions differ
and samples agree. A seq-first model using the same table is right and is left alone."""
from pathlib import Path

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "codes" / "examples"


def _loud(src: str) -> list:
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def _added(src: str):
    torch = pytest.importorskip("torch")
    scope = {"__name__": "__main__"}
    exec(compile(src, "case.py", "exec"), scope)
    pos = scope["model"].pos
    x = torch.zeros(8, 20, 32)
    return pos(x)  # what the encoding adds to zeros


def test_reported_at_the_slice_and_fixed_to_slice_by_positions():
    src = (EXAMPLES / "SHP214_bad.py").read_text()
    (d,) = _loud(src)
    assert d.code == "SHP214" and "self.pe[:x.size(0)]" in src.splitlines()[d.primary.span.line - 1]
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "self.pe[:x.size(1)].transpose(0, 1)" in fixed and "batch_first=True" in fixed
    assert not _loud(fixed)
    torch = pytest.importorskip("torch")
    bad, good = _added(src), _added(fixed)
    assert torch.equal(bad[0, 0], bad[0, 5]) and not torch.equal(bad[0, 0], bad[1, 0])   # the mistake
    assert not torch.equal(good[0, 0], good[0, 5]) and torch.equal(good[0, 0], good[1, 0])  # what was meant


def test_a_seq_first_model_with_the_same_table_is_left_alone():
    src = (EXAMPLES / "SHP214_bad.py").read_text()
    src = src.replace("batch_first=True", "batch_first=False").replace("h[:, 0]", "h[0]")
    src = src.replace("torch.randint(0, 100, (8, 20))", "torch.randint(0, 100, (20, 8))")
    assert not _loud(src)
