"""A layer of the wrong variant for its input's rank: ``nn.BatchNorm2d(256)`` after a ``Linear`` gets (N, 256) and
PyTorch refuses anything but (N, C, H, W). The features are right (axis 1 is the layer's ``num_features``); the
variant written is the mistake, and the fix writes the one for that rank (``BatchNorm1d``). Reshaping the features
into a fake image would run and normalise the same thing with a misleading layer."""
from __future__ import annotations

import ast

from ...core.dims import is_known
from ...core.facts import RuleFacts
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import rename_call
from ...diagnostics.fixes.source import node_at
from ...diagnostics.model import Fix, Label
from ..cause import Cause

_BATCH_NORMS = {2: "BatchNorm1d", 3: "BatchNorm1d", 4: "BatchNorm2d", 5: "BatchNorm3d"}  # input rank -> variant


def _features_made_by_a_linear(f, x) -> bool:
    """(N, C) features a Linear made: evidence that axis 1 is the features, not a size that equals them (the rows of
    one unbatched 64x64 image of 64 channels)."""
    producer = f.inference.producer_of(x)
    return len(x.shape) == 2 and producer is not None and producer.layer.kind in ("Linear", "LazyLinear")


def batch_norm_for_rank(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "rank-mismatch" or f.op.layer.framework != "torch" or \
            f.op.layer.kind not in ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d") or not f.op.inputs:
        return
    x = f.op.inputs[0]
    shape = getattr(x, "shape", None)
    want = _BATCH_NORMS.get(len(shape)) if shape is not None else None
    features = f.op.layer.args.get("num_features")
    if want is None or want == f.op.layer.kind or not is_known(shape[1]) or shape[1] != features or \
            not _features_made_by_a_linear(f, x):
        return
    call = node_at(f.op.layer.origin.span, ctx.lines, ast.Call) if f.op.layer.origin.span is not None else None
    edit = rename_call(call, {f.op.layer.kind: want}) if call is not None else None
    if edit is None:
        return
    help_text = remedies.batch_norm_variant(want, tuple(shape))
    yield Cause("layer-variant", 85, Label(Span.of(call), remedies.batch_norm_variant_label(f.op.layer.kind,
                                                                                           len(shape)), d.file),
                remedies.batch_norm_variant_note(f.op.layer.kind, tuple(shape)), help_text,
                fix=Fix("unsafe", help_text, [edit]), strong=True)
