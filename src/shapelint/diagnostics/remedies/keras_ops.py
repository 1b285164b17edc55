"""Remedies of the keras.ops rules (rules/keras/ops.py) and of custom layers' build()/call()."""
from __future__ import annotations


def make_broadcastable() -> str:
    return "give the tensors sizes that are equal or 1 on every axis they share (reshape or expand_dims one of them)"


def batch_size_from_tensor(fixed) -> str:
    return (f"size the tensor from the batch it is combined with, not the fixed {fixed}: "
            "`shape=keras.ops.shape(x)` (or `(keras.ops.shape(x)[0], ...)`) for a tensor `x` of the batch")


def one_inferred_size() -> str:
    return "leave only one size as -1; write the others out"


def reshape_sizes_multiply(total) -> str:
    return f"choose sizes whose product is {total} (the number of values per tensor), or use -1 for one of them"


def list_every_axis_once(rank) -> str:
    return f"list each of the {rank} axes exactly once"


def squeeze_size_one_axis() -> str:
    return "squeeze only axes of size 1 (or reduce that axis with ops.mean / ops.sum)"


def make_sizes_equal_except(axis) -> str:
    return f"make the inputs' sizes equal on every axis but the concatenation axis {axis}"


def give_stacked_same_shape() -> str:
    return "give every stacked tensor the same shape (or concatenate along the axis where they differ)"


def pad_pair_per_axis(rank) -> str:
    return f"give one (before, after) pair per axis: {rank} pairs"


def size_weight_from_last_axis(index) -> str:
    return (f"size the weight from the axis the product contracts: `input_shape[-1]` (the features), "
            f"not `input_shape[{index}]`")


def keep_the_batch_axis(per, row) -> str:
    return (f"keep the batch axis: reshape to (batch, ...) sizes whose product is {per}, one sample's values (e.g. "
            f"`ops.reshape(x, (ops.shape(x)[0], -1, ...))`); {row} does not divide {per}")


# -- einops patterns (rules/_einops.py) ----------------------------------------------------------------------------
def einops_one_name_per_axis(rank) -> str:
    return f"write one name (or parenthesised group) per axis of the {rank}-D tensor on the left of `->`"


def einops_lengths_divide(size) -> str:
    return f"give lengths whose product divides the axis ({size}), or fix the pattern's grouping"


def einops_same_names() -> str:
    return "use the same axis names on both sides (rearrange), only drop names (reduce) or only add them (repeat)"


def einops_give_lengths(names) -> str:
    return "pass the new axes' lengths: " + ", ".join(f"`{n}=...`" for n in names)


def add_weight_by_keyword() -> str:
    return "pass the arguments by keyword, as Keras 3 reads them: `self.add_weight(name=..., shape=(...), ...)`"
