"""functools.partial over a layer class (``DefaultConv2D = partial(layers.Conv2D, kernel_size=3, padding="same")``,
Hands-On ML's idiom): the layers it makes are followed, with the bound arguments first and the call's own winning.
Keras and torch are the oracles of the shapes."""
import textwrap

import pytest

from oracle import run
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    from functools import partial
    import keras

    DefaultConv2D = partial(keras.layers.Conv2D, kernel_size=3, padding="same", activation="relu")
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        DefaultConv2D(filters=64, kernel_size=7),
        keras.layers.MaxPool2D(),
        DefaultConv2D(128),
        DefaultConv2D(filters=128, padding="valid"),
        keras.layers.MaxPool2D(),
        keras.layers.Flatten(),
        keras.layers.Dense(10, activation="softmax"),
    ])
""").lstrip()

TORCH = textwrap.dedent("""
    import functools
    import torch
    import torch.nn as nn

    conv3 = functools.partial(nn.Conv2d, kernel_size=3, padding=1)
    model = nn.Sequential(conv3(3, 16), nn.ReLU(), nn.MaxPool2d(2), conv3(16, 32, padding=0), nn.Flatten(),
                          nn.Linear(32 * 16 * 16, 10))
    out = model(torch.randn(2, 3, 32, 32))
""").lstrip()


def _result(src):
    return check_source("case.py", src)


def test_keras_layers_made_by_a_partial_are_followed():
    r = _result(KERAS)
    assert not [d for d in r.diagnostics if d.severity == "error"]
    m = r.models[0].program
    assert [op.layer.kind for op in m.ops][:4] == ["Conv2D", "MaxPool2D", "Conv2D", "Conv2D"]
    assert tuple(m.ops[3].output.shape) == (None, 12, 12, 128) and tuple(m.output.shape) == (None, 10)
    assert m.ops[0].layer.origin.span.line == 7  # the row is the call, not the partial


def test_torch_modules_made_by_a_partial_are_followed_and_a_wrong_size_is_still_caught():
    """The call's padding=0 wins over the bound padding=1: 16 -> 14, so Linear(32 * 16 * 16) is wrong."""
    r = _result(TORCH)
    (d,) = [d for d in r.diagnostics if d.severity == "error"]
    assert d.code == "SHP101" and tuple(r.models[0].program.ops[3].output.shape) == (2, 32, 14, 14)
    assert not [d for d in _result(TORCH.replace("32 * 16 * 16", "32 * 14 * 14")).diagnostics
                if d.severity == "error"]


def test_what_the_frameworks_do():
    pytest.importorskip("keras")
    pytest.importorskip("torch")
    assert tuple(run(KERAS)["model"].output_shape) == (None, 10)
    assert tuple(run(KERAS)["model"].layers[3].output.shape) == (None, 12, 12, 128)
    with pytest.raises(RuntimeError):
        run(TORCH)  # the valid conv gives 16 - 2 = 14: 32 * 14 * 14 features
    assert tuple(run(TORCH.replace("32 * 16 * 16", "32 * 14 * 14"))["out"].shape) == (2, 10)
