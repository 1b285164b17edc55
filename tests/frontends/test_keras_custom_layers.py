"""Custom Keras layers and subclassed models: ``build(input_shape)`` creating weights with ``add_weight``, ``call()``
using them with keras.ops, ``compute_output_shape``, and subclassed models taking several inputs. Each script is
checked by shapelint (the model's output shape, or the error code) and run with real Keras 3.15
(``test_scripts_match_keras``: the model's ``output_shape``, or an exception)."""
from __future__ import annotations

import os
import textwrap
import warnings

import pytest

from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

HEAD = "import numpy as np\nimport keras\nfrom keras import layers, ops\n"

LINEAR = """
class Linear(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[{axis}], self.units), initializer="random_normal")
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b
"""

SCRIPTS = {
    "build_from_last_axis": (LINEAR.format(axis=-1) + """
inp = keras.Input(shape=(10, 16))
model = keras.Model(inp, layers.Dense(1)(ops.mean(Linear(32)(inp), axis=1)))
""", (None, 1)),
    "build_from_wrong_axis": (LINEAR.format(axis=1) + """
inp = keras.Input(shape=(10, 16))
model = keras.Model(inp, Linear(32)(inp))
""", "SHP112"),
    "add_weight_with_keywords": ("""
class Scale(layers.Layer):
    def build(self, input_shape):
        self.gamma = self.add_weight(name="gamma", shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.gamma
inp = keras.Input(shape=(6, 4))
model = keras.Model(inp, Scale()(inp))
""", (None, 6, 4)),
    "keras2_add_weight_name_first": ("""
class Scale(layers.Layer):
    def build(self, input_shape):
        self.gamma = self.add_weight("gamma", (input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.gamma
inp = keras.Input(shape=(6, 4))
model = keras.Model(inp, Scale()(inp))
""", "SHP107"),
    "vae_sampling_uses_the_batch_size": ("""
class Sampling(layers.Layer):
    def call(self, inputs):
        z_mean, z_log_var = inputs
        batch = ops.shape(z_mean)[0]
        dim = ops.shape(z_mean)[1]
        epsilon = keras.random.normal(shape=(batch, dim))
        return z_mean + ops.exp(0.5 * z_log_var) * epsilon
inp = keras.Input(shape=(16,))
z_mean = layers.Dense(2)(inp)
z_log_var = layers.Dense(2)(inp)
model = keras.Model(inp, Sampling()([z_mean, z_log_var]))
""", (None, 2)),
    "compute_output_shape": ("""
class Pairs(layers.Layer):
    def call(self, x):
        return ops.reshape(x, (-1, ops.shape(x)[1] // 2, 2 * x.shape[-1]))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[1] // 2, 2 * input_shape[2])
inp = keras.Input(shape=(8, 3))
model = keras.Model(inp, Pairs()(inp))
""", (None, 4, 6)),
    "two_input_build": ("""
class Bilinear(layers.Layer):
    def build(self, query_shape, value_shape):
        self.w = self.add_weight(shape=(query_shape[-1], value_shape[-1]))

    def call(self, query, value):
        return ops.matmul(ops.matmul(query, self.w), ops.transpose(value, (0, 2, 1)))
q = keras.Input(shape=(5, 8))
v = keras.Input(shape=(7, 3))
model = keras.Model([q, v], Bilinear()(q, v))
""", (None, 5, 7)),
    "subclassed_model_unpacks_inputs": ("""
class TwoTower(keras.Model):
    def __init__(self):
        super().__init__()
        self.num = layers.Dense(16, activation="relu")
        self.emb = layers.Embedding(100, 8)
        self.flat = layers.Flatten()
        self.out = layers.Dense(1)

    def call(self, inputs):
        numeric, cats = inputs
        x = ops.concatenate([self.num(numeric), self.flat(self.emb(cats))], axis=-1)
        return self.out(x)
model = TwoTower()
y = model([np.zeros((4, 5), "float32"), np.zeros((4, 3), "int32")])
""", (4, 1)),
    "transformer_block_layer": ("""
class Block(layers.Layer):
    def __init__(self, dim, heads):
        super().__init__()
        self.att = layers.MultiHeadAttention(heads, dim // heads)
        self.ffn = keras.Sequential([layers.Dense(dim * 2, activation="gelu"), layers.Dense(dim)])
        self.n1 = layers.LayerNormalization()
        self.n2 = layers.LayerNormalization()

    def call(self, x):
        x = self.n1(x + self.att(x, x))
        return self.n2(x + self.ffn(x))
inp = keras.Input(shape=(12, 32))
h = Block(32, 4)(inp)
model = keras.Model(inp, layers.Dense(3)(layers.GlobalAveragePooling1D()(h)))
""", (None, 3)),
    "patch_embedding_vit": ("""
class Patches(layers.Layer):
    def __init__(self, size):
        super().__init__()
        self.size = size

    def call(self, images):
        patches = ops.image.extract_patches(images, self.size)
        n = (images.shape[1] // self.size) * (images.shape[2] // self.size)
        return ops.reshape(patches, (-1, n, patches.shape[-1]))
inp = keras.Input(shape=(32, 32, 3))
p = Patches(8)(inp)
model = keras.Model(inp, layers.Dense(64)(p))
""", (None, 16, 64)),
    "wrong_num_patches": ("""
class Patches(layers.Layer):
    def __init__(self, size):
        super().__init__()
        self.size = size

    def call(self, images):
        patches = ops.image.extract_patches(images, self.size)
        return ops.reshape(patches, (ops.shape(images)[0], 32, 8 * 8 * 3))
inp = keras.Input(shape=(32, 32, 3))
model = keras.Model(inp, Patches(8)(inp))
""", "SHP105"),
    # the torch backend runs call() on a real batch when the graph is built, so the -1 is known (16); TensorFlow
    # leaves it None until fit
    "patches_batch_from_shape": ("""
class Patches(layers.Layer):
    def call(self, images):
        patches = ops.image.extract_patches(images, 8)
        return ops.reshape(patches, (ops.shape(patches)[0], -1, 8 * 8 * 3))
inp = keras.Input(shape=(32, 32, 3))
model = keras.Model(inp, Patches()(inp))
""", (None, 16, 192)),
    # keras.ops math on a Python number is a 0-d tensor: the scaled scores keep their shape
    "scores_scaled_by_ops_sqrt": ("""
class Attention(layers.Layer):
    def __init__(self, key_dim):
        super().__init__()
        self.key_dim = key_dim
    def call(self, x):
        scores = ops.matmul(x, ops.transpose(x, (0, 2, 1))) / ops.sqrt(float(self.key_dim))
        scores = scores * ops.cast(1.0 / self.key_dim, "float32")
        return ops.matmul(ops.softmax(scores, axis=-1), x)
inp = keras.Input(shape=(12, 32))
model = keras.Model(inp, Attention(32)(inp))
""", (None, 12, 32)),
    # keras.activations.get("relu") held in a list of layers and applied like them (Hands-On ML's ResidualUnit)
    "activation_by_name_in_a_layer_list": ("""
class ResidualUnit(layers.Layer):
    def __init__(self, filters, activation="relu"):
        super().__init__()
        self.activation = keras.activations.get(activation)
        self.main_layers = [layers.Conv2D(filters, 3, padding="same"), layers.BatchNormalization(),
                            self.activation, layers.Conv2D(filters, 3, padding="same")]
    def call(self, inputs):
        z = inputs
        for layer in self.main_layers:
            z = layer(z)
        return self.activation(z + inputs)
inp = keras.Input(shape=(16, 16, 8))
model = keras.Model(inp, layers.GlobalAveragePooling2D()(ResidualUnit(8)(inp)))
""", (None, 8)),
}


def _outcome(src: str):
    result = check_source("c.py", textwrap.dedent(HEAD + src))
    errors = [d.code for d in result.diagnostics if d.severity == "error"]
    if errors:
        return errors[0]
    model = next(m for m in result.models if m.name == "model")
    runs = model.program
    return tuple(runs.output.shape) if runs.output is not None and runs.output.shape is not None else "?"


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_script(name):
    src, expected = SCRIPTS[name]
    got = _outcome(src)
    if name == "subclassed_model_unpacks_inputs":  # run on data of batch 4: the layer table shows that batch
        assert got == expected
    else:
        assert got == expected, got


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_scripts_match_keras(name):
    pytest.importorskip("keras")
    src, expected = SCRIPTS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ns = {}
        try:
            exec(HEAD + src, ns)  # noqa: S102 -- our own test scripts
            model = ns["model"]
            real = tuple(ns["y"].shape) if "y" in ns else tuple(model.output.shape)
        except Exception:  # noqa: BLE001
            real = "error"
    assert real == ("error" if isinstance(expected, str) else expected)


def test_keras2_default_that_keras3_requires_is_named():
    """AveragePooling1D() worked in Keras 2 (pool_size=2); Keras 3 requires pool_size. The message names the argument
    and says so (it used to read "argument `` is invalid")."""
    result = check_source("c.py", HEAD + "model = keras.Sequential([keras.Input((20, 4)), layers.AveragePooling1D()])\n")
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["SHP107"]
    assert "`pool_size`" in errors[0].message and "Keras 2" in errors[0].message and "``" not in errors[0].message
    if __import__("importlib").util.find_spec("keras"):
        from keras import layers
        with pytest.raises(TypeError):
            layers.AveragePooling1D()


def test_an_operand_not_followed_keeps_the_layers_before_it():
    """``x / scale`` where ``scale`` cannot be followed: the division joins the graph with an unknown operand, so
    the model's table keeps the layers before it and ends unknown there (it used to lose every layer)."""
    result = check_source("c.py", HEAD + """
from mylib import scale_factor
inp = keras.Input(shape=(12, 32))
x = layers.Dense(4)(inp)
model = keras.Model(inp, x / scale_factor())
""")
    (model,) = result.models
    assert [op.layer.kind for op in model.program.ops] == ["Dense", "ops.divide"]
    assert model.program.ops[0].output.shape == (None, 12, 4) and not result.diagnostics
