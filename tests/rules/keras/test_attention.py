"""Keras attention rules: Attention, AdditiveAttention, MultiHeadAttention, GroupQueryAttention (functional
calls).

Table-driven: (layer source, input shape(s) without batch) -> output shape(s) with batch and parameter count, or the
error code. Every expected value was taken from a real Keras 3.15.1 run; ``test_row_matches_keras`` re-runs each row
through real Keras. Multi-input rows list one shape per input (``x0``, ``x1``, ...)."""
import pytest

from keras_rows import check_row, keras_row

ATT_OK = [
    ('layers.Attention()([x0, x1])', [(5, 8), (7, 8)], (None, 5, 8), 0),
    ('layers.Attention()([x0, x1])', [(5, 8), (7, 3)], (None, 5, 3), 0),
    ("layers.Attention(use_scale=True, score_mode='concat')([x0, x1, x2])", [(5, 8), (7, 3), (7, 8)], (None, 5, 3), 2),
    ('layers.Attention()([x0, x1], return_attention_scores=True)', [(5, 8), (7, 3)], ((None, 5, 3), (None, 5, 7)), 0),
    ('layers.Attention()([x0, x1])', [(8,), (8,)], (None, 8), 0),
    ('layers.AdditiveAttention()([x0, x1])', [(5, 8), (7, 8)], (None, 5, 8), 8),
    ('layers.AdditiveAttention(use_scale=False)([x0, x1])', [(5, 8), (7, 8)], (None, 5, 8), 0),
    ('layers.MultiHeadAttention(2, 4)(x0, x1)', [(5, 8), (7, 3)], (None, 5, 8), 208),
    ('layers.MultiHeadAttention(num_heads=2, key_dim=4)(x0, x0)', [(5, 8)], (None, 5, 8), 288),
    ('layers.MultiHeadAttention(2, 4, value_dim=3, use_bias=False)(x0, x1)', [(5, 8), (7, 6)], (None, 5, 8), 196),
    ('layers.MultiHeadAttention(2, 4, output_shape=(3, 2))(x0, x1)', [(5, 8), (7, 3)], (None, 5, 3, 2), 190),
    ('layers.MultiHeadAttention(2, 4, output_shape=5)(x0, x1, x2)', [(5, 8), (7, 3), (7, 6)], (None, 5, 5), 205),
    ('layers.MultiHeadAttention(2, 4)(x0, x1, return_attention_scores=True)', [(5, 8), (7, 3)], ((None, 5, 8), (None, 2, 5, 5)), 208),
    ('layers.MultiHeadAttention(2, 4, attention_axes=(1,))(x0, x1)', [(5, 6, 8), (7, 6, 3)], (None, 5, 6, 8), 208),
    ('layers.MultiHeadAttention(2, 4)(x0, x1)', [(8,), (3,)], (None, 8), 208),
    ('layers.GroupQueryAttention(4, 4, 2)(x0, x1)', [(5, 8), (7, 8)], (None, 5, 8), 424),
    ('layers.GroupQueryAttention(4, 4, 2)(x0, x1, x2)', [(5, 8), (7, 8), (7, 6)], (None, 5, 8), 408),
    ('layers.GroupQueryAttention(4, 4, 2)(x0, x1, return_attention_scores=True)', [(5, 8), (7, 8)], ((None, 5, 8), (None, 4, 5, 7)), 424),
    ('layers.GroupQueryAttention(4, 4, 2)(x0, x1)', [(3, 5, 8), (3, 7, 8)], (None, 3, 5, 8), 360),
]

ATT_ERRORS = [
    ('layers.Attention()([x0])', [(5, 8)], 'SHP111', None),
    ('layers.Attention()([x0, x1, x2, x3])', [(5, 8), (5, 8), (5, 8), (5, 8)], 'SHP111', None),
    ("layers.Attention(score_mode='general')([x0, x1])", [(5, 8), (7, 8)], 'SHP107', None),
    ('layers.MultiHeadAttention(2, 4)(x0, x1, x2)', [(5, 8), (7, 3), (6, 3)], 'SHP106', None),
    ('layers.MultiHeadAttention(2, 4, attention_axes=5)(x0, x1)', [(5, 8), (7, 3)], 'SHP110', None),
    ('layers.MultiHeadAttention(0, 4)(x0, x1)', [(5, 8), (7, 3)], 'SHP107', None),
    ('layers.MultiHeadAttention(2, 0)(x0, x1)', [(5, 8), (7, 3)], 'SHP107', None),
    ('layers.MultiHeadAttention(2.0, 4)(x0, x1)', [(5, 8), (7, 3)], 'SHP107', None),
    ('layers.MultiHeadAttention(2, 4, value_dim=0)(x0, x1)', [(5, 8), (7, 3)], 'SHP107', None),
    ('layers.MultiHeadAttention(2, 4, sliding_window=0)(x0, x1)', [(5, 8), (7, 3)], 'SHP107', None),
    ('layers.MultiHeadAttention(2, 4)(x0)', [(5, 8)], 'SHP111', None),
    ('layers.GroupQueryAttention(4, 4, 3)(x0, x1)', [(5, 8), (7, 8)], 'SHP107', None),
    ('layers.GroupQueryAttention(4, 4, 2)(x0, x1)', [(5, 8), (7, 6)], 'SHP106', None),
    ('layers.GroupQueryAttention(4, 4, 2)(x0, x1, x2)', [(5, 8), (7, 8), (6, 8)], 'SHP106', None),
    ('layers.GroupQueryAttention(4, 4, 2)(x0, x1)', [(8,), (8,)], 'SHP111', None),
    ('layers.GroupQueryAttention(4, 4, 2, sliding_window=0)(x0, x1)', [(5, 8), (7, 8)], 'SHP107', None),
]

ROWS = ATT_OK + ATT_ERRORS


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_rule(src, shape, expected, params):
    check_row(src, shape, expected, params)


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_row_matches_keras(src, shape, expected, params):
    pytest.importorskip("keras")
    keras_row(src, shape, expected, params)
