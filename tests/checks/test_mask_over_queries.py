"""SHP218: a padding mask on the query axis of Q Kᵀ scores. Torch is the oracle: with the bad mask a real token's
weight on a padded key is not zero; with the fixed mask it is."""
from pathlib import Path

import pytest

from shapelint.fixing import fix_source
from shapelint.frontends.source.check import check_source

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "codes" / "examples"


def _loud(src: str) -> list:
    return [d for d in check_source("case.py", src).diagnostics if d.severity in ("error", "warning")]


def _weights(src: str):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    scope = {"__name__": "__main__"}
    exec(compile(src.replace("return scores.softmax(dim=-1) @ v", "return scores.softmax(dim=-1)"), "case.py",
                 "exec"), scope)
    return scope["out"]


def test_reported_where_the_mask_is_made_and_fixed_there():
    src = (EXAMPLES / "SHP218_bad.py").read_text()
    (d,) = _loud(src)
    assert d.code == "SHP218" and src.splitlines()[d.primary.span.line - 1] == "mask = (ids != 0).unsqueeze(-1)"
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "mask = (ids != 0).unsqueeze(1)" in fixed and not _loud(fixed)
    bad, good = _weights(src), _weights(fixed)
    assert float(bad[0, 0, 8:].sum()) > 0.01      # a real token still looks at the padding
    assert float(good[0, 0, 8:].sum()) < 1e-3     # what was meant


def test_a_key_axis_mask_and_a_causal_mask_are_left_alone():
    src = (EXAMPLES / "SHP218_good.py").read_text()
    assert not _loud(src)
    causal = src.replace("mask = (ids != 0).unsqueeze(1)", "mask = torch.tril(torch.ones(12, 12))")
    assert not _loud(causal)


def test_keras_padding_mask_expanded_on_the_last_axis_is_fixed_to_axis_one():
    """Keras MultiHeadAttention broadcasts a (B, T, 1) attention_mask over the keys (the same on every backend): the
    rows of padded queries are masked, not the padded keys."""
    import os
    os.environ.setdefault("KERAS_BACKEND", "torch")
    src = """
import keras
from keras import layers, ops

tokens = keras.Input(shape=(20,), dtype="int32")
h = layers.Embedding(100, 16)(tokens)
mask = ops.expand_dims(ops.not_equal(tokens, 0), axis=-1)
h = layers.MultiHeadAttention(num_heads=2, key_dim=8)(h, h, attention_mask=mask)
model = keras.Model(tokens, layers.Dense(3)(layers.GlobalAveragePooling1D()(h)))
""".lstrip()
    (d,) = _loud(src)
    assert d.code == "SHP218" and d.primary.span.line == 6
    fixed = fix_source("case.py", src, [d], ("safe", "unsafe")).source
    assert "ops.expand_dims(ops.not_equal(tokens, 0), axis=1)" in fixed and not _loud(fixed)


SDPA = """import torch
import torch.nn as nn
import torch.nn.functional as F


class Attend(nn.Module):
    def forward(self, x, keep):
        mask = keep[:, None, :, None]
        return F.scaled_dot_product_attention(x, x, x, attn_mask=mask)


lengths = torch.tensor([5, 2, 4])
keep = torch.arange(5)[None, :] < lengths[:, None]
model = Attend()
out = model(torch.randn(3, 2, 5, 4), keep)
probe = F.scaled_dot_product_attention(torch.randn(3, 2, 5, 4), torch.randn(3, 2, 5, 4),
                                       torch.eye(5).expand(3, 2, 5, 5), attn_mask=keep[:, None, :, None])
"""


def test_an_sdpa_mask_indexed_onto_the_queries_is_moved_to_the_keys():
    # the model's mask, and the script's own probe below it (an op the script runs outside any model), both put
    # the padding on the queries: both are reported
    d, probe = sorted(_loud(SDPA), key=lambda x: x.primary.span.line)
    assert d.code == "SHP218" and d.primary.span.line == 8
    assert probe.code == "SHP218" and probe.primary.span.line == 17  # its attn_mask=keep[:, None, :, None]
    fixed = fix_source("case.py", SDPA, [d], ("safe", "unsafe")).source
    assert "mask = keep[:, None, None, :]" in fixed
    assert all(x.primary.span.line > 14 for x in _loud(fixed))  # nothing left in the model (the probe is not edited)


def test_what_sdpa_does_with_the_mask():
    pytest.importorskip("torch")
    scope = {"__name__": "__main__"}
    exec(compile(SDPA, "case.py", "exec"), scope)
    assert float(scope["probe"][1, 0, 0, 4]) > 0  # sample 1's first token attends to padded key 4
    fixed = {"__name__": "__main__"}
    exec(compile(SDPA.replace("keep[:, None, :, None]", "keep[:, None, None, :]"), "case.py", "exec"), fixed)
    assert fixed["out"].shape == (3, 2, 5, 4)
    assert float(fixed["probe"][1, 0, 0, 4]) == 0
