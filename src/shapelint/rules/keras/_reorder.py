"""A Keras reshape that reorders one sample's axes instead of moving them (core/reorder.py): shared by the
``Reshape`` layer and ``ops.reshape``, which differ only in how the fix is spelled."""
from __future__ import annotations

from ...core.reorder import patch_tokens, reshape_reorder
from ...diagnostics import remedies


def warn_reorder(layer, sample: tuple, target: tuple, fix_for) -> None:
    """Warn when ``sample`` -> ``target`` (one sample's shape, batch axis left out) is the same axes in another order.
    ``fix_for(perm)`` builds the fix intent from the permutation of the sample's axes (0-based)."""
    found = reshape_reorder(tuple(sample), tuple(target))
    received, out = (None,) + tuple(sample), (None,) + tuple(target)
    if found is None:
        patches = patch_tokens((1,) + tuple(sample), (1,) + tuple(target), channels_first=False)
        if patches is not None:
            layer.warn("reshape-reorders-axes", variant="patches", received_shape=received, out_shape=out,
                       p=patches.p, per=target[-1],
                       remedy=remedies.split_patches_then_move(patches.split, f"ops.transpose(x, {patches.perm})"))
        return
    if found.pure:
        axes = (0,) + tuple(a + 1 for a in found.perm)
        layer.warn("reshape-reorders-axes", received_shape=received, out_shape=out, fix=fix_for(found.perm),
                   remedy=remedies.move_axes_before_reshape(f"ops.transpose(x, {axes})` or "
                                                            f"`layers.Permute({tuple(a + 1 for a in found.perm)})"))
        return
    axes = (0,) + tuple(a + 1 for a in found.split_perm)
    layer.warn("reshape-reorders-axes", received_shape=received, out_shape=out,
               remedy=remedies.split_then_move_axes((None,) + tuple(found.split), f"ops.transpose(x, {axes})"))
