"""Keras reshaping rules: table-driven samples (layer source, input shape, no batch axis) -> output shape with batch and
parameter count, or the error code. Every expected value was taken from a real Keras 3.15.1 run; the ``keras``
self-check at the bottom re-runs each row through real Keras."""
import pytest

from keras_rule_helpers import check_row, keras_row

RESHAPE_OK = [
    ("layers.UpSampling1D(2, name='up')", (5, 3), (None, 10, 3), 0),
    ('layers.Reshape((28, 28, 1))', (784,), (None, 28, 28, 1), 0),
    ('layers.Reshape((-1, 4))', (9, 4), (None, 9, 4), 0),
    ('layers.Reshape((3, -1))', (9, 4), (None, 3, 12), 0),
    ('layers.Reshape([36])', (9, 4), (None, 36), 0),
    ('layers.Reshape((None, 2))', (5, 3, 2), (None, None, 2), 0),
    ('layers.Reshape(())', (1, 1, 1), (None,), 0),
    ('layers.Reshape((0, 5))', (0, 3), (None, 0, 5), 0),
    ('layers.Reshape((5, -1))', (0, 3), (None, 5, 0), 0),
    ('layers.Permute((2, 1))', (9, 4), (None, 4, 9), 0),
    ('layers.Permute((3, 1, 2))', (5, 3, 2), (None, 2, 5, 3), 0),
    ('layers.RepeatVector(3)', (32,), (None, 3, 32), 0),
    ('layers.UpSampling1D()', (5, 3), (None, 10, 3), 0),
    ('layers.UpSampling1D(3)', (5, 3), (None, 15, 3), 0),
    ('layers.UpSampling2D()', (5, 3, 2), (None, 10, 6, 2), 0),
    ("layers.UpSampling2D((2, 3), data_format='channels_first')", (5, 3, 2), (None, 5, 6, 6), 0),
    ("layers.UpSampling2D(2, interpolation='bilinear')", (5, 3, 2), (None, 10, 6, 2), 0),
    ("layers.UpSampling2D(2, interpolation='anything')", (5, 3, 2), (None, 10, 6, 2), 0),
    ('layers.UpSampling3D()', (2, 3, 4, 5), (None, 4, 6, 8, 5), 0),
    ("layers.UpSampling3D((1, 2, 3), data_format='channels_first')", (2, 3, 4, 5), (None, 2, 3, 8, 15), 0),
    ('layers.ZeroPadding1D()', (5, 3), (None, 7, 3), 0),
    ('layers.ZeroPadding1D((2, 0))', (5, 3), (None, 7, 3), 0),
    ("layers.ZeroPadding1D(2, data_format='channels_first')", (5, 3), (None, 5, 7), 0),
    ('layers.ZeroPadding2D()', (5, 3, 2), (None, 7, 5, 2), 0),
    ('layers.ZeroPadding2D((1, 2))', (5, 3, 2), (None, 7, 7, 2), 0),
    ("layers.ZeroPadding2D(((1, 2), (3, 4)), data_format='channels_first')", (5, 3, 2), (None, 5, 6, 9), 0),
    ('layers.ZeroPadding2D(-1)', (5, 3, 2), (None, 3, 1, 2), 0),
    ('layers.ZeroPadding3D()', (2, 3, 4, 5), (None, 4, 5, 6, 5), 0),
    ('layers.ZeroPadding3D((1, 2, 3))', (2, 3, 4, 5), (None, 4, 7, 10, 5), 0),
    ('layers.ZeroPadding3D(-1)', (2, 3, 4, 5), (None, 0, 1, 2, 5), 0),
    ('layers.Cropping1D()', (5, 3), (None, 3, 3), 0),
    ('layers.Cropping1D((4, 0))', (5, 3), (None, 1, 3), 0),
    ('layers.Cropping2D()', (5, 3, 2), (None, 5, 3, 2), 0),
    ('layers.Cropping2D(1)', (5, 3, 2), (None, 3, 1, 2), 0),
    ('layers.Cropping2D(((1, 2), (0, 1)))', (5, 3, 2), (None, 2, 2, 2), 0),
    ("layers.Cropping2D((1, 1), data_format='channels_first')", (5, 3, 4), (None, 5, 1, 2), 0),
    ('layers.Cropping3D()', (3, 4, 5, 2), (None, 1, 2, 3, 2), 0),
    ('layers.Cropping3D(((0, 1), (1, 1), (2, 2)))', (3, 4, 5, 2), (None, 2, 2, 1, 2), 0),
]

RESHAPE_ERRORS = [
    ('layers.Reshape((75,), foo=1)', (5, 5, 3), 'SHP107', None),
    ('layers.Reshape((28, 28))', (28, 28, 3), 'SHP105', None),
    ('layers.Reshape((5, -1))', (9, 4), 'SHP105', None),
    ('layers.Reshape((0, -1))', (9, 4), 'SHP105', None),
    ('layers.Reshape(())', (5, 3, 2), 'SHP105', None),
    ('layers.Reshape((-1, -1))', (9, 4), 'SHP107', None),
    ('layers.Reshape((36, 1, -2))', (9, 4), 'SHP107', None),
    ('layers.Reshape(36)', (9, 4), 'SHP107', None),
    ('layers.Permute([2, 1])', (5, 3, 2), 'SHP103', None),
    ('layers.Permute((1, 2, 3))', (9, 4), 'SHP103', None),
    ('layers.Permute((0, 1))', (9, 4), 'SHP107', None),
    ('layers.Permute((2, 2))', (9, 4), 'SHP107', None),
    ('layers.Permute(2)', (9, 4), 'SHP107', None),
    ('layers.RepeatVector(3)', (9, 4), 'SHP103', None),
    ('layers.RepeatVector(0)', (9,), 'SHP107', None),
    ('layers.RepeatVector(True)', (9,), 'SHP107', None),
    ('layers.RepeatVector(2.0)', (9,), 'SHP107', None),
    ('layers.UpSampling1D(0)', (5, 3), 'SHP107', None),
    ('layers.UpSampling1D(True)', (5, 3), 'SHP107', None),
    ('layers.UpSampling1D((2,))', (5, 3), 'SHP107', None),
    ('layers.UpSampling1D()', (5,), 'SHP103', None),
    ('layers.UpSampling2D(0)', (5, 3, 2), 'SHP107', None),
    ('layers.UpSampling2D((1, 2, 3))', (5, 3, 2), 'SHP107', None),
    ('layers.UpSampling2D()', (5, 3), 'SHP103', None),
    ('layers.ZeroPadding1D(-1)', (5, 3), 'SHP107', None),
    ('layers.ZeroPadding1D((1, 2, 3))', (5, 3), 'SHP107', None),
    ('layers.ZeroPadding2D(-2)', (3, 3, 2), 'SHP104', None),
    ('layers.ZeroPadding2D((1, -1))', (5, 3, 2), 'SHP107', None),
    ('layers.ZeroPadding2D((1, 2, 3))', (5, 3, 2), 'SHP107', None),
    ('layers.ZeroPadding2D()', (5, 3), 'SHP103', None),
    ('layers.Cropping1D((4, 1))', (5, 3), 'SHP104', None),
    ('layers.Cropping1D(-1)', (5, 3), 'SHP107', None),
    ('layers.Cropping1D()', (5, 3, 2), 'SHP103', None),
    ('layers.Cropping2D((1, 2))', (5, 4, 2), 'SHP104', None),
    ('layers.Cropping2D(-1)', (5, 3, 2), 'SHP107', None),
    ('layers.Cropping2D(((1, 0),))', (5, 3, 2), 'SHP107', None),
    ('layers.Cropping2D(1.5)', (5, 3, 2), 'SHP107', None),
    ('layers.Cropping3D()', (2, 4, 5, 2), 'SHP104', None),
]

ROWS = RESHAPE_OK + RESHAPE_ERRORS


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_rule(src, shape, expected, params):
    check_row(src, shape, expected, params)


@pytest.mark.differential
@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_row_matches_keras(src, shape, expected, params):
    pytest.importorskip("keras")
    keras_row(src, shape, expected, params)


# -- unknown sizes --------------------------------------------------------------------------------------------
from shapelint.core.errors import Mismatch  # noqa: E402
from shapelint.core.program import UNRESOLVED, Layer  # noqa: E402
from shapelint.core.registry import lookup  # noqa: E402
from shapelint.core.values import Tensor  # noqa: E402


def _run(kind, x, *args, **kwargs):
    rule = lookup("keras", kind)
    bound, given, problems = rule.signature.bind(list(args), kwargs)
    assert not problems
    layer = Layer("keras", kind, args=bound, given=set(given))
    try:
        return rule.fn(layer, x)
    except Mismatch as m:
        return m


def test_reshape_with_unknown_input_sizes_checks_nothing():
    # Keras itself checks nothing when an input size is unknown: the -1 becomes None
    assert _run("Reshape", Tensor((None, None, 4)), (5, -1)).shape == (None, 5, None)
    assert _run("Reshape", Tensor((None, "T", 4)), (3, 7)).shape == (None, 3, 7)


def test_reshape_with_an_unresolved_size():
    assert _run("Reshape", Tensor((None, 9, 4)), (UNRESOLVED, 4)).shape == (None, None, 4)


def test_crop_pad_upsample_pass_unknown_sizes_through():
    assert _run("Cropping2D", Tensor((None, None, 3, 2)), 1).shape == (None, None, 1, 2)
    assert _run("ZeroPadding1D", Tensor((None, None, 2)), 3).shape == (None, None, 2)
    assert _run("UpSampling2D", Tensor((None, None, 3, 2)), 2).shape == (None, None, 6, 2)
    assert _run("Permute", Tensor((None, "A", 3)), (2, 1)).shape == (None, 3, "A")
