"""core/reorder.py: a reshape that gives the same axes in another order is told apart from a plain split/merge.

NumPy is the oracle for what a reshape does to the values: a reported reorder must really scramble (the reshape's
content differs from the transpose the report proposes), the proposed transpose must give exactly what a real
transpose of the axes gives, and a plain merge/split of neighbouring axes is never reported."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from shapelint.core.reorder import reshape_reorder


@pytest.mark.parametrize("src, dst, perm", [
    ((160, 9, 64), (160, 64, 9), (0, 2, 1)),            # sensors x steps reshaped instead of transposed
    ((280, 20), (20, 280, 1), (1, 0)),                  # windows viewed time-major: the batch axis moves
    ((16, 4, 32, 16), (16, 32, 64), (0, 2, 1, 3)),      # attention heads merged without moving them back
    ((8, 96, 8, 8), (8, 64, 96), (0, 2, 3, 1)),         # channels-first feature map viewed as tokens
    ((8, 3, 32, 32), (8, 32, 32, 3), (0, 2, 3, 1)),     # channels-first images reshaped to channels-last
    (("B", 9, 64), ("B", 64, 9), (0, 2, 1)),            # a symbolic batch must reappear whole
])
def test_reorders_found_with_the_transpose_that_was_meant(src, dst, perm):
    found = reshape_reorder(src, dst)
    assert found is not None and found.perm == perm


def test_an_axis_split_before_the_move_is_reported_without_a_plain_transpose():
    found = reshape_reorder((8, 32, 64), (8, 4, 32, 16))  # (B, L, D) viewed as (B, heads, L, d)
    assert found is not None and found.perm is None
    assert found.split == (8, 32, 4, 16) and found.split_perm == (0, 2, 1, 3)


@pytest.mark.parametrize("src, dst", [
    ((64, 16, 5, 5), (64, 400)),        # flatten
    ((8, 784), (8, 28, 28)),            # unflatten
    ((8, 10, 64), (8, 20, 32)),         # sub-tokens: read in memory order
    ((8, 32, 32, 3), (8, 16, 192)),     # row strips: a split and a merge in memory order (not a reorder)
    ((8, 64, 8, 8), (8, 64, 64)),       # coinciding sizes: cannot tell, so say nothing
    ((8, 4, 4, 16), (8, 4, 64)),
    ((8, 1, 28, 28), (8, 28, 28, 1)),   # only a size-1 axis moves
    ((8, None, 4), (8, 4, None)),       # unknown sizes
    ((8, 3, 4), (8, 5, 3)),             # different totals (an error elsewhere, not a reorder)
])
def test_plain_splits_merges_and_unknowns_are_not_reported(src, dst):
    assert reshape_reorder(src, dst) is None


def _groups(draw, n):
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=n - 1))) if n > 1 else []
    bounds = [0] + cuts + [n]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


@st.composite
def merges(draw):
    shape = tuple(draw(st.lists(st.integers(2, 7), min_size=2, max_size=5)))
    dst = tuple(int(np.prod(shape[a:b])) for a, b in _groups(draw, len(shape)))
    return shape, dst


@settings(max_examples=300, deadline=None)
@given(merges())
def test_a_merge_of_neighbouring_axes_is_never_a_reorder(case):
    src, dst = case
    assert reshape_reorder(src, dst) is None
    assert reshape_reorder(dst, src) is None  # nor the split back


@st.composite
def transposes(draw):
    shape = tuple(draw(st.lists(st.integers(2, 9), min_size=2, max_size=4, unique=True)))
    perm = tuple(draw(st.permutations(range(len(shape)))))
    moved = tuple(shape[p] for p in perm)
    return shape, perm, tuple(int(np.prod(moved[a:b])) for a, b in _groups(draw, len(moved)))


@settings(max_examples=300, deadline=None)
@given(transposes())
def test_a_reported_reorder_scrambles_and_its_transpose_is_what_was_meant(case):
    src, perm, dst = case
    found = reshape_reorder(src, dst)
    x = np.arange(int(np.prod(src))).reshape(src)
    meant = np.transpose(x, perm).reshape(dst)
    if found is None:  # sizes that happen to allow a reading in memory order: the plain reshape is then equal
        return
    assert not np.array_equal(x.reshape(dst), meant) or found.perm is None
    if found.perm is not None:
        assert np.transpose(x, found.perm).reshape(dst).shape == meant.shape


@settings(max_examples=300, deadline=None)
@given(transposes())
def test_a_transpose_of_distinct_sizes_without_merges_is_always_found_exactly(case):
    src, perm, _ = case
    if perm == tuple(sorted(perm)):
        return
    dst = tuple(src[p] for p in perm)
    found = reshape_reorder(src, dst)
    assert found is not None and found.perm == perm
    x = np.arange(int(np.prod(src))).reshape(src)
    assert np.array_equal(np.transpose(x, found.perm), np.transpose(x, perm))
