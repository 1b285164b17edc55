"""Tensor ops and F.* ops, table-driven through a one-line script (``y = <expr>``) in shapelint's evaluator; each row
is also run through real torch 2.13 (``test_rows_match_torch``)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "differential"))
from torch_ops_harness import shapelint_result, torch_result  # noqa: E402

X = "x = torch.randn(8, 16, 4, 4)"
S = "x = torch.randn(4, 7, 20)"
ROWS = [
    (X, "torch.flatten(x, 1)", (8, 256)),
    (X, "x.view(x.size(0), -1)", (8, 256)),
    (X, "x.view(-1, 16 * 4 * 4)", (8, 256)),
    (X, "x.reshape(8, 16, -1)", (8, 16, 16)),
    (X, "x.view(-1, 16 * 5 * 5)", "error"),
    (X, "x.view(8, -1, -1)", "error"),
    (X, "x.mean((2, 3))", (8, 16)),
    (X, "x.mean(dim=[2, 3], keepdim=True)", (8, 16, 1, 1)),
    (X, "x.sum()", ()),
    (X, "x.max(1)", ((8, 4, 4), (8, 4, 4))),
    (S, "x.topk(2)", ((4, 7, 2), (4, 7, 2))),
    (S, "torch.tril(x)", (4, 7, 20)),
    (S, "x.triu(diagonal=1)", (4, 7, 20)),
    (S, "torch.tril(torch.ones(7, 7), -1)", (7, 7)),
    (S, "torch.tril(torch.ones(7))", "error"),
    (S, "torch.einsum('bij,bkj->bik', x, x)", (4, 7, 7)),
    (S, "torch.einsum('bij,bjk', x, x.transpose(1, 2))", (7, 7)),
    (S, "torch.einsum('...j,jk->...k', x, torch.randn(20, 3))", (4, 7, 3)),
    (S, "torch.einsum('bij,jk->bik', x, torch.randn(1, 3))", (4, 7, 3)),
    (S, "torch.einsum('ijk->', x)", ()),
    (S, "torch.einsum('bij,bjk->bik', x, x)", "error"),
    (S, "torch.einsum('ij,jk->ik', x, x)", "error"),
    (S, "torch.einsum('bij,bij->bi', x, x, x)", "error"),
    (S, "torch.einsum('ijj->i', x)", "error"),
    (S, "torch.topk(x, 1, dim=1)", ((4, 1, 20), (4, 1, 20))),
    (S, "x.topk(k=3, dim=0, largest=False)", ((3, 7, 20), (3, 7, 20))),
    (S, "x.topk(20)", ((4, 7, 20), (4, 7, 20))),
    (S, "x.topk(21)", "error"),
    (S, "x.topk(5, 0)", "error"),
    (S, "x.topk(-1)", "error"),
    (S, "x.topk(1, dim=3)", "error"),
    (X, "x.argmax(dim=1)", (8, 4, 4)),
    (X, "x.permute(0, 2, 3, 1)", (8, 4, 4, 16)),
    (X, "x.permute(0, 2, 1)", "error"),
    (X, "x.transpose(1, 3)", (8, 4, 4, 16)),
    (X, "x.t()", "error"),
    (X, "x.squeeze(0)", (8, 16, 4, 4)),
    (X, "x.unsqueeze(-1)", (8, 16, 4, 4, 1)),
    (X, "x.unsqueeze(5)", "error"),
    (X, "torch.softmax(x, dim=1)", (8, 16, 4, 4)),
    (X, "x.log_softmax(4)", "error"),
    (X, "x.contiguous().view(8, -1)", (8, 256)),
    (S, "x[:, -1]", (4, 20)),
    (S, "x[:, 0, :]", (4, 20)),
    (S, "x[:, -1, :5]", (4, 5)),
    (S, "x[..., None]", (4, 7, 20, 1)),
    (S, "x[None, ::2]", (1, 2, 7, 20)),
    (S, "x[:, 7]", "error"),
    (S, "x[0, 0, 0, 0]", "error"),
    (S + "\nh = torch.randn(4, 7, 5)", "torch.cat([x, h], dim=2)", (4, 7, 25)),
    (S + "\nh = torch.randn(4, 6, 5)", "torch.cat([x, h], dim=2)", "error"),
    (S + "\nh = torch.randn(4, 7, 20)", "torch.stack([x, h], dim=1)", (4, 2, 7, 20)),
    (S + "\nh = torch.randn(4, 7, 21)", "torch.stack([x, h])", "error"),
    (S + "\nw = torch.randn(20, 3)", "x @ w", (4, 7, 3)),
    (S + "\nw = torch.randn(7, 3)", "torch.matmul(x, w)", "error"),
    (S + "\nw = torch.randn(4, 20, 2)", "torch.bmm(x, w)", (4, 7, 2)),
    (S + "\nw = torch.randn(3, 20, 2)", "torch.bmm(x, w)", "error"),
    (S + "\nb = torch.randn(7, 1)", "x + b", (4, 7, 20)),
    (S + "\nb = torch.randn(7, 2)", "x * b", "error"),
    (S + "\nw = torch.randn(5, 20)", "F.linear(x, w)", (4, 7, 5)),
    (S + "\nw = torch.randn(20, 5)", "F.linear(x, w)", "error"),
    ("x = torch.randn(2, 3, 32, 32)", "F.max_pool2d(x, 2)", (2, 3, 16, 16)),
    ("x = torch.randn(2, 3, 32, 32)", "F.avg_pool2d(x, 3, stride=2, padding=1)", (2, 3, 16, 16)),
    ("x = torch.randn(2, 3, 32, 32)", "F.adaptive_avg_pool2d(x, (1, 1))", (2, 3, 1, 1)),
    ("x = torch.randn(2, 3, 32, 32)", "F.interpolate(x, scale_factor=2, mode='bilinear')", (2, 3, 64, 64)),
    ("x = torch.randn(2, 3, 32, 32)", "F.interpolate(x, size=(8, 8))", (2, 3, 8, 8)),
    ("x = torch.randn(2, 3, 32, 32)", "F.pad(x, (1, 1, 2, 2))", (2, 3, 36, 34)),
    ("x = torch.randn(2, 3, 32, 32)", "F.pad(x, (40, 40), mode='reflect')", "error"),
    ("x = torch.randn(2, 3, 32, 32)\nw = torch.randn(8, 3, 3, 3)", "F.conv2d(x, w, padding=1)", (2, 8, 32, 32)),
    ("x = torch.randn(2, 4, 32, 32)\nw = torch.randn(8, 3, 3, 3)", "F.conv2d(x, w)", "error"),
    ("x = torch.randn(2, 10)", "F.softmax(x, dim=1)", (2, 10)),
    ("x = torch.randn(2, 10)", "F.softmax(x, dim=2)", "error"),
    ("x = torch.randn(2, 10)", "F.dropout(F.relu(x), 0.5)", (2, 10)),
    ("x = torch.randn(2, 10)", "F.layer_norm(x, (10,))", (2, 10)),
    ("x = torch.randn(2, 10)", "F.layer_norm(x, (8,))", "error"),
    ("x = torch.randn(2, 3, 8, 8)\ny, i = F.max_pool2d(x, 2, return_indices=True)", "F.max_unpool2d(y, i, 2)",
     (2, 3, 8, 8)),
    ("x = torch.randn(2, 3, 9, 9)\ny, i = F.max_pool2d(x, 2, return_indices=True)",
     "F.max_unpool2d(y, i, 2, output_size=x.size())", (2, 3, 9, 9)),
    ("x = torch.randn(2, 3, 9, 9)\ny, i = F.max_pool2d(x, 2, return_indices=True)",
     "F.max_unpool2d(y, i, 2, output_size=(10, 9))", "error"),
    ("x = torch.randn(2, 3, 9, 9)\ny, i = F.max_pool2d(x, 2, return_indices=True)", "F.max_unpool2d(y, x, 2)",
     "error"),
    ("x = torch.randn(4, 8)\ny, i = F.max_pool1d(x, 2, return_indices=True)", "F.max_unpool1d(y, i, 2)", (4, 8)),
    ("x = torch.randn(4, 8)\ny, i = F.max_pool1d(x, 2, return_indices=True)", "F.max_unpool1d(y, i.float(), 2)",
     "error"),
    ("x = torch.randn(1, 2, 4, 4, 4)\ny, i = F.max_pool3d(x, 3, 2, 1, return_indices=True)",
     "F.max_unpool3d(y, i, 3, 2, 1, x.shape)", (1, 2, 4, 4, 4)),
    ("x = torch.randn(1, 2, 4, 4, 4)\ny, i = F.max_pool3d(x, 2, return_indices=True)",
     "F.max_unpool3d(y[0], i, 2)", "error"),
    ("a = torch.randn(8, 16)\nb = torch.randn(8, 16)", "F.pairwise_distance(a, b)", (8,)),
    ("a = torch.randn(8, 16)\nb = torch.randn(16)", "F.pairwise_distance(a, b, keepdim=True)", (8, 1)),
    ("a = torch.randn(16)\nb = torch.randn(16)", "F.pairwise_distance(a, b, keepdim=True)", (1,)),
    ("a = torch.randn(8, 16)\nb = torch.randn(8, 15)", "F.pairwise_distance(a, b)", "error"),
]


@pytest.mark.parametrize("setup,expr,expected", ROWS)
def test_ops(setup, expr, expected):
    got = shapelint_result(setup, expr)
    assert (got[1] if got[0] == "ok" else "error") == expected, got


@pytest.mark.parametrize("setup,expr,expected", ROWS)
def test_rows_match_torch(setup, expr, expected):
    pytest.importorskip("torch")
    got = torch_result(setup, expr)
    assert (got[1] if got[0] == "ok" else "error") == expected, got


NN = "import torch.nn as nn\n"
PACKED = "from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence\n" \
         "lstm = nn.LSTM(4, 6, bidirectional=True)\nx = torch.randn(5, 3, 4)\np = pack_padded_sequence(x, [5, 4, 1])\n" \
         "o, (h, c) = lstm(p)"
MODULE_CALLS = [
    (NN + "m = nn.MultiheadAttention(16, 4)\nq = torch.randn(5, 2, 16)\nk = torch.randn(6, 2, 16)", "m(q, k, k)",
     ((5, 2, 16), (2, 5, 6))),
    (NN + "m = nn.MultiheadAttention(16, 4, batch_first=True)\nq = torch.randn(2, 5, 16)\nk = torch.randn(2, 6, 16)",
     "m(q, k, k)[0]", (2, 5, 16)),
    (NN + "m = nn.MultiheadAttention(16, 4, kdim=8, vdim=6)\nq = torch.randn(5, 16)\nk = torch.randn(6, 8)\n"
     "v = torch.randn(6, 6)", "m(q, k, v)", ((5, 16), (5, 6))),
    (NN + "m = nn.MultiheadAttention(16, 4)\nq = torch.randn(5, 2, 16)\nk = torch.randn(6, 3, 16)", "m(q, k, k)",
     "error"),
    (NN + "m = nn.MultiheadAttention(16, 4)\nq = torch.randn(5, 2, 16)\nk = torch.randn(6, 2, 12)", "m(q, k, k)",
     "error"),
    (NN + "m = nn.Transformer(16, 4, 1, 1, 32)\ns = torch.randn(5, 2, 16)\nt = torch.randn(6, 2, 16)", "m(s, t)",
     (6, 2, 16)),
    (NN + "m = nn.Transformer(16, 4, 1, 1, 32)\ns = torch.randn(5, 2, 16)\nt = torch.randn(6, 3, 16)", "m(s, t)",
     "error"),
    (NN + "m = nn.TransformerDecoder(nn.TransformerDecoderLayer(16, 4, 32, batch_first=True), 2)\n"
     "s = torch.randn(2, 5, 16)\nt = torch.randn(2, 6, 16)", "m(t, s)", (2, 6, 16)),
    (NN + "m = nn.Bilinear(4, 5, 3)\na = torch.randn(2, 4)\nb = torch.randn(2, 5)", "m(a, b)", (2, 3)),
    (NN + "m = nn.Bilinear(4, 5, 3)\na = torch.randn(2, 4)\nb = torch.randn(2, 6)", "m(a, b)", "error"),
    (NN + "m = nn.EmbeddingBag(10, 3)\na = torch.randint(0, 10, (8,))\no = torch.tensor([0, 3, 5])", "m(a, o)",
     (3, 3)),
    (NN + "m = nn.LSTM(10, 20)\na = torch.randn(5, 2, 10)\nh = torch.randn(1, 2, 20)", "m(a, (h, h))",
     ((5, 2, 20), ((1, 2, 20), (1, 2, 20)))),
    (NN + "m = nn.LSTMCell(10, 20)\na = torch.randn(2, 10)", "m(a)", ((2, 20), (2, 20))),
    (NN + "m = nn.CosineSimilarity()\na = torch.randn(2, 3, 4)", "m(a, a)", (2, 4)),
    (NN + "m = nn.CosineSimilarity(dim=-1)\na = torch.randn(2, 3, 4)\nb = torch.randn(1, 4)", "m(a, b)", (2, 3)),
    (NN + "m = nn.CosineSimilarity()\na = torch.randn(2, 3, 4)\nb = torch.randn(2, 5, 4)", "m(a, b)", "error"),
    (NN + "m = nn.PairwiseDistance()\na = torch.randn(2, 4)\nb = torch.randn(4)", "m(a, b)", (2,)),
    (NN + "m = nn.PairwiseDistance(keepdim=True)\na = torch.randn(2, 3, 4)", "m(a, a)", (2, 3, 1)),
    (NN + "m = nn.PairwiseDistance(keepdim=True)\na = torch.randn(4)", "m(a, a)", (1,)),
    (NN + "p = nn.MaxPool2d(2, return_indices=True)\nu = nn.MaxUnpool2d(2)\nx = torch.randn(2, 3, 7, 7)\n"
     "y, i = p(x)", "u(y, i, x.size())", (2, 3, 7, 7)),
    (NN + "p = nn.MaxPool2d(2, return_indices=True)\nu = nn.MaxUnpool2d(2)\nx = torch.randn(2, 3, 8, 8)\n"
     "y, i = p(x)", "u(y, i)", (2, 3, 8, 8)),
    (NN + "p = nn.MaxPool2d(2, return_indices=True)\nu = nn.MaxUnpool2d(2)\nx = torch.randn(2, 3, 8, 8)\n"
     "y, i = p(x)", "u(y, i, (12, 8))", "error"),
    (NN + "p = nn.MaxPool1d(3, 2, return_indices=True)\nu = nn.MaxUnpool1d(3, 2)\nx = torch.randn(2, 3, 9)\n"
     "y, i = p(x)", "u(y, i, output_size=[9])", (2, 3, 9)),
    (NN + "p = nn.MaxPool3d(2, return_indices=True)\nu = nn.MaxUnpool3d(2)\nx = torch.randn(3, 4, 4, 6)\n"
     "y, i = p(x)", "u(y, i)", (3, 4, 4, 6)),
    (NN + "p = nn.MaxPool3d(2, return_indices=True)\nu = nn.MaxUnpool3d(2)\nx = torch.randn(3, 4, 4, 6)\n"
     "y, i = p(x)", "u(y, i[0])", "error"),
    (NN + PACKED, "pad_packed_sequence(o, batch_first=True)", ((3, 5, 12), (3,))),
    (NN + PACKED, "pad_packed_sequence(o, total_length=7)[0]", (7, 3, 12)),
    (NN + PACKED, "pad_packed_sequence(o, total_length=4)[0]", "error"),
    (NN + PACKED, "(o.data, h)", ((10, 12), (2, 3, 6))),
    (NN + PACKED, "lstm(p.data)[0]", (10, 12)),
    (NN + PACKED.replace("nn.LSTM(4,", "nn.GRU(5,").rsplit("\n", 1)[0], "lstm(p)", "error"),
]


@pytest.mark.parametrize("setup,expr,expected", MODULE_CALLS)
def test_multi_input_module_calls(setup, expr, expected):
    got = shapelint_result(setup, expr)
    assert (got[1] if got[0] == "ok" else "error") == expected, got


@pytest.mark.parametrize("setup,expr,expected", MODULE_CALLS)
def test_module_calls_match_torch(setup, expr, expected):
    pytest.importorskip("torch")
    got = torch_result(setup, expr)
    assert (got[1] if got[0] == "ok" else "error") == expected, got
