"""Evaluation code after the model: ``roc_auc_score`` given a two-column score matrix (raises "y should be a 1d
array"), or the class-0 column of one (runs, and reports one minus the AUC); ``np.argmax(scores, axis=1)`` of one
score per sample (NumPy's AxisError). scikit-learn and NumPy are the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

AUC = textwrap.dedent("""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    y = np.random.randint(0, 2, 50)
    logits = np.random.randn(50, 2)
    prob = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    auc = roc_auc_score(y, prob)
""").lstrip()

ARGMAX = textwrap.dedent("""
    import numpy as np

    scores = np.random.rand(30).astype("float32")
    labels = np.argmax(scores, axis=1)
""").lstrip()


def _found(src, severity="error"):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == severity]


def test_two_column_scores_raise_and_take_the_positive_column():
    (d,) = _found(AUC)
    assert (d.code, d.primary.span.line) == ("SHP111", 7)
    fixed = fix_source("case.py", AUC, [d], ("safe", "unsafe")).source
    assert "roc_auc_score(y, prob[:, 1])" in fixed
    assert not _found(fixed) and not _found(fixed, "warning")


@pytest.mark.parametrize("column", ["prob[:, 1]", "prob[:, -1]", "prob[:, 1:]"])
def test_the_positive_column_is_fine(column):
    src = AUC.replace("roc_auc_score(y, prob)", f"roc_auc_score(y, {column})")
    assert not _found(src) and not _found(src, "warning")


@pytest.mark.parametrize("column", ["prob[:, 0]", "prob[:, :1]"])
def test_the_class_0_column_is_flagged(column):
    src = AUC.replace("roc_auc_score(y, prob)", f"roc_auc_score(y, {column})")
    assert not _found(src)
    (w,) = _found(src, "warning")
    assert (w.code, w.primary.span.line) == ("SHP208", 7)
    assert "roc_auc_score(y, prob[:, 1])" in fix_source("case.py", src, [w], ("safe", "unsafe")).source


def test_scores_of_unknown_width_or_a_column_of_features_are_left_alone():
    wide = AUC.replace("randn(50, 2)", "randn(50, 3)").replace("roc_auc_score(y, prob)", "roc_auc_score(y, prob[:, 0])")
    assert not _found(wide) and not _found(wide, "warning")
    one = AUC.replace("roc_auc_score(y, prob)", "roc_auc_score(y, np.random.rand(50, 1))")
    assert not _found(one) and not _found(one, "warning")


def test_argmax_past_the_rank_of_one_score_per_sample():
    (d,) = _found(ARGMAX)
    assert (d.code, d.primary.span.line) == ("SHP110", 4)
    assert "> 0.5" in d.help and d.fix is not None and not d.fix.edits  # shown: 0.5 for probabilities, 0 for logits


def test_argmax_within_the_rank_is_fine():
    for src in (ARGMAX.replace("axis=1", "axis=0"), ARGMAX.replace("axis=1", "axis=-1"),
                ARGMAX.replace("rand(30)", "rand(30, 2)")):
        assert not _found(src)


def test_what_sklearn_and_numpy_do():
    pytest.importorskip("sklearn")
    with pytest.raises(ValueError, match="1d array"):
        run(AUC)
    assert 0 <= run(AUC.replace("roc_auc_score(y, prob)", "roc_auc_score(y, prob[:, :1])"))["auc"] <= 1
    with pytest.raises(Exception, match="out of bounds"):
        run(ARGMAX)
