"""Keras convolution rules: table of samples (layer source, input shape, no batch axis) -> output shape with batch and
parameter count, or the error code. Every expected value was taken from a real Keras 3.15.1 run; the ``keras``
self-check at the bottom re-runs each row through real Keras."""
import pytest

from keras_rule_helpers import check_row, keras_row

CONV_OK = [
    ('layers.Conv2D(True, 3)', (5, 5, 3), (None, 3, 3, 1), 28),
    ('layers.Conv2D(4, [2, 2])', (5, 5, 3), (None, 4, 4, 4), 52),
    ('layers.Conv2D(4, 3, lora_rank=2)', (5, 5, 3), (None, 3, 3, 4), 174),
    ('layers.Conv2D(32, 3)', (28, 28, 1), (None, 26, 26, 32), 320),
    ("layers.Conv2D(32, 3, padding='same')", (28, 28, 1), (None, 28, 28, 32), 320),
    ('layers.Conv2D(8, (3, 5), strides=(2, 1))', (28, 28, 3), (None, 13, 24, 8), 368),
    ("layers.Conv2D(8, 3, strides=2, padding='same')", (7, 7, 3), (None, 4, 4, 8), 224),
    ('layers.Conv2D(8, 3, dilation_rate=2)', (10, 10, 3), (None, 6, 6, 8), 224),
    ("layers.Conv2D(8, 3, data_format='channels_first')", (3, 10, 12), (None, 8, 8, 10), 224),
    ('layers.Conv2D(8, 3, use_bias=False)', (10, 10, 3), (None, 8, 8, 8), 216),
    ('layers.Conv2D(8, 3, groups=2)', (10, 10, 4), (None, 8, 8, 8), 152),
    ("layers.Conv2D(8, 3, padding='SAME')", (10, 10, 4), (None, 10, 10, 8), 296),
    ("layers.Conv2D(8, 3, 1, 'valid', None, 1, 4)", (10, 10, 4), (None, 8, 8, 8), 80),
    ('layers.Conv1D(16, 5)', (100, 2), (None, 96, 16), 176),
    ("layers.Conv1D(16, 5, padding='causal', dilation_rate=4)", (100, 2), (None, 100, 16), 176),
    ("layers.Conv1D(16, 5, strides=3, padding='causal')", (100, 2), (None, 34, 16), 176),
    ('layers.Conv3D(4, 3)', (8, 9, 10, 2), (None, 6, 7, 8, 4), 220),
    ("layers.Conv3D(4, (1, 2, 3), strides=(1, 2, 3), padding='same', data_format='channels_first')", (2, 8, 9, 10), (None, 4, 8, 5, 4), 52),
    ('layers.Convolution2D(4, 3)', (8, 8, 1), (None, 6, 6, 4), 40),
    ('layers.Conv2DTranspose(8, 3)', (7, 7, 4), (None, 9, 9, 8), 296),
    ('layers.Conv2DTranspose(8, 3, strides=2)', (7, 7, 4), (None, 15, 15, 8), 296),
    ("layers.Conv2DTranspose(8, 3, strides=2, padding='same')", (7, 7, 4), (None, 14, 14, 8), 296),
    ("layers.Conv2DTranspose(8, 4, strides=2, padding='same', output_padding=1)", (7, 7, 4), (None, 13, 13, 8), 520),
    ('layers.Conv2DTranspose(8, 3, strides=2, output_padding=(0, 1))', (7, 7, 4), (None, 15, 16, 8), 296),
    ("layers.Conv1DTranspose(4, 2, strides=2, padding='same', output_padding=0)", (1, 3), (None, 0, 4), 28),
    ('layers.Conv1DTranspose(4, 3, dilation_rate=2)', (9, 4), (None, 13, 4), 52),
    ("layers.Conv3DTranspose(4, 2, 2, 'same', 'channels_first', 1)", (5, 3, 3, 3), (None, 4, 5, 5, 5), 164),
    ('layers.SeparableConv2D(16, 3)', (10, 10, 3), (None, 8, 8, 16), 91),
    ('layers.SeparableConv2D(16, 3, depth_multiplier=2, strides=2, dilation_rate=2)', (10, 10, 3), (None, 3, 3, 16), 166),
    ('layers.SeparableConv1D(4, 3, use_bias=False)', (10, 3), (None, 8, 4), 21),
    ('layers.DepthwiseConv2D(3)', (10, 10, 3), (None, 8, 8, 3), 30),
    ("layers.DepthwiseConv2D(3, depth_multiplier=4, padding='same')", (10, 10, 3), (None, 10, 10, 12), 120),
    ("layers.DepthwiseConv1D(3, data_format='channels_first')", (3, 10), (None, 3, 8), 12),
    ('layers.Conv2DTranspose(8, 3, output_padding=0)', (8, 8, 4), (None, 10, 10, 8), 296),
]

CONV_ERRORS = [
    ('layers.Conv2D(None, 3)', (5, 5, 3), 'SHP107', None),
    ('layers.Conv2D(8.0, 3)', (5, 5, 3), 'SHP107', None),
    ('layers.Conv2D(4, 3, groups=2.0)', (5, 5, 4), 'SHP107', None),
    ('layers.DepthwiseConv2D(3, depth_multiplier=1.5)', (5, 5, 3), 'SHP107', None),
    ('layers.SeparableConv2D(None, 2)', (5, 5, 3), 'SHP107', None),
    ('layers.Conv2D(4, (2.5, 2))', (5, 5, 3), 'SHP107', None),
    ('layers.Conv2D(4, "3")', (5, 5, 3), 'SHP107', None),
    ('layers.Conv2D(4, 3, foo=2)', (5, 5, 3), 'SHP107', None),
    ('layers.Conv2DTranspose(4, 3, lora_rank=2)', (5, 5, 3), 'SHP107', None),
    ('layers.DepthwiseConv2D(3, groups=2)', (5, 5, 3), 'SHP107', None),
    ('layers.Conv2D(4, 3, batch_input_shape=(5, 5, 3))', (5, 5, 3), 'SHP107', None),
    ("layers.Conv2D(8, 'same')", (10, 10, 4), 'SHP107', None),
    ('layers.Conv2D(32, 3)', (28, 28), 'SHP103', None),
    ('layers.Conv2D(32, 3)', (28, 28, 1, 1), 'SHP103', None),
    ('layers.Conv1D(32, 3)', (28,), 'SHP103', None),
    ('layers.Conv2DTranspose(8, 3)', (7, 7), 'SHP103', None),
    ('layers.DepthwiseConv2D(3)', (7, 7, 1, 1), 'SHP103', None),
    ('layers.Conv2D(32, 5)', (4, 4, 3), 'SHP104', None),
    ('layers.Conv2D(32, 3, dilation_rate=3)', (6, 6, 3), 'SHP104', None),
    ('layers.SeparableConv2D(4, 5)', (4, 9, 3), 'SHP104', None),
    ('layers.DepthwiseConv1D(5)', (4, 3), 'SHP104', None),
    ('layers.Conv2D(0, 3)', (8, 8, 3), 'SHP107', None),
    ('layers.Conv2D(-1, 3)', (8, 8, 3), 'SHP107', None),
    ('layers.Conv2D(8, 0)', (8, 8, 3), 'SHP107', None),
    ('layers.Conv2D(8, (3, 3, 3))', (8, 8, 3), 'SHP107', None),
    ('layers.Conv2D(8, 3, strides=0)', (8, 8, 3), 'SHP107', None),
    ('layers.Conv2D(8, 3, strides=-1)', (8, 8, 3), 'SHP107', None),
    ("layers.Conv2D(8, 3, padding='full')", (8, 8, 3), 'SHP107', None),
    ("layers.Conv2D(8, 3, padding='causal')", (8, 8, 3), 'SHP107', None),
    ('layers.Conv2D(8, 3, padding=(1, 1))', (8, 8, 3), 'SHP107', None),
    ("layers.Conv2D(8, 3, data_format='NHWC')", (8, 8, 3), 'SHP107', None),
    ('layers.Conv2D(8, 3, groups=3)', (8, 8, 3), 'SHP107', None),
    ('layers.Conv2D(9, 3, groups=3)', (8, 8, 4), 'SHP111', None),
    ('layers.Conv2D(8, 3, groups=0)', (8, 8, 4), 'SHP107', None),
    ('layers.Conv2D(8, 3, strides=2, dilation_rate=2)', (8, 8, 4), 'SHP107', None),
    ("layers.Conv2D(8, 3, activation='relux')", (8, 8, 4), 'SHP107', None),
    ('layers.Conv2DTranspose(8, 3, strides=2, output_padding=2)', (8, 8, 4), 'SHP107', None),
    ('layers.Conv2DTranspose(8, 3, strides=2, dilation_rate=2)', (8, 8, 4), 'SHP107', None),
    ("layers.Conv1DTranspose(8, 3, padding='causal')", (8, 4), 'SHP107', None),
    ("layers.SeparableConv1D(8, 3, padding='causal')", (8, 4), 'SHP107', None),
    ('layers.DepthwiseConv2D(3, depth_multiplier=0)', (8, 8, 4), 'SHP107', None),
    ('layers.SeparableConv2D(0, 3)', (8, 8, 4), 'SHP107', None),
    ("layers.Conv2D(8, 3, 1, 'valid', None, 1, 1, None, True, 'glorot_uniform', 'zeros', None, None, None, None, None, 5)", (8, 8, 4), 'SHP107', None),
    ('layers.Conv2D(8)', (8, 8, 4), 'SHP107', None),
]

ROWS = CONV_OK + CONV_ERRORS


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_rule(src, shape, expected, params):
    check_row(src, shape, expected, params)


@pytest.mark.differential
@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_row_matches_keras(src, shape, expected, params):
    pytest.importorskip("keras")
    keras_row(src, shape, expected, params)


# -- beyond the table: unknowns, diagnostics quality ---------------------------------------------------------
import textwrap  # noqa: E402

from shapelint.core.errors import Mismatch  # noqa: E402
from shapelint.core.program import Layer  # noqa: E402
from shapelint.core.registry import lookup  # noqa: E402
from shapelint.core.values import UNKNOWN, Tensor  # noqa: E402
from shapelint.frontends.source.check import check_source  # noqa: E402


def _layer(kind, *args, **kwargs):
    rule = lookup("keras", kind)
    bound, given, problems = rule.signature.bind(list(args), kwargs)
    assert not problems
    return rule, Layer("keras", kind, args=bound, given=set(given))


def _run(kind, x, *args, **kwargs):
    rule, layer = _layer(kind, *args, **kwargs)
    try:
        return rule.fn(layer, x), layer
    except Mismatch as m:
        return m, layer


def _check(src):
    return check_source("model.py", textwrap.dedent(src))


def test_construction_errors_need_no_input_shape():
    out, _ = _run("Conv2D", UNKNOWN, 0, 3)
    assert isinstance(out, Mismatch) and out.code == "invalid-argument" and out.arg == "filters"
    out, _ = _run("MaxPooling2D", UNKNOWN, (2, 2, 2))
    assert isinstance(out, Mismatch) and out.arg == "pool_size"
    out, _ = _run("Conv2D", UNKNOWN, 8, 3)
    assert out is UNKNOWN


def test_unknown_sizes_flow_through_without_errors():
    out, layer = _run("Conv2D", Tensor((None, None, None, 3)), 8, 5)
    assert out.shape == (None, None, None, 8) and layer.params == 5 * 5 * 3 * 8 + 8
    out, _ = _run("Conv2D", Tensor((None, "H", 4, "C")), 8, 5, padding="same")
    assert out.shape == (None, None, 4, 8)
    out, layer = _run("DepthwiseConv2D", Tensor((None, 9, 9, None)), 3, depth_multiplier=2)
    assert out.shape == (None, 7, 7, None) and layer.params is None
    out, _ = _run("Conv2D", Tensor((None, 8, 8, "C")), 8, 3, groups=4)  # channels unknown: cannot tell
    assert out.shape == (None, 6, 6, 8)
    out, _ = _run("Conv2DTranspose", Tensor((None, None, 7, 3)), 8, 3, strides=2)
    assert out.shape == (None, None, 15, 8)


def test_unresolved_argument_is_not_an_error_and_later_layers_still_checked():
    result = _check("""
        import sys
        from tensorflow import keras
        from tensorflow.keras import layers
        n = int(sys.argv[1])
        model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(n, 3), layers.Conv2D(0, 3)])
    """)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["SHP107"] and errors[0].layer == 1


def test_empty_output_points_at_kernel_size_and_offers_same_padding():
    result = _check("""
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([
            keras.Input(shape=(4, 4, 3)),
            layers.Conv2D(32, 5),
            layers.Flatten(),
            layers.Dense(10),
        ])
    """)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [d.code for d in errors] == ["SHP104"]  # recovery: one mistake, one diagnostic
    d = errors[0]
    assert d.primary.span.line == 6 and d.primary.span.column == 23  # the `5`
    assert "padding='same'" in d.help
    assert d.fix is not None and d.fix.applicability == "unsafe"
    assert "padding='same'" in "".join(e.text for e in d.fix.edits)
    assert result.models[0].program.output.shape == (None, 10)


def test_rank_error_says_how_to_add_the_channel_axis():
    result = _check("""
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Conv2D(32, 3)])
    """)
    (d,) = [d for d in result.diagnostics if d.severity == "error"]
    assert d.code == "SHP103"
    assert "4-D" in d.message and "(None, 28, 28)" in d.message
    # the root cause is the declaration without the channel axis (rootcause/causes/declared.py): declare it there,
    # rather than reshape in front of the conv (Keras adds the axis of size 1 to (N, 28, 28) data)
    assert "(28, 28, 1)" in d.help and d.primary.span.line == 4
    assert d.fix is not None and [e.text for e in d.fix.edits] == [", 1"]


def test_groups_that_do_not_divide_the_channels():
    out, _ = _run("Conv2D", Tensor((None, 8, 8, 6)), 8, 3, groups=4)
    assert isinstance(out, Mismatch) and out.code == "incompatible-input-shape" and out.arg == "groups"
    assert "groups=2" in out.facts["remedy"]


def test_recovery_keeps_the_shape_table_going():
    result = _check("""
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([
            keras.Input(shape=(28, 28)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 5, groups=3),
            layers.Conv2D(8, 3, activation="relux"),
            layers.Conv2D(8, 3, foo=1),
            layers.Flatten(),
        ])
    """)
    ops = result.models[0].program.ops
    assert [d.code for d in result.diagnostics if d.severity == "error"] == ["SHP103", "SHP107", "SHP107", "SHP107"]
    assert [op.output.shape for op in ops] == [(None, 26, 26, 32), (None, 13, 13, 32), (None, 9, 9, 64),
                                               (None, 7, 7, 8), (None, 5, 5, 8), (None, 200)]
