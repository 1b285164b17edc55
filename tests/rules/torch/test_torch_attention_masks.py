"""Attention masks in PyTorch: nn.MultiheadAttention, the Transformer layers and F.scaled_dot_product_attention,
table-driven through a small script in shapelint's evaluator; every row is also run through real torch 2.13
(``test_rows_match_torch``), so the table is the framework's behaviour, not ours."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "differential"))
from torch_ops_harness import shapelint_result, torch_result  # noqa: E402

NN = "import torch.nn as nn\n"
# batch 2, query length 5, key length 7, 16 features, 4 heads
MHA = NN + "m = nn.MultiheadAttention(16, 4, batch_first=True)\nq = torch.randn(2, 5, 16)\nk = torch.randn(2, 7, 16)"
SEQ = NN + "m = nn.MultiheadAttention(16, 4)\nq = torch.randn(5, 2, 16)\nk = torch.randn(7, 2, 16)"
ONE = NN + "m = nn.MultiheadAttention(16, 4)\nq = torch.randn(5, 16)\nk = torch.randn(7, 16)"
BIAS = NN + "m = nn.MultiheadAttention(16, 4, add_bias_kv=True, batch_first=True)\nq = torch.randn(2, 5, 16)\n" \
    "k = torch.randn(2, 7, 16)"
ENC = NN + "m = nn.TransformerEncoderLayer(16, 4, 32, batch_first=True)\nx = torch.randn(2, 7, 16)"
ENCS = ENC + "\ne = nn.TransformerEncoder(m, 2)"
DEC = NN + "m = nn.TransformerDecoderLayer(16, 4, 32, batch_first=True)\nt = torch.randn(2, 5, 16)\n" \
    "s = torch.randn(2, 7, 16)"
DECS = DEC + "\nd = nn.TransformerDecoder(m, 2)"
TR = NN + "m = nn.Transformer(16, 4, 1, 1, 32, batch_first=True)\ns = torch.randn(2, 7, 16)\nt = torch.randn(2, 5, 16)"
SD = "q = torch.randn(2, 4, 5, 8)\nk = torch.randn(2, 4, 7, 8)\nv = torch.randn(2, 4, 7, 6)"
MF = ("w = torch.randn(48, 16)\nb = torch.randn(48)\now = torch.randn(16, 16)\nob = torch.randn(16)\n"
      "q = torch.randn(5, 2, 16)\nk = torch.randn(7, 2, 16)")
MFC = "F.multi_head_attention_forward(q, k, k, 16, 4, w, b, None, None, False, 0.0, ow, ob"

ROWS = [
    # nn.MultiheadAttention: attn_mask (L, S) or (N*heads, L, S); key_padding_mask (N, S)
    (MHA, "m(q, k, k, attn_mask=torch.ones(5, 7).bool())", ((2, 5, 16), (2, 5, 7))),
    (MHA, "m(q, k, k, attn_mask=torch.zeros(5, 7))", ((2, 5, 16), (2, 5, 7))),
    (MHA, "m(q, k, k, attn_mask=torch.ones(8, 5, 7).bool())", ((2, 5, 16), (2, 5, 7))),
    (MHA, "m(q, k, k, key_padding_mask=torch.zeros(2, 7).bool())", ((2, 5, 16), (2, 5, 7))),
    (MHA, "m(q, k, k, torch.zeros(2, 7).bool())", ((2, 5, 16), (2, 5, 7))),
    (MHA, "m(q, q, q, attn_mask=torch.ones(5, 5).bool(), is_causal=True)[0]", (2, 5, 16)),
    (MHA, "m(q, k, k, attn_mask=torch.ones(7, 5).bool())", "error"),
    (MHA, "m(q, k, k, attn_mask=torch.ones(2, 7).bool())", "error"),
    (MHA, "m(q, k, k, attn_mask=torch.ones(2, 5, 7).bool())", "error"),
    (MHA, "m(q, k, k, attn_mask=torch.ones(1, 5, 7).bool())", "error"),
    (MHA, "m(q, k, k, attn_mask=torch.ones(2, 4, 5, 7).bool())", "error"),
    (MHA, "m(q, k, k, attn_mask=torch.ones(7).bool())", "error"),
    (MHA, "m(q, k, k, attn_mask=torch.zeros(5, 7, dtype=torch.long))", "error"),
    (MHA, "m(q, k, k, key_padding_mask=torch.zeros(7, 2).bool())", "error"),
    (MHA, "m(q, k, k, key_padding_mask=torch.zeros(2, 5).bool())", "error"),
    (MHA, "m(q, k, k, key_padding_mask=torch.zeros(2, 1, 7).bool())", "error"),
    (MHA, "m(q, k, k, torch.zeros(2, 5).bool())", "error"),
    (MHA, "m(q, k, k, is_causal=True)", "error"),
    (SEQ, "m(q, k, k, attn_mask=torch.ones(5, 7).bool(), key_padding_mask=torch.zeros(2, 7).bool())[1]", (2, 5, 7)),
    (SEQ, "m(q, k, k, key_padding_mask=torch.zeros(7, 2).bool())", "error"),
    (ONE, "m(q, k, k, attn_mask=torch.ones(4, 5, 7).bool())", ((5, 16), (5, 7))),
    (ONE, "m(q, k, k, key_padding_mask=torch.zeros(7).bool())", ((5, 16), (5, 7))),
    (ONE, "m(q, k, k, attn_mask=torch.ones(1, 5, 7).bool())", "error"),
    (ONE, "m(q, k, k, key_padding_mask=torch.zeros(1, 7).bool())", "error"),
    (BIAS, "m(q, k, k, attn_mask=torch.ones(5, 7).bool(), key_padding_mask=torch.zeros(2, 7).bool())",
     ((2, 5, 16), (2, 5, 8))),
    (BIAS, "m(q, k, k, attn_mask=torch.ones(5, 8).bool())", "error"),
    # Transformer layers hand their masks to the same checks
    (ENC, "m(x, src_mask=torch.ones(7, 7).bool(), src_key_padding_mask=torch.zeros(2, 7).bool())", (2, 7, 16)),
    (ENC, "m(x, torch.ones(7, 7).bool())", (2, 7, 16)),
    (ENC, "m(x, src_mask=torch.ones(2, 7, 7).bool())", "error"),
    (ENC, "m(x, src_key_padding_mask=torch.zeros(7, 2).bool())", "error"),
    (ENC, "m(x, is_causal=True)", "error"),
    (ENCS, "e(x, mask=nn.Transformer.generate_square_subsequent_mask(7), is_causal=True)", (2, 7, 16)),
    (ENCS, "e(x, mask=torch.ones(5, 7).bool())", "error"),
    (ENCS, "e(x, src_key_padding_mask=torch.zeros(7, 2).bool())", "error"),
    (DEC, "m(t, s, tgt_mask=torch.ones(5, 5).bool(), memory_mask=torch.ones(5, 7).bool())", (2, 5, 16)),
    (DEC, "m(t, s, tgt_key_padding_mask=torch.zeros(2, 5).bool(), "
          "memory_key_padding_mask=torch.zeros(2, 7).bool())", (2, 5, 16)),
    (DEC, "m(t, s, tgt_mask=torch.ones(7, 7).bool())", "error"),
    (DEC, "m(t, s, memory_mask=torch.ones(7, 5).bool())", "error"),
    (DEC, "m(t, s, tgt_key_padding_mask=torch.zeros(2, 7).bool())", "error"),
    (DEC, "m(t, s, memory_key_padding_mask=torch.zeros(2, 5).bool())", "error"),
    (DEC, "m(t, s, tgt_is_causal=True)", "error"),
    (DECS, "d(t, s, torch.ones(5, 5).bool())", (2, 5, 16)),
    (DECS, "d(t, s, tgt_mask=nn.Transformer.generate_square_subsequent_mask(5), tgt_is_causal=True)", (2, 5, 16)),
    (DECS, "d(t, s, tgt_mask=torch.ones(7, 7).bool())", "error"),
    (DECS, "d(t, s, tgt_is_causal=True)", "error"),
    (TR, "m(s, t, tgt_mask=nn.Transformer.generate_square_subsequent_mask(5), "
         "src_key_padding_mask=torch.zeros(2, 7).bool(), memory_key_padding_mask=torch.zeros(2, 7).bool())",
     (2, 5, 16)),
    (TR, "m(s, t, tgt_mask=nn.Transformer.generate_square_subsequent_mask(7))", "error"),
    (TR, "m(s, t, src_mask=torch.ones(5, 5).bool())", "error"),
    (TR, "m(s, t, src_key_padding_mask=torch.zeros(2, 5).bool())", "error"),
    (TR, "m(s, t, memory_key_padding_mask=torch.zeros(2, 5).bool())", "error"),
    (TR, "m(s, t, tgt_is_causal=True)", "error"),
    # F.scaled_dot_product_attention: the mask broadcasts to the scores (N, heads, L, S)
    (SD, "F.scaled_dot_product_attention(q, k, v)", (2, 4, 5, 6)),
    (SD, "F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(5, 7).bool())", (2, 4, 5, 6)),
    (SD, "F.scaled_dot_product_attention(q, k, v, torch.ones(2, 1, 1, 7).bool())", (2, 4, 5, 6)),
    (SD, "F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(2, 1, 5, 7))", (2, 4, 5, 6)),
    (SD, "F.scaled_dot_product_attention(q, k, v, is_causal=True)", (2, 4, 5, 6)),
    (SD, "F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(2, 7).bool())", "error"),
    (SD, "F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(2, 5, 7).bool())", "error"),
    (SD, "F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(7, 5).bool())", "error"),
    (SD, "F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(7).bool())", "error"),
    (SD, "F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(1, 2, 1, 5, 7).bool())", "error"),
    (SD, "F.scaled_dot_product_attention(q, k, v, attn_mask=torch.ones(5, 7).bool(), is_causal=True)", "error"),
    (SD, "F.scaled_dot_product_attention(q, k, v, attn_mask=torch.zeros(5, 7, dtype=torch.long))", "error"),
    (SD, "F.scaled_dot_product_attention(q, k, torch.randn(2, 4, 5, 6))", "error"),
    (SD, "F.scaled_dot_product_attention(q, torch.randn(2, 2, 7, 8), torch.randn(2, 2, 7, 6))", "error"),
    (SD, "F.scaled_dot_product_attention(torch.randn(2, 8, 5, 8), torch.randn(2, 2, 7, 8), "
         "torch.randn(2, 2, 7, 6), enable_gqa=True)", (2, 8, 5, 6)),
    (SD, "F.scaled_dot_product_attention(q, torch.randn(1, 4, 7, 8), torch.randn(1, 4, 7, 6))", (2, 4, 5, 6)),
    (SD, "F.scaled_dot_product_attention(torch.randn(8), torch.randn(8), torch.randn(8))", "error"),
    # F.multi_head_attention_forward (sequence first), masks by keyword
    (MF, MFC + ")", ((5, 2, 16), (2, 5, 7))),
    (MF, MFC + ", attn_mask=torch.ones(5, 7).bool(), key_padding_mask=torch.zeros(2, 7).bool())",
     ((5, 2, 16), (2, 5, 7))),
    (MF, MFC + ", attn_mask=torch.ones(7, 5).bool())", "error"),
    (MF, MFC + ", key_padding_mask=torch.zeros(2, 5).bool())", "error"),
    (MF, MFC.replace(", 16, 4,", ", 12, 4,") + ")", "error"),
]


@pytest.mark.parametrize("setup,expr,expected", ROWS)
def test_masks(setup, expr, expected):
    got = shapelint_result(setup, expr)
    assert (got[1] if got[0] == "ok" else "error") == expected, got


@pytest.mark.parametrize("setup,expr,expected", ROWS)
def test_rows_match_torch(setup, expr, expected):
    pytest.importorskip("torch")
    got = torch_result(setup, expr)
    assert (got[1] if got[0] == "ok" else "error") == expected, got


def test_mask_error_points_at_the_mask_and_names_the_mistake():
    from shapelint.frontends.source.check import check_source
    src = ("import torch\nimport torch.nn as nn\nmha = nn.MultiheadAttention(16, 4, batch_first=True)\n"
           "x = torch.randn(2, 5, 16)\npad = torch.zeros(2, 7).bool()\nk = torch.randn(2, 7, 16)\n"
           "y, _ = mha(x, k, k, attn_mask=pad)\n")
    d = [d for d in check_source("t.py", src).diagnostics if d.severity == "error"]
    assert [x.code for x in d] == ["SHP125"]
    assert d[0].primary.span.line == 7 and d[0].primary.span.column == 31
    assert "key_padding_mask" in d[0].help
