"""Sibling heads: two projections of the same tensor that must agree in width, one written with a name and the other
with a stale literal. A VAE's ``z_mean = Dense(latent_dim)(x)`` beside ``z_log_var = Dense(2)(x)`` (left from the
2-D example): the sampling step multiplies a (batch, 2) std by (batch, 16) noise and raises there. The literal is
where the mistake was written; widening it to the sibling's name is the fix. Two literals are ambiguous (which one
is right?) and say nothing."""
from __future__ import annotations

from typing import Optional

from ...core import provenance
from ...core.infer import PASS_THROUGH
from ...core.facts import RuleFacts
from ...core.registry import fact_of
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..spelling import module_name_for, size_name
from ...diagnostics.fixes.source import is_atom_text
from .numbers import passed_by_caller

# same-shape steps between a head and where its output meets the other side: ``exp(0.5 * log_var) * eps``
_ELEMENTWISE = PASS_THROUGH | {"exp", "ops.exp", "sigmoid", "tanh", "softplus", "F.softplus", "mul", "multiply",
                               "ops.multiply", "add", "ops.add", "sqrt", "ops.sqrt", "abs", "neg"}


def sibling_head(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or len(f.op.inputs) < 2:
        return
    xs = [v for v in f.op.inputs[:2] if isinstance(v, Tensor) and v.shape is not None]
    if len(xs) != 2 or len(xs[0].shape) != len(xs[1].shape) or not xs[0].shape:
        return
    a, b = xs[0].shape[-1], xs[1].shape[-1]
    leading = [(p, q) for p, q in zip(xs[0].shape[:-1], xs[1].shape[:-1]) if isinstance(p, int) and isinstance(q, int)]
    if not isinstance(a, int) or not isinstance(b, int) or a == b or 1 in (a, b) or any(p != q for p, q in leading):
        return
    for mine, other in ((xs[0], b), (xs[1], a)):
        head = _head(f.inference, mine)
        if head is None:
            continue
        found = _stale_literal(ctx, f.inference, head, other)
        if found is None:
            continue
        span, sibling, name = found
        help_text = remedies.size_like_sibling(name)
        yield Cause("layer-number", 84, Label(span, remedies.sibling_label(int(mine.shape[-1]), name, other), d.file),
                    remedies.sibling_note(head.layer.kind, sibling.layer.label, name, other), help_text,
                    fix=Fix("unsafe", help_text, [Edit(span, name)]), strong=True)
        return


def _last_width_arg(layer):
    """The argument that sets the width of ``layer``'s last axis (``units``, ``out_features``: the registry's
    ``width_arg`` of a layer whose ``width_axis`` is -1), or None."""
    return fact_of(layer, "width_arg") if fact_of(layer, "width_axis") == -1 else None


def _head(inference, value):
    """The Dense / Linear whose output width became ``value``'s last axis, through same-shape steps."""
    return next((op for _, op in inference.walk_back(value, _same_shape_operand, depth=8)
                 if op is not None and _last_width_arg(op.layer) is not None), None)


def _same_shape_operand(op, value):
    """An element-wise step's first operand of ``value``'s shape (``exp(0.5 * log_var) * eps``: either side)."""
    if op.layer.kind not in _ELEMENTWISE:
        return None
    return next((v for v in op.inputs if isinstance(v, Tensor) and v.shape == getattr(value, "shape", None)), None)


def _stale_literal(ctx, inference, head, other: int) -> Optional[tuple]:
    """(span of ``head``'s width literal, the sibling op, the sibling's width text) when another projection of the same
    input, of the same kind, has width ``other`` written as a name."""
    arg = _last_width_arg(head.layer)
    span = head.layer.arg_spans.get(arg)
    text = ctx.text(span) if span is not None else None
    if text is None or not text.strip().isdigit() or not head.inputs:
        return None
    siblings = [op for op in inference.program.ops
                if op is not head and op.layer.kind == head.layer.kind and op.inputs and op.inputs[0] is head.inputs[0]
                and op.layer.args.get(arg) == other and op.layer is not head.layer]
    if len(siblings) != 1:
        return None
    sibling = siblings[0]
    s_span = sibling.layer.arg_spans.get(arg)
    name = ctx.text(s_span) if s_span is not None else None
    if name is None or not name.replace(".", "_").isidentifier():
        return None
    return span, sibling, name


def width_literal_beside_name(ctx, d):
    """Two branches merged on another axis than their width (a projected image vector joined to word embeddings
    along time): one width comes from a layer whose size is a bare number (``Dense(300)``), the other from a
    module-level name (``EMBED_DIM``). The number is the stale one; the name says what the model means. Two numbers,
    or two names, are ambiguous and say nothing."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or len(f.op.inputs) != 2:
        return
    xs = [v for v in f.op.inputs if isinstance(v, Tensor) and v.shape is not None]
    if len(xs) != 2 or len(xs[0].shape) != len(xs[1].shape) or len(xs[0].shape) < 3:
        return
    a, b = xs[0].shape[-1], xs[1].shape[-1]
    if not isinstance(a, int) or not isinstance(b, int) or a == b or 1 in (a, b):
        return
    joined = f.op.layer.args.get("axis", f.op.layer.args.get("dim"))
    rank = len(xs[0].shape)
    if "cat" in f.op.layer.kind.lower() and (not isinstance(joined, int) or joined % rank == rank - 1):
        return  # joined along the width: widths may differ, the mismatch is elsewhere
    if isinstance(joined, int) and all(p == q for i, (p, q) in enumerate(zip(xs[0].shape, xs[1].shape))
                                       if i != rank - 1) and isinstance(xs[0].shape[joined], int) and \
            xs[0].shape[joined] > 1:
        # two sequences of the same length that differ only in width, joined along their steps: the axis is what is
        # wrong (widening one would stack them into a sequence twice as long)
        return
    found = []
    for mine, other in ((xs[0], b), (xs[1], a)):
        head = _width_source(f.inference, mine)
        span = head.layer.arg_spans.get(_last_width_arg(head.layer)) if head is not None else None
        text = ctx.text(span) if span is not None else None
        o = provenance.origin_of(other)
        inner = getattr(o, "inner", o)
        name = module_name_for(ctx, inner.span) if isinstance(inner, provenance.Written) else None
        if text is not None and text.strip().isdigit() and name is not None:
            found.append((span, head, name, int(other), int(mine.shape[-1])))
    if len(found) != 1:
        return
    span, head, name, other, width = found[0]
    help_text = remedies.size_like_other_branch(name)
    yield Cause("layer-number", 83, Label(span, remedies.width_literal_label(width, name, other), d.file),
                remedies.width_literal_note(head.layer.kind, name, other), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, name)]), strong=True)


def _width_source(inference, value):
    """The Dense / Linear whose width became ``value``'s last axis, through ops that carry that axis unchanged
    (``RepeatVector``, activations, reshapes that keep the same size object last)."""
    return next((op for _, op in inference.walk_back(value, _last_axis_carried, depth=8)
                 if op is not None and op.inputs and _last_width_arg(op.layer) is not None), None)


def _last_axis_carried(op, value):
    """The first input of an op that hands on its last axis (the same size object) or works element-wise."""
    x = op.inputs[0] if op.inputs else None
    if not isinstance(x, Tensor) or not x.shape or getattr(value, "shape", None) is None or \
            x.shape[-1] is not value.shape[-1] and op.layer.kind not in _ELEMENTWISE:
        return None
    return x


_RESIDUAL_OPS = ("add", "ops.add", "Add")


def residual_operands(d) -> Optional[tuple]:
    """(skip, branch) of a residual sum ``x + f(x)`` that failed to broadcast -- ``f(x)`` computed from ``x``, of the
    same rank, the two differing in their last axis only -- or None."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or \
            f.op.layer.kind not in _RESIDUAL_OPS or len(f.op.inputs) != 2:
        return None
    a, b = f.op.inputs
    if not all(isinstance(v, Tensor) and v.shape for v in (a, b)) or len(a.shape) != len(b.shape):
        return None
    for skip, branch in ((a, b), (b, a)):
        if f.inference.derives_from(branch, skip, limit=64) and isinstance(skip.shape[-1], int) and \
                skip.shape[-1] != branch.shape[-1] and all(p == q for p, q in zip(skip.shape[:-1], branch.shape[:-1])):
            return skip, branch
    return None


def residual_branch_width(ctx, d):
    """A residual ``x + f(x)`` whose branch ends at another width than ``x`` -- a transformer block's feed-forward
    network whose second Dense was written ``Dense(ff_dim)`` instead of ``Dense(embed_dim)``. The branch must
    come back to the width it left; the last layer that sets its width is where the wrong number is written. Making
    the inner width equal to the model width (``ff_dim = embed_dim``) or projecting the skip would run and change
    the block."""
    operands = residual_operands(d)
    if operands is None:
        return
    skip, branch = operands
    f = d.facts
    head = _width_source(f.inference, branch)
    span = head.layer.arg_spans.get(_last_width_arg(head.layer)) if head is not None else None
    inner = _width_source(f.inference, head.inputs[0]) if span is not None and head.inputs else None
    # only a branch that widens and forgets to come back: its last layer repeats the inner width (`Dense(ff_dim)`
    # after `Dense(ff_dim)`), and the skip's width has a name where it is built. A block meant to change the
    # width (`ResBlock(dim_in, dim_out)`) needs a projected skip, which is the author's design to choose.
    if inner is None or not isinstance(inner.output, Tensor) or not inner.output.shape or \
            inner.output.shape[-1] != branch.shape[-1]:
        return
    width = skip.shape[-1]
    new = size_name(head.layer, width)
    if new is None:
        return
    help_text = remedies.branch_back_to_width(new)
    yield Cause("layer-number", 84, Label(span, remedies.branch_width_label(int(branch.shape[-1]),
                                                                             int(width)), d.file),
                remedies.branch_width_note(head.layer.kind, int(width)), help_text,
                # a layer after the block built for the branch's width: the block was meant to widen
                fix=Fix("unsafe", help_text, [Edit(span, new)], replaces_name=True, stands_alone=True),
                strong=True)


def residual_width_choice(ctx, d):
    """Any residual sum whose sides differ in width: the two designs (keep the width, widen with a projected skip)
    are both right for some block, so this says both and edits nothing. It ranks below every finder that can tell
    which one the file meant (``residual_branch_width``), and it gives way to the rule's own fix (a zero-padded
    shortcut for a convolution block)."""
    operands = residual_operands(d)
    if operands is None or d.primary is None or d.fix is not None and d.fix.edits or not all(isinstance(v.shape[-1], int) for v in operands):
        return
    skip, branch = (int(v.shape[-1]) for v in operands)
    help_text = remedies.residual_width_choice(skip, branch)
    yield Cause("layer-number", 40, d.primary, remedies.residual_width_note(skip, branch), help_text,
                fix=Fix("display-only", help_text, []), strong=True)


def parallel_branch_width(ctx, d):
    """``qkv(x) + lora(x)``: two branches computed from one input and added, whose widths differ -- a LoRA adapter
    built with ``out_features=dim`` beside the ``Linear(dim, dim * 3)`` it adapts. Neither side is the other's
    input, so the sum alone does not say which width is wrong: each side's last width-setting layer is proposed at
    the other side's width, and the fix contract decides (the ``view(b, t, 3, heads, d // heads)`` after the sum
    needs 3 * dim, so only the adapter's change verifies). Neither cause is strong: a side whose change does not
    verify is not offered. The number is edited where it was written: at the call that built the module when the
    layer's width is one of its parameters."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or \
            f.op.layer.kind not in _RESIDUAL_OPS + ("sub", "mul", "__add__") or len(f.op.inputs) != 2:
        return
    a, b = f.op.inputs
    if not all(isinstance(v, Tensor) and v.shape and isinstance(v.shape[-1], int) for v in (a, b)) or \
            len(a.shape) != len(b.shape) or a.shape[-1] == b.shape[-1] or \
            any(p != q for p, q in zip(a.shape[:-1], b.shape[:-1])) or \
            f.inference.derives_from(a, b, limit=64) or f.inference.derives_from(b, a, limit=64):
        return
    for side, other in ((b, a), (a, b)):  # the branch written second (the adapter, the side path) first
        cause = _branch_at_width(ctx, d, f.inference, side, int(other.shape[-1]))
        if cause is not None:
            yield cause


def _branch_at_width(ctx, d, inference, side, width: int):
    head = _width_source(inference, side)
    arg = _last_width_arg(head.layer) if head is not None else None
    span = head.layer.arg_spans.get(arg) if arg is not None else None
    old = ctx.text(span) if span is not None else None
    if old is None:
        return None
    current = int(side.shape[-1])
    passed = passed_by_caller(ctx, inference, head.layer, old.strip(), span) \
        if old.strip().isidentifier() else None
    at, old = passed if passed is not None else (span, old)
    new = size_name(head.layer, width) if passed is None else None
    if new is None and width % current == 0:
        new = f"{old if is_atom_text(old) else f'({old})'} * {width // current}"
    new = new or str(width)
    help_text = remedies.parallel_branch_width(new)
    return Cause("layer-number", 62, Label(at, remedies.parallel_branch_label(current, width), d.file),
                 remedies.parallel_branch_note(head.layer.kind, width), help_text,
                 fix=Fix("unsafe", help_text, [Edit(at, new)], replaces_name=True, stands_alone=True))
