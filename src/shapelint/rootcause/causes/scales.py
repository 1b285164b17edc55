"""A map brought to a grid by a written factor (``UpSampling2D(size=32)`` on a 1x1 embedding) that must match a map
whose size the code names (``image_size``): the factor is a number left from another image size, and the name in
scope where the upsampling is built says what it means. Padding the small map with zeros, or shrinking the images to
the stale number, would run and change the model."""
from __future__ import annotations

from ...core.facts import RuleFacts
from ...core.registry import fact
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause


def scale_literal_beside_name(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or len(f.op.inputs) != 2:
        return
    xs = f.op.inputs
    if not all(isinstance(v, Tensor) and v.shape is not None for v in xs) or len(xs[0].shape) != len(xs[1].shape) \
            or len(xs[0].shape) < 3:
        return
    for small, big in ((xs[0], xs[1]), (xs[1], xs[0])):
        op = f.inference.producer_of(small)
        arg = fact(op.layer.framework, op.layer.kind, "scale_arg") if op is not None else None
        span = op.layer.arg_spans.get(arg) if arg is not None else None
        written = ctx.text(span) if span is not None else None
        if written is None or not written.strip().isdigit() or not op.inputs or \
                not isinstance(op.inputs[0], Tensor) or op.inputs[0].shape is None:
            continue
        needed = _factor_needed(op.inputs[0].shape, small.shape, big.shape, op.layer.framework)
        names = {name for value, name in (op.layer.extra.get("size_names") or {}).values()
                 if isinstance(value, int) and int(value) == needed} if needed else set()
        if len(names) != 1:
            continue
        name = names.pop()
        help_text = remedies.scale_by_name(name)
        yield Cause("layer-number", 85, Label(span, remedies.scale_literal_label(int(written), name, needed), d.file),
                    remedies.scale_literal_note(op.layer.kind, int(written), name, needed), help_text,
                    fix=Fix("unsafe", help_text, [Edit(span, name)], replaces_name=True), strong=True)
        return


def _factor_needed(before: tuple, small: tuple, big: tuple, framework: str):
    """The one factor that brings every spatial axis of ``before`` (the upsampling's input) to ``big``'s size where
    ``small`` (its output) differs from it, or None."""
    r = len(small)
    spatial = range(1, r - 1) if framework == "keras" else range(2, r)
    differ = [i for i in spatial if small[i] != big[i]]
    if not differ or len(before) != r:
        return None
    factors = set()
    for i in differ:
        if not all(isinstance(v, int) and v > 0 for v in (before[i], big[i])) or big[i] % before[i]:
            return None
        factors.add(big[i] // before[i])
    return factors.pop() if len(factors) == 1 else None
