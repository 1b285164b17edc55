"""``check --fix`` / ``--unsafe-fixes`` / ``--diff`` and the bad-input rules: never fix a file that changed since it
was checked or does not parse; a read-only file is reported and left alone; formatting and comments are kept."""
import json
import os
import stat
import sys

import pytest

from shapelint.api import check_path
from shapelint.cli import main
from shapelint.fixing import apply_edits, fix_main, fix_source
from shapelint.result import Result

SAFE = """import torch
import torch.nn as nn

# 28x28 digits
model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(  28*28 ,   10),   # odd spacing kept
)
print(model(torch.randn(8, 1, 32, 32)).shape)
"""

UNSAFE = """import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(30, 8)),
    layers.LSTM(64),  # encoder
    layers.LSTM(32),
    layers.Dense(1),
])
"""


def write(tmp_path, text, name="model.py"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_fix_applies_the_safe_fix_and_keeps_formatting(tmp_path, capsys):
    p = write(tmp_path, SAFE)
    code = main(["check", "--fix", "--format", "json", str(p)])
    out, err = capsys.readouterr()
    new = p.read_text()
    # the received size is written the way the argument was: a product, with the factors the data gives
    assert "nn.Linear(  32 * 32 ,   10),   # odd spacing kept" in new
    assert new.replace("32 * 32", "28*28") == SAFE
    assert code == 0 and json.loads(out)["files"][0]["diagnostics"] == []  # the report is of the fixed file
    assert "fixed 1 diagnostic in 1 file" in err


def test_unsafe_fix_needs_unsafe_fixes(tmp_path, capsys):
    p = write(tmp_path, UNSAFE)
    assert main(["check", "--fix", str(p)]) == 1
    assert p.read_text() == UNSAFE
    assert "more with --unsafe-fixes" in capsys.readouterr().err
    assert main(["check", "--fix", "--unsafe-fixes", str(p)]) == 0
    assert "layers.LSTM(64, return_sequences=True),  # encoder" in p.read_text()


def test_unsafe_fixes_alone_changes_nothing_and_says_so(tmp_path, capsys):
    p = write(tmp_path, UNSAFE)
    assert main(["check", "--unsafe-fixes", str(p)]) == 1
    assert p.read_text() == UNSAFE
    assert "only takes effect with --fix or --diff" in capsys.readouterr().err


def test_fixing_again_changes_nothing(tmp_path, capsys):
    p = write(tmp_path, UNSAFE)
    main(["check", "--fix", "--unsafe-fixes", str(p)])
    once = p.read_text()
    main(["check", "--fix", "--unsafe-fixes", str(p)])
    assert p.read_text() == once
    assert "fixed 0 diagnostics" in capsys.readouterr().err


def test_diff_shows_the_change_and_writes_nothing(tmp_path, capsys):
    p = write(tmp_path, SAFE)
    assert main(["check", "--diff", str(p)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- {p}\n+++ {p}\n")
    assert "-    nn.Linear(  28*28 ,   10),   # odd spacing kept" in out
    assert "+    nn.Linear(  32 * 32 ,   10),   # odd spacing kept" in out
    assert p.read_text() == SAFE
    clean = write(tmp_path, "x = 1\n", "clean.py")
    assert main(["check", "--diff", str(clean)]) == 0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_read_only_file_is_reported_and_unchanged(tmp_path, capsys):
    p = write(tmp_path, SAFE)
    p.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        code = main(["check", "--fix", str(p)])
        err = capsys.readouterr().err
        assert p.read_text() == SAFE
        assert "read-only" in err and code == 1
    finally:
        p.chmod(0o644)


def test_read_only_check_uses_access_not_luck(tmp_path, capsys, monkeypatch):
    """Also as root (where chmod does not stop writes): the access check decides."""
    p = write(tmp_path, SAFE)
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if str(path) == str(p) else real(path, mode))
    main(["check", "--fix", str(p)])
    assert "is read-only; nothing changed" in capsys.readouterr().err
    assert p.read_text() == SAFE


def test_file_changed_since_it_was_checked_is_not_fixed(tmp_path, capsys):
    p = write(tmp_path, SAFE)
    result = Result([check_path(str(p))])
    p.write_text(SAFE + "# edited meanwhile\n")

    class Args:
        unsafe_fixes, diff = False, False
    assert fix_main(result, Args()) is None
    assert "changed since it was checked" in capsys.readouterr().err
    assert p.read_text() == SAFE + "# edited meanwhile\n"


def test_file_that_does_not_parse_is_not_fixed(tmp_path):
    bad = SAFE + "def broken(:\n"
    p = write(tmp_path, bad)
    r = check_path(str(p))
    done = fix_source(str(p), bad, r.diagnostics + check_path_diags(SAFE, tmp_path), ("safe", "unsafe"))
    assert done.skipped and not done.changed


def check_path_diags(text, tmp_path):
    return check_path(str(write(tmp_path, text, "other.py"))).diagnostics


def test_a_fix_that_would_not_parse_is_rejected(tmp_path):
    from shapelint.diagnostics.model import Edit, Fix
    p = write(tmp_path, SAFE)
    diags = check_path(str(p)).diagnostics
    d = next(d for d in diags if d.fix)
    d.fix = Fix("safe", "broken", [Edit(d.fix.edits[0].span, "1024 +")])
    done = fix_source(str(p), SAFE, diags, ("safe",))
    assert not done.changed and done.rejected and "parse" in done.rejected[0][1]


def test_non_ascii_columns(tmp_path):
    """ast columns are UTF-8 byte offsets; edits must land on the right characters."""
    from shapelint.core.program import Span
    from shapelint.diagnostics.model import Edit
    src = "x = 'é'; y = f(400)\n"
    col = len("x = 'é'; y = f(".encode()) + 1
    assert apply_edits(src, [Edit(Span(1, col, 1, col + 3), "256")]) == "x = 'é'; y = f(256)\n"


def test_overlapping_fixes_are_applied_one_at_a_time(tmp_path, capsys):
    two = SAFE.replace("nn.Linear(  28*28 ,   10),   # odd spacing kept",
                       "nn.Linear(28*28, 50),\n    nn.Linear(40, 10),")
    p = write(tmp_path, two)
    main(["check", "--fix", str(p)])
    new = p.read_text()
    assert "nn.Linear(32 * 32, 50)" in new and "nn.Linear(50, 10)" in new
    assert [d.code for d in check_path(str(p)).diagnostics if d.severity == "error"] == []
