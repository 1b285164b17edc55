"""Differential test: the Keras label/loss check (checks/keras_loss.py) against real Keras 3 (torch backend): each
loss by name on labels and outputs of many shapes. An error must match Keras raising; where Keras computes a loss,
shapelint reports no error (a silent-broadcast or single-unit warning is allowed, and then Keras must run)."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from keras.src.losses.losses import LossFunctionWrapper  # noqa: E402

from shapelint.checks.keras_loss import KIND, check  # noqa: E402

B, C = 8, 5
LABELS = {  # name: (array, int range or None)
    "int_N": (np.random.randint(0, C, size=(B,)), (0, C)),
    "int_N1": (np.random.randint(0, C, size=(B, 1)), (0, C)),
    "int01_N": (np.random.randint(0, 2, size=(B,)), (0, 2)),
    "int01_N1": (np.random.randint(0, 2, size=(B, 1)), (0, 2)),
    "onehot_NC": (np.eye(C)[np.random.randint(0, C, size=(B,))].astype("float32"), None),
    "float_N": (np.random.rand(B).astype("float32"), None),
    "float_N1": (np.random.rand(B, 1).astype("float32"), None),
    "float_N3": (np.random.rand(B, 3).astype("float32"), None),
    "float_NC": (np.random.rand(B, C).astype("float32"), None),
    "float_NT1": (np.random.rand(B, 4, 1).astype("float32"), None),
}
OUTPUTS = {"N1": (B, 1), "NC": (B, C), "NTC": (B, 4, C), "NT1": (B, 4, 1)}
LOSSES = ["categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy", "mse", "mae",
          "hinge", "categorical_hinge", "huber", "kl_divergence", "poisson", "binary_focal_crossentropy",
          "categorical_focal_crossentropy", "log_cosh", "squared_hinge", "mean_squared_logarithmic_error"]


def real(loss, y, pshape):
    p = np.random.rand(*pshape).astype("float32")
    if loss in ("categorical_crossentropy", "sparse_categorical_crossentropy", "categorical_focal_crossentropy"):
        p = p / p.sum(axis=-1, keepdims=True)
    try:
        # compile(loss="name") wraps the loss function like this (squeeze_or_expand_to_same_rank first)
        LossFunctionWrapper(keras.losses.get(loss))(y, p)
    except Exception:
        return "error"
    return "ok"


@pytest.mark.parametrize("loss,lab,out", list(itertools.product(LOSSES, LABELS, OUTPUTS)))
def test_label_check_agrees_with_keras(loss, lab, out):
    y, rng = LABELS[lab]
    want = real(loss, y, OUTPUTS[out])
    found = check(KIND[loss], tuple(y.shape), OUTPUTS[out], rng)
    error = found is not None and found["code"] in ("labels-loss-mismatch", "label-out-of-range")
    assert error == (want == "error"), f"{loss} labels {y.shape} output {OUTPUTS[out]}: keras {want}, {found}"


def test_unknown_batch_never_errors():
    for loss in LOSSES:
        found = check(KIND[loss], (None,), (None, 1), None)
        assert found is None or found["code"] not in ("labels-loss-mismatch", "label-out-of-range")
