"""A custom Keras layer whose ``compute_output_shape`` declares (batch, units) while ``call()`` concatenates two
branches of ``units``: Keras builds the Dense after it for the declared shape and the model fails when it runs.
Reported at the declaration, once a layer with weights is built on it; as the model's last layer the same layer runs
(nothing is built on the declaration), and this check says nothing there. Keras is the oracle."""
import os
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers, ops


    class Gated(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 8))

        def call(self, x):
            p = ops.matmul(x, self.w)
            return ops.concatenate([p, ops.sigmoid(p) * p], axis=-1)

        def compute_output_shape(self, input_shape):
            return (input_shape[0], 8)


    inp = keras.Input(shape=(5,))
    out = layers.Dense(1)(Gated()(inp))
    model = keras.Model(inp, out)
    model.compile(loss="mse", optimizer="adam")
    model.fit(np.random.rand(20, 5), np.random.rand(20, 1), verbose=0)
""").lstrip()


def _declared(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP111"]


def test_the_declaration_a_dense_is_built_on_is_blamed():
    (d,) = _declared(SRC)
    assert (d.severity, d.primary.span.line) == ("error", 15)
    assert "(None, 16)" in d.message


@pytest.mark.parametrize("change", [
    ("return (input_shape[0], 8)", "return (input_shape[0], 16)"),
    ("out = layers.Dense(1)(Gated()(inp))", "out = layers.Dropout(0.1)(Gated()(inp))"),
])
def test_a_declaration_that_holds_or_that_nothing_is_built_on(change):
    assert not _declared(SRC.replace(*change))


def test_what_keras_does():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    with pytest.raises(Exception):
        run(SRC)
    run(SRC.replace("return (input_shape[0], 8)", "return (input_shape[0], 16)"))


LAST = SRC.replace("out = layers.Dense(1)(Gated()(inp))", "out = Gated()(inp)").replace(
    "np.random.rand(20, 1)", "np.random.rand(20, 16)")


def test_as_the_last_layer_the_loss_meets_what_call_returns():
    # the graph says (None, 8); the loss gets the (20, 16) tensor call() returns, which the labels match
    assert not [d for d in check_source("case.py", LAST).diagnostics if d.severity == "error"]
    wrong = LAST.replace("np.random.rand(20, 16)", "np.random.rand(20, 8)")
    assert [d.code for d in check_source("case.py", wrong).diagnostics if d.severity == "error"] == ["SHP301"]


def test_what_keras_does_with_the_last_layer():
    os.environ.setdefault("KERAS_BACKEND", "torch")
    pytest.importorskip("keras")
    run(LAST)
    with pytest.raises(Exception):
        run(LAST.replace("np.random.rand(20, 16)", "np.random.rand(20, 8)"))
