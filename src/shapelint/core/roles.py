"""Axis roles: what each axis of an inferred tensor *is* -- the batch, channels, a spatial axis, time (a sequence or
tokens), features -- where that is known.

Roles come from the layers themselves: a layer that reads a layout (``nn.Conv2d`` reads (N, C, H, W), a Keras
``Conv2D`` (N, H, W, C), an ``nn.LSTM`` (T, N, F) or with ``batch_first`` (N, T, F)) says what the axes of its input
are, and every op says what becomes of them (a ``Linear`` makes the last axis features, ``flatten`` merges axes,
``transpose`` swaps them). They are computed once per model run, on demand, from the ops it recorded; an axis nobody
says anything about stays unknown (``None``), and an unknown role never makes an error -- it only keeps an
explanation that needs the role (the channels sit on another axis) from being offered.

Merged axes are written with "*" (``"N*C*S*S"`` after ``torch.flatten(x)``): a merge that includes ``N`` is the batch
axis swallowed.
"""
from __future__ import annotations

from typing import Optional

from .registry import has
from .values import Tensor, TensorTuple

N, C, S, T, F = "N", "C", "S", "T", "F"

_KERAS_SPATIAL = {"Conv1D": 1, "Conv2D": 2, "Conv3D": 3, "MaxPooling1D": 1, "MaxPooling2D": 2, "MaxPooling3D": 3,
                  "AveragePooling1D": 1, "AveragePooling2D": 2, "AveragePooling3D": 3, "SeparableConv2D": 2,
                  "DepthwiseConv2D": 2, "Conv2DTranspose": 2, "Conv1DTranspose": 1, "Conv3DTranspose": 3,
                  "SeparableConv1D": 1, "UpSampling2D": 2, "UpSampling1D": 1, "ZeroPadding2D": 2, "Cropping2D": 2}


def _merge(parts) -> Optional[str]:
    parts = [p for p in parts]
    if not parts or any(p is None for p in parts):
        return None if not any(p and N in p.split("*") for p in parts if p) else "N*?"
    return "*".join(parts)


def batch_first_owner(layer):
    """The layer whose constructor holds ``batch_first``: a TransformerEncoder / Decoder's inner layer."""
    if layer.kind in ("TransformerEncoder", "TransformerDecoder"):
        inner = layer.args.get("encoder_layer", layer.args.get("decoder_layer"))
        inner = getattr(inner, "layer", inner)
        if getattr(inner, "kind", None):
            return inner
    return layer


def batch_first(layer) -> Optional[bool]:
    """``batch_first`` of a recurrent or attention layer; a TransformerEncoder / Decoder has none of its own and
    uses its layer's (unknown when the layer is not known)."""
    owner = batch_first_owner(layer)
    if owner is layer and layer.kind in ("TransformerEncoder", "TransformerDecoder"):
        return None
    return owner.args.get("batch_first", False) if isinstance(getattr(owner, "args", None), dict) else None


def reads(layer, rank: int) -> Optional[tuple]:
    """The roles a layer reads its input's axes as (its layout), or None when it does not say."""
    fw, kind, args = layer.framework, layer.kind, layer.args
    if fw == "torch":
        for prefix, n in (("Conv", None), ("LazyConv", None), ("ConvTranspose", None), ("MaxPool", None),
                          ("AvgPool", None), ("AdaptiveAvgPool", None), ("AdaptiveMaxPool", None),
                          ("BatchNorm", None), ("InstanceNorm", None), ("LPPool", None)):
            if kind.startswith(prefix) and kind[-2:-1].isdigit():
                n = int(kind[-2])
                if rank == n + 2:
                    return (N, C) + (S,) * n
                if rank == n + 1:
                    return (C,) + (S,) * n
        if has(layer, "recurrent"):
            if rank == 3:
                return (N, T, F) if args.get("batch_first") is True else (T, N, F)
            if rank == 2:
                return (T, F)
        if has(layer, "sequence_first") and rank == 3:
            first = batch_first(layer)
            return None if first is None else (N, T, F) if first is True else (T, N, F)
        if kind in ("Linear", "LayerNorm", "RMSNorm") and rank == 2:
            return (N, F)
        if kind in ("Linear", "LayerNorm", "RMSNorm") and rank > 2:
            return (None,) * (rank - 1) + (F,)  # leading axes in any order: (S, N, H) encoder outputs are common
        if kind in ("Embedding", "EmbeddingBag") and rank == 2:
            return (N, T)
        return None
    if fw == "keras":
        n = _KERAS_SPATIAL.get(kind)
        if n is not None and rank == n + 2:
            first = args.get("data_format") == "channels_first"
            return (N, C) + (S,) * n if first else (N,) + (S,) * n + (C,)
        if has(layer, "recurrent") and rank == 3:  # ConvLSTM2D/3D read rank 5/6
            return (N, T, F)
        if kind in ("Dense", "LayerNormalization") and rank >= 2:
            return (N,) + (None,) * (rank - 2) + (F,)
        if kind == "Embedding" and rank == 2:
            return (N, T)
        if kind in ("MultiHeadAttention",) and rank == 3:
            return (N, T, F)
    return None


def _same(layer, ins, xs, out) -> Optional[tuple]:
    r = ins[0] if ins else None
    if r is not None and isinstance(out, Tensor) and out.shape is not None and len(out.shape) == len(r):
        return r
    return None


def _axis(v, rank: int) -> Optional[int]:
    if not isinstance(v, int) or isinstance(v, bool):
        return None
    a = v + rank if v < 0 else v
    return a if 0 <= a < rank else None


def _flatten(layer, ins, xs, out) -> Optional[tuple]:
    r = ins[0]
    if r is None:
        return None
    start = _axis(layer.args.get("start_dim", 1 if layer.kind == "Flatten" else 0), len(r))
    end = _axis(layer.args.get("end_dim", -1), len(r))
    if start is None or end is None or start > end:
        return None
    return r[:start] + (_merge(r[start:end + 1]),) + r[end + 1:]


def _keras_flatten(layer, ins, xs, out) -> Optional[tuple]:
    r = ins[0]
    return (r[0], _merge(r[1:])) if r is not None and len(r) >= 2 else None


def _permute(order) -> callable:
    def fn(layer, ins, xs, out):
        r = ins[0]
        o = order(layer, len(r)) if r is not None else None
        if o is None or sorted(o) != list(range(len(r))):
            return None
        return tuple(r[i] for i in o)
    return fn


def _transpose_order(layer, rank):
    a, b = _axis(layer.args.get("dim0"), rank), _axis(layer.args.get("dim1"), rank)
    if a is None or b is None:
        return None
    o = list(range(rank))
    o[a], o[b] = o[b], o[a]
    return o


def _permute_order(layer, rank):
    dims = layer.args.get("dims")
    if isinstance(dims, tuple) and len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = tuple(dims[0])
    if not isinstance(dims, (tuple, list)):
        return None
    o = [_axis(d, rank) for d in dims]
    return None if None in o else o


def _last_becomes_features(layer, ins, xs, out) -> Optional[tuple]:
    r = ins[0]
    if r is None:
        x = xs[0] if xs else None
        rank = len(x.shape) if isinstance(x, Tensor) and x.shape is not None else None
        r = reads(layer, rank) if rank else None
    return r[:-1] + (F,) if r is not None else None


def _view(layer, ins, xs, out) -> Optional[tuple]:
    """view / reshape: an output axis made of whole input axes (sizes multiply out in order) takes their roles,
    merged; axis 0 kept as the same size object keeps the batch."""
    r, x = ins[0], xs[0] if xs else None
    if r is None or not isinstance(x, Tensor) or x.shape is None or not isinstance(out, Tensor) or out.shape is None:
        return None
    src, dst = list(x.shape), list(out.shape)
    res, i = [], 0
    for d in dst:
        if i < len(src) and d is src[i]:
            res.append(r[i])
            i += 1
            continue
        if not isinstance(d, int):
            return None
        group, prod = [], 1
        while i < len(src) and isinstance(src[i], int) and prod < d:
            prod *= src[i]
            group.append(r[i])
            i += 1
        if prod != d or not group:
            return None
        res.append(group[0] if len(group) == 1 else _merge(group))
    return tuple(res) if i == len(src) else None


def _rnn(layer, ins, xs, out):
    x = xs[0] if xs else None
    rank = len(x.shape) if isinstance(x, Tensor) and x.shape is not None else None
    r = ins[0] or (reads(layer, rank) if rank else None)
    if r is None:
        return None
    seq = r[:-1] + (F,)
    if layer.framework == "keras":
        return seq if layer.args.get("return_sequences") else tuple(a for a in seq if a not in (T,))
    batch = (N,) if N in r else ()
    state = (None,) + batch + (F,)
    h = state if layer.kind != "LSTM" else (state, state)
    return (seq, h)


def _embedding(layer, ins, xs, out):
    r = ins[0]
    if r is None:
        x = xs[0] if xs else None
        rank = len(x.shape) if isinstance(x, Tensor) and x.shape is not None else None
        r = reads(layer, rank) if rank else None
    return r + (F,) if r is not None else None


def _embedding_bag(layer, ins, xs, out):
    """``EmbeddingBag`` on (batch, tokens) pools each row's embeddings: one feature vector per sample."""
    r = ins[0]
    if r is None:
        x = xs[0] if xs else None
        r = reads(layer, len(x.shape)) if isinstance(x, Tensor) and x.shape is not None else None
    return (r[0], F) if r is not None and len(r) == 2 else None


def _global_pool(layer, ins, xs, out):
    r = ins[0]
    if r is None or not isinstance(out, Tensor) or out.shape is None:
        return None
    if len(out.shape) == 2:
        return (r[0], C if C in r else F)
    return None


def _attention(layer, ins, xs, out):
    r = ins[0]
    if layer.framework == "torch":
        return (r, None) if r is not None else None
    return r


def _getitem(layer, ins, xs, out) -> Optional[tuple]:
    """``x[:, 0]``, ``x[..., 1]``, ``x[1:3]``, ``x[:, None]``: an integer takes its axis (and role) away, a slice keeps
    it (a few samples are still samples), ``None`` adds an axis without a role. A tensor index is not followed."""
    r, index = ins[0], layer.args.get("index")
    if r is None or not isinstance(index, tuple):
        return None
    used = sum(1 for i in index if i is not None and i is not Ellipsis)
    if used > len(r) or sum(1 for i in index if i is Ellipsis) > 1:
        return None
    res, at = [], 0
    for i in index:
        if i is Ellipsis:
            res.extend(r[at:at + len(r) - used])
            at += len(r) - used
        elif i is None:
            res.append(None)
        elif isinstance(i, slice):
            res.append(r[at])
            at += 1
        elif isinstance(i, int) and not isinstance(i, bool):
            at += 1
        else:
            return None
    return tuple(res) + tuple(r[at:])


def _stack(layer, ins, xs, out) -> Optional[tuple]:
    """``torch.stack(items, dim)``: a new axis without a role where the items are stacked; the items' axes keep
    theirs (those of the first item, when the others' agree or are not known)."""
    r = ins[0]
    if r is None or any(o is not None and o != r for o in ins[1:]):
        return None
    at = _axis(layer.args.get("dim", layer.args.get("axis", 0)), len(r) + 1)
    return r[:at] + (None,) + r[at:] if at is not None else None


def _reduce(layer, ins, xs, out) -> Optional[tuple]:
    """``x.sum(dim=(2, 3))``, ``x.mean(-1, keepdim=True)``: the reduced axes go (or keep size 1 and lose their role);
    without ``dim`` everything is reduced."""
    r = ins[0]
    raw = layer.args.get("dim", layer.args.get("axis"))
    if r is None or raw is None:
        return () if r is not None and isinstance(out, Tensor) and out.shape == () else None
    named = raw if isinstance(raw, (tuple, list)) else (raw,)
    dims = {_axis(d, len(r)) for d in named}
    if None in dims:
        return None
    if layer.args.get("keepdim") or layer.args.get("keepdims"):
        return tuple(None if i in dims else role for i, role in enumerate(r))
    return tuple(role for i, role in enumerate(r) if i not in dims)


def _matmul(layer, ins, xs, out) -> Optional[tuple]:
    """``a @ b``: the rows (and any leading batch axes) of ``a`` stay what they were; the last axis is new."""
    r = ins[0]
    if r is None or not isinstance(out, Tensor) or out.shape is None or len(out.shape) != len(r):
        return None
    return r[:-1] + (None,)


def _keras_permute_order(layer, rank):
    """Keras ``Permute(dims)``: 1-based dims over the axes after the batch."""
    dims = layer.args.get("dims")
    if not isinstance(dims, (tuple, list)) or len(dims) != rank - 1 or \
            not all(isinstance(d, int) and not isinstance(d, bool) for d in dims):
        return None
    return [0] + list(dims)


def _squeeze(layer, ins, xs, out) -> Optional[tuple]:
    """squeeze: the axes of size 1 it drops (those named by ``dim``, or all) take their roles with them."""
    r, x = ins[0], xs[0] if xs else None
    if r is None or not isinstance(x, Tensor) or x.shape is None or not isinstance(out, Tensor) or out.shape is None:
        return None
    raw = layer.args.get("dim", layer.args.get("axis"))
    named = raw if isinstance(raw, (tuple, list)) else (raw,) if raw is not None else None
    dims = None if named is None else {_axis(d, len(r)) for d in named}
    kept = tuple(role for i, (role, d) in enumerate(zip(r, x.shape)) if not (d == 1 and (dims is None or i in dims)))
    return kept if len(kept) == len(out.shape) else None


def _unsqueeze(layer, ins, xs, out) -> Optional[tuple]:
    """unsqueeze: the new axis of size 1 has no role; the others keep theirs."""
    r = ins[0]
    at = _axis(layer.args.get("dim", layer.args.get("axis")), len(r) + 1) if r is not None else None
    return r[:at] + (None,) + r[at:] if at is not None else None


def _einops(layer, ins, xs, out) -> Optional[tuple]:
    """``rearrange(x, "b n d -> b d n")``: a pattern that only reorders named axes moves their roles; any other
    (groups, ellipsis, new or reduced axes) is not followed here."""
    pattern = layer.args.get("pattern")
    if not ins or ins[0] is None or \
            not isinstance(pattern, str) or pattern.count("->") != 1:
        return None
    left, right = (side.split() for side in pattern.split("->"))
    names = set(left)
    if len(names) != len(left) or set(right) != names or len(right) != len(left) or len(left) != len(ins[0]) or \
            not all(n.isidentifier() for n in left):
        return None
    return tuple(ins[0][left.index(n)] for n in right)


def _forget(layer, ins, xs, out) -> None:
    """An op that moves axes in a way not followed here: its output's roles are unknown (never carried over)."""
    return None


TRANSFER = {
    "flatten": _flatten, "Flatten": _flatten, "ravel": _flatten,
    "view": _view, "reshape": _view,
    "transpose": _permute(_transpose_order), "swapaxes": _permute(_transpose_order),
    "permute": _permute(_permute_order),
    "Linear": _last_becomes_features, "Dense": _last_becomes_features, "F.linear": _last_becomes_features,
    "LSTM": _rnn, "GRU": _rnn, "RNN": _rnn, "SimpleRNN": _rnn,
    "Embedding": _embedding, "EmbeddingBag": _embedding_bag,
    "squeeze": _squeeze, "unsqueeze": _unsqueeze,
    "GlobalAveragePooling1D": _global_pool, "GlobalAveragePooling2D": _global_pool, "GlobalMaxPooling1D": _global_pool,
    "GlobalMaxPooling2D": _global_pool, "GlobalAveragePooling3D": _global_pool, "GlobalMaxPooling3D": _global_pool,
    "MultiheadAttention": _attention,
    "Permute": _permute(_keras_permute_order), "Reshape": _view, "ops.reshape": _view,
    "einops.rearrange": _einops, "Rearrange": _einops,
    "getitem": _getitem, "stack": _stack, "torch.stack": _stack,
    **{k: _reduce for k in ("sum", "mean", "amax", "amin", "std", "var", "prod", "nansum", "nanmean", "logsumexp")},
    **{k: _matmul for k in ("matmul", "bmm", "mm", "torch.matmul", "torch.bmm", "torch.mm")},
    **{k: _forget for k in ("einops.reduce", "Reduce", "einops.repeat", "Repeat", "movedim", "moveaxis", "t", "mT", "einsum", "rearrange", "unflatten", "ops.transpose",
                            "ops.swapaxes", "ops.moveaxis", "ops.einsum", "F.pixel_shuffle", "pixel_shuffle")},
}


def _keras_flatten_kind(layer) -> bool:
    return layer.framework == "keras" and layer.kind == "Flatten"


def run_roles(inference) -> dict:
    """id(value) -> roles tuple (or a tuple of them for tuple outputs), for every value of one run; computed once."""
    cache = getattr(inference, "_roles", None)
    if cache is not None:
        return cache
    roles: dict = {}
    feeders = getattr(inference, "feeding_runs", ())  # a stand-in inference may have none
    for op in inference.program.ops:
        ins = []
        for v in op.inputs:
            r = roles.get(id(v))
            if r is None and feeders:
                r = _from_feeders(feeders, v)
                if r is not None:
                    roles[id(v)] = r
            if isinstance(v, Tensor) and v.shape is not None and v is op.inputs[0] and \
                    (r is None or (None in r and not isinstance(r[0], tuple))):
                # the first layer that reads a layout names the axes; a later one names those still unnamed (a
                # Dense says nothing of axis 1, the attention after it reads it as the tokens)
                read = reads(op.layer, len(v.shape))
                if read is not None and (r is None or len(read) == len(r)):
                    r = read if r is None else tuple(a if a is not None else b for a, b in zip(r, read))
                    roles[id(v)] = r
            ins.append(r if not (isinstance(r, tuple) and r and isinstance(r[0], tuple)) else None)
        fn = _keras_flatten if _keras_flatten_kind(op.layer) else TRANSFER.get(op.layer.kind, _same)
        try:
            out = fn(op.layer, ins, op.inputs, op.output)
        except Exception:  # a role is a hint: never let it cost the check
            out = None
        if out is None and fn is _same:
            out = None
        _store(roles, op.output, out)
    inference._roles = roles
    return roles


def _from_feeders(feeders, value) -> Optional[tuple]:
    """The roles of a value another run made (a model's output, read by the script's loss or metric code)."""
    for other in feeders:
        r = run_roles(other).get(id(value))
        if r is not None:
            return r
    return None


def _store(roles: dict, value, r) -> None:
    if isinstance(value, TensorTuple):
        if isinstance(r, tuple) and len(r) == len(value.items) and all(i is None or isinstance(i, tuple) for i in r):
            for v, ri in zip(value.items, r):
                _store(roles, v, ri)
        return
    if isinstance(value, Tensor) and r is not None and value.shape is not None and len(r) == len(value.shape):
        roles[id(value)] = r


def roles_of(inference, value) -> Optional[tuple]:
    return run_roles(inference).get(id(value))


def batch_merged(role: Optional[str]) -> bool:
    return bool(role) and "*" in role and N in role.split("*")
