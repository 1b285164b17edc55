"""Products and distances beyond matmul (torch 2.13): baddbmm / addbmm / addmm / addmv / addr (a product plus an input
that must broadcast *to* the product's shape -- it is expanded, never the other way), cdist, outer / ger, cross, and
the torch.linalg norms.
"""
from __future__ import annotations

from ...core.dims import broadcast_shapes, dim_ne, is_known
from ...core.errors import Mismatch, Unresolved
from ...core.registry import rule
from ...core.values import UNKNOWN, Tensor
from ...diagnostics import remedies
from ._common import FW, axis, is_int, require_rank
from .tensor_ops import _matmul_mismatch, reduce_core


def _expand_to(layer, inp: Tensor, shape: tuple):
    """``input.expand(shape)``: fewer or equal axes, each 1 or equal to the target's."""
    if inp.rank > len(shape):
        return Mismatch("merge-shape-mismatch", shapes=f"{inp} and the product {shape}",
                        detail=f"the input has more axes than the product {tuple(shape)} it is added to",
                        remedy=remedies.input_like_product(shape))
    for a, b in zip(reversed(inp.shape), reversed(shape)):
        if is_known(a) and a != 1 and dim_ne(a, b):
            return Mismatch("merge-shape-mismatch", shapes=f"{inp} and the product {shape}",
                            detail=f"the input's size {a} does not broadcast to the product's {b}",
                            remedy=remedies.input_like_product(shape))
    return None


def _product(layer, a: Tensor, b: Tensor, ranks: tuple):
    """Shape of a @ b for the fixed ranks these ops take (3-D @ 3-D, 2-D @ 2-D, 2-D @ 1-D, outer of 1-D)."""
    for t in (a, b):
        bad = require_rank(t, (ranks[0] if t is a else ranks[1],), layout="",
                           remedy=remedies.reshape_to_expected_rank())
        if bad:
            return None, bad
    if ranks == (1, 1):
        return (a.shape[0], b.shape[0]), None
    if dim_ne(a.shape[-1], b.shape[0 if b.rank <= 2 else 1]):
        return None, _matmul_mismatch(layer.kind, a, b, a.shape[-1], b.shape[0 if b.rank <= 2 else 1])
    if ranks == (3, 3):
        if dim_ne(a.shape[0], b.shape[0]):
            return None, Mismatch("merge-shape-mismatch", shapes=f"{a} and {b}", detail="the two batches of "
                                  "matrices have different batch sizes", remedy=remedies.give_inputs_same_batch_dims())
        return (a.shape[0], a.shape[1], b.shape[2]), None
    if ranks == (2, 2):
        return (a.shape[0], b.shape[1]), None
    return (a.shape[0],), None


def _add_product(ranks: tuple, summed: bool = False):
    def fn(layer, inp: Tensor, a: Tensor = None, b: Tensor = None):
        if a is None or b is None or any(t.shape is None for t in (inp, a, b)):
            return UNKNOWN
        shape, bad = _product(layer, a, b, ranks)
        if bad:
            return bad
        if summed:
            shape = shape[1:]
        return _expand_to(layer, inp, shape) or Tensor(tuple(shape), inp.dtype)
    return fn


_SIG = "beta=1, alpha=1"
rule(FW, "baddbmm", _SIG, accepts_unknown=True)(_add_product((3, 3)))
rule(FW, "addbmm", _SIG, accepts_unknown=True)(_add_product((3, 3), summed=True))
rule(FW, "addmm", _SIG, accepts_unknown=True)(_add_product((2, 2)))
rule(FW, "addmv", _SIG, accepts_unknown=True)(_add_product((2, 1)))
rule(FW, "addr", _SIG, accepts_unknown=True)(_add_product((1, 1)))


@rule(FW, ["outer", "ger"], "")
def outer(layer, a: Tensor, b: Tensor = None):
    if b is None or b.shape is None:
        return UNKNOWN
    shape, bad = _product(layer, a, b, (1, 1))
    return bad or Tensor(shape, a.dtype)


@rule(FW, "cdist", "p=2.0, compute_mode='use_mm_for_euclid_dist_if_necessary'")
def cdist(layer, a: Tensor, b: Tensor = None):
    """x1 (*B, P, M), x2 (*B, R, M) -> (*B, P, R); the batch axes broadcast."""
    if b is None or b.shape is None:
        return UNKNOWN
    for t in (a, b):
        bad = require_rank(t, None, min_rank=2, layout=" (..., points, features)",
                           remedy=remedies.reshape_to_expected_rank())
        if bad:
            return bad
    if dim_ne(a.shape[-1], b.shape[-1]):
        return Mismatch("merge-shape-mismatch", shapes=f"{a} and {b}", detail=f"the points have {a.shape[-1]} and "
                        f"{b.shape[-1]} features", remedy=remedies.give_points_same_features())
    batch, bad = broadcast_shapes([a.shape[:-2], b.shape[:-2]])
    if batch is None:
        return Mismatch("merge-shape-mismatch", shapes=f"{a} and {b}", detail="the batch axes do not broadcast",
                        remedy=remedies.give_inputs_same_batch_dims())
    return Tensor(tuple(batch) + (a.shape[-2], b.shape[-2]), a.dtype)


@rule(FW, ["cross", "linalg.cross"], "dim=None")
def cross(layer, a: Tensor, b: Tensor = None):
    if b is None or b.shape is None:
        return UNKNOWN
    if a.rank != b.rank:
        return Mismatch("rank-mismatch", expected=str(a.rank), received=b.rank, received_shape=b.shape,
                        layout=" (both vectors with the same number of axes)",
                        remedy=remedies.reshape_to_expected_rank())
    out, bad = broadcast_shapes([a.shape, b.shape])
    if out is None:
        return Mismatch("merge-shape-mismatch", shapes=f"{a} and {b}", detail="the shapes do not broadcast",
                        remedy=remedies.give_inputs_same_batch_dims())
    dim = layer.arg("dim")
    if dim is None:
        dim = -1 if layer.kind == "linalg.cross" else next((i for i, d in enumerate(out) if d == 3), None)
        if dim is None:
            return Tensor(out, a.dtype) if not all(is_known(d) for d in out) else Mismatch(
                "invalid-argument", arg="dim", detail="no axis has size 3", remedy=remedies.cross_needs_three())
    d = axis(dim, len(out), "dim", shape=out)
    if is_known(out[d]) and out[d] != 3:
        return Mismatch("invalid-argument", arg="dim", detail=f"axis {d} has size {out[d]}, not 3",
                        remedy=remedies.cross_needs_three())
    return Tensor(out, a.dtype)


@rule(FW, "linalg.norm", "ord=None, dim=None, keepdim=False, out=None, dtype=None")
def linalg_norm(layer, x: Tensor):
    dim, ord_ = layer.arg("dim"), layer.raw("ord")
    if dim is None and ord_ is not None and x.rank not in (1, 2):
        return Mismatch("rank-mismatch", expected="1- or 2", received=x.rank, received_shape=x.shape, layout="",
                        remedy=remedies.norm_dim_with_ord())
    if dim is None:
        return Tensor((1,) * x.rank if layer.arg("keepdim") else (), x.dtype)
    return reduce_core(layer, x, dim, bool(layer.arg("keepdim")))


@rule(FW, "linalg.vector_norm", "ord=2, dim=None, keepdim=False, dtype=None")
def vector_norm(layer, x: Tensor):
    dim = layer.arg("dim")
    if dim is None:
        return Tensor((1,) * x.rank if layer.arg("keepdim") else (), x.dtype)
    return reduce_core(layer, x, dim, bool(layer.arg("keepdim")))


@rule(FW, "linalg.matrix_norm", "ord='fro', dim=(-2, -1), keepdim=False, dtype=None")
def matrix_norm(layer, x: Tensor):
    dim = layer.arg("dim")
    if not (isinstance(dim, (tuple, list)) and len(dim) == 2 and all(is_int(d) for d in dim)):
        raise Unresolved("dim")
    return reduce_core(layer, x, tuple(dim), bool(layer.arg("keepdim")))
