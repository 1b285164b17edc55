"""Differential test: random Sequential stacks of Keras recurrent layers (SimpleRNN, LSTM, GRU, Bidirectional,
TimeDistributed, ConvLSTM1D/2D/3D) mixed with Dense / Dropout / Flatten / normalization, built in real Keras 3 and
checked by shapelint from source text. The classic mistakes appear naturally: stacked RNNs without
``return_sequences=True``, RNNs on 2-D or 4-D tensors, TimeDistributed on a tensor without a time axis.
"""
from __future__ import annotations

import random

import pytest

from keras_harness import run_generated

pytest.importorskip("keras")


def _pick(rng, good, bad, p_bad=0.07):
    return rng.choice(bad) if bad and rng.random() < p_bad else rng.choice(good)


def _rnn_args(rng, allow_state=False):
    units = _pick(rng, [1, 4, 8], [0, -3, 2.5, True])
    parts = [str(units)]
    if rng.random() < (0.35 if allow_state else 0.8):
        parts.append("return_sequences=True")
    if rng.random() < 0.15:
        parts.append(_pick(rng, ["activation='relu'", "recurrent_activation='hard_sigmoid'", "dropout=0.2",
                                 "use_bias=False", "go_backwards=True", "unroll=True", "dropout=3"],
                           ["activation='rleu'", "stateful=True"]))
    if allow_state and rng.random() < 0.3:
        parts.append("return_state=True")
    return ", ".join(parts)


def rnn(rng, last):
    kind = rng.choice(["SimpleRNN", "LSTM", "GRU", "LSTM"])
    extra = ", reset_after=False" if kind == "GRU" and rng.random() < 0.2 else ""
    if kind == "LSTM" and rng.random() < 0.05:
        extra = ", use_cudnn='yes'"
    return f"layers.{kind}({_rnn_args(rng, allow_state=last)}{extra})"


def bidirectional(rng, last):
    kind = rng.choice(["LSTM", "GRU", "SimpleRNN"])
    mode = _pick(rng, ["'concat'", "'sum'", "'mul'", "'ave'", "None" if last else "'concat'"], ["'max'"])
    inner = f"layers.{kind}({_rnn_args(rng, allow_state=last)})"
    if rng.random() < 0.05:
        inner = _pick(rng, ["layers.GRU(3, return_sequences=True)"], ["layers.Dense(3)"], p_bad=0.5)
    back = ""
    if rng.random() < 0.1:
        back = ", backward_layer=" + _pick(rng, [f"layers.{kind}(5, go_backwards=True)"],
                                           [f"layers.{kind}(5)", f"layers.{kind}(5, go_backwards=True, "
                                            "return_sequences=True)"], p_bad=0.5)
    return f"layers.Bidirectional({inner}, merge_mode={mode}{back})"


def time_distributed(rng, last):
    inner = rng.choice(["layers.Dense(4)", "layers.Dense(2, activation='relu')", "layers.Dropout(0.3)",
                        "layers.Flatten()", "layers.BatchNormalization()", "layers.LSTM(3)",
                        "layers.SpatialDropout1D(0.2)", "layers.Activation('relu')", "layers.Embedding(10, 3)",
                        "layers.GRU(2, return_sequences=True)", "layers.LayerNormalization()"])
    return f"layers.TimeDistributed({inner})"


def time_distributed_conv(rng, rank):
    """Per-frame convolution and pooling (rules from the conv/pooling modules) inside TimeDistributed, on
    (batch, time, H, W, C) or (batch, time, steps, C). Keras skips the inner layer's InputSpec, so pooling on the
    wrong rank is not an error there -- shapelint leaves it unknown; we only generate the right ranks here, plus
    convolutions (whose output formula fails on a wrong rank in Keras too)."""
    if rank == 5:
        inner = rng.choice(["layers.Conv2D(4, 3)", "layers.Conv2D(2, 3, padding='same')", "layers.MaxPooling2D()",
                            "layers.GlobalAveragePooling2D()", "layers.Flatten()", "layers.Conv1D(3, 2)"])
    else:
        inner = rng.choice(["layers.Conv1D(3, 2)", "layers.MaxPooling1D()", "layers.Flatten()", "layers.Conv2D(2, 2)"])
    return f"layers.TimeDistributed({inner})"


def conv_lstm(rng, last):
    n = rng.choice([1, 2, 2, 3])
    k = _pick(rng, [1, 2, 3], [0, (2, 2, 2, 2)])
    parts = [str(_pick(rng, [2, 4], [0])), str(k)]
    if rng.random() < 0.3:
        parts.append(f"padding='{_pick(rng, ['same', 'valid'], ['causal', 'full'])}'")
    if rng.random() < 0.2:
        parts.append(_pick(rng, ["strides=2", "dilation_rate=2"], ["strides=2, dilation_rate=2"]))
    if rng.random() < (0.3 if last else 0.8):
        parts.append("return_sequences=True")
    if rng.random() < 0.1:
        parts.append("data_format='channels_first'")
    return f"layers.ConvLSTM{n}D({', '.join(parts)})"


def plain(rng, last):
    return rng.choice(["layers.Dense(6)", "layers.Dense(3, activation='tanh')", "layers.Dropout(0.25)",
                       "layers.LayerNormalization()", "layers.BatchNormalization()",
                       "layers.Masking()", "layers.Embedding(20, 4)"])


FAMILIES = [rnn, rnn, rnn, rnn, bidirectional, bidirectional, time_distributed, plain, plain]


def generate(rng: random.Random):
    """Mostly sequence stacks on (batch, steps, features); some ConvLSTM stacks on 4-D to 6-D inputs."""
    n = rng.choice([1, 2, 2, 3, 3, 4])
    if rng.random() < 0.25:
        rank = rng.choice([3, 4, 5, 5, 6])
        input_shape = tuple(rng.choice([3, 4, 5, 7]) for _ in range(rank - 1))
        srcs = [conv_lstm(rng, i == n - 1) if rng.random() < 0.6 else
                rng.choice([time_distributed, plain, rnn])(rng, i == n - 1) for i in range(n)]
        if rank in (4, 5) and rng.random() < 0.35:
            srcs[0] = time_distributed_conv(rng, rank)
        return input_shape, srcs
    rank = rng.choice([2, 3, 3, 3, 3, 3, 3, 4])
    input_shape = tuple(rng.choice([1, 2, 3, 4, 5, 7]) for _ in range(rank - 1))
    srcs = [rng.choice(FAMILIES)(rng, i == n - 1) for i in range(n)]
    return input_shape, srcs


N_MODELS = 500


def test_keras_recurrent_differential():
    bad, counts = run_generated(generate, N_MODELS, seed=20261128)
    assert counts["error"] >= N_MODELS * 0.25, counts
    assert not bad, f"{len(bad)} of {N_MODELS} disagree:\n" + "\n".join(bad[:15])
