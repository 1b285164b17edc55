"""SHP203 (join-axis): a U-Net skip joined along a spatial axis stacks the maps instead of adding channels. Keras on
channels-last maps (axis=1), torch on NCHW maps (dim=2); the fix joins on the channels. The frameworks are the
oracle: the bad join makes a taller map, the fixed one more channels."""
import os
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


FUSION = textwrap.dedent("""
    import keras
    from keras import layers

    acc_in = keras.Input((80, 3))
    gyr_in = keras.Input((80, 3))
    a = layers.Conv1D(32, 7, padding="same")(acc_in)
    g = layers.Conv1D(32, 7, padding="same")(gyr_in)
    fused = layers.Concatenate(axis=1)([a, g])
    out = layers.Dense(1)(layers.GlobalMaxPooling1D()(layers.Conv1D(64, 3, padding="same")(fused)))
    model = keras.Model([acc_in, gyr_in], out)
    shape = tuple(fused.shape)
""").lstrip()


def test_two_signal_branches_joined_on_time():
    """Accelerometer and gyroscope conv branches (N, 80, 32) joined on axis 1 give (N, 160, 32): the fused conv never
    sees both sensors at one instant (rw17d s07). The fix joins on the channels, (N, 80, 64)."""
    (d,) = [d for d in check_source("case.py", FUSION).diagnostics if d.severity == "warning"]
    assert d.code == "SHP203" and d.primary.span.line == 8
    fixed = fix_source("case.py", FUSION, [d], ("safe", "unsafe")).source
    assert "Concatenate(axis=-1)" in fixed
    pytest.importorskip("keras")
    from oracle import run
    assert run(FUSION)["shape"] == (None, 160, 32) and run(fixed)["shape"] == (None, 80, 64)


def test_a_prefix_or_tokens_joined_on_time_are_quiet():
    prefix = FUSION.replace('g = layers.Conv1D(32, 7, padding="same")(gyr_in)',
                            'g = layers.Conv1D(32, 7, padding="same")(gyr_in)[:, :4]')
    assert not [d for d in check_source("case.py", prefix).diagnostics if d.severity == "warning"]
    tokens = FUSION.replace('layers.Conv1D(32, 7, padding="same")', "layers.Dense(32)")
    assert not [d for d in check_source("case.py", tokens).diagnostics if d.severity == "warning"]


def test_two_raw_signal_inputs_joined_on_time_before_a_conv():
    """The two sensor inputs themselves joined on axis 1, then a Conv1D: the conv after the join says axis 1 is
    its sliding (time) axis (rw18a s07). Fixed on the axis."""
    src = textwrap.dedent("""
        import keras
        from keras import layers

        acc_in = keras.Input((100, 3))
        gyr_in = keras.Input((100, 3))
        x = layers.Concatenate(axis=1)([acc_in, gyr_in])
        out = layers.Dense(1)(layers.GlobalMaxPooling1D()(layers.Conv1D(8, 5, padding="same")(x)))
        model = keras.Model([acc_in, gyr_in], out)
        shape = tuple(x.shape)
    """).lstrip()
    (d,) = [d for d in check_source("case.py", src).diagnostics if d.severity == "warning"]
    assert d.code == "SHP203" and d.primary.span.line == 6
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "Concatenate(axis=-1)" in fixed
    pytest.importorskip("keras")
    from oracle import run
    assert run(src)["shape"] == (None, 200, 3) and run(fixed)["shape"] == (None, 100, 6)
    dense = src.replace('layers.Conv1D(8, 5, padding="same")(x)', "layers.Dense(8)(x)")
    assert not [d for d in check_source("case.py", dense).diagnostics if d.severity == "warning"]
