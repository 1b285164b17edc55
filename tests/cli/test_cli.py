"""The command line contract: exit codes, one clear line for unreadable input, never a traceback."""
import json
import os
import sys
from pathlib import Path

import pytest
import slow_machine

from shapelint.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_clean_file_exits_zero(capsys):
    code, out, _ = run(["check", str(EXAMPLES / "keras_cnn_ok.py")], capsys)
    assert code == 0
    assert "keras model `model`" in out and "(None, 10)" in out


def test_unreadable_file_gives_one_line_and_exit_2_while_others_are_checked(tmp_path, capsys):
    good = tmp_path / "good.py"
    good.write_text("x = 1\n")
    code, out, err = run(["check", str(tmp_path / "missing.py"), str(good), "--format", "json"], capsys)
    assert code == 2
    report = json.loads(out)
    assert [f["path"].endswith(n) for f, n in zip(report["files"], ["missing.py", "good.py"])] == [True, True]
    assert report["files"][0]["error"] == "no such file"
    assert "missing.py: no such file" in err and "Traceback" not in err


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", "caf\xe9".encode("latin-1"),
                                     b"def f(:\n", b"import keras\nmodel = keras.Sequential([\n"])
def test_bad_input_never_tracebacks(tmp_path, capsys, content):
    f = tmp_path / "bad.py"
    f.write_bytes(content)
    code, out, err = run(["check", str(f)], capsys)
    assert code in (0, 1, 2)
    assert "Traceback" not in out + err


def test_syntax_error_is_one_clear_diagnostic(tmp_path, capsys):
    f = tmp_path / "broken.py"
    f.write_text("import keras\nmodel = keras.Sequential([\n    keras.layers.Dense(10\n")
    code, out, _ = run(["check", str(f), "--format", "json"], capsys)
    diags = json.loads(out)["files"][0]["diagnostics"]
    assert code == 1 and len(diags) == 1 and diags[0]["code"] == "SHP004"


def test_folder_is_walked(capsys):
    code, out, _ = run(["check", str(EXAMPLES), "--format", "json"], capsys)
    files = json.loads(out)["files"]
    assert len(files) >= 5 and code in (0, 1)


def test_huge_file_is_checked_quickly(tmp_path, capsys):
    f = tmp_path / "huge.py"
    f.write_text("x = 1\n" * 200_000)
    code, out, _ = run(["check", str(f), "--format", "concise"], capsys)
    assert code == 0


def test_usage_error_exits_2(capsys):
    assert main(["check"]) == 2
    assert main(["frobnicate"]) == 2


def test_exit_zero(capsys, tmp_path):
    f = tmp_path / "broken.py"
    f.write_text("def f(:\n")
    assert main(["check", str(f), "--exit-zero"]) == 0


def test_module_entry_point_and_stdin():
    p = slow_machine.run([sys.executable, "-m", "shapelint", "check", "-", "--format", "json"], cpu_seconds=120,
                         input="import torch\n", capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["files"][0]["path"] == "<stdin>"
