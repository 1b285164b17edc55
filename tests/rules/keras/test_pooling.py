"""Keras pooling rules: table-driven samples (layer source, input shape, no batch axis) -> output shape with batch and
parameter count, or the error code. Every expected value was taken from a real Keras 3.15.1 run; the ``keras``
self-check at the bottom re-runs each row through real Keras."""
import pytest

from keras_rule_helpers import check_row, keras_row

POOL_OK = [
    ("layers.GlobalMaxPooling2D(trainable=False, dtype='float32')", (5, 5, 3), (None, 3), 0),
    ('layers.MaxPooling2D()', (28, 28, 8), (None, 14, 14, 8), 0),
    ('layers.MaxPooling2D(3)', (28, 28, 8), (None, 9, 9, 8), 0),
    ('layers.MaxPooling2D((2, 3), strides=1)', (5, 7, 8), (None, 4, 5, 8), 0),
    ("layers.MaxPooling2D(2, padding='same')", (5, 7, 8), (None, 3, 4, 8), 0),
    ("layers.MaxPooling2D(3, strides=2, padding='same', data_format='channels_first')", (8, 5, 7), (None, 8, 3, 4), 0),
    ('layers.MaxPool2D()', (4, 4, 1), (None, 2, 2, 1), 0),
    ('layers.MaxPooling1D()', (9, 3), (None, 4, 3), 0),
    ('layers.MaxPooling1D(4, 1)', (9, 3), (None, 6, 3), 0),
    ('layers.MaxPooling3D()', (4, 5, 6, 2), (None, 2, 2, 3, 2), 0),
    ('layers.AveragePooling2D(2)', (5, 5, 3), (None, 2, 2, 3), 0),
    ("layers.AvgPool1D(3, padding='same')", (10, 3), (None, 4, 3), 0),
    ("layers.AveragePooling3D((1, 2, 3), data_format='channels_first')", (2, 4, 6, 9), (None, 2, 4, 3, 3), 0),
    ('layers.MaxPooling2D(2, strides=None)', (5, 5, 3), (None, 2, 2, 3), 0),
    ("layers.MaxPooling2D(10, padding='same')", (5, 5, 3), (None, 1, 1, 3), 0),
    ('layers.GlobalAveragePooling2D()', (7, 7, 32), (None, 32), 0),
    ('layers.GlobalMaxPooling2D(keepdims=True)', (7, 7, 32), (None, 1, 1, 32), 0),
    ("layers.GlobalMaxPool2D(data_format='channels_first', keepdims=True)", (32, 7, 7), (None, 32, 1, 1), 0),
    ('layers.GlobalAvgPool1D()', (10, 4), (None, 4), 0),
    ("layers.GlobalAveragePooling1D(data_format='channels_first')", (10, 4), (None, 10), 0),
    ('layers.GlobalMaxPooling3D()', (2, 3, 4, 5), (None, 5), 0),
    ('layers.GlobalAveragePooling3D(keepdims=1)', (2, 3, 4, 5), (None, 1, 1, 1, 5), 0),
]

POOL_ERRORS = [
    ("layers.MaxPooling2D(2, pool_mode='avg')", (5, 5, 3), 'SHP107', None),
    ('layers.MaxPooling2D()', (28, 28), 'SHP103', None),
    ('layers.MaxPooling2D()', (4, 28, 28, 1), 'SHP103', None),
    ('layers.MaxPooling1D()', (28,), 'SHP103', None),
    ('layers.GlobalAveragePooling2D()', (7, 32), 'SHP103', None),
    ('layers.GlobalAveragePooling1D()', (7, 7, 32), 'SHP103', None),
    ('layers.MaxPooling2D(5)', (4, 8, 3), 'SHP104', None),
    ('layers.AveragePooling1D(3, strides=2)', (2, 3), 'SHP104', None),
    ('layers.MaxPooling2D(0)', (4, 4, 3), 'SHP107', None),
    ('layers.MaxPooling2D(2, strides=0)', (4, 4, 3), 'SHP107', None),
    ("layers.MaxPooling2D(2, strides=(1, 0), padding='same')", (4, 4, 3), 'SHP107', None),
    ('layers.MaxPooling2D(2, strides=-1)', (4, 4, 3), 'SHP107', None),
    ("layers.MaxPooling2D(2, padding='SAME')", (4, 4, 3), 'SHP107', None),
    ("layers.MaxPooling2D(2, padding='causal')", (4, 4, 3), 'SHP107', None),
    ('layers.MaxPooling2D((2, 2, 2))', (4, 4, 3), 'SHP107', None),
    ("layers.MaxPooling2D(2, data_format='channels')", (4, 4, 3), 'SHP107', None),
    ('layers.AveragePooling2D()', (4, 4, 3), 'SHP107', None),
    ("layers.GlobalMaxPooling2D(data_format='nhwc')", (4, 4, 3), 'SHP107', None),
]

ROWS = POOL_OK + POOL_ERRORS


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_rule(src, shape, expected, params):
    check_row(src, shape, expected, params)


@pytest.mark.differential
@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_row_matches_keras(src, shape, expected, params):
    pytest.importorskip("keras")
    keras_row(src, shape, expected, params)


# -- unknown sizes and argument values ------------------------------------------------------------------------
from shapelint.core.errors import Mismatch  # noqa: E402
from shapelint.core.program import UNRESOLVED, Layer  # noqa: E402
from shapelint.core.registry import lookup  # noqa: E402
from shapelint.core.values import UNKNOWN, Tensor  # noqa: E402


def _run(kind, x, *args, **kwargs):
    rule = lookup("keras", kind)
    bound, given, problems = rule.signature.bind(list(args), kwargs)
    assert not problems
    layer = Layer("keras", kind, args=bound, given=set(given))
    try:
        return rule.fn(layer, x)
    except Mismatch as m:
        return m


def test_unknown_sizes_are_never_too_small():
    assert _run("MaxPooling2D", Tensor((None, None, 8, 8)), 5).shape == (None, None, 1, 8)
    assert _run("AveragePooling1D", Tensor((None, "T", 8)), 4).shape == (None, None, 8)
    assert _run("GlobalAveragePooling2D", Tensor((None, None, None, "C"))).shape == (None, "C")


def test_argument_errors_without_an_input_shape():
    assert _run("MaxPooling2D", UNKNOWN, 0).code == "invalid-argument"
    assert _run("GlobalMaxPooling1D", UNKNOWN, data_format="NCW").arg == "data_format"
    assert _run("MaxPooling2D", UNKNOWN, 2) is UNKNOWN


def test_unresolved_pool_size_gives_unknown_not_error():
    from shapelint.core.errors import Unresolved
    try:
        out = _run("MaxPooling2D", Tensor((None, 8, 8, 3)), UNRESOLVED)
    except Unresolved:
        out = UNKNOWN
    assert out is UNKNOWN


def test_pooling_empty_output_recovers_with_same_padding():
    m = _run("MaxPooling2D", Tensor((None, 4, 8, 3)), 5)
    assert m.code == "non-positive-output-size" and m.arg == "pool_size"
    assert m.recover.shape == (None, 1, 2, 3)
