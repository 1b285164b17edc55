"""Keras attention layers: Attention, AdditiveAttention ([query, value(, key)] list), MultiHeadAttention and
GroupQueryAttention (query, value(, key) as positional call tensors).

Keras 3 computes their symbolic output from ``compute_output_spec`` without running the score computation, so a
query/key feature mismatch in Attention does *not* fail when the model is built; we follow that. What does fail:
the wrong number of inputs, MultiHeadAttention's value/key shape check, its constructor checks, and attention axes
outside the projected rank.
"""
from __future__ import annotations

from ...core.dims import dim_ne, is_known, prod
from ...core.errors import Mismatch
from ...core.values import Tensor, TensorTuple
from ...diagnostics import remedies
from ...diagnostics.fixes import WrapInput
from ._args import invalid, known, krule, positive_int


def _input_count(layer, xs, lo: int, hi: int, what: str) -> None:
    if len(xs) == 1 and layer.extra.get("list_input") is False:
        raise Mismatch("incompatible-input-shape", received_shape=xs[0].shape,
                       detail=f"`{layer.kind}` must be called on a list {what}",
                       remedy=remedies.call_on_query_value_list(layer.kind))
    if not lo <= len(xs) <= hi:
        raise Mismatch("incompatible-input-shape", received_shape=xs[0].shape,
                       detail=f"`{layer.kind}` takes {what}, got {len(xs)} input(s)",
                       remedy=remedies.pass_inputs(what))


@krule("Attention", "use_scale=False, score_mode='dot', dropout=0.0, seed=None, **kwargs")
def attention(layer, *xs: Tensor):
    mode = layer.raw("score_mode")
    if known(mode) and mode not in ("dot", "concat"):
        raise invalid("score_mode", f"must be 'dot' or 'concat', got {mode!r}", remedies.pass_valid_score_mode())
    layer.params = (1 if layer.raw("use_scale") else 0) + (1 if mode == "concat" else 0)
    return _attention_output(layer, xs)


@krule("AdditiveAttention", "use_scale=True, dropout=0.0, **kwargs")
def additive_attention(layer, *xs: Tensor):
    out = _attention_output(layer, xs)
    dim = xs[0].shape[-1]
    if layer.raw("use_scale") is False:
        layer.params = 0
    elif is_known(dim):
        layer.params = dim
    return out


def _attention_output(layer, xs):
    """Attention.compute_output_spec: (*query[:-1], value[-1]); scores (*query[:-1], key[-2])."""
    _input_count(layer, xs, 2, 3, "[query, value] or [query, value, key]")
    query, value = xs[0], xs[1]
    key = xs[2] if len(xs) > 2 else value
    out = Tensor(tuple(query.shape[:-1]) + (value.shape[-1],), query.dtype)
    _first_call_failure(layer, query, key, 2 if len(xs) > 2 else 1)
    if layer.call_kwargs.get("return_attention_scores") is True:
        return TensorTuple((out, Tensor(tuple(query.shape[:-1]) + (key.shape[-2],), query.dtype)))
    return out


def _first_call_failure(layer, query: Tensor, key: Tensor, key_index: int) -> None:
    """Query and key of different feature sizes: Keras builds the model (its symbolic output does not compute the
    scores) but the first call on data fails in the score product. The rule records the failure; the front-end
    reports it where the model is run on data (``fit``, ``predict``, ``model(x)``), as Keras would."""
    layer.extra.pop("call_failure", None)
    dq, dk = query.shape[-1], key.shape[-1]
    broadcasts = layer.kind == "AdditiveAttention" or layer.raw("score_mode") == "concat"
    if not (is_known(dq) and is_known(dk)) or dq == dk or (broadcasts and 1 in (dq, dk)):
        return
    which = "key" if key_index == 2 else "value (the key)"
    layer.extra["call_failure"] = Mismatch(
        "incompatible-input-shape", received_shape=f"{query}, {key}",
        detail=f"the query has {dq} features and the {which} {dk}: the attention scores need the same size "
               "(Keras builds the model, but the first call on data fails)",
        remedy=remedies.project_query_to_key_size(dk),
        fix=WrapInput(0, f"@keras.layers.Dense@({{in{key_index}}}.shape[-1])({{x}})",
                      fallback=f"@keras.layers.Dense@({dk})({{x}})",
                      title=f"project the query to {dk} features with `Dense({dk})`"))


MHA_SIG = ("num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None, attention_axes=None, "
           "sliding_window=None, flash_attention=None, kernel_initializer='glorot_uniform', bias_initializer='zeros', "
           "kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, "
           "bias_constraint=None, use_gate=False, seed=None, **kwargs")


@krule("MultiHeadAttention", MHA_SIG, keeps_mask=True)
def multi_head_attention(layer, *xs: Tensor):
    heads = positive_int(layer, "num_heads", what="number of heads")
    key_dim = positive_int(layer, "key_dim", what="size of each attention head")
    vd = layer.raw("value_dim")
    if vd is not None and known(vd) and (not isinstance(vd, int) or vd <= 0):
        raise invalid("value_dim", f"must be a positive integer or None, got {vd!r}",
                      remedies.pass_positive_value_dim())
    value_dim = vd if vd else key_dim
    out_shape = layer.arg("output_shape")
    if out_shape:
        out_shape = (out_shape,) if isinstance(out_shape, int) else out_shape
        if not isinstance(out_shape, (list, tuple)):
            raise invalid("output_shape", f"must be an int or a tuple, got {out_shape!r}",
                          remedies.pass_output_shape_tuple())
        out_shape = tuple(out_shape)
    axes = layer.arg("attention_axes")
    if isinstance(axes, int):
        axes = (axes,)
    elif axes and not isinstance(axes, (list, tuple)):
        raise invalid("attention_axes", f"must be an int, list or tuple, got {axes!r}", remedies.pass_attention_axes())
    sw = layer.raw("sliding_window")
    if sw is not None and known(sw) and (not isinstance(sw, int) or sw <= 0):
        raise invalid("sliding_window", f"must be None or a positive integer, got {sw!r}",
                      remedies.pass_positive_sliding_window())
    drop = layer.raw("dropout")
    if layer.raw("flash_attention") is True and isinstance(drop, (int, float)) and drop > 0:
        raise invalid("dropout", "dropout is not supported with flash attention", remedies.set_dropout_zero())
    if len(xs) < 2:
        raise Mismatch("incompatible-input-shape", received_shape=xs[0].shape if xs else None,
                       detail="MultiHeadAttention needs a query and a value tensor",
                       remedy=remedies.call_mha_with_query_value())
    # positional tensors after (query, value, key) are masks: query_mask, value_mask, key_mask, attention_mask
    query, value = xs[0], xs[1]
    key = xs[2] if len(xs) > 2 else value
    vs, ks = value.shape[1:-1], key.shape[1:-1]
    if len(vs) != len(ks) or any(dim_ne(a, b) for a, b in zip(vs, ks)):
        raise Mismatch("merge-shape-mismatch", shapes=f"value {value} and key {key}",
                       detail="all dimensions of `value` and `key` except the last must be equal",
                       remedy=remedies.pass_key_shaped_like_value())
    # _build_attention: attention axes index the projected value (rank + 1); np.delete rejects indexes out of range
    rank = len(value.shape) + 1
    if axes:
        for a in axes:
            if not isinstance(a, int):
                raise invalid("attention_axes", f"must contain integers, got {axes!r}", remedies.pass_integer_axes())
            n = a if a >= 0 else (rank - 1) + a
            if not -rank <= n < rank:
                raise Mismatch("axis-out-of-range", arg="attention_axes", axis=a, rank=len(value.shape),
                               received_shape=value.shape, remedy=remedies.name_value_axes_up_to(len(value.shape) - 2))
    if isinstance(heads, int) and isinstance(key_dim, int) and isinstance(value_dim, int):
        layer.params = _mha_params(layer, query, key, value, heads, key_dim, value_dim, out_shape)
    _attention_mask(layer, query, value, heads, axes)
    out = Tensor(tuple(query.shape[:-1]) + (out_shape if out_shape else (query.shape[-1],)), query.dtype)
    if layer.call_kwargs.get("return_attention_scores") is True:
        length = query.shape[1] if len(query.shape) > 1 else None
        return TensorTuple((out, Tensor((query.shape[0], heads if isinstance(heads, int) else None, length, length))))
    return out


_BATCH = "<batch>"  # the batch axis of a Keras tensor (None at axis 0): one size, whatever it is


def _attention_mask(layer, query: Tensor, value: Tensor, heads, axes) -> None:
    """``attention_mask`` (and ``use_causal_mask``) of a MultiHeadAttention on (B, T, dim) queries and (B, S, dim)
    values (keras 3.15 ``_compute_attention_mask`` / ``_masked_softmax``, the same on every backend): the causal
    mask (1, T, S) is and-ed with the mask, which is then expanded at axis -3 until it has the scores' rank 4
    ((T, S) -> (1, 1, T, S); (B, T, S) -> (B, 1, T, S)) and broadcast with the scores (B, heads, T, S). So a
    (B, S) padding mask lands its batch axis on the query axis and fails (or, when B == T, silently masks the wrong
    entries). Keras builds the model (its symbolic output does not compute the scores); the first call on data
    fails -- reported there, like every ``call_failure``."""
    if layer.extra.get("call_failure_kind") == "mask":  # what an earlier call of this layer recorded
        layer.extra.pop("call_failure", None)
    mask = layer.call_kwargs.get("attention_mask")
    causal = layer.call_kwargs.get("use_causal_mask") is True
    if not isinstance(mask, Tensor) or mask.shape is None or len(query.shape) != 3 or len(value.shape) != 3 or axes:
        return
    T, S = query.shape[1], value.shape[1]
    m = tuple(_BATCH if i == 0 and d is None else d for i, d in enumerate(mask.shape))
    problem = None
    if causal:
        m, problem = _broadcast_mask(m, (1, T, S))
    if problem is None and len(m) < 2:
        problem = "a mask needs at least the (T, S) axes"
    if problem is None:
        while len(m) < 4:
            m = m[:len(m) - 2] + (1,) + m[len(m) - 2:]
        _, problem = _broadcast_mask(m, (_BATCH, heads if isinstance(heads, int) else None, T, S))
    if problem is None:
        if len(mask.shape) == 3 and mask.shape[-1] == 1 and isinstance(T, int) and T > 1 and T == S and \
                mask.shape[-2] == T:  # (B, T, 1): a padding mask put on the query axis broadcasts over the keys
            layer.warn("mask-over-queries", received_shape=mask.shape, scores_shape=(None, T, S), positions=T,
                       remedy=remedies.mask_on_keys(3), mask_value=mask)
        return
    failure = Mismatch("attention-mask-mismatch", arg="attention_mask", mask="attention_mask",
                       received_shape=mask.shape, expected=f"(B, {T}, {S})",
                       detail=f"{problem}; the mask must broadcast to (B, T, S) = (B, {T}, {S})"
                              + ("" if layer.extra.get("eager") else " (Keras builds the model, but the first call "
                                 "on data fails)"),
                       remedy=remedies.keras_mask_shape(T, S),
                       # a (B, S) padding mask: its query axis is missing (facts for the root-cause analysis)
                       new_axes=(1,) if len(mask.shape) == 2 and _same_size(mask.shape[1], S) and
                       (mask.shape[0] is None or _same_size(mask.shape[0], query.shape[0])) else None,
                       mask_value=mask)
    if layer.extra.get("eager"):
        raise failure
    layer.extra["call_failure"] = failure
    layer.extra["call_failure_kind"] = "mask"


def _same_size(a, b) -> bool:
    return isinstance(a, int) and isinstance(b, int) and a == b or a is None and b is None


def _broadcast_mask(mask: tuple, target: tuple):
    """Right-aligned broadcast of a mask with ``target``; (shape, problem text or None). The batch marker only
    matches the batch axis (axis 0 of a rank-4 target, or a size-1 axis)."""
    out = []
    n = max(len(mask), len(target))
    for i in range(-n, 0):
        a = mask[i] if len(mask) >= -i else 1
        b = target[i] if len(target) >= -i else 1
        at_batch = len(target) >= -i and -i == len(target)
        if a == _BATCH and not at_batch and is_known(b) and b != 1:
            return None, (f"its batch axis lands on an axis of size {b} "
                          f"({'the query length T' if -i == 2 else 'the heads' if -i == 3 else 'the key length S'})")
        if is_known(a) and is_known(b) and a != b and 1 not in (a, b):
            return None, f"its size {a} does not broadcast with {b} on axis {i}"
        out.append(b if a in (1, _BATCH) or a is None else a)
    return tuple(out), None


def _mha_params(layer, query, key, value, h, k, v, out_shape):
    q_in, k_in, v_in = query.shape[-1], key.shape[-1], value.shape[-1]
    if not all(is_known(d) for d in (q_in, k_in, v_in)):
        return None
    bias = layer.raw("use_bias") is not False
    out_dim = prod(out_shape) if out_shape else q_in
    if not is_known(out_dim):
        return None
    n = (q_in * h * k + k_in * h * k + v_in * h * v + h * v * out_dim
         + ((2 * h * k + h * v + out_dim) if bias else 0))
    if layer.raw("use_gate") is True:
        n += q_in * h * v + (h * v if bias else 0)
    return n


GQA_SIG = ("head_dim, num_query_heads, num_key_value_heads, dropout=0.0, use_bias=True, sliding_window=None, "
           "flash_attention=None, kernel_initializer='glorot_uniform', bias_initializer='zeros', "
           "kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, "
           "bias_constraint=None, use_gate=False, seed=None, **kwargs")


@krule("GroupedQueryAttention", GQA_SIG, keeps_mask=True)
@krule("GroupQueryAttention", GQA_SIG, keeps_mask=True)
def grouped_query_attention(layer, *xs: Tensor):
    """GroupedQueryAttention: the query heads must be a multiple of the key/value heads; query and value need the
    same feature size; the projections are EinsumDense 'bqm,muh->bquh' (3-D inputs)."""
    from .core import analyze_einsum  # deferred: core.py loads only for an einsum-based layer
    hd, qh, kvh = layer.arg("head_dim"), layer.arg("num_query_heads"), layer.arg("num_key_value_heads")
    if isinstance(qh, int) and isinstance(kvh, int) and kvh != 0 and qh % kvh:
        raise invalid("num_key_value_heads", f"num_query_heads ({qh}) must be a multiple of num_key_value_heads "
                      f"({kvh})", remedies.use_dividing_kv_heads())
    sw = layer.raw("sliding_window")
    if sw is not None and known(sw) and (not isinstance(sw, int) or sw <= 0):
        raise invalid("sliding_window", f"must be None or a positive integer, got {sw!r}",
                      remedies.pass_positive_sliding_window())
    if len(xs) < 2:
        raise Mismatch("incompatible-input-shape", received_shape=xs[0].shape if xs else None,
                       detail="GroupedQueryAttention needs a query and a value tensor",
                       remedy=remedies.call_gqa_with_query_value())
    query, value = xs[0], xs[1]
    key = xs[2] if len(xs) > 2 else value
    bias = layer.raw("use_bias") is not False
    sizes = []
    projections = [(query, "bqm,muh->bquh", qh, "uh"), (key, "bkm,mvh->bkvh", kvh, "vh"),
                   (value, "bkm,mvh->bkvh", kvh, "vh")]
    if layer.raw("use_gate") is True:
        projections.append((query, "bqm,muh->bquh", qh, "uh"))
    q_out = None
    for t, eq, heads, b_axes in projections:
        kernel, b, full = analyze_einsum(eq, b_axes if bias else None, t.shape, (None, heads, hd))
        q_out = full if q_out is None else q_out
        sizes += [prod(kernel)] + ([prod(b)] if b is not None else [])
    kernel, b, _ = analyze_einsum("bquh,uhm->bqm", "m" if bias else None, tuple(q_out), (None, query.shape[-1]))
    sizes += [prod(kernel)] + ([prod(b)] if b is not None else [])
    if all(is_known(n) for n in sizes):
        layer.params = sum(sizes)
    if dim_ne(query.shape[-1], value.shape[-1]):
        raise Mismatch("merge-shape-mismatch", shapes=f"query {query} and value {value}",
                       detail="the last dimensions of `query` and `value` must be equal",
                       remedy=remedies.project_query_value_same_size())
    vs, ks = value.shape[1:-1], key.shape[1:-1]
    if len(vs) != len(ks) or any(dim_ne(a, b) for a, b in zip(vs, ks)):
        raise Mismatch("merge-shape-mismatch", shapes=f"value {value} and key {key}",
                       detail="all dimensions of `value` and `key` except the last must be equal",
                       remedy=remedies.pass_key_shaped_like_value())
    out = Tensor(tuple(query.shape), query.dtype)
    if layer.call_kwargs.get("return_attention_scores") is True:
        kv_len = key.shape[1] if len(xs) > 2 else value.shape[1]
        return TensorTuple((out, Tensor((query.shape[0], qh, query.shape[1], kv_len))))
    return out
