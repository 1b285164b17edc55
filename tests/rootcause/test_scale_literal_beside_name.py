"""A noise embedding brought to the image grid by ``UpSampling2D(size=32)`` while the images are ``image_size`` (64)
wide (rw20c, unseen): the written factor is the mistake and ``image_size``, in scope where it is built, the fix.
Zero-padding the 32x32 map to 64x64 ran and left three quarters of the grid without the embedding (judged wrong by an
unseen reviewer): padding is proposed only for maps a few pixels apart. Keras is the oracle."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

SRC = textwrap.dedent("""
    import keras
    from keras import layers


    def build(image_size, widths):
        images = keras.Input(shape=(image_size, image_size, 3))
        noise = keras.Input(shape=(1, 1, 8))
        e = layers.UpSampling2D(size=32)(noise)
        x = layers.Conv2D(widths[0], 1)(images)
        x = layers.Concatenate()([x, e])
        x = layers.Conv2D(widths[1], 3, padding="same")(x)
        return keras.Model([images, noise], x)


    model = build(64, [16, 32])
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_the_factor_is_blamed_and_written_as_the_name():
    (d,) = _errors(SRC)
    assert d.primary.span.line == 8 and "image_size" in d.help
    fixed = fix_source("case.py", SRC, [d], ("safe", "unsafe")).source
    assert "layers.UpSampling2D(size=image_size)(noise)" in fixed and not _errors(fixed)
    assert "ZeroPadding2D" not in fixed


def test_no_name_for_the_size_no_blame_and_no_padding():
    src = SRC.replace("def build(image_size, widths):", "def build(widths):") \
        .replace("(image_size, image_size", "(64, 64").replace("build(64, [16, 32])", "build([16, 32])")
    (d,) = _errors(src)
    assert d.primary.span.line == 10  # the concatenation, as the rule reports it
    assert fix_source("case.py", src, [d], ("safe", "unsafe")).source == src


def test_what_keras_does():
    pytest.importorskip("keras")
    with pytest.raises(ValueError):
        run(SRC)
    assert tuple(run(SRC.replace("size=32", "size=image_size"))["model"].output.shape) == (None, 64, 64, 32)
