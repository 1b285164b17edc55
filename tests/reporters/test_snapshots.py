"""Every output format rendered from the same hand-built diagnostics, compared with stored files (torchinfo style).
The input is built here, not by the rules, so these snapshots change only when a reporter changes.
Regenerate after an intended change with ``SHAPELINT_UPDATE_SNAPSHOTS=1 pytest tests/reporters``."""
import io
import json
import os
from pathlib import Path

import pytest

from shapelint.core.program import Layer, Op, Origin, Program, Span
from shapelint.core.values import Tensor
from shapelint.diagnostics.model import Diagnostic, Edit, Fix, Label
from shapelint.frontends.source.models import ModelResult
from shapelint.reporters.html import render_html, render_notebook
from shapelint.reporters.json import render_json
from shapelint.reporters.sarif import render_sarif, to_sarif
from shapelint.reporters.text import render_concise, render_text, want_color
from shapelint.result import FileResult, Result

SNAPSHOTS = Path(__file__).parent / "snapshots"
PATH = "net.py"
SOURCE = """import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(1, 6, 5),
    nn.Flatten(),
    nn.Linear(16 * 5 * 5, 120),  # 400 fits 32x32 images
)
x = torch.randn(8, 1, 28, 28)
print(model(x).shape)
"""


def sample_result() -> Result:
    prog = Program("model", "torch", Origin(PATH, Span(4, 9, 8, 2)))
    prog.inputs = [Tensor((8, 1, 28, 28))]
    conv = Layer("torch", "Conv2d", "0", origin=Origin(PATH, Span(5, 5, 5, 24)))
    conv.params = 156
    flat = Layer("torch", "Flatten", "1", origin=Origin(PATH, Span(6, 5, 6, 17)))
    lin = Layer("torch", "Linear", "2", origin=Origin(PATH, Span(7, 5, 7, 31)))
    prog.ops = [Op(0, conv, [Tensor((8, 1, 28, 28))], Tensor((8, 6, 24, 24))),
                Op(1, flat, [Tensor((8, 6, 24, 24))], Tensor((8, 3456))),
                Op(2, lin, [Tensor((8, 3456))], Tensor((8, 120)), status="error")]
    prog.input_note = "model(x) at line 10"
    error = Diagnostic(
        code="SHP101", name="feature-count-mismatch", severity="error",
        message="`Linear` expects 400 input features but receives 3456", file=PATH,
        primary=Label(Span(7, 15, 7, 25), "expects 400", PATH),
        secondary=[Label(Span(6, 5, 6, 17), "produces (8, 3456)", PATH)],
        notes=["shapes before it: 0 → (8, 6, 24, 24) · 1 → (8, 3456)"],
        help="set `in_features` to 3456",
        fix=Fix("safe", "set `in_features=3456` on `2`", [Edit(Span(7, 15, 7, 25), "3456")]),
        model="model", layer=2, layer_name="2", expected=400, received=3456)
    warning = Diagnostic(
        code="SHP201", name="dense-on-unflattened-input", severity="warning",
        message="`Linear` is applied to a 4-D tensor and acts on the last axis only", file=PATH,
        primary=Label(Span(5, 5, 5, 24), "", PATH), help="insert `nn.Flatten()` before this layer",
        fix=Fix("unsafe", "insert `nn.Flatten()`", [Edit(Span(5, 5, 5, 5), "nn.Flatten(),\n    ")]),
        model="model", layer=0, layer_name="0")
    info = Diagnostic(code="SHP002", name="unresolved-argument", severity="info",
                      message="cannot check `Conv2d`: argument `kernel_size` is not known without running the code",
                      file=PATH, primary=Label(Span(5, 21, 5, 22), "", PATH))
    f = FileResult(PATH, [ModelResult("model", "torch", 4, prog)], [info, warning, error], source=SOURCE)
    f.diagnostics.sort(key=lambda d: d.sort_key())
    unreadable = FileResult("missing.py", error="no such file")
    return Result([f, unreadable])


def _without_rules(sarif_text: str) -> str:
    """The rule list is the code table, which grows as codes are added; it is checked in test_sarif_structure."""
    data = json.loads(sarif_text)
    data["runs"][0]["tool"]["driver"]["rules"] = "<the code table>"
    for r in data["runs"][0]["results"]:
        r["ruleIndex"] = "<index>"
    return json.dumps(data, indent=1)


RENDER = {
    "text.txt": lambda r: render_text(r, color=False),
    "concise.txt": render_concise,
    "json.json": render_json,
    "sarif.json": lambda r: _without_rules(render_sarif(r)),
    "html.html": render_html,
}


@pytest.mark.parametrize("name", sorted(RENDER))
def test_snapshot(name):
    got = RENDER[name](sample_result())
    path = SNAPSHOTS / name
    if os.environ.get("SHAPELINT_UPDATE_SNAPSHOTS"):
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(got)
    assert got == path.read_text(), f"{name} changed; regenerate with SHAPELINT_UPDATE_SNAPSHOTS=1 if intended"


def test_text_is_rustc_style():
    text = render_text(sample_result(), color=False)
    assert "error[SHP101]: `Linear` expects 400 input features but receives 3456\n --> net.py:7:15\n" in text
    assert ("6 |     nn.Flatten(),\n  |     ------------ produces (8, 3456)\n"
            "7 |     nn.Linear(16 * 5 * 5, 120),  # 400 fits 32x32 images\n  |               ^^^^^^^^^^ expects 400\n"
            "  = note: shapes before it") in text
    assert ("help: set `in_features` to 3456 (safe fix: `shapelint check --fix`)\n  |\n"
            "7 |     nn.Linear(3456, 120),  # 400 fits 32x32 images\n") in text
    assert "= run `shapelint explain SHP101` for more" in text


def test_colour_only_on_a_terminal(monkeypatch):
    coloured = render_text(sample_result(), color=True)
    assert "\x1b[" in coloured and "\x1b[" not in render_text(sample_result(), color=False)

    class Tty(io.StringIO):
        def isatty(self):
            return True
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert want_color(Tty()) and not want_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not want_color(Tty())


def test_concise_is_one_line_per_diagnostic():
    lines = render_concise(sample_result()).splitlines()
    assert len(lines) == 4  # three diagnostics and the unreadable file
    assert lines[-2] == "net.py:7:15: error[SHP101] `Linear` expects 400 input features but receives 3456 [*]"


def test_sarif_structure():
    sarif = to_sarif(sample_result())
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "SHP101" in ids and len(ids) == len(set(ids))
    res = next(r for r in run["results"] if r["ruleId"] == "SHP101")
    assert ids[res["ruleIndex"]] == "SHP101" and res["level"] == "error"
    assert res["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7, "startColumn": 15, "endLine": 7, "endColumn": 25, "snippet": {"text": "16 * 5 * 5"}}
    rep = res["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert rep["insertedContent"]["text"] == "3456"
    assert {r["level"] for r in run["results"]} == {"error", "warning", "note"}
    assert run["invocations"][0]["executionSuccessful"] is False  # missing.py


def test_html_is_escaped_and_standalone():
    page = render_html(sample_result())
    assert page.startswith("<!DOCTYPE html>") and page.endswith("</html>")
    assert "<script" not in page and "`Linear` expects 400" in page
    frag = render_notebook(sample_result())
    assert frag.startswith('<div class="shapelint">') and "<html" not in frag
    assert sample_result()._repr_html_() == frag


def test_json_matches_the_contract():
    data = json.loads(render_json(sample_result()))
    d = next(d for d in data["files"][0]["diagnostics"] if d["code"] == "SHP101")
    assert d["fix"] == {"applicability": "safe", "title": "set `in_features=3456` on `2`",
                        "edits": [{"line": 7, "column": 15, "end_line": 7, "end_column": 25, "text": "3456"}]}
