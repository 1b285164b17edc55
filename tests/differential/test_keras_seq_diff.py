"""Differential test: random Sequential stacks of Keras core, normalization and preprocessing layers, built in real
Keras 3 and checked by shapelint from source; output shape, error vs no error and the failing layer must agree.

Arguments are drawn to include invalid and edge values, so a good share of the models fail in Keras.
"""
from __future__ import annotations

import random

import pytest

from keras_harness import run_generated

pytest.importorskip("keras")


def _ch(rng, *options):
    return rng.choice(options)


def _pick(rng, good, bad, p_bad=0.12):
    """A valid value most of the time, an invalid or edge one with probability p_bad."""
    return rng.choice(bad) if bad and rng.random() < p_bad else rng.choice(good)


def _axis(rng, rank):
    return _pick(rng, [-1, -1, 1, rank - 1, -rank + 1, 2], [rank, -rank, 0, -rank - 1], p_bad=0.2)


# each maker: (rng, rank of the current input incl. batch) -> layer source
def dense(rng, rank):
    units = _pick(rng, [1, 3, 8, 16], [0, -2, 2.0, True])
    act = _pick(rng, [None, None, "'relu'", "'softmax'", "'swish'", "'relu6'", "'gelu'"], ["'rellu'"])
    extra = _ch(rng, "", "", ", use_bias=False")
    return f"layers.Dense({units}, activation={act}{extra})"


def activation(rng, rank):
    return _ch(rng, "layers.Activation('relu')", "layers.Activation('tanh')", "layers.Activation('linear')",
               "layers.Activation('sigmoidd')", "layers.Activation(None)", "layers.Activation('log_softmax')",
               f"layers.Softmax(axis={_axis(rng, rank)})", "layers.ReLU()", "layers.ReLU(max_value=6.0)",
               "layers.ReLU(max_value=-1.0)", "layers.ReLU(negative_slope=-0.1)", "layers.ReLU(threshold=0.5)",
               "layers.LeakyReLU()", "layers.LeakyReLU(negative_slope=-0.2)", "layers.LeakyReLU(0.1)",
               "layers.ELU()", "layers.ELU(alpha=-1.0)", "layers.PReLU()",
               f"layers.PReLU(shared_axes=[{rng.randint(0, 4)}])", f"layers.PReLU(shared_axes={rng.randint(1, 3)})",
               "layers.Identity()")


def dropout(rng, rank):
    rate = _pick(rng, [0.0, 0.2, 0.5, 1.0], [1.5, -0.1])
    ns = ", ".join(str(rng.choice([None, 1, 2])) for _ in range(rank))
    return _ch(rng, f"layers.Dropout({rate})", f"layers.Dropout({rate}, noise_shape=({ns},))",
               "layers.Dropout(0.1, noise_shape=(None, 0))", f"layers.AlphaDropout({rate})",
               f"layers.GaussianDropout({rate})", f"layers.GaussianNoise({_ch(rng, 0.1, 1.0, 2.0, -0.5)})",
               f"layers.SpatialDropout1D({rate})", f"layers.SpatialDropout2D({rate})",
               f"layers.SpatialDropout3D({rate}, data_format='channels_first')",
               f"layers.SpatialDropout2D(0.1, data_format='{_ch(rng, 'channels_last', 'NHWC')}')",
               f"layers.ActivityRegularization(l1={_ch(rng, 0.0, 0.01, -1.0)})")


def flatten(rng, rank):
    return _pick(rng, ["layers.Flatten()", "layers.Flatten(data_format='channels_first')"],
                 ["layers.Flatten(data_format='nchw')"])


def embedding(rng, rank):
    return (f"layers.Embedding({_pick(rng, [10, 100], [0, -1, True])}, {_pick(rng, [4, 8], [0, 2.5])}"
            f"{_ch(rng, '', ', mask_zero=True')})")


def misc(rng, rank):
    if rng.random() < 0.08:  # multi-input layers in a Sequential get one tensor, not a list: Keras rejects them
        return _ch(rng, "layers.Add()", "layers.Concatenate()", "layers.Attention()", "layers.Dot(1)",
                   "layers.MultiHeadAttention(2, 4)")
    return _ch(rng, "layers.Masking()", "layers.Masking(mask_value=-1.0)",
               f"layers.Lambda(lambda t: t, output_shape=({rng.randint(1, 9)},))",
               f"layers.Lambda(lambda t: t, output_shape=({rng.randint(1, 9)}, {rng.randint(1, 9)}))")


def einsum(rng, rank):
    eq = _pick(rng, ["'ab,bc->ac'", "'...b,bc->...c'", "'abc,cd->abd'", "'abc,cde->abde'", "'ab...,bc->ac...'",
                     "'abcd,de->abce'"], ["'ab,bc->ad'", "'a,b->c'"])
    # no None in output_shape: Keras keeps such a dim None, and a later layer then fails to build its weights
    # over it -- a None shapelint cannot tell from "unknown" (table tests cover the None forms)
    out = _ch(rng, "5", "(4,)", "(3, 5)", "(6, 2, 3)", "(2, 3)", "(4, 4)", "(8, 2)")
    bias = _pick(rng, ["", "", ", bias_axes='c'"], [", bias_axes='d'", ", bias_axes='e'"])
    return f"layers.EinsumDense({eq}, {out}{bias})"


def batch_norm(rng, rank):
    return _ch(rng, "layers.BatchNormalization()", f"layers.BatchNormalization(axis={_axis(rng, rank)})",
               "layers.BatchNormalization(center=False)", "layers.BatchNormalization(scale=False, renorm=True)",
               "layers.LayerNormalization()", f"layers.LayerNormalization(axis={_axis(rng, rank)})",
               f"layers.LayerNormalization(axis=[{rng.randint(1, 3)}, -1])",
               *(["layers.LayerNormalization(axis='x')"] if rng.random() < 0.2 else []),
               f"layers.GroupNormalization({_ch(rng, 1, 2, 3, 4, 8, -1, 0, -2)})",
               f"layers.GroupNormalization(groups={_ch(rng, 2, 4)}, axis={_axis(rng, rank)})",
               "layers.GroupNormalization()", f"layers.UnitNormalization(axis={_axis(rng, rank)})",
               "layers.UnitNormalization()", f"layers.UnitNormalization(axis=[1, {_axis(rng, rank)}])",
               f"layers.RMSNormalization(axis={_axis(rng, rank)})")


def preprocessing(rng, rank):
    h, w = rng.choice([2, 4, 6, 16, 0]), rng.choice([3, 4, 6, 20])
    f = _ch(rng, 0.1, 0.5, 1.0, -0.2, 1.5, (0.1, 0.3), (-2, -1.5), (0.2, 0.1, 0.0))
    return _ch(rng, "layers.Rescaling(1./255)", "layers.Rescaling(2.0, offset=-1)",
               "layers.Normalization()", f"layers.Normalization(axis={_axis(rng, rank)})",
               "layers.Normalization(axis=None)", "layers.Normalization(mean=0.5, variance=2.0)",
               "layers.Normalization(mean=0.5)", f"layers.Normalization(mean=[0.1] * {rng.randint(1, 5)}, "
               f"variance=[1.0] * {rng.randint(1, 5)})",
               f"layers.Resizing({h}, {w})", f"layers.Resizing({h}, {w}, data_format='channels_first')",
               f"layers.Resizing({h}, -{w})", f"layers.CenterCrop({h}, {w})",
               f"layers.CenterCrop({h}, {w}, data_format='channels_first')", f"layers.RandomCrop({h}, {w})",
               f"layers.RandomCrop({h}, {w}, data_format='channels_first')",
               "layers.RandomFlip()", "layers.RandomFlip('horizontal')", f"layers.RandomRotation({f})",
               f"layers.RandomRotation(0.1, fill_mode='{_ch(rng, 'nearest', 'constant', 'mirror')}')",
               f"layers.RandomRotation(0.1, interpolation='{_ch(rng, 'nearest', 'bicubic')}')",
               f"layers.RandomZoom({f})", f"layers.RandomZoom(0.1, {f})", f"layers.RandomZoom({_ch(rng, -1, 1)})",
               f"layers.RandomTranslation({f}, 0.1)", f"layers.RandomTranslation(0.1, {_ch(rng, -1, 1, 1.01)})",
               f"layers.RandomContrast({f})", f"layers.RandomBrightness({f})",
               f"layers.RandomBrightness(0.2, value_range=({_ch(rng, '0, 1', '0,', '0, 1, 2')}))",
               f"layers.RandomHue({f})", f"layers.RandomSaturation({f})", f"layers.RandomSharpness({f})",
               f"layers.RandomInvert({f})", f"layers.RandomPosterization({_ch(rng, 1, 4, 8, 9, 0.5)})",
               f"layers.RandomColorDegeneration({f})", f"layers.RandomGrayscale({_ch(rng, 0.5, 1.5)})",
               "layers.AutoContrast()", "layers.Equalization()", f"layers.CutMix({f})", "layers.MixUp()",
               f"layers.RandAugment(factor={f})", f"layers.AugMix(factor={f})", "layers.RandomShear(0.2, 0.1)",
               "layers.RandomErasing()", "layers.RandomGaussianBlur()", "layers.Solarization()",
               "layers.RandomColorJitter(brightness_factor=0.2)")


FAMILIES = [dense, dense, dense, activation, activation, dropout, flatten, embedding, misc, einsum, batch_norm, batch_norm,
            preprocessing, preprocessing, preprocessing]


def generate(rng: random.Random):
    rank = rng.randint(2, 5)
    input_shape = tuple(rng.choice([1, 2, 3, 4, 6, 8]) for _ in range(rank - 1))
    srcs = []
    for _ in range(rng.choice([1, 2, 2, 3, 3, 4])):
        srcs.append(rng.choice(FAMILIES)(rng, rank))
        rank = rank  # ranks change along the stack; the makers only use it as a hint for axis values
    return input_shape, srcs


N_MODELS = 600


def test_keras_sequential_differential():
    bad, counts = run_generated(generate, N_MODELS, seed=20261128)
    assert counts["error"] >= N_MODELS * 0.25, counts
    assert not bad, f"{len(bad)} of {N_MODELS} disagree:\n" + "\n".join(bad[:15])
