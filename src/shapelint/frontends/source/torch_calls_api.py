"""PyTorch module calls whose arguments the generic call (torch_api.layer_call) does not model, and packed sequences.

- ``unpool(x, indices, output_size)``: a positional output size is an argument, not a tensor input.
- ``torch.nn.utils.rnn``: ``pack_padded_sequence`` / ``pack_sequence`` give a :class:`PackedSeq` that remembers the
  padded shape (time-major); an RNN fed one runs its rule on that padded shape in its own layout and returns a packed
  output; ``pad_packed_sequence(out, batch_first=...)`` gives ``(padded, lengths)``. The padded length T is the
  largest of ``lengths`` only when they are literal ints (else unknown, or ``total_length``): never a guess.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

from ...core.dims import dim_ne, is_known
from ...core.program import UNRESOLVED
from ...core.registry import rule
from ...core.values import Tensor, TensorTuple
from . import api
from . import torch_api  # noqa: F401 -- registered first: `__torch_call__` below hands other calls to it
from .evaluator import RowList
from .objects import LayerObj, TensorVal
from .torch_ops import FW, TorchTuple, apply, apply_function, functional_layer
from ...core.registry import fact
from ...core.errors import Mismatch
from ...diagnostics import remedies

_prev_torch_call = api.find_method(LayerObj(None), "__torch_call__")


@dataclass(eq=False)
class PackedSeq:
    """A ``PackedSequence``: ``padded`` is the (T, B, *features) tensor it packs (any dim may be unknown); ``total``
    the sum of the lengths when they are literal ints."""
    padded: Tensor
    run: object = None
    total: object = None
    packed_at: object = None  # the pack_padded_sequence(..., batch_first=True) call of batch-first data, if it was

    @property
    def data_shape(self):
        """``PackedSequence.data``: (sum of lengths, *features)."""
        return None if self.padded.shape is None else (self.total,) + tuple(self.padded.shape[2:])


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _arg(call, pos: int, name: str, default=None):
    return call.get(pos, name, default)


def _longest(lengths, limit):
    """max(lengths) for a literal list of ints no larger than the padded length ``limit``, else None."""
    if isinstance(lengths, (list, tuple)) and lengths and all(_is_int(v) for v in lengths):
        m = max(lengths)
        return m if not is_known(limit) or m <= limit else None
    return None


# -- packing --------------------------------------------------------------------------------------------------
@api.handles("torch.nn.utils.rnn.pack_padded_sequence")
def pack_padded_sequence(ev, call):
    x = _arg(call, 0, "input")
    batch_first = _arg(call, 2, "batch_first", False)
    if not isinstance(x, TensorVal) or x.shape is None or len(x.shape) < 2 or not isinstance(batch_first, bool):
        return PackedSeq(Tensor(None, getattr(getattr(x, "value", None), "dtype", None)))
    s = tuple(x.shape)
    lengths = _arg(call, 1, "lengths")
    if not batch_first and _lengths_count_batch_first(ev, call, s, lengths):
        batch_first = True  # reported at the call; the rest of the model runs as the author meant it
    t, b = (s[1], s[0]) if batch_first else (s[0], s[1])
    longest = _longest(lengths, t)
    return PackedSeq(Tensor((longest, b) + s[2:], x.value.dtype), x.run,
                     sum(lengths) if longest is not None else None, call.node if batch_first else None)


def _lengths_count_batch_first(ev, call, shape: tuple, lengths) -> bool:
    """``pack_padded_sequence(emb, lengths)`` on batch-first (B, T, ...) data, left at ``batch_first=False``: the
    lengths (one per sequence) count axis 0, not the axis 1 it reads as the batch. torch raises "Expected
    `len(lengths)` to be equal to batch_size" -- or, with ``enforce_sorted=False``, packs the wrong axis and fails or
    misreads further on. Reported at the call; the fix is ``batch_first=True`` there."""
    n = lengths.shape[0] if isinstance(lengths, TensorVal) and lengths.shape is not None and \
        len(lengths.shape) == 1 else len(lengths) if isinstance(lengths, (list, tuple)) else None
    if not _is_int(n) or not _is_int(shape[0]) or not _is_int(shape[1]) or n != shape[0] or n == shape[1] or \
            ev.uncertain:
        return False
    _report_batch_first(ev, call, f"{n} lengths, one per row of axis 0", remedies.pack_batch_first(), "error",
                        variant="lengths", kind="pack_padded_sequence", received_shape=f"{shape}",
                        reads_batch=shape[1], count=n)
    return True


def _report_batch_first(ev, call, label: str, remedy: str, severity: str, **facts) -> None:
    """A packing call left at batch_first=False for batch-first data: reported at the call, fixed with
    ``batch_first=True`` there."""
    from ...checks.report import emit  # (report time only)
    from ...diagnostics.fixes.calls import keyword_edit
    from ...diagnostics.model import Fix
    from ...core.program import Span
    edit = keyword_edit(call.node, "batch_first", "True", ev.lines)
    emit(ev, "batch-first-confusion", Span.of(call.node), label, remedy=remedy, severity=severity,
         fix=Fix("unsafe", remedy, [edit]) if edit is not None else None, **facts)


@api.handles("torch.nn.utils.rnn.pack_sequence")
def pack_sequence(ev, call):
    seqs = _arg(call, 0, "sequences")
    if not isinstance(seqs, (list, tuple)) or not seqs or not all(isinstance(v, TensorVal) for v in seqs) or \
            any(v.shape is None or len(v.shape) < 1 for v in seqs):
        return PackedSeq(Tensor(None))
    rest = tuple(seqs[0].shape[1:])
    if any(len(v.shape) != len(rest) + 1 for v in seqs):
        return PackedSeq(Tensor(None))
    feats = tuple(d if all(v.shape[1 + i] == d for v in seqs) else None for i, d in enumerate(rest))
    times = [v.shape[0] for v in seqs]
    known = all(_is_int(d) for d in times)
    return PackedSeq(Tensor((max(times) if known else None, len(seqs)) + feats, seqs[0].value.dtype), seqs[0].run,
                     sum(times) if known else None)


@rule(FW, "pad_packed_sequence", "batch_first=False, padding_value=0.0, total_length=None")
def pad_packed(layer, x: Tensor):
    """Input: the packed sequence as its padded (T, B, *features) tensor. Output: (padded, lengths (B,)), the padded
    tensor (B, T', *) with batch_first, T' = total_length when given (it must be >= T)."""
    if x.rank < 2:
        return Tensor(None)
    t, b = x.shape[0], x.shape[1]
    total = layer.arg("total_length")
    if total is not None:
        if not _is_int(total):
            t = None
        elif is_known(t) and total < t:
            return Mismatch("invalid-argument", arg="total_length",
                            detail=f"total_length {total} is shorter than the longest sequence ({t})",
                            remedy=f"use a total_length of at least {t}, or leave it out")
        else:
            t = total
    padded = (b, t) + x.shape[2:] if layer.arg("batch_first") else (t, b) + x.shape[2:]
    return TensorTuple((Tensor(padded, x.dtype), Tensor((b,), "int64")))


@rule(FW, "pad_sequence", "batch_first=False, padding_value=0.0, padding_side='right'", accepts_unknown=True)
def pad_sequence_rule(layer, *xs: Tensor):
    """pad_sequence(sequences): each (L_i, *rest) with the same rest -> (L_max, B, *rest), or (B, L_max, *rest)
    with batch_first; torch raises when the trailing sizes differ."""
    if not xs or any(x.shape is None for x in xs):
        return Tensor(None)
    if any(len(x.shape) == 0 for x in xs):
        return Tensor(None)
    rest = xs[0].shape[1:]
    for x in xs[1:]:
        if len(x.shape) != len(xs[0].shape) or any(dim_ne(a, b) for a, b in zip(x.shape[1:], rest)):
            return Mismatch("merge-shape-mismatch", shapes=", ".join(str(v) for v in xs),
                            detail="the sequences must match in every axis but the first (their length)",
                            remedy=remedies.pad_same_trailing_sizes())
    lengths = [x.shape[0] for x in xs]
    longest = max(lengths) if all(is_known(n) for n in lengths) and not layer.extra.get("lengths_vary") else None
    b = len(xs)
    return Tensor(((b, longest) if layer.arg("batch_first") else (longest, b)) + tuple(rest), xs[0].dtype)


@api.handles("torch.nn.utils.rnn.pad_sequence")
def pad_sequence(ev, call):
    """A literal list of tensors pads to the longest; sequences that stand for a loader's samples (a collate_fn
    followed on one representative item) have lengths that vary, so the padded length is unknown."""
    seqs = _arg(call, 0, "sequences")
    if isinstance(seqs, RowList) and seqs.count <= 4096:  # `[torch.randn(n, 13) for n in lens]`: alike items
        seqs = [seqs.item] * seqs.count
    if isinstance(seqs, TensorVal):  # a (L, B, *) tensor is B sequences already
        seqs = [seqs] if seqs.shape is None else [TensorVal(Tensor(seqs.shape[:1] + seqs.shape[2:],
                                                                    seqs.value.dtype), lib=FW)] * \
            (seqs.shape[1] if len(seqs.shape) > 1 and is_known(seqs.shape[1]) else 1)
    if not isinstance(seqs, (list, tuple)) or not seqs or not all(isinstance(v, TensorVal) for v in seqs):
        return UNRESOLVED
    names = ("batch_first", "padding_value", "padding_side")
    kwargs = {k: v for k, v in call.kwargs.items() if k != "sequences"}
    kw_nodes = {k: v for k, v in call.kw_nodes.items() if k != "sequences"}
    for i, (name, v) in enumerate(zip(names, call.args[1:])):
        kwargs[name] = v
    sub = api.Call(call.node, [], kwargs, [], kw_nodes, call.callee_text, False)
    layer, _ = functional_layer(ev, "pad_sequence", sub)
    layer.extra["input_spans"] = [None] * len(seqs)
    if any(v.meta.get("loader_sample") for v in seqs):
        layer.extra["lengths_vary"] = True
    out = apply(ev, layer, [v.value for v in seqs], call.node)
    if isinstance(out, TensorVal) and layer.args.get("batch_first") is False:
        out.meta["time_major_pad"] = call.node  # (L, B, ...): where a batch-first consumer's data was laid out
    return out


@api.handles("torch.nn.utils.rnn.pad_packed_sequence")
def pad_packed_sequence(ev, call):
    seq = _arg(call, 0, "sequence")
    if not isinstance(seq, PackedSeq):
        return UNRESOLVED
    # the options by name, so that one we cannot read stays unknown (never taken for a tensor or a default)
    names = ("batch_first", "padding_value", "total_length")
    kwargs = {k: v for k, v in call.kwargs.items() if k != "sequence"}
    kw_nodes = {k: v for k, v in call.kw_nodes.items() if k != "sequence"}
    for i, (name, v) in enumerate(zip(names, call.args[1:])):
        kwargs[name] = v
        if i + 1 < len(call.arg_nodes):
            kw_nodes[name] = call.arg_nodes[i + 1]
    if len(call.args) > 1 + len(names) or call.starred or any(isinstance(v, (TensorVal, PackedSeq))
                                                              for v in kwargs.values()):
        return UNRESOLVED
    if seq.packed_at is not None and "batch_first" not in kwargs and _unpacked_time_major(ev, call):
        kwargs["batch_first"] = True  # reported at the call; the rest of the model runs as the author meant it
    sub = api.Call(call.node, [], kwargs, [], kw_nodes, call.callee_text, False)
    layer, _ = functional_layer(ev, "pad_packed_sequence", sub)
    return apply(ev, layer, [seq.padded], call.node)


def _unpacked_time_major(ev, call) -> bool:
    """Batch-first data packed with ``batch_first=True`` and unpacked without it: ``pad_packed_sequence`` returns
    (T, B, ...), time-major, and everything after it (a per-step head, the loss's flattening) reads the steps as the
    samples -- a silent scramble, or an error further on. Reported at the unpacking; the fix is ``batch_first=True``
    there (transposing the targets instead would leave the model's output time-major)."""
    if ev.uncertain or _read_as_time_major(ev, call.node):
        return False
    _report_batch_first(ev, call, "unpacks time-major (T, B, ...)", remedies.unpack_batch_first(), "warning",
                        variant="unpacked", kind="pad_packed_sequence")
    return True


_REORDERS = ("transpose", "permute", "swapaxes", "swapdims", "movedim", "moveaxis", "t", "mT")


def _read_as_time_major(ev, node) -> bool:
    """The unpacked output is put back in batch order, or indexed by step, where the function reads it
    (``out.transpose(0, 1)``, ``out[-1]``): the time-major unpacking is deliberate."""
    from ...diagnostics.fixes.source import enclosing, node_at  # (report time only)
    here = node_at(ev.span(node), ev.lines, ast.Call)
    stmt = enclosing(here, ast.stmt) if here is not None else None
    fn = enclosing(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) if stmt is not None else None
    if not isinstance(stmt, ast.Assign) or fn is None:
        return True  # not bound to a name we can follow: say nothing
    target = stmt.targets[0]
    first = target.elts[0] if isinstance(target, ast.Tuple) and target.elts else target
    if not isinstance(first, ast.Name):
        return True
    for n in ast.walk(fn):
        parent = getattr(n, "_shapelint_parent", None)
        if isinstance(n, ast.Name) and n.id == first.id and isinstance(n.ctx, ast.Load) and n.lineno > stmt.lineno:
            if isinstance(parent, ast.Subscript) and parent.value is n:
                return True
            if isinstance(parent, ast.Attribute) and parent.attr in _REORDERS:
                return True
            if isinstance(parent, ast.Call) and getattr(parent.func, "attr", None) in _REORDERS:
                return True
    return False


@api.attribute(PackedSeq, "data")
def _packed_data(ev, obj: PackedSeq, node):
    return TensorVal(Tensor(obj.data_shape, obj.padded.dtype), lib=FW, run=obj.run)


@api.attribute(PackedSeq, "batch_sizes")
def _packed_batch_sizes(ev, obj: PackedSeq, node):
    t = obj.padded.shape[0] if obj.padded.shape is not None else None
    return TensorVal(Tensor((t,), "int64"), lib=FW, run=obj.run)


@api.method(PackedSeq, "to", "cuda", "cpu", "pin_memory", "float", "double", "half")
def _packed_same(ev, obj: PackedSeq, call):
    """``packed.to(device)`` and dtype casts keep the packed shape."""
    return obj


# -- module calls ---------------------------------------------------------------------------------------------
def _rnn_on_packed(ev, obj: LayerObj, call, packed: PackedSeq):
    """Run the RNN's rule on the padded tensor in the RNN's own layout (a packed input ignores batch_first, so the
    padded shape is laid out as the module expects), and pack its output again."""
    batch_first = obj.layer.args.get("batch_first")
    shape = packed.padded.shape
    if shape is not None and len(shape) != 3:
        shape = None  # packed data of rank > 2: leave it to torch
    if shape is not None and batch_first is True:
        shape = (shape[1], shape[0], shape[2])
    elif shape is not None and batch_first is not False:
        shape = None
    x = TensorVal(Tensor(shape, packed.padded.dtype), lib=FW, run=packed.run)
    call = api.Call(call.node, [x] + list(call.args[1:]), dict(call.kwargs), list(call.arg_nodes),
                    dict(call.kw_nodes), call.callee_text, call.starred)
    out = _prev_torch_call(ev, obj, call)
    if not isinstance(out, TorchTuple) or len(out) != 2:
        return out
    y = out[0].value if isinstance(out[0], TensorVal) else Tensor(None)
    if y.shape is not None and len(y.shape) == 3 and batch_first is True:
        y = Tensor((y.shape[1], y.shape[0], y.shape[2]), y.dtype)
    elif y.shape is None or len(y.shape) != 3:
        y = Tensor(None, y.dtype)
    packed_out = PackedSeq(y, packed.run, packed.total, packed.packed_at)
    result = TorchTuple((packed_out, out[1]))
    result.value = TensorTuple((Tensor(packed_out.data_shape, y.dtype),) + tuple(out.value.items[1:]))
    return result


@api.method(LayerObj, "__torch_call__")
def torch_call(ev, obj: LayerObj, call):
    if _prev_torch_call is None:
        return UNRESOLVED
    kind = obj.layer.kind if obj.layer is not None else ""
    if kind.startswith("MaxUnpool") and len(call.args) > 2 and "output_size" not in call.kwargs:
        # MaxUnpool.forward(input, indices, output_size=None): the size is an argument, not a tensor input
        kwargs = dict(call.kwargs, output_size=call.args[2])
        kw_nodes = dict(call.kw_nodes)
        if len(call.arg_nodes) > 2:
            kw_nodes["output_size"] = call.arg_nodes[2]
        call = api.Call(call.node, call.args[:2], kwargs, call.arg_nodes[:2], kw_nodes, call.callee_text,
                        call.starred)
    if fact(FW, kind, "recurrent") and call.args and isinstance(call.args[0], PackedSeq) and obj.layer.framework == FW:
        return _rnn_on_packed(ev, obj, call, call.args[0])
    if kind == "CTCLoss" and len(call.args) > 2:
        call = _by_keyword(call, ("log_probs", "targets", "input_lengths", "target_lengths"), keep=2)
    return _prev_torch_call(ev, obj, call)


def _by_keyword(call, names: tuple, keep: int):
    """The call with its positional arguments after the first ``keep`` passed by keyword (a list of lengths is an
    argument the rule reads, not an input tensor)."""
    kwargs, kw_nodes = dict(call.kwargs), dict(call.kw_nodes)
    for i, (name, v) in enumerate(zip(names[keep:], call.args[keep:])):
        kwargs[name] = v
        if keep + i < len(call.arg_nodes):
            kw_nodes[name] = call.arg_nodes[keep + i]
    return api.Call(call.node, call.args[:keep], kwargs, call.arg_nodes[:keep], kw_nodes, call.callee_text,
                    call.starred)


@api.handles("torch.nn.functional.ctc_loss")
def functional_ctc_loss(ev, call):
    """F.ctc_loss(log_probs, targets, input_lengths, target_lengths, ...): lengths by keyword, so a list of ints
    binds to its name whatever its position."""
    if not call.args or not isinstance(call.args[0], TensorVal):
        return UNRESOLVED
    names = ("log_probs", "targets", "input_lengths", "target_lengths", "blank", "reduction", "zero_infinity")
    return apply_function(ev, "F.ctc_loss", _by_keyword(call, names, keep=2))


_MHA_FORWARD = ("query", "key", "value", "embed_dim_to_check", "num_heads", "in_proj_weight", "in_proj_bias",
                "bias_k", "bias_v", "add_zero_attn", "dropout_p", "out_proj_weight", "out_proj_bias", "training",
                "key_padding_mask", "need_weights", "attn_mask", "use_separate_proj_weight", "q_proj_weight",
                "k_proj_weight", "v_proj_weight", "static_k", "static_v", "average_attn_weights", "is_causal")


@api.handles("torch.nn.functional.multi_head_attention_forward")
def functional_mha_forward(ev, call):
    """F.multi_head_attention_forward's 25 parameters by keyword: the masks and the projection weights are found
    by name, whatever their position."""
    if not call.args or not isinstance(call.args[0], TensorVal):
        return UNRESOLVED
    return apply_function(ev, "F.multi_head_attention_forward", _by_keyword(call, _MHA_FORWARD, keep=1))
