"""Reshapes that were meant to be transposes.

A reshape never moves values between axes: it re-reads the same memory in row-major order. ``x.reshape(n, 64, 9)``
on recordings of shape (n, 9, 64) has the sizes of the transposed array but not its content -- every "time step"
row holds 9 consecutive samples of one sensor. The same mistake merges attention heads without moving the head
axis back ((B, heads, L, d) -> (B, L, heads*d)) or turns a channels-first feature map into tokens.

A reshape that only merges neighbouring axes or splits one axis into neighbours keeps every axis's meaning; one
whose result is made of the *same axes in another order* does not. This module tells the two apart from sizes alone,
and only when the sizes leave no doubt:

* every size must be known (a symbolic size counts as an axis of its own that must reappear whole);
* size-1 axes are ignored (an ``unsqueeze`` is not a reorder);
* axes kept whole at both ends (the batch axis) are set aside; of the ways to read the rest -- split some axes,
  then take the pieces in some order -- the ones with the fewest pieces win, and the reshape counts as a reorder
  only if every such reading changes the order. A reading in memory order (``(10, 64) -> (20, 32)``, sub-tokens)
  as short as the others is not reported.

Sizes that coincide hide the mistake ((B, 64, 8, 8) -> (B, 64, 64) reads as a plain merge): that stays unreported.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import product as cartesian
from typing import Optional

_MAX_AXES = 6          # pieces with more axes than this are left alone (the search is exponential)
_MAX_ATOMIZATIONS = 512


@dataclass(frozen=True)
class Reorder:
    """A reshape that reorders axes. ``perm``: the transpose of the source (all its axes, size-1 ones in place)
    after which the same reshape gives what was meant, or None when an axis must be split first (``split``:
    the source with its axes split as the reading needs, and ``split_perm`` the transpose of that)."""
    perm: Optional[tuple]
    split: Optional[tuple] = None
    split_perm: Optional[tuple] = None

    @property
    def pure(self) -> bool:
        return self.perm is not None

    def moves_into_inferred(self, written) -> bool:
        """Whether an axis is moved to where the reshape was written ``-1``: ``image.reshape(-1, 28, 28)`` on a
        (28, 28, 3) colour image meant one sample of a gray image, and the -1 took the 3 channels -- the order of that
        axis was never written, so no transpose was meant either (the data has the wrong number of channels)."""
        return bool(self.inferred_moves(written))

    def inferred_moves(self, written) -> list:
        """The positions written -1 that an axis is moved into (see ``moves_into_inferred``)."""
        sizes = list(written) if isinstance(written, (tuple, list)) else [written]
        if self.perm is None or len(sizes) != len(self.perm):
            return []
        return [i for i, s in enumerate(sizes) if s == -1 and self.perm[i] != i]

    def whole(self, src: tuple, dst: tuple) -> bool:
        """The reshape was the whole transpose: the permuted source is exactly ``dst`` (no merge or unit axis)."""
        return self.perm is not None and tuple(src[a] for a in self.perm) == tuple(dst)


def _cumulative(sizes: list) -> list:
    out, acc = [], 1
    for s in sizes:
        acc *= s
        out.append(acc)
    return out


def _pieces(src: list, dst: list) -> Optional[list]:
    """Cut both shapes where they share an axis boundary: a list of (source axes, destination axes) index lists.
    Sizes are > 1, so the running products only grow and every cut is found by walking both at once."""
    a, b = _cumulative(src), _cumulative(dst)
    if not a or not b or a[-1] != b[-1]:
        return None
    pieces, i, j = [], 0, 0
    while i < len(src) and j < len(dst):
        si, dj = [i], [j]
        while a[i] != b[j]:
            if a[i] < b[j]:
                i += 1
                si.append(i)
            else:
                j += 1
                dj.append(j)
        pieces.append((si, dj))
        i, j = i + 1, j + 1
    return pieces


def _joined(pieces: list, n_src: int, n_dst: int) -> list:
    """Shared boundaries can be a coincidence of sizes ((64, 8, 8) -> (8, 8, 64) cuts at 64 = 8 * 8): apart from
    axes kept whole at both ends (the batch axis), small shapes are searched as one piece, so a reading that moves
    whole axes can win over a split-and-merge in memory order that needs more cuts."""
    head = 0
    while head < len(pieces) and len(pieces[head][0]) == 1 and len(pieces[head][1]) == 1:
        head += 1
    tail = len(pieces)
    while tail > head and len(pieces[tail - 1][0]) == 1 and len(pieces[tail - 1][1]) == 1:
        tail -= 1
    middle = pieces[head:tail]
    src = [i for si, _ in middle for i in si]
    dst = [j for _, dj in middle for j in dj]
    if len(middle) < 2 or len(src) > _MAX_AXES or len(dst) > _MAX_AXES:
        return pieces
    return pieces[:head] + [(src, dst)] + pieces[tail:]


def _atomizations(sizes: list, targets: list):
    """Ways to split each source axis into at most two factors, one of them a destination size."""
    options = []
    for s in sizes:
        opts = [((s, 0),)]
        for d in sorted(set(targets)):
            if 1 < d < s and s % d == 0:
                opts.append(((d, 0), (s // d, 1)))
                if s // d != d:
                    opts.append(((s // d, 0), (d, 1)))
        options.append(opts)
    for n, combo in enumerate(cartesian(*options)):
        if n >= _MAX_ATOMIZATIONS:
            return
        atoms = []  # (size, source axis, part)
        for axis, parts in enumerate(combo):
            atoms.extend((size, axis, part) for size, part in parts)
        if len(atoms) <= _MAX_AXES:
            yield atoms


def _readings(atoms: list, targets: list):
    """Orders of all atoms such that consecutive runs multiply to the destination sizes, in order (one order per
    reading: atoms merged into one axis, and atoms of equal size, are taken in memory order)."""
    n = len(atoms)

    def fill(k: int, used: int, order: list, acc: int):
        if k == len(targets):
            if used == (1 << n) - 1:
                yield list(order)
            return
        for i in range(n):
            if used >> i & 1 or (acc > 1 and i < order[-1]):
                continue  # within one merged axis the atoms keep their memory order
            size = atoms[i][0]
            if any(not used >> j & 1 and atoms[j][0] == size for j in range(i)):
                continue  # atoms of one size are interchangeable: take them in memory order
            if targets[k] % (acc * size):
                continue
            order.append(i)
            if acc * size == targets[k]:
                yield from fill(k + 1, used | 1 << i, order, 1)
            else:
                yield from fill(k, used | 1 << i, order, acc * size)
            order.pop()

    yield from fill(0, 0, [], 1)


def _piece_reading(src: list, dst: list) -> Optional[tuple]:
    """(atoms, order) of the fewest-splits reading of one piece when every such reading reorders the axes; None when
    one keeps the memory order or none exists."""
    best, found = None, []
    for atoms in _atomizations(src, dst):
        if best is not None and len(atoms) > best:
            continue
        for order in _readings(atoms, dst):
            if best is None or len(atoms) < best:
                best, found = len(atoms), []
            found.append((atoms, order))
    if not found:
        return None
    if any(order == sorted(order) for _, order in found):
        return None  # a reading in memory order: a split/merge, not a reorder
    # readings that differ only in how an axis is split all reorder; the one that moves the least is the likeliest
    return min(found, key=lambda reading: _inversions(reading[1]))


def _inversions(order: list) -> int:
    return sum(1 for i in range(len(order)) for j in range(i + 1, len(order)) if order[i] > order[j])


def _as_sizes(shape) -> Optional[list]:
    return [d for d in shape] if all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in shape) \
        else None


def _symbols_as_sizes(src: tuple, dst: tuple) -> Optional[tuple]:
    """Give every symbolic size a distinct large prime, so it can only be matched whole by the same symbol."""
    primes = iter((1_000_003, 1_000_033, 1_000_037, 1_000_039, 1_000_081, 1_000_099))
    table = {}
    out = []
    for shape in (src, dst):
        sizes = []
        for d in shape:
            if isinstance(d, str):
                if d not in table:
                    table[d] = next(primes, None)
                    if table[d] is None:
                        return None
                d = table[d]
            sizes.append(d)
        out.append(tuple(sizes))
    return out[0], out[1]


def reshape_reorder(src: tuple, dst: tuple) -> Optional[Reorder]:
    """How ``reshape(src -> dst)`` reorders axes, or None when it is a plain split/merge or we cannot tell."""
    if src is None or dst is None:
        return None
    converted = _symbols_as_sizes(tuple(src), tuple(dst))
    if converted is None:
        return None
    src_sizes, dst_sizes = _as_sizes(converted[0]), _as_sizes(converted[1])
    if src_sizes is None or dst_sizes is None:
        return None
    keep = [i for i, s in enumerate(src_sizes) if s != 1]
    s = [src_sizes[i] for i in keep]
    d = [x for x in dst_sizes if x != 1]
    if len(s) < 2 or len(d) < 2:
        return None
    pieces = _pieces(s, d)
    if pieces is None:
        return None
    pieces = _joined(pieces, len(s), len(d))
    new_order = []          # of compact source axes, or None once an axis must be split
    split_shape, split_perm = [], []
    pure, reordered = True, False
    for si, dj in pieces:
        if len(si) == 1 or len(dj) == 1:
            new_order.extend(si)
            base = len(split_shape)
            split_shape.extend(s[i] for i in si)
            split_perm.extend(range(base, base + len(si)))
            continue
        if len(si) > _MAX_AXES or len(dj) > _MAX_AXES:
            return None
        reading = _piece_reading([s[i] for i in si], [d[j] for j in dj])
        if reading is None:
            return None
        atoms, order = reading
        reordered = True
        if len(atoms) != len(si):
            pure = False
        else:
            new_order.extend(si[atoms[k][1]] for k in order)
        base = len(split_shape)
        split_shape.extend(a[0] for a in atoms)
        split_perm.extend(base + k for k in order)
    if not reordered:
        return None
    if not pure:
        return Reorder(None, _restore(split_shape, converted[0], src), tuple(split_perm))
    perm = list(range(len(src_sizes)))
    for slot, axis in zip(keep, (keep[k] for k in new_order)):
        perm[slot] = axis
    return Reorder(tuple(perm))


def _restore(split_shape: list, converted: tuple, src: tuple) -> tuple:
    """The split shape with the symbols put back in place of their primes."""
    back = {c: o for c, o in zip(converted, src) if isinstance(o, str)}
    return tuple(back.get(x, x) for x in split_shape)


@dataclass(frozen=True)
class Patches:
    """A reshape of images into patch tokens with no axis moved: ``p`` the patch side, ``channels_first`` the
    images' layout, ``perm`` the transpose of the split images (B, C, H/p, p, W/p, p) or (B, H/p, p, W/p, p, C)
    that puts each patch's values together."""
    p: int
    channels_first: bool

    @property
    def split(self) -> str:
        return "(B, C, H/p, p, W/p, p)" if self.channels_first else "(B, H/p, p, W/p, p, C)"

    @property
    def perm(self) -> tuple:
        return (0, 2, 4, 1, 3, 5) if self.channels_first else (0, 1, 3, 2, 4, 5)


def patch_tokens(src: tuple, dst: tuple, channels_first: bool) -> Optional[Patches]:
    """Images (B, C, H, W) (or (B, H, W, C)) reshaped straight into patch tokens (B, (H/p)(W/p), C p p). The sizes
    fit, but a reshape cuts the memory into runs of C p p values: each "patch" is a strip of rows of one channel,
    not a p x p square. Only when the token count is not a boundary of the image's own axes (then the reshape would
    be a plain merge: rows as a sequence) and the sizes name one patch side p with 1 < p < H, W."""
    if src is None or dst is None or len(src) != 4 or len(dst) != 3:
        return None
    if any(not isinstance(v, int) or isinstance(v, bool) or v < 1 for v in (*src[1:], *dst[1:])):
        return None
    c, h, w = (src[1], src[2], src[3]) if channels_first else (src[3], src[1], src[2])
    n, d = dst[1], dst[2]
    if n in _cumulative(list(src[1:])):
        return None  # (B, 1, 16, 16) -> (B, 16, 16): rows as a sequence, a plain merge
    for p in range(2, min(h, w)):
        if h % p == 0 and w % p == 0 and n == (h // p) * (w // p) and d == c * p * p:
            return Patches(p, channels_first)
    return None
