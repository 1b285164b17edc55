"""Keras core rules: Dense, EinsumDense, Embedding, Masking, Identity, Lambda, activation layers,
the Dropout/noise family and Flatten.

Table-driven: (layer source, input shape(s) without batch) -> output shape(s) with batch and parameter count, or the
error code. Every expected value was taken from a real Keras 3.15.1 run; ``test_row_matches_keras`` re-runs each row
through real Keras. Multi-input rows list one shape per input (``x0``, ``x1``, ...)."""
import pytest

from keras_rows import check_row, keras_row

CORE_OK = [
    ('layers.Dense(10)', (4,), (None, 10), 50),
    ('layers.Dense(10, use_bias=False)', (4,), (None, 10), 40),
    ('layers.Dense(3)', (5, 7), (None, 5, 3), 24),
    ("layers.Dense(3, activation='relu')", (2, 5, 7), (None, 2, 5, 3), 24),
    ('layers.Dense(True)', (4,), (None, 1), 5),
    ('layers.Dense(8, input_shape=(4,))', (4,), (None, 8), 40),
    ("layers.EinsumDense('ab,bc->ac', 5)", (4,), (None, 5), 20),
    ("layers.EinsumDense('ab,bc->ac', 5, bias_axes='c')", (4,), (None, 5), 25),
    ("layers.EinsumDense('abc,cd->abd', (8, 5))", (8, 4), (None, 8, 5), 20),
    ("layers.EinsumDense('abc,cd->abd', (None, 5), bias_axes='d')", (8, 4), (None, None, 5), 25),
    ("layers.EinsumDense('...b,bc->...c', 5)", (3, 8, 4), (None, 8, 3, 5), 20),
    ("layers.EinsumDense('ab...,bc->ac...', 6)", (4, 3, 2), (None, 6, 3, 2), 24),
    ("layers.EinsumDense('abc,cde->abde', (8, 2, 3))", (8, 4), (None, 8, 2, 3), 24),
    ("layers.EinsumDense('ab,bc->ac', 5)", (8, 4), (None, 5, 4), 40),
    ('layers.Embedding(100, 8)', (10,), (None, 10, 8), 800),
    ('layers.Embedding(100, 8, mask_zero=True)', (10, 3), (None, 10, 3, 8), 800),
    ('layers.Embedding(5, 2)', (), (None, 2), 10),
    ('layers.Embedding(10, 8, input_length=10)', (10,), (None, 10, 8), 80),
    ('layers.Masking()', (5, 3), (None, 5, 3), 0),
    ('layers.Masking(mask_value=-1.0)', (5, 3), (None, 5, 3), 0),
    ('layers.Identity()', (5, 3), (None, 5, 3), 0),
    ('layers.Lambda(lambda t: t, output_shape=(7,))', (5, 3), (None, 7), 0),
    ('layers.Lambda(lambda t: t, output_shape=(2, 7))', (5,), (None, 2, 7), 0),
    ("layers.Activation('relu')", (5, 3), (None, 5, 3), 0),
    ('layers.Activation(None)', (5,), (None, 5), 0),
    ('layers.ReLU(max_value=6.0)', (5,), (None, 5), 0),
    ('layers.LeakyReLU(0.1)', (5,), (None, 5), 0),
    ('layers.LeakyReLU(alpha=0.2)', (5,), (None, 5), 0),
    ('layers.ELU(alpha=-1.0)', (5,), (None, 5), 0),
    ('layers.Softmax(axis=5)', (5,), (None, 5), 0),
    ('layers.PReLU()', (5, 3), (None, 5, 3), 15),
    ('layers.PReLU(shared_axes=[1])', (5, 3), (None, 5, 3), 3),
    ('layers.PReLU(shared_axes=[1, 2])', (4, 5, 3), (None, 4, 5, 3), 3),
    ('layers.Dropout(0.5)', (5, 3), (None, 5, 3), 0),
    ('layers.Dropout(1.0)', (5, 3), (None, 5, 3), 0),
    ('layers.Dropout(0.5, noise_shape=(None, 1, 3))', (5, 3), (None, 5, 3), 0),
    ('layers.AlphaDropout(0.2)', (5,), (None, 5), 0),
    ('layers.GaussianDropout(0.2)', (5,), (None, 5), 0),
    ('layers.GaussianNoise(0.1)', (5,), (None, 5), 0),
    ('layers.SpatialDropout1D(0.2)', (5, 3), (None, 5, 3), 0),
    ('layers.SpatialDropout2D(0.2)', (4, 5, 3), (None, 4, 5, 3), 0),
    ('layers.SpatialDropout3D(0.2)', (2, 4, 5, 3), (None, 2, 4, 5, 3), 0),
    ('layers.ActivityRegularization(l1=0.01)', (5,), (None, 5), 0),
    ('layers.Flatten()', (4, 5, 3), (None, 60), 0),
    ('layers.Flatten()', (), (None, 1), 0),
    ("layers.Flatten(data_format='channels_first')", (4, 5, 3), (None, 60), 0),
]

CORE_ERRORS = [
    ('layers.Dense(0)', (4,), 'SHP107', None),
    ('layers.Dense(-3)', (4,), 'SHP107', None),
    ('layers.Dense(2.0)', (4,), 'SHP107', None),
    ("layers.Dense(3, activation='rellu')", (4,), 'SHP107', None),
    ('layers.Dense(3)', (), 'SHP103', None),
    ('layers.Dense(3, batch_input_shape=(None, 4))', (4,), 'SHP107', None),
    ('layers.Dense(3, foo=1)', (4,), 'SHP107', None),
    ("layers.EinsumDense('abc,cd->abd', (9, 5))", (8, 4), 'SHP111', None),
    ("layers.EinsumDense('ab,bc->ad', 5)", (4,), 'SHP107', None),
    ("layers.EinsumDense('ab,bc->ac', 5, bias_axes='d')", (4,), 'SHP107', None),
    ("layers.EinsumDense('abc,cde->abde', (None, 5, None))", (8, 4), 'SHP107', None),
    ("layers.EinsumDense('a,b->c', 5)", (4,), 'SHP107', None),
    ("layers.EinsumDense('abcd,de->abce', (2, 3, 4))", (4,), 'SHP111', None),
    ('layers.Embedding(0, 8)', (10,), 'SHP107', None),
    ('layers.Embedding(10, 0)', (10,), 'SHP107', None),
    ('layers.Embedding(True, 8)', (10,), 'SHP107', None),
    ("layers.Activation('sigmoidd')", (5,), 'SHP107', None),
    ('layers.ReLU(max_value=-1.0)', (5,), 'SHP107', None),
    ('layers.ReLU(negative_slope=-0.1)', (5,), 'SHP107', None),
    ('layers.ReLU(threshold=-1.0)', (5,), 'SHP107', None),
    ('layers.LeakyReLU(negative_slope=-0.2)', (5,), 'SHP107', None),
    ('layers.PReLU(shared_axes=[3])', (5, 3), 'SHP110', None),
    ('layers.Dropout(1.5)', (5, 3), 'SHP107', None),
    ('layers.Dropout(-0.1)', (5, 3), 'SHP107', None),
    ('layers.Dropout(0.5, noise_shape=(None, 0))', (5,), 'SHP107', None),
    ("layers.Dropout(0.5, noise_shape='x')", (5,), 'SHP107', None),
    ('layers.GaussianDropout(2.0)', (5,), 'SHP107', None),
    ('layers.GaussianNoise(2.0)', (5,), 'SHP107', None),
    ('layers.SpatialDropout1D(0.2)', (5,), 'SHP103', None),
    ('layers.SpatialDropout2D(0.2)', (5, 3), 'SHP103', None),
    ('layers.SpatialDropout1D(0.2, input_shape=(5, 3))', (5, 3), 'SHP107', None),
    ("layers.SpatialDropout2D(0.2, data_format='nchw')", (4, 5, 3), 'SHP107', None),
    ('layers.ActivityRegularization(l2=-1.0)', (5,), 'SHP107', None),
    ("layers.Flatten(data_format='nchw')", (4, 5, 3), 'SHP107', None),
]

ROWS = CORE_OK + CORE_ERRORS


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_rule(src, shape, expected, params):
    check_row(src, shape, expected, params)


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_row_matches_keras(src, shape, expected, params):
    pytest.importorskip("keras")
    keras_row(src, shape, expected, params)
