"""The root-cause analysis swallows its own failures in production (the user keeps the diagnostic); in the tests it
must have none: every corpus script and public case is checked with SHAPELINT_DEBUG=1, which re-raises them."""
from pathlib import Path

import pytest

from shapelint.frontends.source.check import check_source

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "tests" / "corpus").glob("*.py")) + sorted((ROOT.parent / "shared" / "cases").glob("*.py"))


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_no_finder_or_contract_fails(path, monkeypatch):
    monkeypatch.setenv("SHAPELINT_DEBUG", "1")
    check_source(path.name, path.read_text())
