"""shapelint.check(keras_model): the table shapelint infers from the model's config must equal the output shapes
Keras itself gives each layer (differential: real keras is the oracle)."""
import pytest

keras = pytest.importorskip("keras")
from keras import layers  # noqa: E402

import shapelint  # noqa: E402


def keras_shapes(model):
    """[(class name, output shape)] per layer application, from Keras' own symbolic outputs."""
    out = []
    for layer in model.layers:
        if isinstance(layer, layers.InputLayer):
            continue
        shape = layer.output.shape
        if isinstance(layer.output, (list, tuple)):
            shape = [tuple(t.shape) for t in layer.output]
        out.append((type(layer).__name__, tuple(shape) if not isinstance(shape, list) else shape))
    return out


def shapelint_shapes(result):
    (m,) = result.models
    out = []
    for op in m.program.ops:
        v = op.output
        shape = [t.shape for t in v.items] if hasattr(v, "items") else v.shape
        out.append((op.layer.kind, shape))
    return out


def cnn():
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(16, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", strides=2),
        layers.BatchNormalization(),
        layers.Flatten(),
        layers.Dropout(0.5),
        layers.Dense(10, activation="softmax"),
    ], name="cnn")


def text_model():
    tokens = keras.Input((40,), name="tokens")
    extra = keras.Input((3,), name="extra")
    x = layers.Embedding(1000, 16)(tokens)
    x = layers.LSTM(8, return_sequences=True)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.concatenate([x, extra])
    out = layers.Dense(1, name="score")(x)
    return keras.Model([tokens, extra], out, name="text")


def wrappers():
    return keras.Sequential([
        keras.Input((10, 4)),
        layers.Bidirectional(layers.LSTM(6, return_sequences=True)),
        layers.TimeDistributed(layers.Dense(3)),
        layers.Conv1D(5, 3),
        layers.GlobalMaxPooling1D(),
    ], name="wrappers")


@pytest.mark.parametrize("make", [cnn, text_model, wrappers])
def test_live_table_matches_keras(make):
    model = make()
    result = shapelint.check(model)
    assert not result.errors
    assert shapelint_shapes(result) == keras_shapes(model)


def test_live_output_matches_keras_for_nested_model():
    enc = keras.Sequential([layers.Dense(16), layers.Dense(4)], name="enc")
    inp = keras.Input((12,))
    out = layers.Dense(2)(enc(inp))
    model = keras.Model(inp, out)
    result = shapelint.check(model)
    got = shapelint_shapes(result)
    assert [k for k, _ in got] == ["Dense", "Dense", "Dense"]
    assert got[-1][1] == tuple(model.output.shape)
    assert result.models[0].program.ops[0].layer.origin.path == "enc/dense" or \
        result.models[0].program.ops[0].layer.origin.path.startswith("enc/")


def test_live_shared_layer():
    a, b = keras.Input((8,)), keras.Input((8,))
    shared = layers.Dense(4)
    model = keras.Model([a, b], layers.add([shared(a), shared(b)]))
    got = shapelint_shapes(shapelint.check(model))
    assert got == [("Dense", (None, 4)), ("Dense", (None, 4)), ("Add", (None, 4))]


def test_live_multi_output_and_return_state():
    inp = keras.Input((5, 3))
    seq, h, c = layers.LSTM(4, return_sequences=True, return_state=True)(inp)
    model = keras.Model(inp, [layers.Dense(2)(seq), layers.Dense(1)(h)])
    result = shapelint.check(model)
    out = result.models[0].program.output
    assert [t.shape for t in out.items] == [tuple(t.shape) for t in model.outputs]


def test_unbuilt_sequential_needs_input_shape():
    model = keras.Sequential([layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(3)])
    result = shapelint.check(model)
    assert [d.code for d in result.diagnostics] == ["SHP003"]
    assert not result.errors
    for given in [(28, 28, 1), (None, 28, 28, 1), (4, 28, 28, 1)]:
        result = shapelint.check(model, input_shape=given)
        assert not result.errors, given
        assert result.models[0].program.output.shape[1:] == (3,)


def test_built_sequential_uses_its_input():
    model = keras.Sequential([layers.Dense(4), layers.Dense(2)])
    model.build((None, 20))
    result = shapelint.check(model)
    assert shapelint_shapes(result) == [("Dense", (None, 4)), ("Dense", (None, 2))]


def test_lazily_called_sequential():
    import numpy as np
    model = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(2)])
    model(np.zeros((1, 10, 10, 1), "float32"))
    result = shapelint.check(model)
    assert result.models[0].program.output.shape[1:] == (2,)


def test_subclassed_model_is_info_not_crash():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(3)

        def call(self, x):
            return self.d(x)

    result = shapelint.check(Net())
    assert not result.errors
    assert [d.code for d in result.diagnostics] == ["SHP006"]
    assert "subclassed" in result.diagnostics[0].message


def test_live_report_renders():
    result = shapelint.check(cnn())
    text = str(result)
    assert "cnn" in text and "(None, 10)" in text
    js = result.to_dict()
    assert js["files"][0]["models"][0]["layers"][-1]["output"] == [None, 10]


def test_live_silent_dense_on_unflattened_warning():
    model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3), layers.Dense(10)])
    result = shapelint.check(model)
    assert [(d.code, d.severity, d.layer) for d in result.diagnostics] == [("SHP201", "warning", 1)]


def test_single_layer():
    layer = layers.Conv2D(8, 3)
    result = shapelint.check(layer, input_shape=(None, 28, 28, 3))
    assert shapelint_shapes(result) == [("Conv2D", (None, 26, 26, 8))]
    built = layers.Dense(4)
    built.build((None, 7))
    assert shapelint_shapes(shapelint.check(built)) == [("Dense", (None, 4))]


def test_multi_input_shapes_given():
    a, b = keras.Input((None,)), keras.Input((None, 3))
    x = layers.Embedding(50, 3)(a)
    model = keras.Model([a, b], layers.concatenate([x, b], axis=1))
    result = shapelint.check(model, input_shape=[(2, 5), (2, 4, 3)])
    assert result.models[0].program.output.shape == (2, 9, 3)


def test_nested_functional_model():
    i = keras.Input((6,))
    inner = keras.Model(i, layers.Dense(3)(i), name="inner")
    j = keras.Input((6,))
    model = keras.Model(j, layers.Dense(1)(inner(j)))
    got = shapelint_shapes(shapelint.check(model))
    assert got == [("Dense", (None, 3)), ("Dense", (None, 1))]


def test_keras_ops_in_functional_model_are_unknown_not_layers():
    from keras import ops
    a, b = keras.Input((4,)), keras.Input((4,))
    model = keras.Model([a, b], layers.Dense(2)(ops.add(a, b) * 2.0))
    result = shapelint.check(model)
    assert not result.errors
    kinds = [op.layer.kind for op in result.models[0].program.ops]
    assert kinds == ["ops.Add", "ops.Multiply", "Dense"]


def test_reading_the_config_never_imports_tensorflow(tmp_path):
    """Keras asks ``tf.available`` while serialising a config, which imports TensorFlow on any backend (seconds and
    hundreds of MB). A stand-in ``tensorflow`` package on the path records whether anything imported it."""
    import os
    import subprocess
    import sys
    fake = tmp_path / "tensorflow"
    fake.mkdir()
    (fake / "__init__.py").write_text("import sys\nsys.stderr.write('TENSORFLOW IMPORTED\\n')\n")
    code = ("import os, sys\n"
            f"sys.path.append({str(tmp_path)!r})\n"
            "import keras\nfrom keras import layers\nimport shapelint\n"
            "m = keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(3)])\n"
            "r = shapelint.check(m)\n"
            "assert tuple(r.models[0].program.output.shape) == (None, 3), r\n"
            "assert 'tensorflow' not in sys.modules\n"
            "from keras.src.utils.module_utils import tensorflow as tf\n"
            "assert tf.available  # told 'not there' only while shapelint read the config\n")
    env = dict(os.environ, KERAS_BACKEND="torch")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("TENSORFLOW IMPORTED") == 1  # by the last line only
