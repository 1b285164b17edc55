"""Notebooks read as cells: every format says cell and line (text gutter and tables, JSON, SARIF, HTML, GitHub
annotations), and ``--fix`` / ``--diff`` edit the cells of an .ipynb, keeping outputs, metadata and magics."""
import json

from shapelint.cli import main

CELLS = [
    ("markdown", "# LeNet"),
    ("code", "%matplotlib inline\nimport torch\nimport torch.nn as nn"),
    ("code", "net = nn.Sequential(\n    nn.Conv2d(1, 6, 5),\n    nn.Flatten(),\n    nn.Linear(6 * 28 * 28, 10),\n)"),
    ("code", "!nvidia-smi\nout = net(torch.randn(8, 1, 28, 28))"),
]


def notebook(tmp_path):
    cells = []
    for kind, src in CELLS:
        cell = {"cell_type": kind, "metadata": {"tags": ["keep"]}, "source": src.splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=1, outputs=[{"output_type": "stream", "name": "stdout", "text": ["hi\n"]}])
        cells.append(cell)
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "lenet.ipynb"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return path


def run(capsys, *args):
    code = main(list(args))
    return code, capsys.readouterr()


def test_every_format_says_cell_and_line(tmp_path, capsys):
    path = str(notebook(tmp_path))
    code, out = run(capsys, "check", path)
    assert code == 1
    assert f"torch model `net` ({path}: cell 3, line 1)" in out.out and "cell:line" in out.out
    assert f"--> {path}: cell 3, line 4:15" in out.out
    assert "\n4 |     nn.Linear(6 * 28 * 28, 10)," in out.out  # the gutter counts the cell's lines
    assert "from net(torch.randn(8, 1, 28, 28)) at cell 4, line 2" in out.out  # prose too
    _, out = run(capsys, "check", path, "--format", "json")
    f = json.loads(out.out)["files"][0]
    d = f["diagnostics"][0]
    assert (d["cell"], d["cell_line"]) == (3, 4) and d["related"][0]["cell_line"] == 3
    assert (d["fix"]["edits"][0]["cell"], d["fix"]["edits"][0]["cell_line"]) == (3, 4)
    assert [(l["cell"], l["cell_line"]) for l in f["models"][0]["layers"]] == [(3, 2), (3, 3), (3, 4)]
    _, out = run(capsys, "check", path, "--format", "sarif")
    loc = json.loads(out.out)["runs"][0]["results"][0]["locations"][0]
    assert loc["physicalLocation"]["region"]["startLine"] == 4 and loc["properties"] == {"cell": 3}
    _, out = run(capsys, "check", path, "--format", "html")
    assert "cell 3, line 4:15" in out.out and "3:4" in out.out
    _, out = run(capsys, "check", path, "--format", "github")
    assert out.out.startswith(f"::error file={path},title=") and "::cell 3, line 4:15: `Linear`" in out.out


def test_fix_and_diff_edit_the_cells(tmp_path, capsys):
    path = notebook(tmp_path)
    before = path.read_text()
    code, out = run(capsys, "check", str(path), "--diff")
    assert code == 1 and path.read_text() == before
    assert out.out.startswith(f"--- {path}: cell 3\n+++ {path}: cell 3\n")
    assert "-    nn.Linear(6 * 28 * 28, 10),\n+    nn.Linear(6 * 24 * 24, 10)," in out.out
    code, out = run(capsys, "check", str(path), "--fix")
    assert code == 0 and "fixed 1 diagnostic in 1 file" in out.err
    after = json.loads(path.read_text())
    original = json.loads(before)
    assert "".join(after["cells"][2]["source"]) == CELLS[2][1].replace("6 * 28 * 28", "6 * 24 * 24")
    for old, new in zip(original["cells"], after["cells"]):  # outputs, metadata, magics and other cells kept
        assert {k: v for k, v in old.items() if k != "source"} == {k: v for k, v in new.items() if k != "source"}
    assert after["cells"][1]["source"] == original["cells"][1]["source"]
    assert after["cells"][3]["source"][0] == "!nvidia-smi\n"
    assert path.read_text() == before.replace("6 * 28 * 28", "6 * 24 * 24")  # the rest of the file byte for byte
