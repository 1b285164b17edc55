"""Causes at a view / reshape whose -1 sits in the batch position: rows that cut across samples. Flattening keeps
the batch axis (``x.view(x.size(0), -1)``); a (batch, features) tensor viewed as feature maps gets the map size its
features allow (``x.view(-1, 128, 7, 7)`` for 6,272 features)."""
from __future__ import annotations

import ast

from ...core import provenance
from ...core.facts import RuleFacts
from ...core.reorder import reshape_reorder
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..spelling import call_at
from ...diagnostics.fixes.source import node_at
from .batch import _keep_batch_fix, size_written_elsewhere

_CODES = ("reshape-mixes-samples", "reshape-size-mismatch")


def view_rows(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or d.name not in _CODES or f.op.layer.kind not in ("view", "reshape"):
        return
    x = f.op.inputs[0] if f.op.inputs else None
    shape = getattr(x, "shape", None)
    target = f.op.layer.args.get("shape")
    if isinstance(target, tuple) and len(target) == 1 and isinstance(target[0], (tuple, list)):
        target = tuple(target[0])
    if not shape or not isinstance(target, tuple) or not target or target[0] != -1:
        return
    if len(shape) == 2 and len(target) in (3, 4):
        cause = _feature_maps(ctx, d, f.op, shape, target)
        if cause is not None:
            yield cause
        return
    out = getattr(f.op.output, "shape", None)
    moved = reshape_reorder(shape, out) if out else None
    if moved is not None and moved.whole(shape, out):
        return  # (B, T, 1) viewed as (T, B, 1): the axes were meant to move (the rule's help says how), not flatten
    failed = getattr(f.op.output, "shape", None) is None  # the view raised (not a view that merged the batch)
    elsewhere = size_written_elsewhere(ctx, d, f.op) if failed else None
    if elsewhere is not None:  # `x.view(-1, self.n_flat)`: the per-sample size bound elsewhere is what is stale
        yield elsewhere
        return
    fix, spelled = _keep_batch_fix(ctx, f.op)
    if fix is None:
        return
    yield Cause("batch-merged", 88, d.primary, "", remedies.keep_batch_axis(spelled or ""), fix=fix)


def _feature_maps(ctx, d, op, shape, target):
    """``x.view(-1, C, H, W)`` on (B, F): keep C and the batch, make the maps the size F allows."""
    call = call_at(ctx, op.layer.origin.span)
    channels = target[1]
    features = shape[1]
    if call is None or len(call.args) != len(target) or not isinstance(channels, int) or channels <= 0 or \
            not isinstance(features, int) or features % channels:
        return None
    per = features // channels
    n = len(target) - 2
    side = round(per ** (1.0 / n))
    if side ** n != per:
        return None
    a, b = Span.of(call.args[2]), Span.of(call.args[-1])
    text = ", ".join([str(side)] * n)
    title = remedies.view_maps(features, channels, " x ".join([str(side)] * n))
    return Cause("feature-maps", 70, d.primary, "", title,
                 fix=Fix("unsafe", title, [Edit(Span(a.line, a.column, b.end_line, b.end_column), text)]))


_POOLS = ("MaxPool2d", "AvgPool2d")
_PASSING = ("ReLU", "F.relu", "relu", "torch.relu", "LeakyReLU", "F.leaky_relu", "BatchNorm2d", "Dropout", "Dropout2d",
            "Tanh", "Sigmoid", "GELU", "F.gelu", "ELU")


def _passing_input(op, value):
    """The input of an activation, norm or dropout between the last conv and the flatten (``_PASSING``)."""
    return op.inputs[0] if op.layer.kind in _PASSING and op.inputs else None


def missing_pool(ctx, d):
    """The CIFAR LeNet with its second pooling step left out: ``x.view(-1, 16 * 5 * 5)`` on (B, 16, 10, 10) maps folds
    4 rows out of every sample. The numbers say what is missing: a pooling module the forward already uses (2x2)
    makes 10 x 10 into 5 x 5, exactly what the flatten was written for. The fix applies it after the last conv, where
    the earlier block applies it; widening the Linear to 1,600 would bend the model to the bug."""
    found = _folding_view(ctx, d)
    if found is None:
        return
    inf, view = found
    x = view.inputs[0] if view.inputs else None
    shape = getattr(x, "shape", None)
    target = view.layer.args.get("shape")
    if isinstance(target, tuple) and len(target) == 1 and isinstance(target[0], (tuple, list)):
        target = tuple(target[0])
    if not shape or len(shape) != 4 or not all(isinstance(v, int) for v in shape) or not isinstance(target, tuple) \
            or len(target) != 2 or target[0] != -1 or not isinstance(target[1], int):
        return
    pools = [op for op in inf.program.ops[:view.index] if op.layer.kind in _POOLS]
    if not pools:
        return
    pool = pools[-1]
    k = pool.layer.args.get("kernel_size")
    stride = pool.layer.args.get("stride") or k
    if not isinstance(k, int) or k < 2 or stride != k:
        return
    c, h, w = shape[1:]
    if h % k or w % k or c * (h // k) * (w // k) != target[1]:
        return
    top = inf.producer_of(x)
    p = inf.walk_end(x, _passing_input)
    if p is None or not p.layer.kind.startswith("Conv") or top is None:
        return
    pool_call = call_at(ctx, pool.layer.extra.get("call_span") or pool.layer.origin.span)
    if pool_call is None or len(pool_call.args) != 1 or pool_call.keywords:
        return
    callee = ctx.segment(pool_call.func)
    value = call_at(ctx, top.layer.extra.get("call_span") or top.layer.origin.span)
    span = Span.of(value) if value is not None else None
    if callee is None or span is None or span.line != span.end_line:
        return
    text = ctx.text(span)
    new = f"{callee}({text})"
    title = remedies.apply_missing_pool(callee, k)
    yield Cause("missing-pool", 92, Label(span, remedies.missing_pool_label(), d.file),
                remedies.missing_pool_note(tuple(shape), k, target[1]), title,
                fix=Fix("unsafe", title, [Edit(span, new)]), strong=True)


def _folding_view(ctx, d):
    """(inference, the view op) for a view that folds the batch: its own warning, or the loss error it causes (the
    loss check stands for both)."""
    f = d.facts
    if isinstance(f, RuleFacts) and d.name == "reshape-mixes-samples" and f.op.layer.kind in ("view", "reshape"):
        return f.inference, f.op
    pred = getattr(getattr(f, "pred", None), "value", None)
    if d.name != "sample-count-mismatch" or pred is None:
        return None
    run = next((r.inference for m in getattr(ctx.ev, "models", []) for r in m.runs if r.output is pred), None)
    if run is None:
        return None
    for op in run.program.ops:
        x, out = (op.inputs[0] if op.inputs else None), op.output
        if op.layer.kind in ("view", "reshape") and getattr(x, "shape", None) and getattr(out, "shape", None) and \
                len(x.shape) == 4 and out.shape[0] != x.shape[0]:
            return run, op
    return None


def _target_shape(ctx, span) -> tuple:
    """(the tuple or list written at ``span``, the source text of each of its items). A one-line argument is parsed
    on its own: finding its node in the file's tree would parse and index a whole (maybe 10,000-line) file."""
    if not span:
        return None, []
    text = ctx.text(span)
    alone = _expr(text) if text is not None else None
    if isinstance(alone, (ast.Tuple, ast.List)):
        return alone, [ast.get_source_segment(text, e) for e in alone.elts]
    if alone is not None:  # the node written there is of this kind too: no tuple of sizes
        return alone, []
    target = node_at(span, ctx.lines)
    return target, [ctx.segment(e) for e in getattr(target, "elts", ())]


def _expr(text: str):
    try:
        return ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def dense_sized_for_another_grid(ctx, d):
    """``Dense(units)`` feeding ``Reshape((h, w, c))`` -- a decoder's seed -- with units that are not ``h * w * c``:
    the Reshape names the grid the upsampling after it is built for, so the Dense is sized to it, spelled with the
    Reshape's own names (``Dense(BASE * BASE * FEAT)``). The fix contract checks the rest of the decoder agrees (were
    the grid the wrong one, the output would no longer match and the fix is refused)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "reshape-size-mismatch" or f.op.layer.kind != "Reshape" or \
            f.op.layer.framework != "keras" or not f.op.inputs:
        return
    producer = f.inference.producer_of(f.op.inputs[0])
    if producer is None or producer.layer.kind != "Dense":
        return
    units = producer.layer.arg_spans.get("units")
    target, texts = _target_shape(ctx, f.op.layer.arg_spans.get("target_shape")) if units is not None else (None, [])
    if units is None or not isinstance(target, (ast.Tuple, ast.List)) or not target.elts:
        return
    if any(t is None or "\n" in t for t in texts):
        return
    spelled = " * ".join(t if isinstance(e, (ast.Name, ast.Constant, ast.Attribute)) else f"({t})"
                         for t, e in zip(texts, target.elts))
    help_text = remedies.size_dense_for_grid(spelled)
    yield Cause("layer-number", 74, Label(units, remedies.dense_for_grid_label(), d.file),
                remedies.dense_for_grid_note(ctx.text(units) or "units", spelled), help_text,
                fix=Fix("unsafe", help_text, [Edit(units, spelled)]), strong=False)


def output_size_one_short(ctx, d):
    """A view to (m, C, n_H, n_W) whose n_H and n_W come from an output-size formula written without its ``+ 1``
    -- ``int((n_prev - f + 2 * pad) / stride)`` -- so the (m, C, L) positions of an im2col do not fill them:
    with one more on each the sizes make exactly the values the tensor has. The formula is the mistake; its fix
    adds the ``+ 1`` (a convolution's output size is floor((n - f + 2p) / s) + 1)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in ("view", "reshape") or not f.op.inputs:
        return
    target = f.op.layer.args.get("shape")
    x = f.op.inputs[0]
    if not isinstance(target, (tuple, list)) or getattr(x, "shape", None) is None or \
            not all(isinstance(v, int) and v > 0 for v in list(target) + list(x.shape)):
        return
    floors = [i for i, v in enumerate(target) if isinstance(provenance.origin_of(v), provenance.Computed) and
              provenance.origin_of(v).op == "//" and provenance.origin_of(v).span is not None]
    spans = {provenance.origin_of(target[i]).span for i in floors}
    if not floors or len(spans) != 1:
        return  # one formula, called for each side
    total = 1
    for v in x.shape:
        total *= int(v)
    grown = 1
    for i, v in enumerate(target):
        grown *= int(v) + (1 if i in floors else 0)
    if grown != total:
        return
    span = spans.pop()
    text = ctx.text(span)
    if not text:
        return
    help_text = remedies.output_size_plus_one(f"{text} + 1")
    yield Cause("formula", 84, Label(span, remedies.output_size_one_short_label(), d.file),
                remedies.output_size_one_short_note(len(floors)), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, f"{text} + 1")]), strong=True)
