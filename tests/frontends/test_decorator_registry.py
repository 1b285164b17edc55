"""A registry of model builders filled by a decorator the file defines (``@register("mlp")``): the decorator runs,
so ``MODEL_REGISTRY[cfg["arch"]](...)`` builds a model whose shapes are followed; a library decorator leaves the
function as it is. An MLP's Dense stacked on the images is told to flatten them (pooling their pixels is no fix),
even where the file's CNN builder pools its feature maps. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    MODEL_REGISTRY = {}


    def register(name):
        def deco(fn):
            MODEL_REGISTRY[name] = fn
            return fn
        return deco


    @register("cnn")
    def build_cnn(input_shape, num_classes):
        inp = keras.Input(shape=input_shape)
        x = layers.Conv2D(8, 3, padding="same")(inp)
        x = layers.GlobalAveragePooling2D()(x)
        return keras.Model(inp, layers.Dense(num_classes, activation="softmax")(x))


    @register("mlp")
    def build_mlp(input_shape, num_classes):
        inp = keras.Input(shape=input_shape)
        x = layers.Dense(64, activation="relu")(inp)
        return keras.Model(inp, layers.Dense(num_classes, activation="softmax")(x))


    model = MODEL_REGISTRY["ARCH"]((28, 28, 1), 10)
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(np.random.rand(64, 28, 28, 1), np.random.randint(0, 10, (64,)), epochs=1, verbose=0)
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_registered_builder_is_followed():
    r = check_source("case.py", SRC.replace("ARCH", "cnn"))
    assert not _errors(SRC.replace("ARCH", "cnn"))
    assert [tuple(m.program.output.shape) for m in r.models] == [(None, 10)]


def test_dense_on_the_images_is_told_to_flatten_them():
    (d,) = _errors(SRC.replace("ARCH", "mlp"))
    assert "Flatten()" in d.help and "GlobalAveragePooling" not in d.help


def test_what_keras_does():
    pytest.importorskip("keras")
    run(SRC.replace("ARCH", "cnn"))
    with pytest.raises(Exception):
        run(SRC.replace("ARCH", "mlp"))


def test_the_flatten_for_a_loop_of_dense_layers_goes_once_before_the_loop():
    """``x = inp`` then ``for units in hidden: x = Dense(units)(x)``: one ``x = Flatten()(x)`` before the loop, not a
    Flatten wrapped around each Dense's input (a fix reviewers judged a workaround)."""
    from shapelint.fixing import fix_source
    src = SRC.replace("ARCH", "mlp").replace(
        '    x = layers.Dense(64, activation="relu")(inp)\n',
        '    x = inp\n    for units in (64, 32):\n        x = layers.Dense(units, activation="relu")(x)\n')
    found = _errors(src)
    fixed = fix_source("case.py", src, found, ("safe", "unsafe")).source
    assert "    x = inp\n    x = layers.Flatten()(x)\n    for units in (64, 32):" in fixed
    assert fixed.count("Flatten") == 1 and _errors(fixed) == []
