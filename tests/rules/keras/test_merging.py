"""Keras merging rules: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot (functional calls).

Table-driven: (layer source, input shape(s) without batch) -> output shape(s) with batch and parameter count, or the
error code. Every expected value was taken from a real Keras 3.15.1 run; ``test_row_matches_keras`` re-runs each row
through real Keras. Multi-input rows list one shape per input (``x0``, ``x1``, ...)."""
import pytest

from keras_rows import check_row, keras_row

MERGE_OK = [
    ('layers.Add()([x0, x1])', [(4,), (4,)], (None, 4), 0),
    ('layers.Add()([x0, x1, x2])', [(3, 4), (3, 4), (3, 4)], (None, 3, 4), 0),
    ('layers.add([x0, x1])', [(3, 1), (3, 4)], (None, 3, 4), 0),
    ('layers.Add()([x0, x1])', [(4,), (3, 4)], (None, 3, 4), 0),
    ('layers.Subtract()([x0, x1])', [(4,), (4,)], (None, 4), 0),
    ('layers.Multiply()([x0, x1])', [(1, 4), (5, 1)], (None, 5, 4), 0),
    ('layers.Average()([x0, x1])', [(2, 3), (2, 3)], (None, 2, 3), 0),
    ('layers.Maximum()([x0, x1])', [(2, 3), (2, 3)], (None, 2, 3), 0),
    ('layers.minimum([x0, x1])', [(2, 3), (2, 3)], (None, 2, 3), 0),
    ('layers.Add()([x0])', [(4,)], (None, 4), 0),
    ('layers.Concatenate()([x0, x1])', [(3,), (5,)], (None, 8), 0),
    ('layers.Concatenate(axis=1)([x0, x1])', [(3, 2), (4, 2)], (None, 7, 2), 0),
    ('layers.concatenate([x0, x1, x2], axis=-1)', [(5, 2), (5, 3), (5, 1)], (None, 5, 6), 0),
    ('layers.Concatenate(axis=0)([x0, x1])', [(3, 2), (3, 2)], (None, 3, 2), 0),
    ('layers.Concatenate(axis=5)([x0])', [(4,)], (None, 4), 0),
    ('layers.Concatenate()([x0])', [(4,)], (None, 4), 0),
    ('layers.Dot(axes=1)([x0, x1])', [(3,), (3,)], (None, 1), 0),
    ('layers.Dot(axes=-1)([x0, x1])', [(5, 3), (4, 3)], (None, 5, 4), 0),
    ('layers.Dot(axes=(1, 2))([x0, x1])', [(5, 3), (4, 5)], (None, 3, 4), 0),
    ('layers.Dot(axes=(-1, -2))([x0, x1])', [(5, 3), (3, 5)], (None, 5, 5), 0),
    ('layers.Dot(axes=1, normalize=True)([x0, x1])', [(3,), (3,)], (None, 1), 0),
    ('layers.Dot(axes=0)([x0, x1])', [(3,), (4,)], (3, 1), 0),
]

MERGE_ERRORS = [
    ('layers.Add()([x0, x1])', [(3, 2), (3, 4)], 'SHP106', None),
    ('layers.Multiply()([x0, x1])', [(4,), (5,)], 'SHP106', None),
    ('layers.Subtract()([x0, x1, x2])', [(4,), (4,), (4,)], 'SHP106', None),
    ('layers.Subtract()([x0])', [(4,)], 'SHP106', None),
    ('layers.Concatenate(axis=1)([x0, x1])', [(3, 2), (4, 3)], 'SHP106', None),
    ('layers.Concatenate()([x0, x1])', [(3, 2), (2,)], 'SHP106', None),
    ('layers.Concatenate(axis=5)([x0, x1])', [(3, 2), (3, 2)], 'SHP110', None),
    ('layers.Concatenate(axis=-5)([x0, x1])', [(3, 2), (3, 2)], 'SHP110', None),
    ('layers.Concatenate(axis=0)([x0, x1])', [(3, 2), (3, 5)], 'SHP106', None),
    ('layers.Concatenate(axis=2)([x0, x1])', [(3, 2), (3,)], 'SHP110', None),
    ('layers.Dot(axes=1)([x0, x1])', [(3,), (4,)], 'SHP106', None),
    ('layers.Dot(axes=3)([x0, x1])', [(3,), (4,)], 'SHP110', None),
    ('layers.Dot(axes=2)([x0, x1])', [(3, 4), (4,)], 'SHP110', None),
    ('layers.Dot(axes=(-1, -2))([x0, x1])', [(6,), (6,)], 'SHP107', None),
    ('layers.Dot(axes=1)([x0])', [(4,)], 'SHP106', None),
    ('layers.Dot(axes=(1, 2, 3))([x0, x1])', [(3,), (3,)], 'SHP107', None),
    ("layers.Dot(axes='x')([x0, x1])", [(3,), (3,)], 'SHP107', None),
    ('layers.Dot(axes=(1.0, 1))([x0, x1])', [(3,), (3,)], 'SHP107', None),
]

ROWS = MERGE_OK + MERGE_ERRORS


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_rule(src, shape, expected, params):
    check_row(src, shape, expected, params)


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_row_matches_keras(src, shape, expected, params):
    pytest.importorskip("keras")
    keras_row(src, shape, expected, params)


OPERATOR_ROWS = [  # Python operators on Keras symbolic tensors (keras.ops.add & co.): shapes without batch
    ("x0 + x1", (200, 32), (32,)),
    ("x0 + x1", (4,), (4,)),
    ("x0 * x1", (1, 4), (5, 1)),
    ("x0 - x1", (3, 4), (4,)),
    ("x0 / x1", (3, 2), (3, 4)),
    ("x0 + x1", (4,), (5,)),
    ("x0 * x1", (2, 3), (3, 3)),
    ("x0 + 1.0", (3, 4), None),
    ("0.5 * x0", (3, 4), None),
]


@pytest.mark.parametrize("expr, s0, s1", OPERATOR_ROWS, ids=[f"{r[0]}@{r[1]},{r[2]}" for r in OPERATOR_ROWS])
def test_operator_matches_keras(expr, s0, s1):
    """Output shape, or error/no error, of `a + b` etc. in a functional model against real Keras."""
    keras = pytest.importorskip("keras")
    from shapelint.frontends.source.check import check_source
    try:
        x0, x1 = keras.Input(shape=s0), keras.Input(shape=s1 or (1,))
        want = tuple(eval(expr, {"x0": x0, "x1": x1}).shape)
    except Exception:
        want = "error"
    inputs = "[x0, x1]" if s1 else "x0"
    r = check_source("op.py", f"""import keras
x0 = keras.Input(shape={s0!r})
x1 = keras.Input(shape={(s1 or (1,))!r})
y = {expr}
model = keras.Model({inputs}, y)
""")
    errs = [d for d in r.diagnostics if d.severity == "error"]
    if want == "error":
        assert [d.code for d in errs] == ["SHP106"]
    else:
        assert not errs
        m = [m for m in r.models if m.name == "model"][0]
        out = m.program.ops[-1].output if m.program.ops else m.program.inputs[0]  # a scalar adds no op
        assert tuple(out.shape) == want
