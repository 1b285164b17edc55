"""A U-Net fed an input whose size is not a multiple of 2 ** (number of poolings): each pooling rounds an odd size
down (100 -> 50 -> 25 -> 12), the map upsampled from 12 is one pixel short of its skip (25), and the concatenation
fails far from where the size was written. The root is the size; the fix makes it a multiple of 8 where it is set,
for the data and the model alike. Keras and torch are the oracles."""
import textwrap

import pytest

from oracle import run
from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

KERAS = textwrap.dedent("""
    import numpy as np
    import keras
    from keras import layers

    IMG = 100


    def down(x, filters):
        c = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        return c, layers.MaxPooling2D(2)(c)


    def up(x, skip, filters):
        x = layers.Conv2DTranspose(filters, 2, strides=2, padding="same")(x)
        x = layers.Concatenate()([x, skip])
        return layers.Conv2D(filters, 3, padding="same", activation="relu")(x)


    inp = keras.Input(shape=(IMG, IMG, 3))
    c1, p1 = down(inp, 8)
    c2, p2 = down(p1, 16)
    c3, p3 = down(p2, 32)
    b = layers.Conv2D(64, 3, padding="same")(p3)
    x = up(up(up(b, c3, 32), c2, 16), c1, 8)
    model = keras.Model(inp, layers.Conv2D(1, 1, activation="sigmoid")(x))
    images = np.random.rand(2, IMG, IMG, 3).astype("float32")
    masks = (np.random.rand(2, IMG, IMG, 1) > 0.5).astype("float32")
    model.compile("adam", "binary_crossentropy")
    model.fit(images, masks, epochs=1, verbose=0)
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    def block(cin, cout):
        return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU())


    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc1, self.enc2 = block(3, 8), block(8, 16)
            self.pool = nn.MaxPool2d(2)
            self.mid = block(16, 32)
            self.up2, self.dec2 = nn.ConvTranspose2d(32, 16, 2, stride=2), block(32, 16)
            self.up1, self.dec1 = nn.ConvTranspose2d(16, 8, 2, stride=2), block(16, 8)
            self.head = nn.Conv2d(8, 1, 1)

        def forward(self, x):
            e1 = self.enc1(x)
            e2 = self.enc2(self.pool(e1))
            m = self.mid(self.pool(e2))
            d2 = self.dec2(torch.cat([self.up2(m), e2], dim=1))
            d1 = self.dec1(torch.cat([self.up1(d2), e1], dim=1))
            return self.head(d1)


    out = UNet()(torch.randn(2, 3, 30, 30))
""").lstrip()


def _errors(src):
    return [d for d in check_source("case.py", src).diagnostics if d.severity == "error"]


def test_keras_size_blamed_where_it_is_set_and_made_a_multiple_of_8():
    d = _errors(KERAS)[0]
    assert d.primary.span.line == 5 and "not a multiple of 8" in d.primary.text
    fixed = fix_source("case.py", KERAS, _errors(KERAS), ("safe", "unsafe")).source
    assert "IMG = 104" in fixed and _errors(fixed) == []


def test_torch_size_written_in_the_data_is_blamed():
    d = _errors(TORCH)[0]
    assert d.primary.span.line == 28 and "not a multiple of 4" in d.primary.text
    fixed = fix_source("case.py", TORCH, _errors(TORCH), ("safe", "unsafe")).source
    assert "torch.randn(2, 3, 32, 32)" in fixed and _errors(fixed) == []


def test_a_size_data_is_made_with_elsewhere_is_not_changed_alone():
    """The data stays 100 px (written apart from IMG): making IMG 104 would break the fit, so the fix is not
    applied; the diagnosis still points at the size."""
    src = KERAS.replace("np.random.rand(2, IMG, IMG, 3)", "np.random.rand(2, 100, 100, 3)")
    d = _errors(src)[0]
    assert d.primary.span.line == 5 and d.fix is not None and d.fix.applicability == "display-only"


def test_a_multiple_of_8_is_left_alone():
    assert _errors(KERAS.replace("IMG = 100", "IMG = 96")) == []


def test_a_conv_that_trims_is_not_blamed_on_the_size():
    """128 halves evenly; a valid conv in the block makes the sizes odd: the size is not the cause."""
    src = KERAS.replace("IMG = 100", "IMG = 128").replace(
        'c = layers.Conv2D(filters, 3, padding="same"', 'c = layers.Conv2D(filters, 3, padding="valid"')
    assert all("multiple of" not in (d.primary.text or "") for d in _errors(src))


def test_what_the_frameworks_do():
    pytest.importorskip("keras")
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception):
        run(KERAS)
    run(KERAS.replace("IMG = 100", "IMG = 104"))
    with pytest.raises(RuntimeError):
        run(TORCH)
    assert tuple(run(TORCH.replace("30, 30", "32, 32"))["out"].shape) == (2, 1, 32, 32)
    del torch


BLOCKS = textwrap.dedent("""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    IMG_H, IMG_W = 100, 100


    class Up(nn.Module):
        def __init__(self, cin, cout):
            super().__init__()
            self.up = nn.ConvTranspose2d(cin, cin // 2, kernel_size=2, stride=2)
            self.conv = nn.Conv2d(cin, cout, 3, padding=1)

        def forward(self, x, skip):
            x = self.up(x)
            x = torch.cat([skip, x], dim=1)
            return self.conv(x)


    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.inc = nn.Conv2d(1, 8, 3, padding=1)
            self.d1 = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1))
            self.d2 = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1))
            self.d3 = nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1))
            self.u1, self.u2, self.u3 = Up(64, 32), Up(32, 16), Up(16, 8)

        def forward(self, x):
            x1 = self.inc(x)
            x2 = self.d1(x1)
            x3 = self.d2(x2)
            x = self.u1(self.d3(x3), x3)
            x = self.u2(x, x2)
            return self.u3(x, x1)


    out = UNet()(torch.randn(2, 1, IMG_H, IMG_W))
""").lstrip()


def test_torch_blocks_joining_plain_names_pad_the_upsampled_map_to_the_skip():
    """Expert review: 100 px crops are the data's size; making them 104 "fixes" the test input only -- real 100 px
    images still crash. The block that joins the maps pads the upsampled one to its skip (the reference U-Net)."""
    found = _errors(BLOCKS)
    assert found and found[0].primary.span.line == 16
    fixed = fix_source("case.py", BLOCKS, found, ("safe", "unsafe")).source
    assert "IMG_H, IMG_W = 100, 100" in fixed and "x = F.pad(x, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])" in fixed
    assert _errors(fixed) == [] and fix_source("case.py", fixed, _errors(fixed), ("safe", "unsafe")).source == fixed


def test_what_torch_does_with_the_padded_blocks():
    pytest.importorskip("torch")
    with pytest.raises(RuntimeError):
        run(BLOCKS)
    fixed = fix_source("case.py", BLOCKS, _errors(BLOCKS), ("safe", "unsafe")).source
    for size in ("100, 100", "97, 123"):
        assert tuple(run(fixed.replace("IMG_H, IMG_W = 100, 100", f"IMG_H, IMG_W = {size}"))["out"].shape[2:]) == \
            tuple(int(v) for v in size.split(", "))
