"""The corpus (tests/corpus): realistic Keras and PyTorch scripts, each run with the real framework
(tools/verify_corpus.py wrote its ``verified`` field), scored the way ../shared/tools/score.py scores cases.

Hard requirements: no false error on a correct script, every expectation agrees with what the framework did, and no
regression below the figures in tests/corpus/baseline.json (raise them when detection improves:
``python tests/test_corpus.py --update``). Tutorial-style scripts and notebooks in tests/corpus/tutorials must give
no error at all.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from shapelint.api import check_path, iter_files

CORPUS = Path(__file__).parent / "corpus"
BASELINE = CORPUS / "baseline.json"


def _cases():
    for exp_path in sorted(CORPUS.glob("*.expect.json")):
        yield exp_path.with_name(exp_path.name.replace(".expect.json", ".py")), json.loads(exp_path.read_text())


def _norm(shape):
    if shape is None:
        return None
    return len(shape), [d if isinstance(d, int) else None for d in shape[1:]]


def score() -> dict:
    rows = []
    for path, exp in _cases():
        result = check_path(str(path))
        report = result_json(result)
        diags = report["diagnostics"]
        errs = [d for d in diags if d["severity"] == "error"]
        flagged = [d for d in diags if d["severity"] in ("error", "warning")]
        lines = set(exp.get("lines") or [])
        row = {"case": path.name, "framework": exp["framework"], "outcome": exp["outcome"]}
        if exp["outcome"] == "error":
            row["detected"] = bool(errs)
            row["located"] = any(d["line"] in lines for d in errs)
        elif exp["outcome"] == "silent":
            row["detected"] = bool(flagged)
            row["located"] = any(d["line"] in lines for d in flagged)
            row["false_error"] = bool(errs)
        else:
            row["false_error"] = bool(errs)
            if exp.get("output") is not None:
                models = report["models"]
                layers = models[0]["layers"] if models else []
                row["output_ok"] = bool(layers) and _norm(layers[-1]["output"]) == _norm(exp["output"])
        row["errors"] = [f'{d["code"]}@{d["line"]}' for d in errs]
        rows.append(row)
    by = {k: [r for r in rows if r["outcome"] == k] for k in ("error", "silent", "ok")}
    return {
        "rows": rows,
        "errors": len(by["error"]),
        "detected": sum(r["detected"] for r in by["error"]),
        "located": sum(r["located"] for r in by["error"]),
        "silent": len(by["silent"]),
        "silent_flagged": sum(r["detected"] for r in by["silent"]),
        "silent_located": sum(r["located"] for r in by["silent"]),
        "ok": len(by["ok"]),
        "false_errors": sum(r["false_error"] for r in by["ok"] + by["silent"]),
        "output_ok": sum(1 for r in by["ok"] if r.get("output_ok")),
    }


def result_json(file_result) -> dict:
    from shapelint.reporters.json import to_json
    from shapelint.result import Result
    return to_json(Result([file_result]))["files"][0]


@pytest.fixture(scope="module")
def figures():
    return score()


def test_corpus_size():
    cases = list(_cases())
    assert len(cases) >= 60
    assert sum(1 for _, e in cases if e["outcome"] == "ok") >= 20
    assert {e["framework"] for _, e in cases} == {"keras", "pytorch"}


@pytest.mark.parametrize("path,exp", list(_cases()), ids=lambda v: v.name if isinstance(v, Path) else "")
def test_expectation_verified_by_the_framework(path, exp):
    v = exp.get("verified")
    assert v, f"{path.name}: run tools/verify_corpus.py"
    assert (v["exception"] is not None) == (exp["outcome"] == "error"), v


def test_no_false_errors_on_correct_scripts(figures):
    bad = [(r["case"], r["errors"]) for r in figures["rows"] if r.get("false_error")]
    assert not bad


def test_no_regression_below_baseline(figures):
    base = json.loads(BASELINE.read_text())
    for key in ("detected", "located", "silent_flagged", "silent_located", "output_ok"):
        assert figures[key] >= base[key], (key, figures[key], base[key],
                                           [r["case"] for r in figures["rows"] if r["outcome"] != "ok"
                                            and not r.get("located")])


def _tutorials():
    folder = CORPUS / "tutorials"
    return sorted(iter_files([str(folder)])) if folder.exists() else []


@pytest.mark.parametrize("path", _tutorials(), ids=lambda p: Path(p).name)
def test_tutorials_give_no_errors(path):
    result = check_path(path)
    assert result.error is None
    errs = [(d.code, d.line, d.message) for d in result.diagnostics if d.severity == "error"]
    assert not errs


if __name__ == "__main__":  # print the figures; --update writes them as the new baseline
    f = score()
    summary = {k: v for k, v in f.items() if k != "rows"}
    print(json.dumps(summary, indent=1))
    for r in f["rows"]:
        if (r["outcome"] != "ok" and not r.get("located")) or r.get("false_error") or r.get("output_ok") is False:
            print("  MISS", r)
    if "--update" in sys.argv:
        BASELINE.write_text(json.dumps({k: summary[k] for k in ("detected", "located", "silent_flagged",
                                                                "silent_located", "output_ok")}, indent=1) + "\n")
