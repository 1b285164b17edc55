"""SHP203 (join-axis): a U-Net skip joined along a spatial axis stacks the maps instead of adding channels. Keras on
channels-last maps (axis=1), torch on NCHW maps (dim=2); the fix joins on the channels. The frameworks are the
oracle: the bad join makes a taller map, the fixed one more channels."""
import os
from pathlib import Path
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

os.environ.setdefault("KERAS_BACKEND", "torch")

KERAS = textwrap.dedent("""
    import keras
    from keras import layers

    inp = keras.Input((16, 16, 1))
    skip = layers.Conv2D(8, 3, padding="same")(inp)
    x = layers.Conv2DTranspose(8, 2, strides=2, padding="same")(layers.MaxPooling2D(2)(skip))
    x = layers.concatenate([x, skip], axis=1)
    model = keras.Model(inp, layers.Conv2D(1, 1)(x))
    shape = tuple(model.output.shape)
""").lstrip()

TORCH = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Up(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Conv2d(1, 8, 3, padding=1)
            self.up = nn.ConvTranspose2d(8, 8, 2, stride=2)
            self.out = nn.Conv2d(8, 1, 1)

        def forward(self, x):
            skip = self.enc(x)
            y = self.up(nn.functional.max_pool2d(skip, 2))
            return self.out(torch.cat([y, skip], dim=2))


    out = Up()(torch.randn(2, 1, 16, 16))
""").lstrip()


def _warnings(src):
    return [d for d in check_source("case.py", src).diagnostics if d.code == "SHP203"]


@pytest.mark.parametrize("src, line, fixed", [(KERAS, 7, "axis=-1"), (TORCH, 15, "dim=1")])
def test_the_join_goes_on_the_channels(src, line, fixed):
    ds = _warnings(src)
    assert ds and ds[0].primary.span.line == line
    out = fix_source("case.py", src, ds[:1], ("safe", "unsafe")).source
    assert fixed in out.splitlines()[line - 1] and not _warnings(out)
    assert not [d for d in check_source("case.py", out).diagnostics if d.severity == "error"]


def test_what_the_frameworks_do():
    pytest.importorskip("keras")
    pytest.importorskip("torch")
    scope = {}
    exec(compile(KERAS, "case.py", "exec"), scope)
    assert scope["shape"] == (None, 32, 16, 1)  # a taller map, not more channels
    exec(compile(KERAS.replace("axis=1", "axis=-1"), "case.py", "exec"), scope)
    assert scope["shape"] == (None, 16, 16, 1)
    exec(compile(TORCH, "case.py", "exec"), scope)
    assert tuple(scope["out"].shape) == (2, 1, 32, 16)  # runs: a taller map
    exec(compile(TORCH.replace("dim=2", "dim=1").replace("nn.Conv2d(8, 1, 1)", "nn.Conv2d(16, 1, 1)"), "case.py",
                 "exec"), scope)
    assert tuple(scope["out"].shape) == (2, 1, 16, 16)



REVIEW = Path(__file__).resolve().parents[1] / "fixtures" / "review18"


@pytest.mark.parametrize("name", ["c_mirror.py", "c_torch.py", "c_keras.py"])
def test_one_dimensional_maps_joined_on_time_are_ordinary(name):
    """Code review: mirror padding, a signal encoded in two halves put back in order, a past and a future window
    into an LSTM -- correct code that a join-axis warning on 1-D maps flagged, with a fix that changed the model."""
    src = (REVIEW / name).read_text()
    assert not [d for d in check_source(name, src).diagnostics if d.severity in ("error", "warning")]
