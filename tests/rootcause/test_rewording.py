"""Rewording a message must never change behaviour (issue #9): every message template and every remedy sentence is
scrambled (letters rotated, backticks dropped, so no prose survives) and the same diagnostics must come out at the
same places with the same fixes. A code path that reads a diagnostic's prose to decide something fails here."""
import codecs
import functools
import inspect
import re
from pathlib import Path

import pytest

from shapelint.api import check_path
from shapelint.diagnostics import remedies, wording
from shapelint.diagnostics.remedies import (data_pipelines, keras, keras_ops, masks, rootcause, selection, shared,
                                            torch)

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "tests" / "fixtures" / "fixes").glob("*.py")) + \
    sorted(p for p in (ROOT / "tests" / "corpus").glob("*_rw*.py")) + \
    sorted((ROOT.parent / "shared" / "cases").glob("*.py"))


def _scramble(text: str) -> str:
    """Prose rotated; ``{placeholders}`` kept so the templates still format."""
    parts = re.split(r"(\{[^{}]*\})", text)
    return "".join(p if p.startswith("{") else codecs.encode(p.replace("`", ""), "rot13") for p in parts)


def _scrambled(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        out = fn(*args, **kwargs)
        return codecs.encode(out.replace("`", ""), "rot13") if isinstance(out, str) else out
    return wrapper


def _behaviour(path: Path) -> list:
    out = []
    for d in check_path(str(path)).diagnostics:
        fix = d.fix
        out.append((d.code, d.severity, d.line, d.cause,
                    None if fix is None else (fix.applicability, tuple((e.span, e.text) for e in fix.edits))))
    return out


@pytest.fixture(scope="module")
def as_worded():
    return {p: _behaviour(p) for p in FILES}


def test_scrambled_wording_gives_the_same_diagnostics_and_fixes(as_worded):
    patch = pytest.MonkeyPatch()
    try:
        patch.setattr(wording, "TEMPLATES", {k: (_scramble(m), h and _scramble(h))
                                             for k, (m, h) in wording.TEMPLATES.items()})
        for module in (data_pipelines, keras, keras_ops, masks, rootcause, selection, shared, torch, remedies):
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if fn.__module__.startswith("shapelint.diagnostics.remedies"):
                    patch.setattr(module, name, _scrambled(fn))
        changed, prose = {}, []
        for p in FILES:
            after = _behaviour(p)
            if after != as_worded[p]:
                changed[p.name] = (as_worded[p], after)
            prose += [t for d in check_path(str(p)).diagnostics for t in (d.message, d.help or "")]
        assert not changed, changed
        # the patch is in force: the usual English verbs are gone from nearly all messages and helps (what is left
        # is the few `detail` strings rules still write inline, issue #14)
        english = [t for t in prose if re.search(r"\b(expects|receives|set|add|use)\b", t)]
        assert prose and len(english) <= 0.1 * len(prose), english
    finally:
        patch.undo()
