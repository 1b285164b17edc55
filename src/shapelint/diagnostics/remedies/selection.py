"""Remedies of the PyTorch selection, order-statistics and product ops (rules/torch/selection.py, order_stats.py,
products.py)."""
from __future__ import annotations

from ...core.dims import fmt_dim, fmt_shape


def gather_index_rank(rank) -> str:
    return f"give the index the input's rank ({rank}): e.g. `index.unsqueeze(-1).expand(...)` before gather"


def gather_index_sizes(dim) -> str:
    return f"make the index no larger than the input on every axis but dim {dim}"


def flatten_index() -> str:
    return "pass a 1-D index of positions (flatten it, or use gather for per-row indices)"


def narrow_within(size) -> str:
    return f"keep start + length within the axis size {fmt_dim(size)}"


def make_mask_bool() -> str:
    return "make the mask bool: compare it (`mask == 0`) or call `.bool()`"


def mask_to_input_shape() -> str:
    return "give the mask a shape that broadcasts to the tensor's, or use the out-of-place masked_fill"


def window_within(size) -> str:
    return f"use a window of at most {fmt_dim(size)} and a positive step"


def two_different_axes() -> str:
    return "pass two different axes for dim1 and dim2"


def use_diagonal() -> str:
    return "use `torch.diagonal(x, dim1=..., dim2=...)` for a tensor with more than 2 axes"


# -- products (rules/torch/products.py) ---------------------------------------------------------------------------
def input_like_product(shape) -> str:
    return f"give the added input a shape that broadcasts to the product's {fmt_shape(tuple(shape))}"


def give_points_same_features() -> str:
    return "give both sets of points the same number of features (last axis)"


def cross_needs_three() -> str:
    return "take the cross product along an axis of size 3 (pass `dim=` naming it)"


def norm_dim_with_ord() -> str:
    return "pass `dim=` with `ord=` for a tensor of more than 2 axes (or use torch.linalg.vector_norm)"


# -- more torch functions (rules/torch/tensor_functions.py) ----------------------------------------------------------
def use_index_below(size) -> str:
    return f"use an index in [-{size}, {size - 1}]" if isinstance(size, int) else "use an index within the axis"


def contract_as_many_axes() -> str:
    return "contract as many axes of the first tensor as of the second"


def contract_equal_sizes() -> str:
    return "contract axes of equal size (or permute one tensor first)"


def last_axis_of_two() -> str:
    return "give the tensor a last axis of size 2 (real and imaginary parts), e.g. `.reshape(*shape[:-1], -1, 2)`"


def draw_with_replacement() -> str:
    return "draw at most as many samples as there are categories, or pass `replacement=True`"


def grid_layout() -> str:
    return "give the grid the shape (N, H_out, W_out, 2) with the input's batch size (coordinates in [-1, 1])"
