"""SHP203, custom loss: a Keras loss function that reduces the prediction error over axis 0 returns one value per
output column instead of one loss per sample, and its value grows with the batch size. Keras is the oracle: the
loss of the same model on the same data depends on the batch size before the fix and not after it."""
import os
import textwrap

import numpy as np

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

SCRIPT = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops


    def euclidean(y_true, y_pred):
        return ops.sqrt(ops.sum(ops.square(y_pred - y_true), axis=0))


    x = np.random.default_rng(0).normal(size=(64, 4)).astype("float32")
    y = np.ones((64, 3), "float32")
    model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, kernel_initializer="zeros")])
    model.compile(optimizer="sgd", loss=euclidean)
    small = model.evaluate(x, y, batch_size=4, verbose=0)
    large = model.evaluate(x, y, batch_size=64, verbose=0)
""").lstrip()


def _loud(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_the_error_reduced_over_the_batch_is_reported_and_reduced_per_sample():
    before = run(SCRIPT)
    assert before["large"] > 3 * before["small"]  # sqrt(64) against sqrt(4): it grows with the batch
    (d,) = _loud(SCRIPT)
    assert d.code == "SHP203" and d.primary.span.line == 7
    fixed = fix_source("case.py", SCRIPT, [d], ("safe", "unsafe")).source
    assert "axis=-1)" in fixed and not _loud(fixed)
    after = run(fixed)
    assert np.isclose(after["small"], after["large"]) and np.isclose(after["small"], np.sqrt(3))


def test_batch_statistics_of_one_side_and_per_sample_errors_are_left_alone():
    correlation = SCRIPT.replace("ops.sqrt(ops.sum(ops.square(y_pred - y_true), axis=0))",
                                 "1 - ops.mean((y_true - ops.mean(y_true, axis=0)) * y_pred)")
    per_sample = SCRIPT.replace("axis=0", "axis=-1")
    for src in (correlation, per_sample):
        run(src)
        assert not _loud(src)


def test_a_transposed_error_or_a_mean_of_per_sample_losses_is_not_over_the_batch():
    """After a transpose axis 0 is the outputs (the loss is mse, per Keras); a mean over axis 0 of per-sample sums is
    a scalar Keras accepts. Only the bare element-wise error reduced over axis 0 is reported."""
    transposed = SCRIPT.replace("ops.sqrt(ops.sum(ops.square(y_pred - y_true), axis=0))",
                                "ops.mean(ops.transpose(ops.square(y_pred - y_true)), axis=0)")
    scalar = SCRIPT.replace("ops.sqrt(ops.sum(ops.square(y_pred - y_true), axis=0))",
                            "ops.mean(ops.sum(ops.square(y_pred - y_true), axis=-1), axis=0)")
    for src in (transposed, scalar):
        run(src)
        assert not _loud(src)
