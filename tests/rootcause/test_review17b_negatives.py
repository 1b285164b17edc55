"""The second code review's reproductions (tests/fixtures/review17b/), each pinned: a correct program reports
nothing; a wrong one keeps its right diagnosis and never gets the wrong fix the review found. The frameworks run the
correct programs."""
import os
from pathlib import Path

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")
HERE = Path(__file__).resolve().parents[1] / "fixtures" / "review17b"


def _src(name: str) -> str:
    return (HERE / f"{name}.py").read_text()


def _serious(src: str):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def _fixed(src: str) -> str:
    return fix_source("case.py", src, _serious(src), ("safe", "unsafe")).source


def test_a_frame_relabelled_in_place_has_no_known_columns():
    src = _src("cols_setindex")
    run(src)  # correct: pandas and torch run it
    assert not _serious(src)


def test_windows_a_baseline_reads_are_not_changed_in_the_helper():
    src = _src("windows_naive")
    fixed = _fixed(src)
    assert "[..., None]" not in fixed


def test_a_setting_shared_by_several_layers_is_fixed_at_the_failing_layer():
    for name in ("pad_shared", "act_shared"):
        src = _src(name)
        (d,) = _serious(src)
        assert d.cause != "setting-written"
        fixed = _fixed(src)
        assert fixed.count("PAD = \"valid\"") + fixed.count("HEAD_ACTIVATION = \"softmax\"") == 1


def test_an_unrelated_list_of_the_right_length_is_not_counted():
    assert "len(log_cols)" not in _fixed(_src("cols_other"))


def test_a_flag_of_another_class_is_not_written():
    assert "self.bidirectional" not in _fixed(_src("bidir_self")).split("class Head", 1)[-1]


def test_an_unbatched_lstm_stacked_state_of_the_wrong_size_is_reported():
    src = _src("lstm_stacked_bad")
    with pytest.raises(RuntimeError):
        run(src)
    (d,) = _serious(src)
    assert d.code == "SHP111" and d.cause != "state-not-pair"


def test_an_unbatched_image_is_not_renamed_to_a_1d_batch_norm():
    (d,) = _serious(_src("bn_unbatched"))
    assert "BatchNorm1d" not in (d.help or "") and not any("BatchNorm1d" in n for n in d.notes)


def test_a_per_frame_score_is_not_a_per_channel_pooling():
    src = _src("spec_frames")
    run(src)
    assert not _serious(src)
