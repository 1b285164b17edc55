"""Notebooks: code cells in order as one script, magics and shell lines skipped, diagnostics reported as
``cell N, line M``, a bad cell reported once while the rest is still checked, unreadable notebooks one clear error."""
from __future__ import annotations

import json

from shapelint.api import check_path
from shapelint.frontends.notebook import notebook_script
from shapelint.reporters.json import to_json
from shapelint.result import Result


def nb(*cells):
    out = []
    for c in cells:
        kind, src = c if isinstance(c, tuple) else ("code", c)
        out.append({"cell_type": kind, "metadata": {}, "source": src.splitlines(keepends=True),
                    **({"outputs": [], "execution_count": None} if kind == "code" else {})})
    return json.dumps({"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


CELLS = [
    ("markdown", "# Train a classifier\nSome text."),
    "%matplotlib inline\n!pip install keras\nimport numpy as np\nimport keras\nfrom keras import layers\n",
    "x = np.random.rand(32, 20).astype('float32')\ny = np.random.randint(0, 5, size=(32,))\nfiles = !ls\n",
    ("markdown", "## Model"),
    "%%time\nmodel = keras.Sequential([\n    layers.Input(shape=(20,)),\n    layers.Dense(5, activation='softmax'),\n])\n"
    "model.compile(optimizer='adam', loss='categorical_crossentropy')\n",
    "model.fit(x, y, epochs=1)\n",
]


def write(tmp_path, text, name="nb.ipynb"):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_magics_become_blank_lines_and_cells_map_back():
    script, line_map, bad = notebook_script(nb(*CELLS))
    lines = script.split("\n")
    assert not bad
    assert "%matplotlib" not in script and "!pip" not in script and "files = !ls" not in script
    assert "%%time" not in script
    # cell 2 (counted over all cells, markdown included) starts at script line 1
    assert line_map.cell_of(1) == (2, 1)
    i = next(n for n, t in enumerate(lines, 1) if "model.compile" in t)
    assert line_map.cell_of(i) == (5, 6)


def test_error_reported_with_cell_and_line(tmp_path):
    r = check_path(write(tmp_path, nb(*CELLS)))
    errs = [d for d in r.diagnostics if d.severity == "error"]
    assert [d.code for d in errs] == ["SHP301"]
    j = to_json(Result([r]))["files"][0]["diagnostics"]
    d = next(d for d in j if d["code"] == "SHP301")
    assert (d["cell"], d["cell_line"]) == (5, 6)
    assert "cell 5, line 6" in str(Result([r]))


def test_cell_with_syntax_error_is_reported_once_and_the_rest_checked(tmp_path):
    cells = list(CELLS)
    cells.insert(3, "def broken(:\n    pass\n")
    r = check_path(write(tmp_path, nb(*cells)))
    syntax = [d for d in r.diagnostics if d.code == "SHP004"]
    assert len(syntax) == 1 and "cell 4" in syntax[0].message
    assert any(d.code == "SHP301" for d in r.diagnostics)  # later cells still checked


def test_shell_cell_magic_is_not_python(tmp_path):
    r = check_path(write(tmp_path, nb("%%bash\necho hello | grep h\nls -la\n", "x = 1\n")))
    assert r.error is None
    assert not [d for d in r.diagnostics if d.severity == "error"]


def test_invalid_notebook_is_one_clear_error(tmp_path):
    r = check_path(write(tmp_path, "{not json"))
    assert r.error and "not a valid notebook" in r.error
    r = check_path(write(tmp_path, json.dumps({"nbformat": 4}), "b.ipynb"))
    assert r.error and "cells" in r.error


def test_correct_notebook_has_no_diagnostics_above_info(tmp_path):
    cells = [c.replace("categorical_crossentropy", "sparse_categorical_crossentropy") if isinstance(c, str) else c
             for c in CELLS]
    r = check_path(write(tmp_path, nb(*cells)))
    assert not [d for d in r.diagnostics if d.severity in ("error", "warning")]
