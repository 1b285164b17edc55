"""scikit-learn's scalers in data code: ``StandardScaler().fit(X_train)`` then ``scaler.transform(row)``. A scaler
maps each column on its own, so what it returns has the shape of what it is given -- (n, features) in, (n, features)
out -- and a single sample scaled with ``scaler.transform(row)[0]`` is seen to have lost its batch axis. Encoders
whose output width depends on the data (one-hot, polynomial features) stay unknown. (``train_test_split`` lives with
the datasets, datasets_api.py.)"""
from __future__ import annotations

from ...core.program import UNRESOLVED
from . import api
from .data_api import make
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
    """A column-wise sklearn transformer: its output has its input's shape."""

    def __init__(self, kind: str):
        self.kind = kind


@api.handles(*[f"sklearn.preprocessing.{k}" for k in _SCALERS])
def scaler(ev, call):
    return Scaler(call.callee_text.rsplit(".", 1)[-1])


@api.method(Scaler, "fit", "partial_fit", "set_params")
def fit(ev, obj: Scaler, call):
    return obj


@api.method(Scaler, "transform", "fit_transform", "inverse_transform")
def transform(ev, obj: Scaler, call):
    x = _array(ev, call.get(0, "X"), call.node)
    if not isinstance(x, TensorVal) or x.shape is None or len(x.shape) != 2:
        return UNRESOLVED  # sklearn takes 2-D input only (a 1-D array raises there)
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
