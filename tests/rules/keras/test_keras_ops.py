"""keras.ops (and the tf.* ops tf.keras code writes in call()) on symbolic Keras tensors, table-driven: the inputs
``x0``, ``x1``... are ``keras.Input`` of the given shapes (batch None) and ``y = <expr>``; each row is also evaluated
with real Keras 3.15 on KerasTensors (``test_rows_match_keras``). The tf.* rows are checked against the keras.ops
row they map to."""
from __future__ import annotations

import ast
import os
import warnings

import pytest

from shapelint.frontends.source.evaluator import Evaluator

os.environ.setdefault("KERAS_BACKEND", "torch")

ROWS = [
    ("ops.reshape(x0, (-1, 4, 8))", [(8, 4)], (None, 4, 8)),
    ("ops.reshape(x0, (-1, 5, 8))", [(8, 4)], (None, 5, 8)),  # symbolic: the batch could make it fit
    ("ops.reshape(x0, (4, 5, 8))", [(8, 4)], (4, 5, 8)),
    ("ops.reshape(x0, (ops.shape(x0)[0], -1))", [(8, 4)], (None, None)),
    ("x0[:, 0]", [(8, 4)], (None, 4)),
    ("x0[:, 1:3]", [(8, 4)], (None, 2, 4)),
    ("x0[..., -1]", [(8, 4)], (None, 8)),
    ("x0[:, None]", [(8, 4)], (None, 1, 8, 4)),
    ("x0[:, :, ::2]", [(8, 4)], (None, 8, 2)),
    ("ops.transpose(x0, (0, 2, 1))", [(8, 4)], (None, 4, 8)),
    ("ops.transpose(x0, (0, 1))", [(8, 4)], "error"),
    ("ops.transpose(x0)", [(8, 4)], (4, 8, None)),
    ("ops.expand_dims(x0, -1)", [(8, 4)], (None, 8, 4, 1)),
    ("ops.expand_dims(x0, 4)", [(8, 4)], "error"),
    ("ops.squeeze(x0, axis=-1)", [(8, 1)], (None, 8)),
    ("ops.squeeze(x0, axis=1)", [(8, 1)], "error"),
    ("ops.concatenate([x0, x1], axis=-1)", [(8, 4), (8, 3)], (None, 8, 7)),
    ("ops.concatenate([x0, x1], axis=1)", [(8, 4), (8, 3)], "error"),
    ("ops.stack([x0, x1], axis=1)", [(8, 4), (8, 4)], (None, 2, 8, 4)),
    ("ops.stack([x0, x1])", [(8, 4), (8, 3)], "error"),
    ("ops.matmul(x0, x1)", [(8, 4), (4, 5)], (None, 8, 5)),
    ("ops.matmul(x0, ops.transpose(x0, (0, 2, 1)))", [(8, 4)], (None, 8, 8)),
    ("ops.matmul(x0, x0)", [(8, 4)], "error"),
    ("ops.matmul(x0, ops.ones((4, 6)))", [(8, 4)], (None, 8, 6)),
    ("ops.matmul(x0, ops.ones((5, 6)))", [(8, 4)], "error"),
    ("ops.einsum('bij,bkj->bik', x0, x1)", [(8, 4), (6, 4)], (None, 8, 6)),
    ("ops.mean(x0, axis=1)", [(8, 4)], (None, 4)),
    ("ops.sum(x0, axis=(1, 2), keepdims=True)", [(8, 4)], (None, 1, 1)),
    ("ops.max(x0, axis=3)", [(8, 4)], "error"),
    ("ops.argmax(x0, axis=-1)", [(8, 4)], (None, 8)),
    ("ops.softmax(x0, axis=1)", [(8, 4)], (None, 8, 4)),
    ("ops.add(x0, x1)", [(8, 4), (1, 4)], (None, 8, 4)),
    ("ops.multiply(x0, x1)", [(8, 4), (8, 3)], "error"),
    ("ops.where(x0 > 0, x0, 0.0)", [(8, 4)], (None, 8, 4)),
    ("ops.relu(x0)", [(8, 4)], (None, 8, 4)),
    ("ops.split(x0, 2, axis=-1)[1]", [(8, 4)], (None, 8, 2)),
    ("ops.split(x0, 3, axis=-1)", [(8, 4)], "error"),
    ("ops.tile(x0, (1, 2, 1))", [(8, 4)], (None, 16, 4)),
    ("ops.repeat(x0, 3, axis=2)", [(8, 4)], (None, 8, 12)),
    ("ops.pad(x0, ((0, 0), (1, 1), (0, 2)))", [(8, 4)], (None, 10, 6)),
    ("ops.take(x0, ops.arange(3), axis=1)", [(8, 4)], (None, 3, 4)),
    ("ops.one_hot(ops.cast(x0, 'int32'), 5)", [(8,)], (None, 8, 5)),
    ("ops.top_k(x0, 2)[0]", [(8, 4)], (None, 8, 2)),
    ("ops.image.extract_patches(x0, 4)", [(32, 32, 3)], (None, 8, 8, 48)),
    ("ops.image.extract_patches(x0, (4, 4), strides=2)", [(32, 32, 3)], (None, 15, 15, 48)),
    ("ops.image.resize(x0, (16, 12))", [(32, 32, 3)], (None, 16, 12, 3)),
    ("ops.normalize(x0, axis=-1)", [(8, 4)], (None, 8, 4)),
    ("ops.broadcast_to(x0, (2, 8, 4))", [(1, 4)], (2, 8, 4)),
    ("ops.broadcast_to(x0, (2, 8, 4))", [(3, 4)], "error"),
    ("ops.moments(x0, axes=[1])[1]", [(8, 4)], (None, 4)),
    ("ops.triu(x0)", [(8, 8)], (None, 8, 8)),
]

# tf.* spellings and the keras.ops call they stand for (checked against real Keras through that call)
TF_ROWS = [
    ("tf.reshape(x0, [-1, 32])", "ops.reshape(x0, (-1, 32))", [(8, 4)]),
    ("tf.transpose(x0, perm=[0, 2, 1])", "ops.transpose(x0, (0, 2, 1))", [(8, 4)]),
    ("tf.concat([x0, x1], axis=-1)", "ops.concatenate([x0, x1], axis=-1)", [(8, 4), (8, 3)]),
    ("tf.matmul(x0, x1, transpose_b=True)", "ops.matmul(x0, ops.transpose(x1, (0, 2, 1)))", [(8, 4), (6, 4)]),
    ("tf.matmul(x0, x1)", "ops.matmul(x0, x1)", [(8, 4), (6, 4)]),
    ("tf.reduce_mean(x0, axis=1)", "ops.mean(x0, axis=1)", [(8, 4)]),
    ("tf.reduce_sum(x0, axis=-1, keepdims=True)", "ops.sum(x0, axis=-1, keepdims=True)", [(8, 4)]),
    ("tf.argmax(x0)", "ops.argmax(x0, axis=0)", [(8, 4)]),
    ("tf.nn.softmax(x0)", "ops.softmax(x0)", [(8, 4)]),
    ("tf.split(x0, [1, 3], axis=-1)[1]", "ops.split(x0, [1], axis=-1)[1]", [(8, 4)]),
    ("tf.split(x0, [1, 2], axis=-1)", "ops.split(x0, 3, axis=-1)", [(8, 4)]),
    ("tf.tile(x0, [1, 2, 1])", "ops.tile(x0, (1, 2, 1))", [(8, 4)]),
    ("tf.expand_dims(x0, axis=1)", "ops.expand_dims(x0, 1)", [(8, 4)]),
    ("tf.gather(x0, [0, 2], axis=1)", "ops.take(x0, ops.convert_to_tensor([0, 2]), axis=1)", [(8, 4)]),
    ("tf.image.extract_patches(x0, sizes=[1, 4, 4, 1], strides=[1, 4, 4, 1], rates=[1, 1, 1, 1], padding='VALID')",
     "ops.image.extract_patches(x0, 4)", [(32, 32, 3)]),
]


def _source(expr: str, shapes) -> str:
    ins = "".join(f"x{i} = keras.Input(shape={tuple(s)!r})\n" for i, s in enumerate(shapes))
    return "import keras\nfrom keras import ops\nimport tensorflow as tf\n" + ins + f"y = {expr}\n"


def shapelint_row(expr: str, shapes):
    src = _source(expr, shapes)
    ev = Evaluator("ops.py", src, ast.parse(src))
    ev.run()
    g = ev.state.keras_graph
    if g is not None and any(d.severity == "error" for d in g.diagnostics):
        return "error"
    y = ev.module.vars.get("y")
    return tuple(y.shape) if getattr(y, "shape", None) is not None else "?"


def keras_row(expr: str, shapes):
    import keras
    from keras import ops
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ns = {"keras": keras, "ops": ops}
        for i, s in enumerate(shapes):
            ns[f"x{i}"] = keras.Input(shape=tuple(s))
        try:
            y = eval(expr, ns)  # noqa: S307 -- our own test expressions
        except Exception:  # noqa: BLE001 -- any exception is "Keras rejects it"
            return "error"
    return tuple(y.shape)


@pytest.mark.parametrize("expr, shapes, expected", ROWS, ids=[r[0] for r in ROWS])
def test_op(expr, shapes, expected):
    assert shapelint_row(expr, shapes) == expected


@pytest.mark.parametrize("expr, shapes, expected", ROWS, ids=[r[0] for r in ROWS])
def test_rows_match_keras(expr, shapes, expected):
    pytest.importorskip("keras")
    assert keras_row(expr, shapes) == expected


@pytest.mark.parametrize("tf_expr, ops_expr, shapes", TF_ROWS, ids=[r[0] for r in TF_ROWS])
def test_tf_spelling_is_its_keras_op(tf_expr, ops_expr, shapes):
    pytest.importorskip("keras")
    assert shapelint_row(tf_expr, shapes) == keras_row(ops_expr, shapes)


@pytest.mark.parametrize("target, expected", [((8, 8), (8, 8)), ((5, 7), "error"), ((-1, 16), (4, 16)),
                                              ((-1, 5), "error")])
def test_reshape_with_every_size_known(target, expected):
    """keras.Input(batch_shape=...) fixes the batch: the element counts are compared (and Keras does the same)."""
    src = f"import keras\nfrom keras import ops\nx = keras.Input(batch_shape=(2, 8, 4))\ny = ops.reshape(x, {target!r})\n"
    ev = Evaluator("ops.py", src, ast.parse(src))
    ev.run()
    g = ev.state.keras_graph
    got = "error" if any(d.severity == "error" for d in g.diagnostics) else tuple(ev.module.vars["y"].shape)
    assert got == expected
    import keras
    from keras import ops
    try:
        real = tuple(ops.reshape(keras.Input(batch_shape=(2, 8, 4)), target).shape)
    except Exception:  # noqa: BLE001
        real = "error"
    assert real == expected
