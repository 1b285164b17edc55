"""A per-sample attention mask tiled over the heads in the wrong order.

``nn.MultiheadAttention`` takes a 3-D ``attn_mask`` as (N·num_heads, L, S), batch-major: row ``n * num_heads + h`` is
head ``h`` of sample ``n``. ``mask.repeat(num_heads, 1, 1)`` on a per-sample (N, L, S) mask tiles the *batch*
(``[M0..M5, M0..M5, ...]``), so most heads of a sample get another sample's mask. The shape is exactly what the layer
checks, so it runs, and each sample's output depends on the others in its batch. ``repeat_interleave(num_heads,
dim=0)`` gives each sample's mask to its own heads.
"""
from __future__ import annotations

from ..core.values import Tensor
from ..diagnostics import remedies
from ..diagnostics.model import Edit, Fix
from .report import emit, shape_text, span_text


def per_sample_mask_tiled(ev, run, ops) -> None:
    inf = run.inference
    for op in ops:
        if op.layer.framework != "torch" or op.layer.kind != "MultiheadAttention" or not op.inputs:
            continue
        heads = op.layer.args.get("num_heads")
        mask = op.layer.call_input(op.inputs, "attn_mask", 5)
        tiled = inf.producer_of(mask) if isinstance(mask, Tensor) and mask.shape is not None else None
        if not isinstance(heads, int) or heads < 2 or tiled is None or tiled.layer.kind != "repeat" or \
                tuple(tiled.layer.args.get("sizes") or ()) != (heads, 1, 1) or not tiled.inputs:
            continue
        per_sample = tiled.inputs[0]
        q = op.inputs[0].shape if isinstance(op.inputs[0], Tensor) else None
        batch = (q[0] if op.layer.args.get("batch_first") is True else q[1]) if q is not None and len(q) == 3 \
            else None
        shape = getattr(per_sample, "shape", None)
        if shape is None or len(shape) != 3 or not isinstance(batch, int) or batch < 2 or shape[0] != batch or \
                not _made_from_inputs(inf, per_sample, run.program.inputs):
            continue  # a mask every sample shares (a causal mask expanded to the batch) tiles to the same rows
        span = tiled.layer.origin.span
        text = span_text(ev, span)
        new = _interleaved(text, heads) if text else None
        emit(ev, "mask-heads-tiled", span, f"tiles the {batch} samples' masks {heads} times",
             secondary=[(op.layer.extra.get("call_span") or op.layer.origin.span,
                         f"reads row n * {heads} + h as head h of sample n")],
             received_shape=shape_text(shape), heads=heads, batch=batch, remedy=remedies.interleave_mask_heads(heads),
             severity="warning", model=getattr(run, "model_name", None),
             fix=Fix("unsafe", remedies.interleave_mask_heads(heads), [Edit(span, new)]) if new else None)


def _made_from_inputs(inf, value, inputs, limit: int = 200) -> bool:
    """The mask is computed from the data the model is given (lengths, a padding flag): it may differ per sample."""
    seen, todo = set(), [value]
    while todo and len(seen) < limit:
        v = todo.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        if any(v is x for x in inputs):
            return True
        p = inf.producer_of(v)
        todo.extend(i for i in (p.inputs if p is not None else []) if isinstance(i, Tensor))
        source = inf.elementwise_source(v)  # a comparison's bool result: the comparison it came from
        if source is not None:
            todo.append(source)
    return False


def _interleaved(text: str, heads: int):
    """``mask.repeat(self.nhead, 1, 1)`` -> ``mask.repeat_interleave(self.nhead, dim=0)``."""
    at = text.rfind(".repeat(")
    if at < 0 or not text.endswith(")"):
        return None
    args = [a.strip() for a in text[at + len(".repeat("):-1].split(",")]
    if len(args) != 3 or args[1:] != ["1", "1"]:
        return None
    return f"{text[:at]}.repeat_interleave({args[0]}, dim=0)"
