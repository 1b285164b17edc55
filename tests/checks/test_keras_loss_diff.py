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
# Integer labels hold every value of their stated range (as randint over a real dataset does): with random draws the
# oracle depended on whether the largest class happened to be drawn, and the test flickered.
LABELS = {  # name: (array, int range or None)
    "int_N": (np.arange(B) % C, (0, C)),
    "int_N1": ((np.arange(B) % C).reshape(B, 1), (0, C)),
    "int01_N": (np.arange(B) % 2, (0, 2)),
    "int01_N1": ((np.arange(B) % 2).reshape(B, 1), (0, 2)),
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


MULTI_OUTPUT_CASES = {  # name: (outputs as dict?, loss text, y text) -- output "a" is Dense(3, softmax), "b" Dense(1)
    "shared_cce_int": (False, '"categorical_crossentropy"', "[ya_int, yb]"),
    "list_cce_int": (False, '["categorical_crossentropy", "binary_crossentropy"]', "[ya_int, yb]"),
    "list_cce_onehot": (False, '["categorical_crossentropy", "binary_crossentropy"]', "[ya_oh, yb]"),
    "list_scce_int": (False, '["sparse_categorical_crossentropy", "mse"]', "[ya_int, yb]"),
    "dict_out_cce_int": (True, '{"a": "categorical_crossentropy", "b": "binary_crossentropy"}',
                         '{"a": ya_int, "b": yb}'),
    "dict_out_cce_onehot": (True, '{"a": "categorical_crossentropy", "b": "binary_crossentropy"}',
                            '{"a": ya_oh, "b": yb}'),
    "list_out_dict_y_int": (False, '{"a": "categorical_crossentropy", "b": "binary_crossentropy"}',
                            '{"a": ya_int, "b": yb}'),
    "list_out_dict_y_bce_onehot": (False, '{"a": "categorical_crossentropy", "b": "binary_crossentropy"}',
                                   '{"a": ya_oh, "b": ya_oh[:, :2]}'),
}


@pytest.mark.parametrize("case", sorted(MULTI_OUTPUT_CASES))
def test_multi_output_labels_agree_with_keras(case):
    """Each output of a multi-output model is checked against its own labels and loss (list / dict / shared)."""
    from shapelint.frontends.source.check import check_source
    outdict, loss, y = MULTI_OUTPUT_CASES[case]
    src = f"""import numpy as np
import keras
from keras import layers
inp = keras.Input(shape=(5,))
a = layers.Dense(3, activation="softmax", name="a")(inp)
b = layers.Dense(1, activation="sigmoid", name="b")(inp)
model = keras.Model(inp, {'{"a": a, "b": b}' if outdict else '[a, b]'})
model.compile(optimizer="adam", loss={loss})
X = np.random.rand(8, 5)
ya_int = np.random.randint(0, 3, size=(8,))
ya_oh = keras.utils.to_categorical(ya_int, 3)
yb = np.random.randint(0, 2, size=(8, 1)).astype("float32")
model.fit(X, {y}, epochs=1, verbose=0)
"""
    try:
        exec(compile(src, case, "exec"), {})
        want = "ok"
    except Exception:
        want = "error"
    r = check_source("case.py", src)
    errs = [d for d in r.diagnostics if d.severity == "error"]
    assert bool(errs) == (want == "error"), f"{case}: keras {want}, shapelint {[d.code for d in errs]}"
