"""Keras preprocessing rules: Rescaling, Normalization, Resizing, CenterCrop, RandomCrop and the random
augmentation layers.

Table-driven: (layer source, input shape(s) without batch) -> output shape(s) with batch and parameter count, or the
error code. Every expected value was taken from a real Keras 3.15.1 run; ``test_row_matches_keras`` re-runs each row
through real Keras. Multi-input rows list one shape per input (``x0``, ``x1``, ...)."""
import pytest

from keras_rows import check_row, keras_row

PRE_OK = [
    ('layers.Rescaling(1./255)', (28, 28, 1), (None, 28, 28, 1), 0),
    ('layers.Rescaling(2.0, offset=-1)', (5,), (None, 5), 0),
    ('layers.Normalization()', (8, 4), (None, 8, 4), 9),
    ('layers.Normalization(axis=None)', (8, 4), (None, 8, 4), 3),
    ('layers.Normalization(axis=1)', (8, 4), (None, 8, 4), 17),
    ('layers.Normalization(axis=(1, 2))', (8, 4), (None, 8, 4), 65),
    ('layers.Normalization(mean=0.5, variance=2.0)', (8, 4), (None, 8, 4), 0),
    ('layers.Normalization(mean=[0.1, 0.2, 0.3, 0.4], variance=[1.0, 1.0, 1.0, 1.0])', (8, 4), (None, 8, 4), 0),
    ('layers.Normalization(mean=[0.1], variance=[1.0])', (8, 4), (None, 8, 4), 0),
    ('layers.Resizing(16, 20)', (32, 32, 3), (None, 16, 20, 3), 0),
    ("layers.Resizing(16, 20, data_format='channels_first')", (3, 32, 32), (None, 3, 16, 20), 0),
    ('layers.Resizing(0, 5)', (8, 8, 3), (None, 0, 5, 3), 0),
    ('layers.Resizing(4, 5)', (8,), (4, 5), 0),
    ('layers.Resizing(4, 5)', (8, 8), (4, 5, 8), 0),
    ('layers.Resizing(4, 5)', (8, 8, 3, 2), (4, 5, 8, 3, 2), 0),
    ('layers.CenterCrop(4, 5)', (8, 8, 3), (None, 4, 5, 3), 0),
    ('layers.CenterCrop(10, 5)', (8, 8, 3), (None, 10, 5, 3), 0),
    ('layers.CenterCrop(4, 5)', (8, 8), (4, 5, 8), 0),
    ("layers.CenterCrop(4, 5, data_format='channels_first')", (3, 8, 8), (None, 3, 4, 5), 0),
    ('layers.RandomCrop(4, 5)', (8, 8, 3), (None, 4, 5, 3), 0),
    ('layers.RandomCrop(4, 5)', (8, 8), (4, 5, 8), 0),
    ('layers.RandomCrop(4, 5)', (8, 8, 3, 2), (None, 8, 4, 5, 2), 0),
    ('layers.RandomFlip()', (8, 8, 3), (None, 8, 8, 3), 0),
    ("layers.RandomFlip('horizontal')", (8,), (None, 8), 0),
    ("layers.RandomFlip(bounding_box_format='xyxy')", (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomRotation(0.2)', (8, 8, 3), (None, 8, 8, 3), 0),
    ("layers.RandomRotation((-0.2, 0.3), fill_mode='constant')", (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomZoom(0.2)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomZoom(0.2, (-0.3, 0.3))', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomZoom(1)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomTranslation(0.1, 0.2)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomTranslation(-1, 1)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomContrast(0.2)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomBrightness(0.2)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomBrightness((-0.2, 0.5), value_range=(0, 1))', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomGrayscale()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.AutoContrast()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomHue(0.2)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomSaturation(0.5)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomSharpness(0.3)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomInvert()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomPosterization(4)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomColorDegeneration(0.5)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomColorDegeneration(0.5)', (8, 3), (None, 8, 3), 0),
    ('layers.RandomGrayscale(0.5)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomGrayscale()', (8, 8, 1), (None, 8, 8, 1), 0),
    ('layers.RandomGrayscale()', (8,), (None, 8), 0),
    ('layers.AutoContrast()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.Equalization()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.CutMix()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.MixUp()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandAugment()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.AugMix()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomShear(0.2, 0.3)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomPerspective()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomElasticTransform()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomErasing()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomGaussianBlur()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.Solarization()', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomColorJitter(brightness_factor=0.2)', (8, 8, 3), (None, 8, 8, 3), 0),
    ('layers.RandomHue(0.2)', (8,), (None, 8), 0),
    ('layers.RandomShear(0.2)', (8,), (None, 8), 0),
    ('layers.RandomErasing()', (8,), (None, 8), 0),
    ('layers.RandAugment()', (8,), (None, 8), 0),
    ('layers.AugMix()', (8,), (None, 8), 0),
    ('layers.Equalization()', (8,), (None, 8), 0),
    ('layers.CutMix()', (8,), (None, 8), 0),
    ('layers.CategoryEncoding(5)', (3,), (None, 5), 0),
    ("layers.CategoryEncoding(5, output_mode='one_hot')", (1,), (None, 5), 0),
    ("layers.CategoryEncoding(5, output_mode='one_hot')", (3,), (None, 3, 5), 0),
    ("layers.CategoryEncoding(5, output_mode='count')", (4, 3), (None, 4, 5), 0),
    ("layers.CategoryEncoding(5, output_mode='binary')", (), (5,), 0),
]

PRE_ERRORS = [
    ('layers.Normalization(axis=0)', (8, 4), 'SHP107', None),
    ('layers.Normalization(axis=3)', (8, 4), 'SHP110', None),
    ('layers.Normalization(mean=0.5)', (8, 4), 'SHP107', None),
    ('layers.Normalization(mean=[0.1, 0.2], variance=[1.0])', (8, 4), 'SHP107', None),
    ('layers.Normalization(mean=[[0.1]], variance=[[1.0]])', (8, 4), 'SHP107', None),
    ('layers.Normalization(mean=[0.1, 0.2, 0.3], variance=[1.0, 1.0, 1.0])', (8, 4), 'SHP101', None),
    ('layers.Resizing(-1, 5)', (8, 8, 3), 'SHP107', None),
    ('layers.Resizing(4.5, 5)', (8, 8, 3), 'SHP107', None),
    ("layers.Resizing(4, 5, data_format='channels_first')", (8,), 'SHP103', None),
    ('layers.CenterCrop(4, 5)', (8, 8, 3, 2), 'SHP103', None),
    ('layers.CenterCrop(4, 5)', (8,), 'SHP103', None),
    ('layers.RandomCrop(4, 5)', (8,), 'SHP103', None),
    ('layers.RandomRotation(2)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomRotation((0.5, -3))', (8, 8, 3), 'SHP107', None),
    ("layers.RandomRotation(0.1, fill_mode='mirror')", (8, 8, 3), 'SHP107', None),
    ("layers.RandomRotation(0.1, interpolation='bicubic')", (8, 8, 3), 'SHP107', None),
    ('layers.RandomZoom(-1)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomTranslation(0.1, 1.01)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomContrast(-0.2)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomContrast(1.5)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomBrightness(2)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomBrightness(0.2, value_range=(0,))', (8, 8, 3), 'SHP107', None),
    ('layers.RandomHue(1.5)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomHue(-0.2)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomSaturation(1.5)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomSaturation(0.5, value_range=(0,))', (8, 8, 3), 'SHP107', None),
    ('layers.RandomSharpness(-0.3)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomInvert(2.0)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomPosterization(0.5)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomPosterization(9)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomColorDegeneration(0.5)', (8, 8, 1), 'SHP102', None),
    ('layers.RandomColorDegeneration(2.0)', (8, 8, 3), 'SHP107', None),
    ('layers.RandomGrayscale(1.5)', (8, 8, 3), 'SHP107', None),
    ('layers.AutoContrast(value_range=(0,))', (8, 8, 3), 'SHP107', None),
    ('layers.Equalization(value_range=5)', (8, 8, 3), 'SHP107', None),
    ('layers.CutMix(2.0)', (8, 8, 3), 'SHP107', None),
    ('layers.RandAugment(factor=2.0)', (8, 8, 3), 'SHP107', None),
    ('layers.AugMix(factor=-1.0)', (8, 8, 3), 'SHP107', None),
    ("layers.RandomShear(0.2, interpolation='cubic')", (8, 8, 3), 'SHP107', None),
    ('layers.CategoryEncoding()', (3,), 'SHP107', None),
    ('layers.CategoryEncoding(0)', (3,), 'SHP107', None),
    ("layers.CategoryEncoding(5, output_mode='tf_idf')", (3,), 'SHP107', None),
]

ROWS = PRE_OK + PRE_ERRORS


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_rule(src, shape, expected, params):
    check_row(src, shape, expected, params)


@pytest.mark.parametrize("src, shape, expected, params", ROWS, ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_row_matches_keras(src, shape, expected, params):
    pytest.importorskip("keras")
    keras_row(src, shape, expected, params)
