"""The second unseen code review of this session (CODE18b): each reproduction pinned. A mask every sample shares is
not "tiled wrong"; a causal mask's size is fixed at the call unless its name is read only there; a positional column
selection keeps what it left out; a dict filled at unknown keys is unknown at every read; keyword_edit keeps the
call well-formed in every layout."""
import ast
from pathlib import Path

import pytest

from oracle import run
from shapelint.diagnostics.fixes.calls import keyword_edit
from shapelint.diagnostics.fixes.text import apply_edits
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

HERE = Path(__file__).resolve().parents[1] / "fixtures" / "review18b"


def _src(name):
    return (HERE / name).read_text()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def _fixed(src):
    return fix_source("case.py", src, check_source("case.py", src).diagnostics, ("safe", "unsafe")).source


def test_a_mask_every_sample_shares_is_quiet():
    assert not _loud(_src("heads_same2.py"))


def test_the_causal_mask_size_is_fixed_at_the_call_when_its_name_is_read_elsewhere():
    src = _src("causal2.py")
    fixed = _fixed(src)
    assert "tgt_len = tgt.size(1)\n" in fixed and "generate_square_subsequent_mask(tgt_len - 1)" in fixed
    fixed = _fixed(_src("causal.py"))
    assert "MAX_LEN = 20" in fixed


def test_a_positional_selection_keeps_the_columns_it_left_out():
    src = _src("iloc2.py")
    (d,) = [d for d in _loud(src) if d.code == "SHP219"]
    assert ".iloc[:, 1:-1].drop(columns=" in d.fix.edits[0].text
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert run(fixed)["X"].shape[1] == run(src)["X"].shape[1] - 1


def test_a_dict_filled_at_unknown_keys_is_unknown_at_every_read():
    assert not [d for d in _loud(_src("dget.py")) if d.severity == "error"]


@pytest.mark.parametrize("before,after", [
    ("f(a,\n  b,\n)", "f(a,\n  b, k=1,\n)"),
    ("f(a, (b))", "f(a, (b), k=1)"),
    ("f()", "f(k=1)"),
    ("f(a)", "f(a, k=1)"),
])
def test_keyword_edit_keeps_every_layout_well_formed(before, after):
    call = ast.parse(before).body[0].value
    fixed = apply_edits(before, [keyword_edit(call, "k", "1")])
    assert fixed == after
    compile(fixed, "x.py", "exec")


def test_a_lone_generator_argument_gets_no_keyword():
    assert keyword_edit(ast.parse("f(x for x in y)").body[0].value, "k", "1") is None
