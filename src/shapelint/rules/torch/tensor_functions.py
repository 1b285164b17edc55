"""More torch functions and tensor methods a generated model uses (torch 2.13): element-wise and scatter ops that keep
the input's shape, stacking helpers (hstack / vstack / dstack / column_stack / atleast_nd), select, diff,
count_nonzero, trapz, histc, tensordot, kron, block_diag, cartesian_prod, broadcast_to / broadcast_tensors, rot90,
view_as_complex / view_as_real, multinomial, unique, F.unfold / F.fold / F.grid_sample, and the losses without a
label check of their own (the result of their reduction, after broadcasting input and target).
"""
from __future__ import annotations

from ...core.dims import broadcast_shapes, dim_ne, is_known
from ...core.errors import Mismatch, Unresolved
from ...core.registry import rule
from ...core.values import UNKNOWN, Tensor, TensorTuple
from ...diagnostics import remedies
from ._common import FW, axis, is_int
from .tensor_ops import broadcast_all, cat, reduce_core
from .reshape import fold as fold_module, unfold as unfold_module

KEEPS_SHAPE = ["clamp_min", "clamp_max", "scatter", "scatter_add", "scatter_reduce", "index_add", "index_fill",
               "index_copy", "index_put", "bucketize", "isnan", "isinf", "isfinite", "logical_not", "F.gumbel_softmax",
               "exp2", "log2", "log10", "trunc", "frac", "deg2rad", "rad2deg", "sinh", "cosh", "asin", "acos",
               "atan", "sigmoid_", "tanh_", "relu_", "digamma", "lgamma", "i0", "logit", "xlogy", "nan_to_num_"]


@rule(FW, KEEPS_SHAPE, "*args, **kwargs", accepts_unknown=True)
def keeps_shape(layer, x: Tensor, *rest):
    dtype = "bool" if layer.kind in ("isnan", "isinf", "isfinite", "logical_not") else \
        "int64" if layer.kind == "bucketize" else x.dtype
    return Tensor(x.shape, dtype) if x.shape is not None else UNKNOWN


def _atleast(x: Tensor, n: int) -> Tensor:
    s = x.shape
    if len(s) >= n:
        return x
    if n == 2:
        return Tensor((1,) * (2 - len(s)) + s, x.dtype)
    return Tensor({0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}[len(s)], x.dtype)


@rule(FW, ["atleast_1d", "atleast_2d", "atleast_3d"], "")
def atleast(layer, *xs: Tensor):
    n = int(layer.kind[-2])
    out = [Tensor(x.shape if x.rank else (1,), x.dtype) if n == 1 else _atleast(x, n) for x in xs]
    return out[0] if len(out) == 1 else TensorTuple(tuple(out))


def _stack_along(layer, xs, dim: int):
    layer.args["dim"] = dim
    return cat(layer, *xs)


@rule(FW, ["hstack", "vstack", "row_stack", "dstack", "column_stack"], "", accepts_unknown=True)
def stacks(layer, *xs: Tensor):
    if not xs or any(x.shape is None for x in xs):
        return UNKNOWN
    k = layer.kind
    if k == "hstack":
        return _stack_along(layer, [Tensor(x.shape if x.rank else (1,), x.dtype) for x in xs],
                            0 if all(x.rank <= 1 for x in xs) else 1)
    if k in ("vstack", "row_stack"):
        return _stack_along(layer, [_atleast(x, 2) for x in xs], 0)
    if k == "dstack":
        return _stack_along(layer, [_atleast(x, 3) for x in xs], 2)
    cols = [Tensor((x.shape[0] if x.rank else 1, 1), x.dtype) if x.rank <= 1 else x for x in xs]
    return _stack_along(layer, cols, 1)


@rule(FW, "select", "dim, index")
def select(layer, x: Tensor):
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    i, n = layer.arg("index"), x.shape[d]
    if is_int(i) and is_known(n) and not -n <= i < n:
        return Mismatch("index-out-of-range", arg="index", index=i, axis=d, size=n, received_shape=x.shape,
                        remedy=remedies.use_index_below(n))
    return Tensor(x.shape[:d] + x.shape[d + 1:], x.dtype)


@rule(FW, "diff", "n=1, dim=-1, prepend=None, append=None")
def diff(layer, x: Tensor, *extra: Tensor):
    n = layer.arg("n")
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    size = x.shape[d]
    added = sum(e.shape[d] if e.shape is not None and len(e.shape) == x.rank and is_known(e.shape[d]) else 0
                for e in extra) if extra else 0
    if extra and any(e.shape is None or len(e.shape) != x.rank or not is_known(e.shape[d]) for e in extra):
        size = None
    out = max(0, size + added - n) if is_known(size) and is_int(n) else None
    return Tensor(x.shape[:d] + (out,) + x.shape[d + 1:], x.dtype)


@rule(FW, ["count_nonzero"], "dim=None")
def count_nonzero(layer, x: Tensor):
    return Tensor(reduce_core(layer, x, layer.arg("dim"), False).shape, "int64")


@rule(FW, ["trapz", "trapezoid", "cumulative_trapezoid"], "dx=None, dim=-1, **kwargs", accepts_unknown=True)
def trapz(layer, x: Tensor, *rest):
    if x.shape is None:
        return UNKNOWN
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    if layer.kind == "cumulative_trapezoid":
        n = x.shape[d]
        return Tensor(x.shape[:d] + (n - 1 if is_known(n) and n else None,) + x.shape[d + 1:], x.dtype)
    return Tensor(x.shape[:d] + x.shape[d + 1:], x.dtype)


@rule(FW, "histc", "bins=100, min=0, max=0")
def histc(layer, x: Tensor):
    b = layer.arg("bins")
    return Tensor((b if is_int(b) else None,), x.dtype)


@rule(FW, "tensordot", "dims=2")
def tensordot(layer, a: Tensor, b: Tensor = None):
    if b is None:
        return UNKNOWN
    dims = layer.arg("dims")
    if is_int(dims):
        da, db = list(range(a.rank - dims, a.rank)), list(range(dims))
    elif isinstance(dims, (list, tuple)) and len(dims) == 2:
        da = [dims[0]] if is_int(dims[0]) else list(dims[0])
        db = [dims[1]] if is_int(dims[1]) else list(dims[1])
        if not all(is_int(v) for v in da + db):
            raise Unresolved("dims")
        da = [axis(v, a.rank, "dims", shape=a.shape) for v in da]
        db = [axis(v, b.rank, "dims", shape=b.shape) for v in db]
    else:
        raise Unresolved("dims")
    if len(da) != len(db) or (is_int(dims) and (dims > a.rank or dims > b.rank)):
        return Mismatch("invalid-argument", arg="dims", detail="the two lists of contracted axes differ in length",
                        remedy=remedies.contract_as_many_axes())
    for i, j in zip(da, db):
        if dim_ne(a.shape[i], b.shape[j]):
            return Mismatch("matmul-shape-mismatch", left_shape=a.shape, right_shape=b.shape,
                            left_inner=a.shape[i], right_inner=b.shape[j],
                            remedy=remedies.contract_equal_sizes())
    return Tensor(tuple(d for i, d in enumerate(a.shape) if i not in da) +
                  tuple(d for j, d in enumerate(b.shape) if j not in db), a.dtype)


@rule(FW, "kron", "")
def kron(layer, a: Tensor, b: Tensor = None):
    if b is None:
        return UNKNOWN
    r = max(a.rank, b.rank)
    sa, sb = (1,) * (r - a.rank) + a.shape, (1,) * (r - b.rank) + b.shape
    return Tensor(tuple(p * q if is_known(p) and is_known(q) else None for p, q in zip(sa, sb)), a.dtype)


@rule(FW, "block_diag", "", accepts_unknown=True)
def block_diag(layer, *xs: Tensor):
    if any(x.shape is None or x.rank > 2 for x in xs):
        return UNKNOWN
    rows = cols = 0
    for x in xs:
        s = (1, 1) if x.rank == 0 else (1, x.shape[0]) if x.rank == 1 else x.shape
        rows = rows + s[0] if is_known(rows) and is_known(s[0]) else None
        cols = cols + s[1] if is_known(cols) and is_known(s[1]) else None
    return Tensor((rows, cols), xs[0].dtype if xs else None)


@rule(FW, "cartesian_prod", "", accepts_unknown=True)
def cartesian_prod(layer, *xs: Tensor):
    if any(x.shape is None or x.rank != 1 for x in xs):
        return UNKNOWN
    n = 1
    for x in xs:
        n = n * x.shape[0] if is_known(n) and is_known(x.shape[0]) else None
    return Tensor((n,) if len(xs) == 1 else (n, len(xs)), xs[0].dtype)


@rule(FW, "broadcast_to", "size")
def broadcast_to(layer, x: Tensor):
    size = layer.arg("size")
    if not isinstance(size, (list, tuple)) or not all(is_int(v) or v is None for v in size):
        raise Unresolved("size")
    target = tuple(None if v == -1 else v for v in size)
    out, bad = broadcast_shapes([x.shape, target])
    if out is None or len(out) != len(target) or any(dim_ne(p, q) for p, q in zip(out, target) if q is not None):
        return Mismatch("merge-shape-mismatch", arg="size", shapes=f"{x} and {tuple(size)}",
                        detail="the tensor does not broadcast to that size", remedy=remedies.make_broadcastable())
    return Tensor(tuple(o if t is None else t for o, t in zip(out, target)), x.dtype)


@rule(FW, "broadcast_tensors", "", accepts_unknown=True)
def broadcast_tensors(layer, *xs: Tensor):
    out = broadcast_all(layer, list(xs))
    if not isinstance(out, Tensor) or out.shape is None:
        return out
    return TensorTuple(tuple(Tensor(out.shape, x.dtype) for x in xs))


@rule(FW, "rot90", "k=1, dims=(0, 1)")
def rot90(layer, x: Tensor):
    k, dims = layer.arg("k"), layer.arg("dims")
    if not is_int(k) or not (isinstance(dims, (list, tuple)) and len(dims) == 2):
        raise Unresolved("k")
    a, b = (axis(d, x.rank, "dims", shape=x.shape) for d in dims)
    if a == b:
        return Mismatch("invalid-argument", arg="dims", detail="the two rotation axes must differ",
                        remedy=remedies.two_different_axes())
    if k % 2 == 0:
        return x
    s = list(x.shape)
    s[a], s[b] = s[b], s[a]
    return Tensor(tuple(s), x.dtype)


@rule(FW, "view_as_complex", "")
def view_as_complex(layer, x: Tensor):
    if not x.shape or dim_ne(x.shape[-1], 2):
        return Mismatch("incompatible-input-shape", received_shape=x.shape,
                        detail="view_as_complex needs a last axis of size 2 (real, imaginary)",
                        remedy=remedies.last_axis_of_two())
    return Tensor(x.shape[:-1], "complex64")


@rule(FW, "view_as_real", "")
def view_as_real(layer, x: Tensor):
    return Tensor(x.shape + (2,), "float32")


@rule(FW, ["polar", "complex"], "", accepts_unknown=True)
def polar(layer, *xs: Tensor):
    out = broadcast_all(layer, list(xs))
    return Tensor(out.shape, "complex64") if isinstance(out, Tensor) and out.shape is not None else out


@rule(FW, "multinomial", "num_samples, replacement=False")
def multinomial(layer, x: Tensor):
    n = layer.arg("num_samples")
    if x.rank not in (1, 2):
        return Mismatch("rank-mismatch", expected="1- or 2", received=x.rank, received_shape=x.shape, layout="",
                        remedy=remedies.reshape_to_expected_rank())
    if is_int(n) and layer.raw("replacement") is not True and is_known(x.shape[-1]) and n > x.shape[-1]:
        return Mismatch("invalid-argument", arg="num_samples", detail=f"cannot draw {n} samples without "
                        f"replacement from {x.shape[-1]} categories", remedy=remedies.draw_with_replacement())
    return Tensor(x.shape[:-1] + (n if is_int(n) else None,), "int64")


@rule(FW, ["unique", "unique_consecutive"], "sorted=True, return_inverse=False, return_counts=False, dim=None")
def unique(layer, x: Tensor):
    values = Tensor((None,), x.dtype) if layer.arg("dim") is None else Tensor(None)
    extra = []
    if layer.raw("return_inverse") is True:
        extra.append(Tensor(x.shape, "int64"))
    if layer.raw("return_counts") is True:
        extra.append(Tensor((None,), "int64"))
    return TensorTuple((values,) + tuple(extra)) if extra else values


@rule(FW, "F.unfold", "kernel_size, dilation=1, padding=0, stride=1")
def f_unfold(layer, x: Tensor):
    """(N, C, H, W) -> (N, C * kh * kw, L) with L the number of sliding positions (nn.Unfold)."""
    return unfold_module(layer, x)


@rule(FW, "F.fold", "output_size, kernel_size, dilation=1, padding=0, stride=1")
def f_fold(layer, x: Tensor):
    return fold_module(layer, x)


@rule(FW, "F.grid_sample", "mode='bilinear', padding_mode='zeros', align_corners=None")
def grid_sample(layer, x: Tensor, grid: Tensor = None):
    """input (N, C, H, W) with grid (N, Ho, Wo, 2) -> (N, C, Ho, Wo) (5-D: grid (N, D, H, W, 3))."""
    if grid is None or grid.shape is None:
        return UNKNOWN
    if x.rank not in (4, 5) or grid.rank != x.rank or dim_ne(grid.shape[-1], x.rank - 2) or \
            dim_ne(grid.shape[0], x.shape[0]):
        return Mismatch("incompatible-input-shape", received_shape=f"{x} and grid {grid}",
                        detail="grid_sample needs an (N, C, H, W) input and an (N, Ho, Wo, 2) grid "
                               "(5-D: (N, D, H, W, 3)) with the same N", remedy=remedies.grid_layout())
    return Tensor(x.shape[:2] + grid.shape[1:-1], x.dtype)


@rule(FW, "meshgrid", "indexing=None", accepts_unknown=True)
def meshgrid(layer, *xs: Tensor):
    """1-D tensors of sizes n1, n2, ... -> one tensor per input, each (n1, n2, ...) ('ij'; 'xy' swaps the first two)."""
    if not xs or any(x.shape is None or x.rank > 1 for x in xs):
        return UNKNOWN
    sizes = [x.shape[0] if x.rank == 1 else 1 for x in xs]
    if layer.raw("indexing") == "xy" and len(sizes) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return TensorTuple(tuple(Tensor(tuple(sizes), x.dtype) for x in xs))


@rule(FW, "take_along_dim", "dim=None")
def take_along_dim(layer, x: Tensor, indices: Tensor = None):
    if indices is None or indices.shape is None:
        return UNKNOWN
    if layer.arg("dim") is None:
        return Tensor(indices.shape if indices.rank == 1 else (None,), x.dtype)
    d = axis(layer.arg("dim"), x.rank, "dim", shape=x.shape)
    if indices.rank != x.rank:
        return Mismatch("rank-mismatch", expected=str(x.rank), received=indices.rank, received_shape=indices.shape,
                        layout=" indices (the input's rank)", remedy=remedies.gather_index_rank(x.rank))
    rest, bad = broadcast_shapes([tuple(v for i, v in enumerate(x.shape) if i != d),
                                  tuple(v for i, v in enumerate(indices.shape) if i != d)])
    if rest is None:
        return Mismatch("merge-shape-mismatch", shapes=f"{x} and {indices}", detail="the input and the indices "
                        "do not broadcast on the other axes", remedy=remedies.make_broadcastable())
    out = list(rest)
    out.insert(d, indices.shape[d])
    return Tensor(tuple(out), x.dtype)


_LOSSES = ["F.margin_ranking_loss", "F.hinge_embedding_loss", "F.soft_margin_loss",
           "F.multilabel_soft_margin_loss", "F.poisson_nll_loss", "F.gaussian_nll_loss", "F.triplet_margin_loss",
           "F.cosine_embedding_loss", "F.multilabel_margin_loss", "F.multi_margin_loss"]


@rule(FW, _LOSSES, "*args, reduction='mean', **kwargs", accepts_unknown=True)
def other_losses(layer, *xs: Tensor):
    """Losses without a label check of their own: () for 'mean' / 'sum'."""
    if any(x.shape is None for x in xs):
        return UNKNOWN
    red = layer.raw("reduction")
    if red in ("mean", "sum", "batchmean"):
        return Tensor((), xs[0].dtype if xs else None)
    return UNKNOWN
