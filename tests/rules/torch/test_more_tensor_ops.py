"""Tensor ops a generated model uses beyond the basics: named-tuple results (``.values`` / ``.indices`` or
unpacked), order statistics, selection, masks, products. Table-driven through ``y = <expr>`` in shapelint's
evaluator; every row is also run through real torch 2.13 (``test_rows_match_torch``)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "differential"))
from torch_ops_harness import shapelint_result, torch_result  # noqa: E402

S = "x = torch.randn(4, 7, 20)"
M = S + "\nm = torch.rand(4, 7) > 0.5"
ROWS = [
    # named tuples: (values, indices) / (min, max)
    (S, "x.max(dim=1).values", (4, 20)),
    (S, "torch.max(x, 2).indices", (4, 7)),
    (S, "x.min(-1, keepdim=True).values", (4, 7, 1)),
    (S + "\nv, i = x.max(1)", "i", (4, 20)),
    (S, "x.median(dim=1).values", (4, 20)),
    (S, "x.median()", ()),
    (S, "torch.nanmedian(x, 0).indices", (7, 20)),
    (S, "x.mode(dim=-1).indices", (4, 7)),
    (S, "torch.mode(x, 1)[0]", (4, 20)),
    (S, "x.kthvalue(2, dim=1).values", (4, 20)),
    (S, "x.kthvalue(3, 1, keepdim=True)[1]", (4, 1, 20)),
    (S, "x.kthvalue(8, dim=1)", "error"),
    (S, "x.kthvalue(0)", "error"),
    (S, "x.sort(dim=1).values", (4, 7, 20)),
    (S, "torch.sort(x, descending=True).indices", (4, 7, 20)),
    (S + "\nv, i = x.sort(1)", "v", (4, 7, 20)),
    (S, "x.sort(3)", "error"),
    (S, "x.topk(3).values", (4, 7, 3)),
    (S, "torch.topk(x, 2, dim=1).indices", (4, 2, 20)),
    (S, "x.cummax(1).values", (4, 7, 20)),
    (S, "x.aminmax(dim=0).max", (7, 20)),
    (S, "torch.aminmax(x).min", ()),
    (S, "x.msort()", (4, 7, 20)),
    (S, "torch.std_mean(x, 1)", ((4, 20), (4, 20))),
    (S, "torch.var_mean(x, dim=(1, 2), keepdim=True)", ((4, 1, 1), (4, 1, 1))),
    (M, "m.any(dim=1)", (4,)),
    (M, "m.all()", ()),
    # selection
    (S + "\ni = torch.randint(0, 7, (4, 3, 20))", "x.gather(1, i)", (4, 3, 20)),
    (S + "\ni = torch.randint(0, 7, (4, 3))", "x.gather(1, i)", "error"),
    (S + "\ni = torch.randint(0, 7, (5, 3, 20))", "x.gather(1, i)", "error"),
    (S, "x.index_select(1, torch.tensor([0, 2]))", (4, 2, 20)),
    (S, "torch.index_select(x, 2, torch.tensor([[0, 2]]))", "error"),
    (S, "x.narrow(1, 0, 3)", (4, 3, 20)),
    (S, "x.narrow(1, 5, 3)", "error"),
    (S, "x.narrow(-1, -4, 4)", (4, 7, 4)),
    (M, "x.masked_fill(m.unsqueeze(-1), 0.0)", (4, 7, 20)),
    (M, "x.masked_fill(m, 0.0)", "error"),
    (M, "x.masked_fill(m.unsqueeze(-1).float(), 0.0)", "error"),
    (M, "torch.masked_fill(x[0], m.unsqueeze(-1), 1.0)", (4, 7, 20)),
    (M, "x.masked_select(m.unsqueeze(-1)).sum()", ()),
    (M, "x.masked_select(m)", "error"),
    (M, "torch.where(m.unsqueeze(-1), x, 0.0)", (4, 7, 20)),
    (M, "torch.where(m, x, torch.zeros_like(x))", "error"),
    (M, "torch.where(m)[1].sum()", ()),
    (S, "x.nonzero()[:, 2].sum()", ()),
    (S, "x.repeat_interleave(2, dim=1)", (4, 14, 20)),
    (S, "torch.repeat_interleave(x, 3)", (1680,)),
    (S, "x.unfold(1, 3, 1)", (4, 5, 20, 3)),
    (S, "x.unfold(2, 4, 4)", (4, 7, 5, 4)),
    (S, "x.unfold(1, 8, 1)", "error"),
    (S, "x.diagonal(dim1=1, dim2=2)", (4, 7)),
    (S, "x.diagonal(2, 1, 2)", (4, 7)),
    (S, "torch.diagonal(x, -3, 1, 2)", (4, 4)),
    (S, "x.diagonal(dim1=1, dim2=-2)", "error"),
    (S, "torch.diag(torch.randn(5))", (5, 5)),
    (S, "torch.diag(torch.randn(5), -2)", (7, 7)),
    (S, "torch.diag(torch.randn(3, 5), 1)", (3,)),
    (S, "torch.diag(x)", "error"),
    (S, "x.tensor_split(3, dim=2)", ((4, 7, 7), (4, 7, 7), (4, 7, 6))),
    (S, "torch.tensor_split(x, [1, 5], dim=1)", ((4, 1, 20), (4, 4, 20), (4, 2, 20))),
    (S, "x.new_tensor([[1, 2, 3]])", (1, 3)),
    # products
    (S, "torch.baddbmm(torch.randn(4, 7, 7), x, x.transpose(1, 2))", (4, 7, 7)),
    (S, "torch.baddbmm(torch.randn(7), x, x.transpose(1, 2))", (4, 7, 7)),
    (S, "torch.baddbmm(torch.randn(2, 4, 7, 7), x, x.transpose(1, 2))", "error"),
    (S, "torch.baddbmm(torch.randn(4, 7, 7), x, x)", "error"),
    (S, "torch.addmm(torch.randn(20), x[0], torch.randn(20, 20))", (7, 20)),
    (S, "torch.addmm(torch.randn(3, 20), x[0], torch.randn(20, 20))", "error"),
    (S, "torch.addbmm(torch.randn(7, 7), x, x.transpose(1, 2))", (7, 7)),
    (S, "torch.addmv(torch.randn(7), x[0], torch.randn(20))", (7,)),
    (S, "torch.cdist(x, x)", (4, 7, 7)),
    (S, "torch.cdist(x, torch.randn(9, 20))", (4, 7, 9)),
    (S, "torch.cdist(x, torch.randn(9, 10))", "error"),
    (S, "torch.cdist(x[0, 0], x[0])", "error"),
    (S, "torch.outer(torch.randn(3), torch.randn(4))", (3, 4)),
    (S, "torch.outer(torch.randn(3, 1), torch.randn(4))", "error"),
    (S, "torch.cross(torch.randn(4, 3), torch.randn(4, 3), dim=1)", (4, 3)),
    (S, "torch.cross(torch.randn(4, 3), torch.randn(3), dim=1)", "error"),
    (S, "torch.linalg.cross(torch.randn(4, 5), torch.randn(4, 5))", "error"),
    (S, "torch.linalg.norm(x, dim=-1)", (4, 7)),
    (S, "torch.linalg.norm(x)", ()),
    (S, "torch.linalg.norm(x, ord=2)", "error"),
    (S, "torch.linalg.vector_norm(x, dim=(1, 2), keepdim=True)", (4, 1, 1)),
    (S, "torch.linalg.matrix_norm(x)", (4,)),
    # more functions
    (S, "x.clamp_min(0)", (4, 7, 20)),
    (S + "\ni = torch.randint(0, 7, (4, 7, 20))", "x.scatter_add(1, i, x)", (4, 7, 20)),
    (S, "torch.isnan(x).any()", ()),
    (S, "torch.hstack([x, x])", (4, 14, 20)),
    (S, "torch.vstack([x, x])", (8, 7, 20)),
    (S, "torch.dstack([x, x])", (4, 7, 40)),
    (S, "torch.column_stack([torch.randn(20), torch.randn(20)])", (20, 2)),
    (S, "torch.atleast_2d(torch.randn(20))", (1, 20)),
    (S, "torch.hstack([x, torch.randn(4, 7)])", "error"),
    (S, "x.select(1, 0)", (4, 20)),
    (S, "torch.select(x, -1, 0)", (4, 7)),
    (S, "x.select(1, 7)", "error"),
    (S, "torch.diff(x, dim=1)", (4, 6, 20)),
    (S, "torch.count_nonzero(x, dim=1)", (4, 20)),
    (S, "torch.trapz(x, dim=1)", (4, 20)),
    (S, "torch.histc(x, bins=10)", (10,)),
    (S, "torch.tensordot(x, torch.randn(20, 5), dims=1)", (4, 7, 5)),
    (S, "torch.tensordot(x, torch.randn(7, 20, 5), dims=([1, 2], [0, 1]))", (4, 5)),
    (S, "torch.tensordot(x, torch.randn(21, 5), dims=1)", "error"),
    (S, "torch.kron(torch.randn(2, 3), torch.randn(4, 5))", (8, 15)),
    (S, "torch.block_diag(torch.randn(2, 3), torch.randn(4, 5))", (6, 8)),
    (S, "torch.cartesian_prod(torch.arange(3), torch.arange(4))", (12, 2)),
    (S, "torch.broadcast_to(torch.randn(20), (4, 7, 20))", (4, 7, 20)),
    (S, "torch.broadcast_to(torch.randn(3), (4, 7, 20))", "error"),
    (S, "torch.broadcast_tensors(x, torch.randn(20))[1]", (4, 7, 20)),
    (S, "torch.rot90(torch.randn(2, 3, 4, 5), 1, (2, 3))", (2, 3, 5, 4)),
    (S, "torch.view_as_complex(torch.randn(4, 7, 10, 2))", (4, 7, 10)),
    (S, "torch.view_as_complex(x)", "error"),
    (S, "torch.multinomial(torch.rand(4, 10), 2)", (4, 2)),
    (S, "torch.multinomial(torch.rand(4, 10), 12)", "error"),
    (S, "torch.meshgrid(torch.arange(3), torch.arange(4), indexing='ij')[0]", (3, 4)),
    (S, "torch.meshgrid(torch.arange(3), torch.arange(4), indexing='xy')[1]", (4, 3)),
    (S + "\ni = torch.randint(0, 7, (4, 7, 20))", "torch.take_along_dim(x, i, dim=1)", (4, 7, 20)),
    (S, "torch.linspace(0, 1, 5)", (5,)),
    (S, "torch.randperm(10)", (10,)),
    (S, "torch.triu_indices(4, 4)", (2, 10)),
    (S, "torch.tril_indices(4, 4, -1)", (2, 6)),
    (S, "F.unfold(torch.randn(2, 3, 8, 8), 3)", (2, 27, 36)),
    (S, "F.fold(torch.randn(2, 27, 36), (8, 8), 3)", (2, 3, 8, 8)),
    (S, "F.grid_sample(torch.randn(2, 3, 8, 8), torch.randn(2, 5, 5, 2), align_corners=False)", (2, 3, 5, 5)),
    (S, "F.grid_sample(torch.randn(2, 3, 8, 8), torch.randn(2, 5, 5, 3), align_corners=False)", "error"),
    (S, "F.kl_div(x, x, reduction='batchmean')", ()),
    (S, "F.margin_ranking_loss(torch.randn(20), torch.randn(20), torch.randn(20))", ()),
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
