"""Every diagnostic code has a docs page with the fixed sections and a bad / good example pair that the suite runs:
the bad example gives exactly that code, the good one gives no diagnostic at all -- and, run with the real framework,
the bad one of an SHP1xx code raises while every good one runs."""
import ast
import dataclasses
import json
import os
import re
import sys
from pathlib import Path

import pytest
import slow_machine

from shapelint import explain
from shapelint.api import check_path
from shapelint.cli import main
from shapelint.diagnostics import codes

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "codes"
ALL = [c.code for c in codes.all_codes() if not c.retired]


LIVE = re.compile(r"^# live example: shapelint\.check\(model, input_shape=(\(.*\))\)")


def _codes_in(path: Path) -> list:
    """The codes shapelint gives for an example: a source check, or for a live example (first line
    ``# live example: shapelint.check(model, input_shape=...)``) a check of the object it builds."""
    live = LIVE.match(path.read_text().split("\n", 1)[0])
    if live:
        import runpy
        import shapelint
        model = runpy.run_path(str(path))["model"]
        return sorted(d.code for d in shapelint.check(model, input_shape=ast.literal_eval(live.group(1))).diagnostics)
    return sorted(d.code for d in check_path(str(path)).diagnostics)


def _emitted_somewhere(code: str) -> bool:
    name = codes.lookup(code).name
    for f in (ROOT / "src" / "shapelint").rglob("*.py"):
        if f.name not in ("codes.py", "wording.py") and f'"{name}"' in f.read_text():
            return True
    return False


def _xfail_if_rule_missing(found: list, wanted: str) -> None:
    """A layer without a rule yet (SHP001) makes an example uncheckable; that is work in progress elsewhere, not a
    wrong example. Any other difference fails."""
    if wanted != "SHP001" and "SHP001" in found:
        pytest.xfail(f"a shape rule used by the {wanted} example is not written yet ({found})")


@pytest.mark.parametrize("code", ALL)
def test_page_has_the_fixed_sections_and_examples(code):
    page = (DOCS / f"{code}.md").read_text()
    c = codes.lookup(code)
    assert page.startswith(f"# {code}: {c.name}\n")
    sections = explain.parse_page(page)
    titles = [t for t in sections if t]
    assert titles == list(explain.SECTIONS), f"{code}.md sections are {titles}"
    assert all(sections[t] for t in titles)
    bad, good = explain.example_paths(code)
    assert bad.is_file() and good.is_file()
    # the page shows the very files the tests run
    assert bad.read_text().rstrip("\n") in sections["Example"]
    assert good.read_text().rstrip("\n") in sections["Example"]


def test_no_page_for_an_unknown_code():
    known = set(ALL) | {c.code for c in codes.all_codes()}
    pages = {p.stem for p in DOCS.glob("SHP*.md")}
    assert pages <= known, f"pages without a code: {pages - known}"


@pytest.mark.parametrize("code", [c for c in ALL if c != "SHP005"])
def test_bad_example_gives_exactly_its_code(code):
    found = _codes_in(DOCS / "examples" / f"{code}_bad.py")
    if not found and not _emitted_somewhere(code):
        pytest.xfail(f"no rule or check emits {code} yet")
    _xfail_if_rule_missing(found, code)
    assert found and set(found) == {code}, f"{code}_bad.py gives {found}"


def test_internal_error_example(monkeypatch):
    """SHP005 is shapelint's own failure: make the Dense rule crash and check it is reported, not raised."""
    from shapelint.core import registry
    rule = registry.lookup("keras", "Dense")

    def broken(layer, *inputs):
        raise RuntimeError("deliberate failure for the SHP005 example")

    monkeypatch.setitem(registry._RULES, ("keras", "Dense"), dataclasses.replace(rule, fn=broken))
    found = _codes_in(DOCS / "examples" / "SHP005_bad.py")
    assert set(found) == {"SHP005"}


@pytest.mark.parametrize("code", ALL)
def test_good_example_gives_nothing(code):
    found = _codes_in(DOCS / "examples" / f"{code}_good.py")
    _xfail_if_rule_missing(found, "")
    assert found == [], f"{code}_good.py gives {found}"


@pytest.mark.parametrize("code", ALL)
def test_explain_text_and_json(code, capsys):
    assert main(["explain", code]) == 0
    text = capsys.readouterr().out
    assert text.startswith(code) and "FIX SAFETY" in text
    assert main(["explain", code.lower().replace("shp", ""), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["code"] == code and set(data["sections"]) == set(explain.SECTIONS)
    assert data["examples"]["bad"] and data["examples"]["good"]


def test_explain_accepts_names_and_rejects_unknown_codes(capsys):
    assert main(["explain", "feature-count-mismatch"]) == 0
    assert capsys.readouterr().out.startswith("SHP101")
    assert main(["explain", "SHP999"]) == 2
    err = capsys.readouterr().err
    assert "unknown code" in err and "Traceback" not in err


RUNNER = r"""
import json, os, runpy, sys, warnings
warnings.simplefilter("ignore")
os.environ.setdefault("KERNEL_SIZE", "3")
out = {}
for path in sys.argv[1:]:
    try:
        compile(open(path).read(), path, "exec")
    except SyntaxError:
        out[path] = "SyntaxError"
        continue
    first = open(path).readline()
    try:
        ns = runpy.run_path(path, run_name="__main__")
        if first.startswith("# live example:"):  # run the live model on real data of the stated shape
            import ast, torch
            shape = ast.literal_eval(first.split("input_shape=", 1)[1].strip()[:-1])
            ns["model"](torch.randn(*shape))
        out[path] = None
    except ModuleNotFoundError as exc:  # an example for a framework this environment lacks (tensorflow)
        out[path] = "missing " + str(exc.name)
    except BaseException as exc:
        out[path] = type(exc).__name__
print("RESULT" + json.dumps(out))
"""


@pytest.mark.differential
def test_examples_behave_as_documented_under_the_real_frameworks():
    files = sorted(str(p) for p in (DOCS / "examples").glob("SHP*.py"))
    env = dict(os.environ, KERAS_BACKEND="torch")
    p = slow_machine.run([sys.executable, "-c", RUNNER, *files], cpu_seconds=120 + 30 * len(files), capture_output=True,
                         text=True, env=env)
    line = next(l for l in p.stdout.splitlines() if l.startswith("RESULT"))
    outcome = {Path(k).name: v for k, v in json.loads(line[6:]).items()}
    wrong = []
    for name, exc in outcome.items():
        code, kind = name[:-3].split("_")
        if isinstance(exc, str) and exc.startswith("missing "):
            continue  # checked where that framework is installed (tests/frontends/test_tf_data.py for tf.data)
        if kind == "good" and exc is not None:
            wrong.append(f"{name} raised {exc}")
        if kind == "bad" and codes.lookup(code).severity == "error" and exc is None:
            wrong.append(f"{name} ran without error, but {code} is an error: the framework should raise")
    assert not wrong, wrong
