"""Dropout family: the shape passes through; Dropout1d needs 2-D/3-D, FeatureAlphaDropout and Dropout2d at least 2-D,
Dropout3d at least 1-D (it adds a batch axis to anything but 5-D). Dropout2d/3d only warn about other ranks."""
from __future__ import annotations

from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from ._common import FW, require_rank


def check_p(layer, name: str = "p"):
    p = layer.arg(name)
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        return Mismatch("invalid-argument", arg=name, detail=f"dropout probability has to be between 0 and 1, "
                        f"got {p!r}", remedy=remedies.pass_probability_between_0_and_1())
    return None


def dropout_core(layer, x: Tensor, kind: str):
    if kind == "Dropout1d":
        return require_rank(x, (2, 3), layout="(N, C, L) or (C, L)", remedy=remedies.use_dropout_for_other_ranks()) or x
    if kind in ("FeatureAlphaDropout", "Dropout2d"):
        return require_rank(x, min_rank=2, layout="(N, C, *)", remedy=remedies.use_dropout_for_1d()) or x
    if kind == "Dropout3d":
        return require_rank(x, min_rank=1, layout="(N, C, D, H, W)", remedy=remedies.use_dropout_for_0d()) or x
    return x


@rule(FW, ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout"],
      "p=0.5, inplace=False")
def dropout(layer, x: Tensor):
    return check_p(layer) or dropout_core(layer, x, layer.kind)
