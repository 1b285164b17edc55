"""The plain text report (no rich) is the report rich rendered before (tests/reporters/rich_text_oracle.py), line for
line, on the corpus and the examples -- wherever a table fits the 110 columns rich laid it out in (wider tables are
now never wrapped) and no run of identical layers is folded; and folding says where it happened."""
from __future__ import annotations

from pathlib import Path

import pytest

import rich_text_oracle
from shapelint.api import check_path
from shapelint.reporters import rows, text
from shapelint.result import Result

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "examples").glob("*.py")) + sorted((ROOT / "tests" / "corpus").glob("*.py"))[::4]


def _fits_rich_layout(result) -> bool:
    for m in result.models:
        if any(r.folded for r in rows.table_rows(m.program.ops)):
            return False
        widths = [max(len(c) for c in col) for col in zip(*_cells(m))]
        title = f"{m.framework} model `{m.name}`" + (f" (line {m.line})" if m.line else "")
        if sum(widths) + 2 * (len(widths) - 1) > 110 or len(title) > sum(widths) + 2 * (len(widths) - 1):
            return False
    return True


def _cells(m):
    yield text._HEADER
    prog = m.program
    yield ("", "", "input", "", "", text.input_text(prog), "")
    for r in rows.table_rows(prog.ops):
        yield (" ", r.index_text(), r.name_text(), r.kind_text(), r.line_text(), text._shape(r.op.output),
               r.params_text())


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_plain_text_equals_rich(path):
    result = Result([check_path(str(path))])
    if not _fits_rich_layout(result):
        pytest.skip("a table rich would have wrapped")
    assert text.render_text(result, color=False) == rich_text_oracle.render_text(result, color=False)


def test_plain_text_needs_no_rich():
    import subprocess
    import sys
    code = ("import sys, shapelint\n"
            f"r = shapelint.check({str(ROOT / 'examples' / 'torch_lenet_28x28.py')!r})\n"
            "assert 'fits images of 32x32' in str(r)\n"
            "assert not [m for m in sys.modules if m.startswith(('rich', 'libcst', 'difflib'))], sorted(sys.modules)\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_long_runs_of_identical_layers_fold():
    body = "".join("    layers.Dense(16),\n" for _ in range(40))
    src = ("import keras\nfrom keras import layers\nmodel = keras.Sequential([\n    keras.Input(shape=(32,)),\n"
           f"{body}    layers.Dense(10),\n])\n")
    from shapelint.frontends.source.check import check_source
    result = Result([check_source("deep.py", src)])
    out = text.render_text(result, color=False).splitlines()
    assert len(result.models[0].program.ops) == 41
    row = next(l for l in out if "× 39" in l)
    assert row.split() == ["1–39", "dense_1", "…", "dense_39", "Dense", "×", "39", "6–44", "(None,", "16)", "272",
                           "each"]
    assert "  (rows 1–39: 39 identical `Dense` layers folded into one row (`--format json` lists every layer))" in out
    assert sum(1 for l in out if " Dense " in l) == 3  # dense, the folded row, dense_40
    import json
    from shapelint.reporters.json import render_json
    assert len(json.loads(render_json(result))["files"][0]["models"][0]["layers"]) == 41
    from shapelint.reporters.html import render_html
    assert "Dense × 39" in render_html(result) and "39 identical" in render_html(result)
