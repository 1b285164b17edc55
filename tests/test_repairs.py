"""The pure shape planners behind the structural merge fixes (rules/_repairs.py) and `spell()`, which names a
library object the way the file being fixed imports it (diagnostics/fixes.py). Expected values are worked out from
the shapes by hand; the fixes they drive are run with the real frameworks in tests/test_fixes.py."""
import pytest

from shapelint.diagnostics.fixes import spell
from shapelint.rules._repairs import expand_plan, pad_plan, projection_plan


# ---------------------------------------------------------------------------------------------------- pad_plan
@pytest.mark.parametrize("a, b, skip, spatial, expected", [
    # odd-sized U-Net (NCHW): the upsampled map is one pixel short on H and W -> pad it after
    ((2, 16, 36, 36), (2, 16, 37, 37), {1}, {2, 3}, (0, {2: (0, 1), 3: (0, 1)})),
    # the other input is the small one
    ((2, 16, 37, 37), (2, 16, 36, 36), {1}, {2, 3}, (1, {2: (0, 1), 3: (0, 1)})),
    # centred: an odd difference puts the extra pixel after
    ((2, 8, 10), (2, 8, 13), {1}, {2}, (0, {2: (1, 2)})),
    ((2, 8, 12), (2, 8, 16), {1}, {2}, (0, {2: (2, 2)})),
    # only one spatial axis differs
    ((1, 4, 20, 30), (1, 4, 20, 31), {1}, {2, 3}, (0, {3: (0, 1)})),
    # channels-last (Keras): differing channels on the concat axis are skipped
    ((None, 44, 44, 32), (None, 45, 45, 16), {3}, {1, 2}, (0, {1: (0, 1), 2: (0, 1)})),
    # 3-D volumes
    ((1, 2, 7, 8, 9), (1, 2, 8, 8, 10), {1}, {2, 3, 4}, (0, {2: (0, 1), 4: (0, 1)})),
])
def test_pad_plan(a, b, skip, spatial, expected):
    assert pad_plan(a, b, skip, spatial) == expected


@pytest.mark.parametrize("a, b, skip, spatial", [
    ((2, 16, 36), (2, 16, 36, 36), {1}, {2, 3}),           # ranks differ
    ((2, 16, 36, 36), (2, 16, 36, 36), {1}, {2, 3}),       # nothing differs
    ((2, 16, 36, 36), (2, 8, 36, 36), set(), {2, 3}),      # the differing axis is not spatial
    ((2, 16, 36, 36), (3, 16, 37, 37), {1}, {2, 3}),       # the batch differs too
    ((2, 16, 36, 38), (2, 16, 37, 37), {1}, {2, 3}),       # smaller on H, larger on W: no one input to pad
    ((2, 16, None, 36), (2, 16, 37, 37), {1}, {2, 3}),     # unknown size on a differing axis
    ((2, 16, "H", 36), (2, 16, 37, 37), {1}, {2, 3}),      # symbolic size on a differing axis
])
def test_pad_plan_none(a, b, skip, spatial):
    assert pad_plan(a, b, skip, spatial) is None


def test_pad_plan_unknown_on_equal_or_skipped_axis_is_fine():
    assert pad_plan((None, 16, 36, 36), (None, 16, 37, 37), {1}, {2, 3}) == (0, {2: (0, 1), 3: (0, 1)})
    assert pad_plan((2, None, 36), (2, 8, 37), {1}, {2}) == (0, {2: (0, 1)})


# ------------------------------------------------------------------------------------------------- expand_plan
@pytest.mark.parametrize("a, b, skip, expected", [
    ((1, 4, 48), (6, 9, 48), {1}, (0, [0])),          # learned tokens (1, n, d) next to (batch, tokens, d)
    ((6, 9, 48), (1, 4, 48), {1}, (1, [0])),          # the token is the second input
    ((1, 1, 8), (4, 5, 8), {2}, (0, [0, 1])),          # size 1 on every differing axis
    ((1, 1, 32), (3, 7, 32), {1}, (0, [0])),           # the concat axis is skipped even when it is 1
])
def test_expand_plan(a, b, skip, expected):
    assert expand_plan(a, b, skip) == expected


@pytest.mark.parametrize("a, b, skip", [
    ((1, 4, 48), (6, 9), {1}),                         # ranks differ
    ((6, 4, 48), (6, 9, 48), {1}),                     # only the concat axis differs: nothing to expand
    ((2, 4, 48), (6, 9, 48), {1}),                     # neither input is 1 on the differing axis
    ((1, 4, 48), (6, 9, 32), {1}),                     # one input is 1 on axis 0 but not on axis 2
    ((1, 4, 48), (None, 9, 48), {1}),                  # unknown batch: no definite plan
    ((1, 4, 48), ("B", 9, 48), {1}),                   # symbolic batch
])
def test_expand_plan_none(a, b, skip):
    assert expand_plan(a, b, skip) is None


# --------------------------------------------------------------------------------------------- projection_plan
@pytest.mark.parametrize("a, b, channel_axis, spatial, expected", [
    # Keras channels-last: the shortcut (second input) has fewer channels, same size -> 1x1 conv, stride 1
    ((None, 16, 16, 24), (None, 16, 16, 8), -1, [1, 2], (1, 24, 1)),
    # Keras: shortcut has fewer channels and twice the pixels -> strided 1x1 conv
    ((None, 8, 8, 64), (None, 16, 16, 32), -1, [1, 2], (1, 64, 2)),
    # torch NCL: the first input is the shortcut
    ((4, 16, 40), (4, 32, 20), 1, [2], (0, 32, 2)),
    # torch NCHW with equal channels: the larger input is the shortcut
    ((2, 8, 32, 32), (2, 8, 16, 16), 1, [2, 3], (0, 8, 2)),
    ((2, 8, 8, 8), (2, 8, 32, 32), 1, [2, 3], (1, 8, 4)),
    # 3-D volumes, channels-last
    ((None, 4, 4, 4, 32), (None, 8, 8, 8, 16), -1, [1, 2, 3], (1, 32, 2)),
    # no spatial axes: channels alone
    ((4, 8), (4, 16), 1, [], (0, 16, 1)),
])
def test_projection_plan(a, b, channel_axis, spatial, expected):
    assert projection_plan(a, b, channel_axis, spatial) == expected


@pytest.mark.parametrize("a, b, channel_axis, spatial", [
    ((None, 16, 16, 8), (None, 16, 16), -1, [1, 2]),                   # ranks differ
    ((None, 16, 16, 8), (None, 16, 16, 8), -1, [1, 2]),                # identical: nothing to project
    ((4, 8), (4, 8), 1, []),                                            # identical, no spatial axes
    ((None, None, 16, 8), (None, 16, 16, 24), -1, [1, 2]),             # unknown spatial size
    ((None, 16, 16, "C"), (None, 16, 16, 24), -1, [1, 2]),             # symbolic channels
    ((None, 10, 10, 8), (None, 4, 4, 16), -1, [1, 2]),                 # 10 -> 4 is no integer stride
    ((None, 16, 12, 8), (None, 8, 4, 16), -1, [1, 2]),                 # strides 2 and 3 differ per axis
    ((None, 4, 4, 8), (None, 8, 8, 16), -1, [1, 2]),                   # the thinner input is the smaller one
])
def test_projection_plan_none(a, b, channel_axis, spatial):
    assert projection_plan(a, b, channel_axis, spatial) is None


def test_projection_plan_unknown_batch_is_fine():
    assert projection_plan((None, 8, 8, 64), (7, 16, 16, 32), -1, [1, 2]) == (1, 64, 2)


# ------------------------------------------------------------------------------------------------------ spell
TARGETS = ("torch.nn.functional.pad", "torch.nn.Unflatten", "keras.layers.ZeroPadding2D",
           "keras.utils.to_categorical")


@pytest.mark.parametrize("imports, expected", [
    (["import torch"], ("torch.nn.functional.pad", "torch.nn.Unflatten", None, None)),
    (["import torch.nn as nn"], ("nn.functional.pad", "nn.Unflatten", None, None)),
    (["import torch.nn.functional as F"], ("F.pad", None, None, None)),
    (["from torch.nn import functional as F"], ("F.pad", None, None, None)),
    (["from torch import nn"], ("nn.functional.pad", "nn.Unflatten", None, None)),
    (["import torch.nn.functional"], ("torch.nn.functional.pad", "torch.nn.Unflatten", None, None)),
    (["from keras import layers"], (None, None, "layers.ZeroPadding2D", None)),
    (["from tensorflow.keras import layers"], (None, None, "layers.ZeroPadding2D", None)),
    (["import tensorflow as tf"], (None, None, "tf.keras.layers.ZeroPadding2D", "tf.keras.utils.to_categorical")),
    (["import keras"], (None, None, "keras.layers.ZeroPadding2D", "keras.utils.to_categorical")),
    (["from tensorflow import keras"], (None, None, "keras.layers.ZeroPadding2D", "keras.utils.to_categorical")),
    (["from keras.layers import Dense, ZeroPadding2D"], (None, None, "ZeroPadding2D", None)),
    (["from keras.utils import to_categorical"], (None, None, None, "to_categorical")),
    (["x = 1"], (None, None, None, None)),                                 # nothing imported
    ([], (None, None, None, None)),                                        # empty file
    (["import (", "def broken"], (None, None, None, None)),                 # unparsable source: no spelling, no crash
])
def test_spell(imports, expected):
    assert tuple(spell(t, imports) for t in TARGETS) == expected


def test_spell_takes_the_shortest_spelling():
    lines = ["import torch", "import torch.nn as nn", "import torch.nn.functional as F", "import keras",
             "from keras import layers"]
    assert spell("torch.nn.functional.pad", lines) == "F.pad"
    assert spell("torch.nn.Unflatten", lines) == "nn.Unflatten"
    assert spell("torch.cat", lines) == "torch.cat"
    assert spell("keras.layers.ZeroPadding1D", lines) == "layers.ZeroPadding1D"
    assert spell("keras.utils.to_categorical", lines) == "keras.utils.to_categorical"


def test_spell_sees_nested_imports_but_not_relative_or_star_imports():
    assert spell("torch.nn.functional.pad", ["def f():", "    import torch.nn.functional as F"]) == "F.pad"
    assert spell("torch.nn.functional.pad", ["from . import F"]) is None
    assert spell("torch.nn.functional.pad", ["from torch.nn import *"]) is None
