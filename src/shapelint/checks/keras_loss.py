"""Keras: labels vs the model's output vs the loss given to ``compile``, as Keras 3.15 computes them in ``fit``.

Every string loss goes through ``LossFunctionWrapper``, which first calls ``squeeze_or_expand_to_same_rank(y_true,
y_pred)`` (keras/src/losses/loss.py); then

* categorical_crossentropy: target and output must have the same shape (torch backend: same rank, then same dims);
* sparse_categorical_crossentropy: a trailing size-1 target axis is squeezed, then target.shape == output.shape[:-1];
  a class id >= the number of outputs fails (IndexError on the torch backend);
* binary_crossentropy (and the focal variant): same shape, targets in [0, 1];
* every element-wise loss (mse, mae, hinge, huber, categorical_focal_crossentropy, ...): targets and outputs are
  broadcast -- an error when the shapes are incompatible, a silent wrong loss when they merely differ.

Checked in ``fit`` per batch: the leading axis is the batch, ``min(batch_size, samples)`` (32 by default).
"""
from __future__ import annotations

from typing import Optional

from ..core.dims import dim_eq, dim_ne, fmt_shape, is_known
from ..frontends.source.data_api import broadcast
from ..frontends.source.objects import Opaque, QualName

KIND = {}
for _n in ("categorical_crossentropy", "CategoricalCrossentropy"):
    KIND[_n] = "cce"
for _n in ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"):
    KIND[_n] = "scce"
for _n in ("binary_crossentropy", "BinaryCrossentropy", "binary_focal_crossentropy", "BinaryFocalCrossentropy"):
    KIND[_n] = "bce"
for _n in ("mse", "MSE", "mean_squared_error", "MeanSquaredError", "mae", "MAE", "mean_absolute_error",
           "MeanAbsoluteError", "mape", "MAPE", "mean_absolute_percentage_error", "MeanAbsolutePercentageError",
           "msle", "MSLE", "mean_squared_logarithmic_error", "MeanSquaredLogarithmicError", "hinge", "Hinge",
           "squared_hinge", "SquaredHinge", "categorical_hinge", "CategoricalHinge", "huber", "Huber", "log_cosh",
           "logcosh", "LogCosh", "kl_divergence", "kld", "KLD", "KLDivergence", "poisson", "Poisson",
           "cosine_similarity", "CosineSimilarity", "categorical_focal_crossentropy",
           "CategoricalFocalCrossentropy"):
    KIND[_n] = "elem"


def loss_spec(value):
    """(kind name as written, from_logits) for a loss given as a string, a keras.losses.X() object, a function."""
    if isinstance(value, str):
        return value, False
    if isinstance(value, Opaque) and value.kind.startswith("keras.losses."):
        return value.kind.rsplit(".", 1)[-1], bool(value.kwargs.get("from_logits", False))
    if isinstance(value, QualName) and value.name.startswith("keras.losses."):
        return value.name.rsplit(".", 1)[-1], False
    return None, False


def squeeze_or_expand(y: tuple, p: tuple):
    """keras.src.losses.loss.squeeze_or_expand_to_same_rank(y_true, y_pred) on shapes."""
    ry, rp = len(y), len(p)
    if ry == rp:
        return y, p
    if ry == rp + 1 and y[-1] == 1:
        if rp == 1:
            p = p + (1,)
        else:
            y = y[:-1]
    if rp == ry + 1 and p[-1] == 1:
        if ry == 1:
            y = y + (1,)
        else:
            p = p[:-1]
    return y, p


def check(loss_kind: str, y: tuple, p: tuple, int_range=None) -> Optional[dict]:
    """A finding for labels of shape ``y`` and outputs ``p`` (batch axis already set), or None.

    The finding is a dict: ``code`` (a code name), ``needs`` (what the loss needs) and extra facts.
    """
    y2, p2 = squeeze_or_expand(tuple(y), tuple(p))
    classes = p[-1] if p else None
    if loss_kind == "cce":
        if len(y2) != len(p2) or any(dim_ne(a, b) for a, b in zip(y2, p2)):
            return {"code": "labels-loss-mismatch", "needs": f"one-hot labels of shape {_fmt(p)}"}
        if len(p) >= 2 and p[-1] == 1:
            return {"code": "single-unit-categorical-loss"}
        return None
    if loss_kind == "scce":
        if len(y2) == len(p2) and y2 and y2[-1] == 1:
            y2 = y2[:-1]
        want = p2[:-1]
        if len(y2) != len(want) or any(dim_ne(a, b) for a, b in zip(y2, want)):
            per = " (one per sample)" if len(want) == 1 else ""
            return {"code": "labels-loss-mismatch", "needs": f"integer class ids of shape {_fmt(want)}{per}"}
        classes = p2[-1] if p2 else None  # the class axis after squeeze_or_expand
        if int_range and is_known(classes) and int_range[1] > classes:
            return {"code": "label-out-of-range", "classes": classes}
        return None
    if loss_kind == "bce":
        if len(y2) != len(p2) or any(dim_ne(a, b) for a, b in zip(y2, p2)):
            return {"code": "labels-loss-mismatch", "needs": f"targets of the output's shape {_fmt(p)}"}
        if int_range and (int_range[0] < 0 or int_range[1] > 2):
            return {"code": "label-out-of-range", "classes": 2, "binary": True}
        return None
    if loss_kind == "elem":
        if len(y2) == 1 and len(p2) == 2 and y2[0] is None and is_known(p2[1]) and p2[1] > 1:
            # (batch,) targets against (batch, k) outputs: broadcasting lines the targets' batch axis up with the k
            # outputs, which fails for every batch that is not k (or 1) -- the unknown batch is no match for them
            return {"code": "labels-loss-mismatch", "needs": f"targets that match the output's shape {_fmt(p)}",
                    "conflict": (1, None, p2[1])}
        out, bad = broadcast(y2, p2)
        if bad is not None:
            return {"code": "labels-loss-mismatch", "needs": f"targets that match the output's shape {_fmt(p)}",
                    "conflict": bad}
        if out is not None and (len(out) != len(p2) or any(dim_eq(a, b) is False for a, b in zip(out, p2))
                                or len(out) != len(y2) or any(dim_eq(a, b) is False for a, b in zip(out, y2))):
            return {"code": "loss-broadcast", "result": out, "y2": y2, "p2": p2}
        return None
    return None


def _fmt(shape) -> str:
    return fmt_shape(tuple(shape))
