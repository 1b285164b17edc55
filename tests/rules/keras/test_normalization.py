"""Keras normalization rules: BatchNormalization, LayerNormalization, RMSNormalization, GroupNormalization,
UnitNormalization.

Table-driven: (layer source, input shape(s) without batch) -> output shape(s) with batch and parameter count, or the
error code. Every expected value was taken from a real Keras 3.15.1 run; ``test_row_matches_keras`` re-runs each row
through real Keras. Multi-input rows list one shape per input (``x0``, ``x1``, ...)."""
import pytest

from keras_rows import check_row, keras_row

NORM_OK = [
    ('layers.BatchNormalization()', (8, 4), (None, 8, 4), 16),
    ('layers.BatchNormalization(axis=1)', (8, 4), (None, 8, 4), 32),
    ('layers.BatchNormalization(axis=-3)', (5, 8, 4), (None, 5, 8, 4), 20),
    ('layers.BatchNormalization(center=False)', (4,), (None, 4), 12),
    ('layers.BatchNormalization(scale=False, renorm=True)', (4,), (None, 4), 24),
    ('layers.BatchNormalization(axis=1.0)', (8, 4), (None, 8, 4), 32),
    ('layers.LayerNormalization()', (8, 4), (None, 8, 4), 8),
    ('layers.LayerNormalization(axis=[1, 2])', (8, 4), (None, 8, 4), 64),
    ('layers.LayerNormalization(axis=(-1, 1))', (5, 8, 4), (None, 5, 8, 4), 40),
    ('layers.LayerNormalization(center=False)', (8, 4), (None, 8, 4), 4),
    ('layers.RMSNormalization()', (8, 4), (None, 8, 4), 4),
    ('layers.RMSNormalization(axis=[1, 2])', (8, 4), (None, 8, 4), 32),
    ('layers.GroupNormalization(2)', (8, 4), (None, 8, 4), 8),
    ('layers.GroupNormalization(-1)', (8, 4), (None, 8, 4), 8),
    ('layers.GroupNormalization(4, axis=1)', (8, 4), (None, 8, 4), 16),
    ('layers.GroupNormalization(groups=8)', (5, 5, 16), (None, 5, 5, 16), 32),
    ('layers.GroupNormalization()', (5, 5, 64), (None, 5, 5, 64), 128),
    ('layers.UnitNormalization()', (8, 4), (None, 8, 4), 0),
    ('layers.UnitNormalization(axis=0)', (8, 4), (None, 8, 4), 0),
    ('layers.UnitNormalization(axis=[1, 2])', (8, 4), (None, 8, 4), 0),
    ('layers.SpectralNormalization(layers.Dense(4))', (3,), (None, 4), 20),
    ('layers.SpectralNormalization(layers.Conv2D(4, 3))', (8, 8, 3), (None, 6, 6, 4), 116),
]

NORM_ERRORS = [
    ('layers.BatchNormalization(axis=0)', (8, 4), 'SHP107', None),
    ('layers.BatchNormalization(axis=3)', (8, 4), 'SHP110', None),
    ('layers.BatchNormalization(axis=-4)', (8, 4), 'SHP110', None),
    ('layers.BatchNormalization(synchronized=True)', (8, 4), 'SHP107', None),
    ('layers.LayerNormalization(axis=0)', (8, 4), 'SHP107', None),
    ('layers.LayerNormalization(axis=3)', (8, 4), 'SHP110', None),
    ("layers.LayerNormalization(axis='x')", (8, 4), 'SHP107', None),
    ('layers.RMSNormalization(axis=0)', (8, 4), 'SHP107', None),
    ('layers.GroupNormalization()', (8, 4), 'SHP102', None),
    ('layers.GroupNormalization(3)', (8, 4), 'SHP107', None),
    ('layers.GroupNormalization(0)', (8, 4), 'SHP107', None),
    ('layers.GroupNormalization(-2)', (8, 4), 'SHP107', None),
    ('layers.GroupNormalization(2.0)', (8, 4), 'SHP107', None),
    ('layers.GroupNormalization(2, axis=0)', (8, 4), 'SHP107', None),
    ('layers.GroupNormalization(2, axis=5)', (8, 4), 'SHP110', None),
    ('layers.UnitNormalization(axis=3)', (8, 4), 'SHP110', None),
    ('layers.UnitNormalization(axis=-4)', (8, 4), 'SHP110', None),
    ("layers.UnitNormalization(axis='x')", (8, 4), 'SHP107', None),
    ('layers.SpectralNormalization(layers.Dense(4), power_iterations=0)', (3,), 'SHP107', None),
    ('layers.SpectralNormalization(layers.Dropout(0.1))', (3,), 'SHP107', None),
]

ROWS = NORM_OK + NORM_ERRORS


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_rule(src, shape, expected, params):
    check_row(src, shape, expected, params)


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_row_matches_keras(src, shape, expected, params):
    pytest.importorskip("keras")
    keras_row(src, shape, expected, params)
