"""Causes at the place a padding mask was made. A per-sample (N, S) mask -- which keys each sample may attend to --
passed where the attention wants a mask that broadcasts to its scores (``F.scaled_dot_product_attention``:
(N, heads, L, S); Keras ``MultiHeadAttention``: (N, T, S)) needs size-1 axes for heads and queries. The attention
call only shows where it surfaced; the mask is wrong where it was built, and every use of it needs the same axes,
so the fix goes there (``mask[:, None, None, :]``). Putting the padding on the query axis instead (``[..., None]``)
runs and masks the wrong entries -- the contract cannot see that, the rule's fact (``new_axes``) decides it."""
from __future__ import annotations

import ast
import re
from typing import Optional

from ...core import provenance, roles
from ...core.dims import is_known
from ...core.facts import RuleFacts
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.edits import set_arg_edit
from ...diagnostics.fixes.source import enclosing, function_at, node_at, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..sites import assigned_value, name_reads, single_binding, whole_value
from ..spelling import append, edited_text, module_name_for


def padding_mask(ctx, d):
    found = _mask_of(d, "new_axes", 2)
    if found is None:
        yield from _per_query_mask(ctx, d)
        return
    f, axes, mask = found
    # positions 0 and last are the mask's own (N, S) axes; the inserted ones sit between them
    suffix = "[" + ", ".join(":" if i not in axes else "None" for i in range(len(mask.shape) + len(axes))) + "]"
    made = _extended_where_made(ctx, f, mask, suffix)
    if made is None:
        return
    site, edit, spelled = made
    wanted = remedies.mask_with_axes(spelled)
    yield Cause("mask-layout", 84, Label(site, remedies.padding_mask_made(mask.shape), d.file),
                remedies.padding_mask_note(len(axes)), wanted, fix=Fix("unsafe", wanted, [edit]), strong=True)


def _per_query_mask(ctx, d):
    """A per-sample (N, L, S) mask for (N, H, L, S) scores: the heads axis goes in where the mask is made."""
    found = _mask_of(d, "new_axes", 3)
    if found is None or tuple(found[1]) != (1,):
        return
    f, _, mask = found
    made = _extended_where_made(ctx, f, mask, ".unsqueeze(1)")
    if made is not None:
        yield _heads_axis_cause(d, mask, made)


def _heads_axis_cause(d, mask, made) -> Cause:
    """The per-query mask given its heads axis of 1 where it is made (``made``: site, edit, how it will read)."""
    site, edit, spelled = made
    wanted = remedies.mask_with_heads_axis(spelled)
    return Cause("mask-layout", 84, Label(site, remedies.per_query_mask_made(mask.shape), d.file),
                 remedies.per_query_mask_note(), wanted, fix=Fix("unsafe", wanted, [edit]), strong=True)


def _one_input_of_its_shape(op, value):
    """The input of a one-input op that gives it back in its shape (``~mask``, ``mask.bool()``)."""
    same = len(op.inputs) == 1 and getattr(op.inputs[0], "shape", None) == getattr(value, "shape", 0)
    return op.inputs[0] if same else None


def scores_mask_without_heads(ctx, d):
    """Hand-written attention: ``dots.masked_fill_(~mask, -inf)`` with scores (B, H, L, S) and a pairwise mask
    (B, L, S) -- broadcasting aligns the mask's batch with the heads. The mask needs its heads axis of 1 where it is
    made (``.unsqueeze(1)``); a head count equal to the batch would run and mask each head with another sample."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in ("masked_fill", "masked_fill_") or \
            len(f.op.inputs) < 2:
        return
    scores, mask = f.op.inputs[0], f.op.inputs[1]
    shapes = [getattr(v, "shape", None) for v in (scores, mask)]
    if shapes[0] is None or shapes[1] is None or len(shapes[0]) != 4 or len(shapes[1]) != 3 or \
            not all(isinstance(x, int) for x in tuple(shapes[0]) + tuple(shapes[1])) or \
            tuple(shapes[1]) != (shapes[0][0], shapes[0][2], shapes[0][3]) or shapes[0][1] == 1:
        return
    made = None  # the assignment that made the pairwise mask, through `~mask`, `mask.bool()`
    for value, _ in f.inference.walk_back(mask, _one_input_of_its_shape, depth=4):
        made = _extended_where_made(ctx, f, value, ".unsqueeze(1)")
        if made is not None:
            break
    if made is None:
        spans = f.op.layer.extra.get("input_spans") or []
        at = spans[1] if len(spans) > 1 else None
        edit = append(ctx, at, ".unsqueeze(1)") if at is not None else None
        if edit is None:
            return
        made = at, edit, edited_text(ctx, at, edit) or f"{ctx.text(at)}.unsqueeze(1)"
    site = made[0]
    keys = _keys_of_pairwise(ctx, site)
    if keys is not None:  # `m[:, None, :] * m[:, :, None]`: masking padded queries too leaves rows of -inf (NaN)
        wanted = remedies.key_padding_mask(keys)
        yield Cause("mask-layout", 84, Label(site, remedies.per_query_mask_made(mask.shape), d.file),
                    remedies.pairwise_mask_note(), wanted, fix=Fix("unsafe", wanted, [Edit(site, keys)]), strong=True)
        return
    yield _heads_axis_cause(d, mask, made)


def _keys_of_pairwise(ctx, site) -> Optional[str]:
    """``m[:, None, None, :]`` when the mask is made at ``site`` as the outer product of a (B, S) padding mask with
    itself, ``m[:, None, :] * m[:, :, None]`` (or ``&``): a padded query's whole row is then masked, and a softmax
    over a row of -inf gives NaN. Masking the padded keys alone is what a padding mask means."""
    node = node_at(site, ctx.lines)
    if not isinstance(node, ast.BinOp) or not isinstance(node.op, (ast.Mult, ast.BitAnd)):
        return None
    parts = []
    for side in (node.left, node.right):
        if not (isinstance(side, ast.Subscript) and isinstance(side.value, ast.Name) and
                isinstance(side.slice, ast.Tuple) and len(side.slice.elts) == 3):
            return None
        pattern = tuple("None" if isinstance(e, ast.Constant) and e.value is None else
                        ":" if isinstance(e, ast.Slice) and e.lower is e.upper is e.step is None else "?"
                        for e in side.slice.elts)
        parts.append((side.value.id, pattern))
    names = {p[0] for p in parts}
    if len(names) != 1 or sorted(p[1] for p in parts) != sorted([(":", "None", ":"), (":", ":", "None")]):
        return None
    return f"{names.pop()}[:, None, None, :]"


def _mask_of(d, fact: str, rank: int) -> Optional[tuple]:
    """(rule facts, the mismatch's ``fact``, the mask value) of an attention-mask mismatch with a mask of ``rank``
    axes that has that fact."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "attention-mask-mismatch":
        return None
    value, mask = f.mismatch.facts.get(fact), f.mismatch.facts.get("mask_value")
    if not value or mask is None or not getattr(mask, "shape", None) or len(mask.shape) != rank:
        return None
    return f, value, mask


def _extended_where_made(ctx, f, mask, suffix: str) -> Optional[tuple]:
    """(site, edit, how it will read) for ``suffix`` appended to the expression that made the mask."""
    site = _made_at(ctx, f, mask)
    edit = append(ctx, site, suffix) if site is not None else None
    if edit is None:
        return None
    return site, edit, edited_text(ctx, site, edit) or ctx.text(site) + suffix


def _made_at(ctx, f, mask) -> Optional[Span]:
    """The expression that made the mask, when it is the whole value of an assignment: the producing op inside a
    functional model, or the name passed to the model at its call site."""
    op = f.inference.producer_of(mask)
    if op is not None:
        span = op.layer.extra.get("call_span") or op.layer.origin.span
        return span if whole_value(ctx, span, assignment_only=True) else None
    inputs = f.inference.program.inputs
    index = next((i for i, x in enumerate(inputs) if x is mask), None)
    if index is None:
        return None
    model, run = ctx.run_of(f.inference)
    for feed in ctx.feeds():
        if feed.model is not model:
            continue
        node = feed.call.node_of(index, None)
        if isinstance(node, ast.Name):
            return assigned_value(ctx, node.id)
    return None


def _heads_attribute(ctx, f, mask) -> Optional[str]:
    """``self.attn.num_heads`` when the attention is a module's attribute called in the same function that makes
    the mask: the head count follows the layer wherever it is set (a number written here would not)."""
    if f.op.layer.kind != "MultiheadAttention" or f.op.layer.framework != "torch":
        return None
    call_span, site = f.op.layer.extra.get("call_span"), _made_at(ctx, f, mask)
    call = node_at(call_span, ctx.lines, ast.Call) if call_span is not None else None
    if call is None or site is None or not isinstance(call.func, ast.Attribute) or \
            not isinstance(call.func.value, ast.Name) or call.func.value.id != "self":
        return None
    tree = tree_of(ctx.lines)
    if tree is None or function_at(tree, site.line) is not function_at(tree, call_span.line):
        return None
    return f"self.{call.func.attr}.num_heads"


def _module_name_of(ctx, value) -> str:
    """The module-level name a size was written with (``NUM_HEADS``, directly or as a parameter's default), so an
    edit elsewhere keeps following it; else the number."""
    o = provenance.origin_of(value)
    if isinstance(o, provenance.Default) and o.span is not None:
        text = (ctx.text(o.span) or "").strip()
        if text.isidentifier() and isinstance(o.inner, provenance.Written) and \
                module_name_for(ctx, o.inner.span) == text:
            return text
        o = o.inner
    if isinstance(o, provenance.Written):
        name = module_name_for(ctx, o.span)
        if name is not None:
            return name
    return str(int(value))


def per_sample_mask(ctx, d):
    """One (L, S) mask per sample given to ``nn.MultiheadAttention``, which wants one per sample and head, (N·heads,
    L, S), sample b's at rows b·heads .. b·heads + heads - 1: ``repeat_interleave(heads, dim=0)`` where the mask is
    made (``repeat`` would interleave the samples instead -- it runs and masks the wrong rows)."""
    found = _mask_of(d, "repeat_heads", 3)
    heads_text = _heads_attribute(ctx, found[0], found[2]) or _module_name_of(ctx, found[1]) \
        if found is not None else None
    made = _extended_where_made(ctx, found[0], found[2], f".repeat_interleave({heads_text}, dim=0)") \
        if found is not None else None
    if made is None:
        return
    heads, mask = found[1], found[2]
    site, edit, spelled = made
    help_text = remedies.repeat_mask_where_made(spelled)
    yield Cause("mask-layout", 84, Label(site, remedies.per_sample_mask_made(mask.shape), d.file),
                remedies.per_sample_mask_note(int(heads)), help_text, fix=Fix("unsafe", help_text, [edit]),
                strong=True)


def mask_sized_by_batch(ctx, d):
    """A causal mask built as ``generate_square_subsequent_mask(x.size(0))`` for batch-first data: axis 0 is the
    batch, so the mask is (batch, batch) where the attention wants (length, length). The mistake is the axis read."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "attention-mask-mismatch":
        return
    mask = f.mismatch.facts.get("mask_value")
    batch = ctx.batch_dim(f.inference)
    if mask is None or not getattr(mask, "shape", None) or len(mask.shape) != 2 or batch is None or \
            any(not isinstance(v, int) or int(v) != int(batch) for v in mask.shape):
        return
    tree = tree_of(ctx.lines)
    sites = [n.args[0] for n in ast.walk(tree or ast.Module(body=[], type_ignores=[]))
             if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "generate_square_subsequent_mask"
             and len(n.args) == 1 and _axis0(n.args[0]) is not None]
    if len(sites) != 1:
        return
    zero = _axis0(sites[0])
    help_text = remedies.mask_length_axis(ctx.segment(sites[0]) or "", "1")
    yield Cause("mask-layout", 84, Label(Span.of(sites[0]), remedies.mask_sized_by_batch_label(int(batch)), d.file),
                remedies.mask_sized_by_batch_note(), help_text, fix=Fix("unsafe", help_text, [Edit(Span.of(zero), "1")]),
                strong=True)


def causal_mask_before_shift(ctx, d):
    """A causal mask built for the whole target, (L+1, L+1), given to a decoder fed the target shifted for teacher
    forcing (``tgt[:, :-1]``, length L): the mask was made before the shift. It is built for the shifted length
    where its size is stated -- dropping the mask would run and let the decoder see the future tokens."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "attention-mask-mismatch":
        return
    mask = f.mismatch.facts.get("mask_value")
    wanted = [int(v) for v in re.findall(r"\d+", str(f.mismatch.expected or ""))]
    shape = tuple(getattr(mask, "shape", None) or ())
    if len(shape) != 2 or not all(isinstance(v, int) for v in shape) or shape[0] != shape[1] or \
            len(wanted) != 2 or wanted[0] != wanted[1] or not 0 < shape[0] - wanted[0] <= 2:
        return
    tree = tree_of(ctx.lines)
    sites = [n.args[0] for n in ast.walk(tree or ast.Module(body=[], type_ignores=[]))
             if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "generate_square_subsequent_mask"
             and len(n.args) == 1]
    if len(sites) != 1:
        return
    target = _bound_once(sites[0]) if _read_once(sites[0]) else None
    target = target or sites[0]
    text = ctx.segment(target)
    if not text:
        return
    extra = shape[0] - wanted[0]
    atom = text if text.replace("_", "").replace(".", "").isalnum() or isinstance(target, (ast.Call, ast.Subscript)) \
        else f"({text})"
    new = f"{atom} - {extra}"
    help_text = remedies.mask_for_shifted_target(new)
    yield Cause("mask-layout", 84, Label(Span.of(target), remedies.mask_before_shift_label(shape[0]), d.file),
                remedies.mask_before_shift_note(shape[0], wanted[0]), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(target), new)]), strong=True)


def _read_once(node) -> bool:
    """``node`` is a local name read only here in its function: editing its binding changes nothing else."""
    scope = enclosing(node, (ast.FunctionDef, ast.AsyncFunctionDef)) if isinstance(node, ast.Name) else None
    return scope is not None and len(name_reads(scope, node.id)) == 1


def _bound_once(node):
    """The value of ``name = value`` when ``node`` is a name bound once in its function (``tgt_len = tgt.size(1)``)."""
    scope = enclosing(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)) if isinstance(node, ast.Name) else None
    return single_binding(scope, node.id) if scope is not None else None


def _axis0(node):
    """The ``0`` of ``x.size(0)`` / ``x.shape[0]``, or None."""
    if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "size" and len(node.args) == 1 and \
            isinstance(node.args[0], ast.Constant) and node.args[0].value == 0:
        return node.args[0]
    if isinstance(node, ast.Subscript) and getattr(node.value, "attr", None) == "shape" and \
            isinstance(node.slice, ast.Constant) and node.slice.value == 0:
        return node.slice
    return None


def padding_mask_batch_first(ctx, d):
    """``nn.MultiheadAttention`` left at ``batch_first=False`` fed batch-first data: the (N, S) padding mask made
    from the batch-first tokens is exactly the query's first two axes, which the layer reads as (L, N). The mask is
    right; the layer reads its inputs in the wrong order. Transposing the mask would run and leave the attention
    mixing the samples of the batch."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "attention-mask-mismatch" or \
            f.mismatch.facts.get("mask") != "key_padding_mask" or f.op.layer.kind != "MultiheadAttention" or \
            f.op.layer.args.get("batch_first") is True or not f.op.inputs:
        return
    q, kpm = getattr(f.op.inputs[0], "shape", None), tuple(f.mismatch.facts.get("received_shape") or ())
    if q is None or len(q) != 3 or len(kpm) != 2 or kpm != tuple(q[:2]) or q[0] == q[1] or \
            _named_time_major(ctx, q):
        return
    layer = f.op.layer
    span = layer.origin.span
    edit = set_arg_edit(layer, "batch_first", "True", ctx.lines)
    if span is None or edit is None:
        return
    wanted = remedies.pass_batch_first(layer.kind)
    yield Cause("batch-first", 86, Label(span, remedies.reads_sequence_first(q), d.file),
                remedies.mask_says_batch_first(kpm), wanted, fix=Fix("unsafe", wanted, [edit]), strong=True)


def causal_mask_batch_first(ctx, d):
    """``nn.MultiheadAttention`` left at ``batch_first=False`` fed batch-first data (B, T, E) with a (T, T) causal mask:
    the mask is sized by the real sequence length, axis 1, while the layer reads axis 0 -- the batch -- as the
    sequence and wants (B, B). The mask is right; building it from the batch size would run and let every token
    attend across the samples of the batch. Only where axis 0 is known to be the batch (the data's batch size, or
    the roles the layers before it read)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "attention-mask-mismatch" or \
            f.mismatch.facts.get("mask") != "attn_mask" or f.op.layer.kind != "MultiheadAttention" or \
            f.op.layer.args.get("batch_first") is True or not f.op.inputs:
        return
    q = getattr(f.op.inputs[0], "shape", None)
    mask = tuple(f.mismatch.facts.get("received_shape") or ())
    if q is None or len(q) != 3 or len(mask) != 2 or not all(isinstance(v, int) for v in (q[0], q[1])) or \
            q[0] == q[1] or mask != (q[1], q[1]) or _named_time_major(ctx, q):
        return
    batch, axis_roles = ctx.batch_dim(f.inference), roles.roles_of(f.inference, f.op.inputs[0])
    if not (batch is not None and isinstance(batch, int) and int(batch) == int(q[0]) or
            axis_roles is not None and axis_roles[0] == roles.N and axis_roles[1] == roles.T):
        return
    layer = f.op.layer
    span = layer.origin.span
    edit = set_arg_edit(layer, "batch_first", "True", ctx.lines)
    if span is None or edit is None:
        return
    wanted = remedies.pass_batch_first(layer.kind)
    yield Cause("batch-first", 86, Label(span, remedies.reads_sequence_first(q), d.file),
                remedies.causal_mask_says_batch_first(mask, q), wanted, fix=Fix("unsafe", wanted, [edit]), strong=True)


def padding_mask_time_major(ctx, d):
    """Time-major data (S, N, E) into a sequence-first attention, with its padding mask made from the time-major
    tokens: (S, N) where the mask is always (N, S). The data's sizes say which axis is which (axis 0 written as a
    length, axis 1 as a batch), so the layer reads the data right and the mask alone is in the wrong order: it is
    transposed where it is passed (the same mask may serve a time-major pooling elsewhere). Setting
    ``batch_first=True`` would run and mix the samples."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "attention-mask-mismatch" or not f.op.inputs or \
            "key_padding_mask" not in str(f.mismatch.facts.get("mask")):
        return
    q, kpm = getattr(f.op.inputs[0], "shape", None), tuple(f.mismatch.facts.get("received_shape") or ())
    if q is None or len(q) != 3 or len(kpm) != 2 or kpm != tuple(q[:2]) or q[0] == q[1] or \
            not _named_time_major(ctx, q):
        return
    span = d.primary.span if d.primary is not None else None
    node = node_at(span, ctx.lines) if span is not None else None
    keyword = getattr(node, "_shapelint_parent", None)
    if not isinstance(keyword, ast.keyword) or keyword.value is not node:
        return
    edit = append(ctx, span, ".t()")
    if edit is None:
        return
    wanted = remedies.transpose_mask_where_passed(edited_text(ctx, span, edit) or ctx.text(span) + ".t()")
    yield Cause("mask-layout", 85, Label(span, remedies.time_major_mask_label(kpm), d.file),
                remedies.time_major_mask_note(), wanted, fix=Fix("unsafe", wanted, [edit]), strong=True)


_LENGTH_WORDS = {"len", "length", "maxlen", "steps", "timesteps", "window", "frames"}
_BATCH_WORDS = {"batch", "bs", "batchsize"}


def _named_time_major(ctx, q) -> bool:
    """The data's axis 0 was written as a length and axis 1 as a batch (``torch.full((MAX_LEN, BATCH), PAD)``, or
    ``len(seqs)``, the count of a list of samples): time-major by its own sizes. Names are read as whole words
    (``OBS_LEN`` is a length, ``N_SEQS`` a count of sequences, ``obs`` no batch)."""
    first, second = _written_name(ctx, q[0]), _written_name(ctx, q[1])
    counted = second.startswith("len(")  # how many samples a list holds
    words0, words1 = _words(first), _words(second)
    return not first.startswith("len(") and bool(words0 & _LENGTH_WORDS) and not words0 & _BATCH_WORDS and \
        (counted or bool(words1 & _BATCH_WORDS) and not words1 & _LENGTH_WORDS)


def _words(name: str) -> set:
    """The lower-case words of a name: ``MAX_SEQ_LEN`` -> {max, seq, len}; ``self.batch_size`` -> {self, batch,
    size}."""
    return {w for w in re.split(r"[^a-z0-9]+", name.lower()) if w}


def _written_name(ctx, value) -> str:
    """The module-level name a size was written with, or the text where it was written ('' when unknown)."""
    name = _module_name_of(ctx, value) if is_known(value) else ""
    if name and not name.isdigit():
        return name
    o = provenance.origin_of(value)
    span = getattr(o, "span", None)
    return (ctx.text(span) or "") if span is not None else ""


def mask_on_query_axis(ctx, d):
    """A padding mask expanded on the last axis, (B, T, 1), given to Keras ``MultiHeadAttention``: it broadcasts
    over the keys and masks query rows. Labelled where it was expanded; an ``expand_dims`` on the last axis moves to
    axis 1 (``(B, 1, T)``: one row of keys for every query)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "mask-over-queries":
        return
    mask = f.mismatch.facts.get("mask_value")
    made = f.inference.producer_of(mask) if mask is not None else None
    if made is None or made.layer.origin.span is None:
        return
    span = made.layer.extra.get("call_span") or made.layer.origin.span
    fix = None
    if made.layer.kind in ("ops.expand_dims", "expand_dims") and made.layer.args.get("axis") in (-1, 2):
        edit = set_arg_edit(made.layer, "axis", "1", ctx.lines)
        fix = Fix("unsafe", remedies.expand_mask_on_axis_one(), [edit]) if edit is not None else None
    yield Cause("mask-layout", 84, Label(span, remedies.padding_mask_made(tuple(mask.shape)), d.file),
                remedies.mask_on_queries_note(), fix.title if fix else d.help, fix=fix, strong=True)
