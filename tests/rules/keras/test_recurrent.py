"""Keras recurrent rules: SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed, ConvLSTM1D/2D/3D.

Table-driven: (layer source, input shape(s) without batch) -> output shape(s) with batch and parameter count, or the
error code. Every expected value was taken from a real Keras 3.15.1 run; ``test_row_matches_keras`` re-runs each row
through real Keras. Multi-input rows list one shape per input (``x0``, ``x1``, ...)."""
import pytest

from keras_rows import check_row, keras_row

RNN_OK = [
    ('layers.LSTM(64)', (30, 8), (None, 64), 18688),
    ('layers.LSTM(64, return_sequences=True)', (30, 8), (None, 30, 64), 18688),
    ('layers.LSTM(4, return_state=True)', (10, 3), ((None, 4), (None, 4), (None, 4)), 128),
    ('layers.LSTM(4, return_sequences=True, return_state=True)', (10, 3), ((None, 10, 4), (None, 4), (None, 4)), 128),
    ('layers.LSTM(4, use_bias=False)', (10, 3), (None, 4), 112),
    ('layers.LSTM(4)', (None, 3), (None, 4), 128),
    ('layers.GRU(5)', (7, 3), (None, 5), 150),
    ('layers.GRU(5, reset_after=False)', (7, 3), (None, 5), 135),
    ('layers.GRU(5, return_state=True)', (7, 3), ((None, 5), (None, 5)), 150),
    ('layers.GRU(True)', (7, 3), (None, 1), 18),
    ('layers.SimpleRNN(6, return_sequences=True)', (7, 3), (None, 7, 6), 60),
    ('layers.SimpleRNN(6, return_state=True)', (7, 3), ((None, 6), (None, 6)), 60),
    ('layers.SimpleRNN(True)', (7, 3), (None, 1), 5),
    ('layers.LSTM(8, go_backwards=True, unroll=True, dropout=3.0)', (7, 3), (None, 8), 384),
    ('layers.Bidirectional(layers.LSTM(4))', (7, 3), (None, 8), 256),
    ("layers.Bidirectional(layers.LSTM(4, return_sequences=True), merge_mode='sum')", (7, 3), (None, 7, 4), 256),
    ("layers.Bidirectional(layers.GRU(4), merge_mode='ave')", (7, 3), (None, 4), 216),
    ("layers.Bidirectional(layers.SimpleRNN(4), merge_mode='mul')", (7, 3), (None, 4), 64),
    ('layers.Bidirectional(layers.LSTM(3), merge_mode=None)', (7, 3), ((None, 3), (None, 3)), 168),
    ('layers.Bidirectional(layers.LSTM(3, return_state=True))', (7, 3), ((None, 6), (None, 3), (None, 3), (None, 3), (None, 3)), 168),
    ('layers.Bidirectional(layers.LSTM(3, return_state=True), merge_mode=None)', (7, 3), ((None, 3), (None, 3), (None, 3), (None, 3), (None, 3), (None, 3)), 168),
    ('layers.Bidirectional(layers.GRU(3), backward_layer=layers.GRU(5, go_backwards=True))', (7, 3), (None, 6), 222),
    ('layers.TimeDistributed(layers.Dense(4))', (7, 3), (None, 7, 4), 16),
    ('layers.TimeDistributed(layers.Dense(4))', (7, 5, 3), (None, 7, 5, 4), 16),
    ('layers.TimeDistributed(layers.Flatten())', (7, 5, 3), (None, 7, 15), 0),
    ('layers.TimeDistributed(layers.Dropout(0.5))', (7, 3), (None, 7, 3), 0),
    ('layers.TimeDistributed(layers.SpatialDropout1D(0.2))', (7, 3), (None, 7, 3), 0),   # params differ: ours None
    ('layers.TimeDistributed(layers.LSTM(4))', (7, 5, 3), (None, 7, 4), 128),
    ('layers.TimeDistributed(layers.Embedding(10, 4))', (7, 3), (None, 7, 3, 4), 40),
    ('layers.TimeDistributed(layers.BatchNormalization())', (7, 3), (None, 7, 3), 12),
    ('layers.ConvLSTM2D(8, 3)', (5, 16, 16, 3), (None, 14, 14, 8), 3200),
    ("layers.ConvLSTM2D(8, 3, padding='same', return_sequences=True)", (5, 16, 16, 3), (None, 5, 16, 16, 8), 3200),
    ('layers.ConvLSTM2D(8, 3, return_state=True)', (5, 16, 16, 3), ((None, 14, 14, 8), (None, 14, 14, 8), (None, 14, 14, 8)), 3200),
    ("layers.ConvLSTM2D(8, (3, 1), strides=2, data_format='channels_first')", (5, 3, 16, 16), (None, 8, 7, 8), 1088),
    ('layers.ConvLSTM1D(4, 2, dilation_rate=2)', (5, 10, 3), (None, 8, 4), 240),
    ('layers.ConvLSTM3D(2, 2)', (4, 5, 5, 5, 1), (None, 4, 4, 4, 2), 200),
    ('layers.ConvLSTM1D(0, 1, return_sequences=True)', (7, 7, 5), (None, 7, 7, 0), 0),
]

RNN_ERRORS = [
    ('layers.LSTM(8)', (30,), 'SHP103', None),
    ('layers.LSTM(8)', (4, 5, 3), 'SHP103', None),
    ('layers.GRU(8)', (), 'SHP103', None),
    ('layers.LSTM(0)', (7, 3), 'SHP107', None),
    ('layers.LSTM(-1)', (7, 3), 'SHP107', None),
    ('layers.LSTM(2.5)', (7, 3), 'SHP107', None),
    ('layers.LSTM(True)', (7, 3), 'SHP107', None),
    ("layers.LSTM(4, activation='rleu')", (7, 3), 'SHP107', None),
    ("layers.LSTM(4, use_cudnn='yes')", (7, 3), 'SHP107', None),
    ("layers.SimpleRNN(4, recurrent_activation='sigmoid')", (7, 3), 'SHP107', None),
    ('layers.LSTM(4, stateful=True)', (7, 3), 'SHP111', None),
    ("layers.Bidirectional(layers.LSTM(4), merge_mode='max')", (7, 3), 'SHP107', None),
    ('layers.Bidirectional(layers.LSTM(4))', (7,), 'SHP103', None),
    ('layers.Bidirectional(layers.Dense(4))', (7, 3), 'SHP107', None),
    ('layers.Bidirectional(layers.LSTM(4, go_backwards=True))', (7, 3), 'SHP107', None),
    ('layers.Bidirectional(layers.LSTM(3), backward_layer=layers.LSTM(3))', (7, 3), 'SHP107', None),
    ('layers.Bidirectional(layers.LSTM(3), backward_layer=layers.LSTM(3, go_backwards=True, return_sequences=True))', (7, 3), 'SHP107', None),
    ('layers.TimeDistributed(layers.LSTM(4))', (7, 3), 'SHP103', None),
    ('layers.TimeDistributed(layers.Dense(4))', (3,), 'SHP103', None),
    ('layers.TimeDistributed(layers.Dense(0))', (7, 3), 'SHP107', None),
    ('layers.ConvLSTM2D(8, 3)', (5, 16, 3), 'SHP103', None),
    ('layers.ConvLSTM2D(8, 5)', (5, 4, 4, 3), 'SHP104', None),
    ("layers.ConvLSTM2D(8, 3, padding='causal')", (5, 16, 16, 3), 'SHP107', None),
    ('layers.ConvLSTM2D(8, 3, strides=2, dilation_rate=2)', (5, 16, 16, 3), 'SHP107', None),
    ('layers.ConvLSTM2D(8, (3, 3, 3))', (5, 16, 16, 3), 'SHP107', None),
    ('layers.ConvLSTM2D(8, 0)', (5, 16, 16, 3), 'SHP107', None),
]

ROWS = RNN_OK + RNN_ERRORS


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_rule(src, shape, expected, params):
    check_row(src, shape, expected, params)


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_row_matches_keras(src, shape, expected, params):
    pytest.importorskip("keras")
    keras_row(src, shape, expected, params)


# -- the stacked-RNN mistake ------------------------------------------------------------------------------------
STACKED = """import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential()
model.add(keras.Input(shape=(30, 8)))
model.add(layers.{first})
model.add(layers.LSTM(32))
model.add(layers.Dense(1))
"""


def _diagnostics(first):
    from shapelint.frontends.source.check import check_source
    result = check_source("stacked.py", STACKED.format(first=first))
    return [d for d in result.diagnostics if d.severity == "error"], result


@pytest.mark.parametrize("first", ["LSTM(64)", "GRU(64)", "SimpleRNN(64, activation='relu')"])
def test_stacked_rnn_without_return_sequences(first):
    errors, result = _diagnostics(first)
    # the root is the first layer (it left off return_sequences=True); the second is where it surfaces
    assert [(d.code, d.line, d.layer) for d in errors] == [("SHP103", 7, 1)]
    d = errors[0]
    assert any(label.span.line == 8 for label in d.secondary)
    assert "return_sequences=True" in d.help and "previous recurrent layer" in d.help
    assert d.fix is not None and d.fix.applicability == "unsafe"
    (edit,) = d.fix.edits
    assert edit.span.line == 7 and edit.text == ", return_sequences=True"
    # one mistake, one diagnostic: the LSTM continues as if the fix were applied and Dense still gets (None, 32)
    assert tuple(result.models[0].program.ops[-1].output.shape) == (None, 1)


def test_stacked_rnn_fix_replaces_an_explicit_false():
    errors, _ = _diagnostics("LSTM(64, return_sequences=False)")
    (edit,) = errors[0].fix.edits
    assert edit.text == "True"


def test_two_d_input_from_a_non_recurrent_layer_has_no_producer_fix():
    errors, _ = _diagnostics("Flatten()")
    (d,) = errors
    assert d.code == "SHP103" and "return_sequences" not in d.help
    assert d.fix is None


def test_shared_case_keras_stacked_lstm():
    import pathlib
    from shapelint.frontends.source.check import check_source
    path = pathlib.Path(__file__).resolve().parents[4] / "shared" / "cases" / "keras_stacked_lstm.py"
    if not path.exists():
        pytest.skip("shared cases not available")
    result = check_source(str(path), path.read_text())
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert [(d.code, d.line) for d in errors] == [("SHP103", 8)]  # the first LSTM, where the setting is missing


def test_stacked_rnn_after_bidirectional_fixes_the_wrapped_layer():
    from shapelint.frontends.source.check import check_source
    src = ("import keras\nfrom keras import layers\n\nmodel = keras.Sequential([\n    keras.Input(shape=(20, 8)),\n"
           "    layers.Bidirectional(layers.LSTM(16)),\n    layers.GRU(8),\n])\n")
    result = check_source("bi.py", src)
    (d,) = [d for d in result.diagnostics if d.severity == "error"]
    assert d.code == "SHP103" and "inside the previous `Bidirectional`" in d.help
    (edit,) = d.fix.edits
    assert (edit.span.line, edit.text) == (6, ", return_sequences=True")
    assert src.splitlines()[5][edit.span.column - 1:].startswith(")),")  # inside LSTM(...), not Bidirectional
