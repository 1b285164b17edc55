"""SHP212: a Keras layer told ``data_format="channels_first"`` in a model whose tensors are channels-last (the last
axis's role is known: features of a Dense, channels of a channels-last conv). Real Keras is the oracle for what the
layer does: the pooled width is the number of positions, not the number of features."""
import os
import textwrap

import pytest

from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

MODEL = """
import keras
from keras import layers

inputs = keras.Input(shape=(64, 3))
x = layers.Dense(32)(inputs)
BODY
x = layers.GlobalAveragePooling1D(FORMAT)(x)
outputs = layers.Dense(4, activation="softmax")(x)
model = keras.Model(inputs, outputs)
"""


def _src(body: str = "", fmt: str = 'data_format="channels_first"') -> str:
    return textwrap.dedent(MODEL).replace("BODY", body).replace("FORMAT", fmt).lstrip()


def _loud(src: str) -> list:
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def test_channels_first_pooling_after_dense_is_reported_at_the_pooling():
    src = _src()
    (d,) = _loud(src)
    assert d.code == "SHP212" and d.primary.span.line == 7
    assert "(None, 64)" in d.message


def test_what_keras_does_with_it():
    keras = pytest.importorskip("keras")
    scope: dict = {}
    exec(compile(_src(), "case.py", "exec"), scope)
    pooled = scope["model"].layers[2].output.shape
    assert tuple(pooled) == (None, 64)  # one value per step: the 32 features were averaged away
    assert keras is not None


@pytest.mark.parametrize("body, fmt", [
    ("", ""),                                                     # the default, channels-last
    ("", 'data_format="channels_last"'),
    ("x = layers.Permute((2, 1))(x)", 'data_format="channels_first"'),  # features moved to axis 1 first
    ("x = layers.Reshape((32, 64))(x)", 'data_format="channels_first"'),  # roles unknown (SHP211 says why)
])
def test_no_warning_when_the_layout_agrees_or_is_unknown(body, fmt):
    assert not [d for d in _loud(_src(body, fmt)) if d.code == "SHP212"]


def test_a_channels_first_conv_model_is_left_alone():
    src = textwrap.dedent("""
        import keras
        from keras import layers

        inputs = keras.Input(shape=(3, 32, 32))
        x = layers.Conv2D(8, 3, data_format="channels_first")(inputs)
        x = layers.GlobalAveragePooling2D(data_format="channels_first")(x)
        model = keras.Model(inputs, layers.Dense(2)(x))
    """).lstrip()
    assert not _loud(src)
