"""scikit-learn's scalers in data code: ``StandardScaler().fit(X_train)`` then ``scaler.transform(row)``. A scaler
maps each column on its own, so what it returns has the shape of what it is given -- (n, features) in, (n, features)
out -- and a single sample scaled with ``scaler.transform(row)[0]`` is seen to have lost its batch axis. Encoders
whose output width depends on the data (one-hot, polynomial features) stay unknown. (``train_test_split`` lives with
the datasets, datasets_api.py.)"""
from __future__ import annotations

import re

from ...checks.report import emit
from ...core.program import UNRESOLVED
from ...diagnostics import remedies
from . import api
from .data_api import _int, make
from .datasets_api import Frame, Series, frame_values, series_values
from .objects import TensorVal

_SCALERS = ("StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler", "Normalizer", "QuantileTransformer",
            "PowerTransformer")


def _array(ev, v, node):
    """What sklearn makes of its input: an array, a DataFrame's values, a Series' values."""
    if isinstance(v, Frame):
        return frame_values(ev, v, node)
    if isinstance(v, Series):
        return series_values(ev, v, node)
    return v


class Scaler:
    """A column-wise sklearn transformer: its output has its input's shape; once fitted, it takes arrays of the
    width it was fitted on (``width``, None when not known for certain)."""

    def __init__(self, kind: str):
        self.kind = kind
        self.width = None
        self.fitted_at = None


def _note_fit(ev, obj: Scaler, x, call) -> None:
    certain = not ev.uncertain and isinstance(x, TensorVal) and x.shape is not None and len(x.shape) == 2 and \
        _int(x.shape[1])
    obj.width = x.shape[1] if certain else None
    obj.fitted_at = ev.span(call.node) if certain else None


def _other_width(ev, obj: Scaler, x, call, method: str) -> bool:
    """``scaler.inverse_transform(predictions)`` with one column for a scaler fitted on three: scikit-learn raises
    "X has 1 features, but MinMaxScaler is expecting 3 features as input". Reported at the call."""
    width = x.shape[1] if _int(x.shape[1]) else None
    if obj.width is None or width is None or width == obj.width or ev.uncertain or ev.caught:
        return False
    predictions = bool(x.meta.get("predictions"))
    emit(ev, "data-input-mismatch", ev.span(call.node), remedies.scaler_width_label(width, obj.width),
         secondary=[(obj.fitted_at, remedies.scaler_fitted_label(obj.width))], variant="scaler", kind=obj.kind,
         method=method, expected=obj.width, received=width, received_shape=tuple(x.shape),
         remedy=remedies.scaler_width_remedy(obj.width, predictions), severity="error")
    return True


@api.handles(*[f"sklearn.preprocessing.{k}" for k in _SCALERS])
def scaler(ev, call):
    return Scaler(call.callee_text.rsplit(".", 1)[-1])


@api.method(Scaler, "fit", "partial_fit", "set_params")
def fit(ev, obj: Scaler, call):
    method = call.callee_text.rsplit(".", 1)[-1]
    if method in ("fit", "partial_fit"):
        _note_fit(ev, obj, _array(ev, call.get(0, "X"), call.node), call)
    return obj


@api.method(Scaler, "transform", "fit_transform", "inverse_transform")
def transform(ev, obj: Scaler, call):
    x = _array(ev, call.get(0, "X"), call.node)
    method = call.callee_text.rsplit(".", 1)[-1]
    if method == "fit_transform":
        _note_fit(ev, obj, x, call)
    if not isinstance(x, TensorVal) or x.shape is None or len(x.shape) != 2:
        return UNRESOLVED  # sklearn takes 2-D input only (a 1-D array raises there)
    if method != "fit_transform" and _other_width(ev, obj, x, call, method):
        return UNRESOLVED
    return make(tuple(x.shape), "numpy", "float64", ev, call.node, like=x)


class LabelCoder:
    """``LabelEncoder``: one class id per label, (n,) in, (n,) ints out (how many classes is the data's)."""


@api.handles("sklearn.preprocessing.LabelEncoder")
def label_encoder(ev, call):
    return LabelCoder()


@api.method(LabelCoder, "fit")
def label_fit(ev, obj: LabelCoder, call):
    return obj


@api.method(LabelCoder, "transform", "fit_transform")
def label_transform(ev, obj: LabelCoder, call):
    y = _array(ev, call.get(0, "y"), call.node)
    shape = tuple(y.shape) if isinstance(y, TensorVal) and y.shape is not None else None
    if shape is None or len(shape) != 1:
        return UNRESOLVED
    return make(shape, "numpy", "int64", ev, call.node)


# -- classification metrics ---------------------------------------------------------------------------------------
_CLASSIFICATION_METRICS = ("confusion_matrix", "classification_report", "accuracy_score", "f1_score",
                           "precision_score", "recall_score", "balanced_accuracy_score", "precision_recall_fscore_support",
                           "cohen_kappa_score", "matthews_corrcoef", "multilabel_confusion_matrix")


@api.handles(*[f"sklearn.metrics.{k}" for k in _CLASSIFICATION_METRICS])
def classification_metric(ev, call):
    """sklearn's classification metrics read each argument's kind of target (``type_of_target``): an (N, C) one-hot
    or probability matrix beside (N,) class ids raises "Classification metrics can't handle a mix of
    multilabel-indicator and multiclass targets" (two one-hot matrices: confusion_matrix's "multilabel-indicator is
    not supported"). Reported at the matrix, fixed by taking its class ids, ``np.argmax(y, axis=1)``. The result
    itself is not modelled (a report, a matrix whose size depends on the labels present)."""
    args = [call.get(0, "y_true", None), call.get(1, "y_pred", None)]
    nodes = [call.node_of(0, "y_true"), call.node_of(1, "y_pred")]
    if any(not isinstance(a, TensorVal) or a.shape is None for a in args) or ev.uncertain:
        return UNRESOLVED
    ranks = [len(a.shape) for a in args]
    wide = [i for i, a in enumerate(args) if len(a.shape) == 2 and isinstance(a.shape[1], int) and a.shape[1] > 1]
    if sorted(ranks) != [1, 2] or len(wide) != 1 or nodes[wide[0]] is None:
        return UNRESOLVED
    i = wide[0]
    matrix, ids = args[i], args[1 - i]
    from ...checks.report import emit  # (report time only: a metric seen in data code)
    from ...diagnostics.fixes.source import spell
    from ...diagnostics.model import Edit, Fix
    from ...core.program import Span
    text = ev.text(nodes[i])
    argmax = spell("numpy.argmax", ev.lines) or "np.argmax"
    spelled = f"{argmax}({text}, axis=1)"
    what = "one-hot labels" if matrix.meta.get("onehot") else "a matrix of class scores" \
        if matrix.meta.get("predictions") else "a matrix"
    name = call.callee_text.rsplit(".", 1)[-1]
    emit(ev, "incompatible-input-shape", Span.of(nodes[i]), f"{what} {tuple(matrix.shape)}",
         secondary=[(Span.of(nodes[1 - i]), f"class ids {tuple(ids.shape)}")], kind=name,
         received_shape=tuple(matrix.shape), detail=f"`{'y_true' if i == 0 else 'y_pred'}` is {what} "
         f"{tuple(matrix.shape)} and the other argument class ids {tuple(ids.shape)}: sklearn cannot mix the two kinds "
         "of targets", remedy=f"compare class ids with class ids: `{spelled}`",
         fix=Fix("unsafe", f"take the class ids: `{spelled}`", [Edit(Span.of(nodes[i]), spelled)]), severity="error")
    return UNRESOLVED


@api.handles("sklearn.metrics.roc_auc_score")
def roc_auc(ev, call):
    """``roc_auc_score(y, scores)`` with one label per sample and a score matrix of two columns (``predict_proba`` of
    a binary classifier, a softmax over two logits) raises "y should be a 1d array, got an array of shape (N, 2)":
    whatever the labels are, sklearn reads two columns as one score per sample only for a label matrix. The score
    of the positive class is the second column."""
    y, scores = call.get(0, "y_true", None), call.get(1, "y_score", None)
    node = call.node_of(1, "y_score")
    if not isinstance(y, TensorVal) or not isinstance(scores, TensorVal) or y.shape is None or scores.shape is None \
            or ev.uncertain or node is None or len(y.shape) != 1:
        return UNRESOLVED
    if len(scores.shape) != 2 or scores.shape[1] != 2:
        _negative_class_scored(ev, scores, node)
        return UNRESOLVED
    from ...checks.report import emit  # (report time only: a metric seen in data code)
    from ...diagnostics.model import Edit, Fix
    from ...core.program import Span
    text = ev.text(node)
    column = f"{text}[:, 1]" if text.isidentifier() or text.endswith((")", "]")) else f"({text})[:, 1]"
    emit(ev, "incompatible-input-shape", Span.of(node), f"a score matrix {tuple(scores.shape)}",
         secondary=[(Span.of(call.node_of(0, "y_true")), f"one label per sample {tuple(y.shape)}")],
         kind="roc_auc_score", received_shape=tuple(scores.shape),
         detail=remedies.auc_scores_detail(tuple(scores.shape)), remedy=remedies.auc_positive_column(column),
         fix=Fix("unsafe", remedies.auc_positive_column(column), [Edit(Span.of(node), column)]), severity="error")
    return UNRESOLVED


def _negative_class_scored(ev, scores, node) -> None:
    """``roc_auc_score(y, prob[:, 0])`` / ``prob[:, :1]`` of a two-column score matrix: the score of class 0, which
    sklearn takes as the score of the positive class (label 1). It runs, and reports one minus the real AUC.
    Only for a column cut from a matrix of exactly two columns, taken where the call is written."""
    column, columns = scores.meta.get("column"), scores.meta.get("columns")
    taken = column[:2] if column else (columns[0], columns[1]) if columns and columns[2] == 1 else None
    if taken is None or taken[1] != 0 or taken[0].shape is None or tuple(taken[0].shape)[1:] != (2,):
        return
    from ...checks.report import emit  # (report time only: a metric seen in data code)
    from ...diagnostics.model import Edit, Fix
    from ...core.program import Span
    text = ev.text(node)
    fixed = _positive_column(text)
    if fixed is None:
        return
    emit(ev, "metric-label-format", Span.of(node), remedies.negative_class_label(), variant="negative-class",
         metric="roc_auc_score", taken=f"`{text}`", shape=tuple(taken[0].shape),
         remedy=remedies.auc_positive_column(fixed),
         fix=Fix("unsafe", remedies.auc_positive_column(fixed), [Edit(Span.of(node), fixed)]), severity="warning")


def _positive_column(text: str):
    """``prob[:, :1]`` / ``prob[:, 0]`` written as the column of class 1, or None when it is not written so."""
    m = re.fullmatch(r"(.+)\[\s*:\s*,\s*(?:0|:\s*1|0\s*:\s*1)\s*\]", text)
    return f"{m.group(1)}[:, 1]" if m else None


# -- toy datasets (sklearn.datasets): classic course code starts from them -------------------------------------------
# name: (samples, features, classes or None for a regression target, extra arrays of the Bunch)
_LOADERS = {"load_iris": (150, 4, 3, {}), "load_digits": (1797, 64, 10, {"images": (1797, 8, 8)}),
            "load_breast_cancer": (569, 30, 2, {}), "load_wine": (178, 13, 3, {}),
            "load_diabetes": (442, 10, None, {})}


class Bunch:
    """What ``load_iris()`` returns: ``.data`` (samples, features), ``.target`` (samples,) and, for digits, ``.images``
    (samples, 8, 8); item access by the same names."""

    def __init__(self, fields: dict):
        self.fields = fields


def _count(v):
    return v if _int(v) and v >= 0 else None


def _xy(ev, call, n, features, classes, target_shape=None):
    """(X, y) arrays: X (n, features) float64; y one class id per sample (ids 0..classes-1) or float targets."""
    x = make((n, features), "numpy", "float64", ev, call.node)
    if classes is not None:
        y = make(target_shape or (n,), "numpy", "int64", ev, call.node, meta={"int_range": (0, classes)})
    else:
        y = make(target_shape or (n,), "numpy", "float64", ev, call.node)
    return x, y


@api.handles(*[f"sklearn.datasets.{k}" for k in _LOADERS])
def load_toy(ev, call):
    n, features, classes, extra = _LOADERS[call.callee_text.rsplit(".", 1)[-1]]
    if call.starred or set(call.kwargs) - {"return_X_y", "as_frame"} or call.kwargs.get("as_frame") not in \
            (None, False) or call.kwargs.get("return_X_y") not in (None, False, True):
        return UNRESOLVED  # a frame, or arguments not followed
    x, y = _xy(ev, call, n, features, classes)
    if call.kwargs.get("return_X_y"):
        return (x, y)
    fields = {"data": x, "target": y}
    fields.update({k: make(shape, "numpy", "float64", ev, call.node) for k, shape in extra.items()})
    return Bunch(fields)


def _bunch_field(ev, b: Bunch, node):
    return b.fields.get(getattr(node, "attr", None), UNRESOLVED)


for _field in ("data", "target", "images"):
    api.attribute(Bunch, _field)(_bunch_field)


@api.handles("sklearn.datasets.make_classification")
def make_classification(ev, call):
    n, features = _count(call.get(0, "n_samples", 100)), _count(call.get(1, "n_features", 20))
    classes = _count(call.kwargs.get("n_classes", 2))
    if None in (n, features, classes) or call.starred:
        return UNRESOLVED
    return _xy(ev, call, n, features, classes)


@api.handles("sklearn.datasets.make_regression")
def make_regression(ev, call):
    n, features = _count(call.get(0, "n_samples", 100)), _count(call.get(1, "n_features", 100))
    targets = _count(call.kwargs.get("n_targets", 1))
    if None in (n, features, targets) or call.starred or call.kwargs.get("coef"):
        return UNRESOLVED
    return _xy(ev, call, n, features, None, (n,) if targets == 1 else (n, targets))


@api.handles("sklearn.datasets.make_blobs")
def make_blobs(ev, call):
    n, features = _count(call.get(0, "n_samples", 100)), _count(call.get(1, "n_features", 2))
    centers = call.kwargs.get("centers", None)
    classes = 3 if centers is None else _count(centers)
    if None in (n, features, classes) or call.starred or call.kwargs.get("return_centers"):
        return UNRESOLVED  # centers given as points, or samples given per center: not followed
    return _xy(ev, call, n, features, classes)


@api.handles("sklearn.datasets.make_moons", "sklearn.datasets.make_circles")
def make_two_classes(ev, call):
    n = _count(call.get(0, "n_samples", 100))
    if n is None or call.starred:
        return UNRESOLVED
    return _xy(ev, call, n, 2, 2)
