"""One error met at several calls is fixed at all of them or none (rw20d, unseen reviewers, round 1: a DQN's replay
buffer made every sampled batch (B, 1, 8); the fix reshaped the batch at one ``predict`` call, the other kept failing
and the fixed script still crashed). Keras is the oracle."""
from pathlib import Path

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = (Path(__file__).resolve().parents[1] / "fixtures" / "review20" / "same_error_two_calls.py").read_text()


def test_no_fix_is_applied_while_the_same_error_stays_at_another_call():
    found = [d for d in check_source("case.py", SRC).diagnostics if d.severity == "error"]
    assert [d.code for d in found] == ["SHP304", "SHP304"]
    assert all(d.fix is None or not d.fix.edits for d in found)
    assert "line 13" in found[1].help
    assert fix_source("case.py", SRC, found, ("safe", "unsafe")).source == SRC


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC)
    only_one = SRC.replace("model.predict(next_states,", "model.predict(next_states.reshape(-1, 8),")
    with pytest.raises(ValueError):
        run(only_one)  # the fix alone leaves the script failing
    both = SRC.replace("next_memory[idx]", "next_memory[idx].reshape(-1, 8)")
    run(both.replace("memory[idx], ", "memory[idx].reshape(-1, 8), "))
