"""sklearn's classification metrics given one-hot labels (N, C) beside class ids (N,): "Classification metrics can't
handle a mix of multilabel-indicator and multiclass targets". Reported at the matrix and fixed with
``np.argmax(y, axis=1)``; class ids on both sides, or a (N, 1) column, are fine. scikit-learn is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    from sklearn.metrics import confusion_matrix

    y = np.random.randint(0, 4, 40)
    y_onehot = np.eye(4)[y]
    y_pred = np.random.randint(0, 4, 40)
    cm = confusion_matrix(y_onehot, y_pred)
""").lstrip()

FIXED = SRC.replace("confusion_matrix(y_onehot, y_pred)", "confusion_matrix(np.argmax(y_onehot, axis=1), y_pred)")


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_one_hot_labels_beside_class_ids():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 7
    assert fix_source("case.py", SRC, [d], ("safe", "unsafe")).source == FIXED
    assert not _errors(FIXED)


def test_class_ids_on_both_sides_are_fine():
    assert not _errors(SRC.replace("confusion_matrix(y_onehot, y_pred)", "confusion_matrix(y, y_pred)"))
    assert not _errors(SRC.replace("np.eye(4)[y]", "y[:, None]"))


def test_what_sklearn_does():
    pytest.importorskip("sklearn")
    with pytest.raises(ValueError, match="mix of"):
        run(SRC)
    assert run(FIXED)["cm"].shape == (4, 4)
