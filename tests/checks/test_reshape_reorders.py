"""SHP211: a reshape/view whose result is the input's axes in another order (core/reorder.py) is reported where it is
written -- in a torch forward(), on torch or NumPy data in a script, in a Keras ``Reshape`` layer or ``ops.reshape``
-- and the unsafe fix moves the axes first. Each fixed script is run with the real framework: it must run and give
what the transpose gives (the values, not only the shape)."""
import os
import textwrap

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source


def _check(src: str):
    src = textwrap.dedent(src).lstrip()
    return src, check_source("case.py", src)


def _reorders(result) -> list:
    return [d for d in result.diagnostics if d.code == "SHP211"]


def _fixed(src: str, result) -> str:
    return fix_source("case.py", src, result.diagnostics, ("safe", "unsafe")).source


def _run(src: str) -> dict:
    scope = {"__name__": "__main__"}
    exec(compile(src, "case.py", "exec"), scope)
    return scope


MERGE_HEADS = """
import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    def __init__(self, d_model=64, n_heads=4):
        super().__init__()
        self.n_heads, self.head_dim = n_heads, d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)

    def forward(self, x):
        B, L, D = x.shape
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        q = q.view(B, L, self.n_heads, self.head_dim).transpose(1, 2)
        k = k.view(B, L, self.n_heads, self.head_dim).transpose(1, 2)
        v = v.view(B, L, self.n_heads, self.head_dim).transpose(1, 2)
        out = F.scaled_dot_product_attention(q, k, v)
        return out.reshape(B, L, D)


attn = SelfAttention()
y = attn(torch.randn(2, 10, 64))
"""


def test_heads_merged_without_moving_them_back_are_reported_and_fixed():
    pytest.importorskip("torch")
    src, result = _check(MERGE_HEADS)
    (d,) = _reorders(result)
    assert d.primary.span.line == src.splitlines().index("        return out.reshape(B, L, D)") + 1
    fixed = _fixed(src, result)
    assert "out.permute(0, 2, 1, 3).reshape(B, L, D)" in fixed
    assert not _reorders(check_source("case.py", fixed))
    assert tuple(_run(fixed)["y"].shape) == (2, 10, 64)


def test_correct_head_merge_and_split_are_not_reported():
    src = MERGE_HEADS.replace("return out.reshape(B, L, D)", "return out.transpose(1, 2).reshape(B, L, D)")
    _, result = _check(src)
    assert not [d for d in result.diagnostics if d.severity in ("error", "warning")]


def test_heads_split_by_a_view_in_the_wrong_order_gets_the_split_then_move_help():
    src = MERGE_HEADS.replace("q.view(B, L, self.n_heads, self.head_dim).transpose(1, 2)",
                              "q.view(B, self.n_heads, L, self.head_dim)")
    src = src.replace("return out.reshape(B, L, D)", "return out.transpose(1, 2).reshape(B, L, D)")
    _, result = _check(src)
    (d,) = _reorders(result)
    assert "(2, 10, 4, 16)" in d.help and ".permute(0, 2, 1, 3)" in d.help
    assert d.fix is None or d.fix.applicability == "display-only" or not d.fix.edits


def test_numpy_recordings_reshaped_instead_of_transposed_get_a_transpose():
    np = pytest.importorskip("numpy")
    src, result = _check("""
        import numpy as np
        raw = np.random.rand(50, 9, 64)
        X = raw.reshape(len(raw), 64, 9)
        Y = raw.reshape(len(raw), 9 * 64)
    """)
    (d,) = _reorders(result)
    assert d.primary.span.line == 3
    fixed = _fixed(src, result)
    assert "X = raw.transpose(0, 2, 1)\n" in fixed
    scope = _run(fixed)
    assert np.array_equal(scope["X"], np.transpose(scope["raw"], (0, 2, 1)))


def test_torch_windows_viewed_time_major_keep_the_view_after_the_permute():
    torch = pytest.importorskip("torch")
    src, result = _check("""
        import torch
        windows = torch.randn(280, 20)
        seq = windows.view([20, -1, 1])
    """)
    (d,) = _reorders(result)
    fixed = _fixed(src, result)
    assert "windows.permute(1, 0).contiguous().view([20, -1, 1])" in fixed
    scope = _run(fixed)
    assert torch.equal(scope["seq"][:, :, 0], scope["windows"].t())


def test_keras_reshape_layer_is_replaced_by_the_permute():
    """A Permute put in front would leave the Reshape re-reading permuted values unchanged (a no-op layer kept by the
    fix: an expert review called it a workaround); the Reshape is the Permute."""
    pytest.importorskip("keras")
    os.environ.setdefault("KERAS_BACKEND", "torch")
    src, result = _check("""
        import numpy as np
        import keras
        from keras import layers

        inputs = keras.Input(shape=(9, 64))
        x = layers.Reshape((64, 9))(inputs)
        outputs = layers.Dense(2)(layers.LSTM(8)(x))
        model = keras.Model(inputs, outputs)
        y = model.predict(np.zeros((4, 9, 64)), verbose=0)
    """)
    (d,) = _reorders(result)
    assert d.primary.span.line == 6
    fixed = _fixed(src, result)
    assert "x = layers.Permute((2, 1))(inputs)" in fixed and "Reshape" not in fixed
    assert tuple(_run(fixed)["y"].shape) == (4, 2)


@pytest.mark.parametrize("reshape", [
    "x.view(x.size(0), -1)",                 # flatten
    "x.view(x.size(0), 16, 8, 8)",           # no-op
    "x.flatten(2).transpose(1, 2)",          # tokens done right
    "x.view(x.size(0), 16, 64)",             # merge of the spatial axes
    "x.reshape(x.size(0), 4, 4, 8, 8)",      # split channels into groups
])
def test_plain_merges_and_splits_in_a_forward_are_not_reported(reshape):
    _, result = _check(f"""
        import torch
        import torch.nn as nn

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = nn.Conv2d(3, 16, 3, padding=1)

            def forward(self, x):
                x = self.conv(x)
                return {reshape}

        y = Net()(torch.randn(2, 3, 8, 8))
    """)
    assert not [d for d in result.diagnostics if d.severity in ("error", "warning")]


def test_a_torch_reshape_that_was_the_whole_transpose_becomes_a_permute():
    """Expert review: `.permute(2, 0, 1).reshape(3, 32, 32)` left a reshape that does nothing after the permute."""
    pytest.importorskip("torch")
    src, result = _check("""
        import torch
        tile = torch.rand(32, 32, 3)
        x = tile.reshape(3, 32, 32)
    """)
    (d,) = _reorders(result)
    fixed = _fixed(src, result)
    assert "x = tile.permute(2, 0, 1)\n" in fixed
    scope = _run(fixed)
    assert tuple(scope["x"].shape) == (3, 32, 32)


PATCHIFY = """
import torch
import torch.nn as nn

P = 4


def patchify(imgs, p=P):
    B, C, H, W = imgs.shape
    return imgs.reshape(B, (H // p) * (W // p), C * p * p)


embed = nn.Linear(3 * P * P, 32)
imgs = torch.randn(2, 3, 32, 32)
tokens = embed(patchify(imgs))
"""


def test_images_reshaped_straight_into_patch_tokens_are_reported_and_gathered_first():
    src, result = _check(PATCHIFY)
    (d,) = _reorders(result)
    assert d.primary.span.line == 9 and "not a 4x4 patch" in d.message
    fixed = _fixed(src, result)
    assert ".unfold(2, 4, 4).unfold(3, 4, 4).permute(0, 2, 3, 1, 4, 5).reshape(" in fixed
    assert not _reorders(check_source("case.py", fixed))
    torch = pytest.importorskip("torch")
    scope = _run(fixed)
    x = scope["imgs"]
    want = x.reshape(2, 3, 8, 4, 8, 4).permute(0, 2, 4, 1, 3, 5).reshape(2, 64, 48)
    assert torch.equal(scope["patchify"](x), want)  # each token is one 4x4 patch, channel by channel


def test_rows_as_a_sequence_are_a_plain_merge():
    src = PATCHIFY.replace("imgs.reshape(B, (H // p) * (W // p), C * p * p)", "imgs.reshape(B, H, W)") \
        .replace("torch.randn(2, 3, 32, 32)", "torch.randn(2, 1, 32, 32)").replace("3 * P * P", "32")
    _, result = _check(src)
    assert not _reorders(result)


def test_keras_reshape_into_patches_is_reported():
    _, result = _check("""
        import keras
        from keras import layers

        inp = keras.Input(shape=(32, 32, 3))
        tokens = layers.Reshape((64, 48))(inp)
        model = keras.Model(inp, layers.Dense(16)(tokens))
    """)
    (d,) = _reorders(result)
    assert "ops.transpose(x, (0, 1, 3, 2, 4, 5))" in d.help


PERMUTED_THEN_MERGED = textwrap.dedent("""
    import torch
    import torch.nn as nn


    class Patches(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 96, 4, stride=4)

        def forward(self, x):
            x = self.conv(x)
            bs, c, h, w = x.shape
            x = x.permute(2, 3, 0, 1)
            return x.reshape(h * w, bs, c)


    tokens = Patches()(torch.randn(8, 3, 32, 32))
""").lstrip()


def test_sizes_read_before_a_permute_name_the_axes_of_the_tensor_as_it_was():
    """``bs, c, h, w = x.shape`` then ``x = x.permute(2, 3, 0, 1)``: the names are of the axes before the permute,
    so they say nothing about the order of the tensor reshaped after it -- (h, w, bs, c) -> (h*w, bs, c) merges
    neighbours, whatever the coinciding sizes (8 patches a side, a batch of 8)."""
    import torch
    x = torch.arange(8 * 96 * 8 * 8).reshape(8, 96, 8, 8)
    assert torch.equal(x.permute(2, 3, 0, 1).reshape(64, 8, 96), x.flatten(2).permute(2, 0, 1))  # tokens in order
    assert not [d for d in check_source("case.py", PERMUTED_THEN_MERGED).diagnostics
                if d.severity in ("error", "warning")]
