"""Regression tests for the smaller defects of issue #11, one each."""
import io
import json
import os
import stat
import subprocess
import sys

import pytest

import shapelint
from shapelint.api import check_path
from shapelint.cli import main

TORCH_ERROR = "import torch\nimport torch.nn as nn\nmodel = nn.Sequential(nn.Linear(10, 20), nn.Linear(30, 5))\n" \
              "y = model(torch.randn(4, 10))\n"


def test_fix_leaves_a_read_only_file_alone_even_for_root(tmp_path, capsys):
    p = tmp_path / "ro.py"
    p.write_text(TORCH_ERROR)
    p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    main(["check", "--fix", str(p)])
    assert p.read_text() == TORCH_ERROR
    assert "is read-only; nothing changed" in capsys.readouterr().err


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_fix_works_on_files_with_cr_or_crlf_line_endings(tmp_path, capsys, newline):
    p = tmp_path / "cr.py"
    p.write_bytes(TORCH_ERROR.replace("\n", newline).encode())
    assert main(["check", "--fix", str(p), "--format", "concise"]) == 0
    fixed = p.read_bytes().decode()
    assert "nn.Linear(20, 5)" in fixed and fixed.count(newline) == 4 and "\n" not in fixed.replace("\r\n", "")[:-1]


def test_a_pep263_latin1_file_is_checked_and_fixed_in_its_encoding(tmp_path, capsys):
    p = tmp_path / "lat.py"
    p.write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + TORCH_ERROR.encode())
    assert [d.code for d in check_path(str(p)).diagnostics if d.severity == "error"] == ["SHP101"]
    assert main(["check", "--fix", str(p)]) == 0
    assert p.read_bytes().startswith(b"# -*- coding: latin-1 -*-\n# caf\xe9\n")
    assert b"nn.Linear(20, 5)" in p.read_bytes()


@pytest.mark.parametrize("where", [10, 9000])
def test_a_nul_byte_is_binary_wherever_it_is(tmp_path, where):
    p = tmp_path / "nul.py"
    text = ("x = 1\n" * 2000)[:where] + "\x00" + "y = 2\n"
    p.write_bytes(text.encode())
    error = check_path(str(p)).error
    assert error.startswith("not a Python file (binary content: a NUL byte at line")


def test_a_nul_byte_on_stdin_names_its_line(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x = 1\n\x00\n")))
    result = check_path("-")
    assert result.error == "not a Python file (binary content: a NUL byte at line 2)"
    assert "None" not in result.error


def test_check_of_a_path_with_a_nul_does_not_raise():
    assert "cannot read" in shapelint.check("a\x00b.py").files[0].error


def test_a_tensor_is_not_a_model():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="not Tensor"):
        shapelint.check(torch.zeros(3))


def test_a_negative_live_keras_input_shape_is_rejected_like_torch():
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.layers.Dense(4)])
    diags = shapelint.check(model, input_shape=(2, -3)).diagnostics
    assert any(d.code == "SHP104" or "input_shape" in d.message for d in diags if d.severity == "error"), \
        [d.message for d in diags]


def test_diff_on_stdin_with_an_error_shows_the_diff_and_exits_1():
    p = subprocess.run([sys.executable, "-m", "shapelint", "check", "-", "--diff"], input=TORCH_ERROR,
                       capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert p.returncode == 1, p.stderr
    assert "+model = nn.Sequential(nn.Linear(10, 20), nn.Linear(20, 5))" in p.stdout
    nofix = "import torch\nx = torch.randn(2, 3, 4, 4)\ny = x.view(2, 5)\n"
    p = subprocess.run([sys.executable, "-m", "shapelint", "check", "-", "--diff"], input=nofix,
                       capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert p.returncode == 1 and "1 error found" in p.stderr


def test_fix_with_input_shape_rechecks_with_it(tmp_path, capsys):
    p = tmp_path / "m.py"
    p.write_text("import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(10, 20), nn.Linear(30, 5))\n")
    code = main(["check", "--fix", str(p), "--input-shape", "4,10", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert "nn.Linear(20, 5)" in p.read_text()
    assert code == 0 and not [d for d in report["files"][0]["diagnostics"] if d["severity"] == "error"]
    p.write_text("import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(10, 20), nn.Linear(30, 5))\n"
                 "bad = nn.Sequential(nn.Conv2d(3, 8, 3), nn.Linear(8, 2))\n")
    code = main(["check", "--fix", str(p), "--input-shape", "4,10", "--format", "json"])
    remaining = [d for d in json.loads(capsys.readouterr().out)["files"][0]["diagnostics"] if d["severity"] == "error"]
    assert code == (1 if remaining else 0)  # what is reported after --fix is what a plain check reports
    again = main(["check", str(p), "--input-shape", "4,10", "--format", "json"])
    assert again == code


def test_a_notebook_on_stdin_is_read_as_a_notebook(monkeypatch):
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": TORCH_ERROR.splitlines(True)}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(nb).encode())))
    result = check_path("-")
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["SHP101"]
    assert result.line_map is not None
