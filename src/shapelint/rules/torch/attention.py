"""Attention masks and scaled dot-product attention (torch 2.13).

``F.multi_head_attention_forward`` (behind nn.MultiheadAttention and every Transformer layer) checks its masks before
any arithmetic:

* ``attn_mask`` 2-D must be exactly (L, S) -- the query and key lengths; 3-D exactly (N·num_heads, L, S) (batch-major:
  entry ``n * num_heads + h``); any other rank raises. Unbatched (L, E) queries take (L, S) or (num_heads, L, S).
  Its dtype must be bool or floating.
* ``key_padding_mask`` must be exactly (N, S) ((S,) unbatched).
* ``is_causal=True`` is only a hint about ``attn_mask``: without a mask torch raises ("Need attn_mask if specifying the
  is_causal hint").

``F.scaled_dot_product_attention(q, k, v, attn_mask)``: q (*, L, E), k (*, S, E), v (*, S, Ev) with batch dims that
broadcast (the heads must agree unless ``enable_gqa``); the mask must broadcast to the scores (*, L, S) without growing
them; a mask together with ``is_causal=True`` raises.

Every check answers only for known sizes; a batch symbol (``"N"``) is compared with itself, so a per-sample 3-D mask
(N, L, S) is known to differ from (N·num_heads, L, S) whenever num_heads > 1.
"""
from __future__ import annotations

from typing import Optional

from ...core.dims import broadcast_shapes, dim_eq, dim_ne, fmt_shape, is_known
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor, TensorTuple, UNKNOWN
from ...diagnostics import remedies
from ._common import FW, is_int


def _bad(mask_arg: str, mask: Tensor, detail: str, remedy: str, expected=None, new_axes=None) -> Mismatch:
    """``new_axes``: the mask is a per-sample (N, S) padding mask that needs size-1 axes inserted at these
    positions to broadcast as meant (a fact for the root-cause analysis, which fixes it where the mask is made)."""
    return Mismatch("attention-mask-mismatch", arg=mask_arg, mask=mask_arg, received_shape=mask.shape,
                    expected=fmt_shape(expected) if expected is not None else None, detail=detail, remedy=remedy,
                    new_axes=new_axes, mask_value=mask)


def _is_int_dtype(t: Tensor) -> bool:
    return isinstance(t.dtype, str) and t.dtype.startswith(("int", "uint"))


def _same(a, b) -> bool:
    return dim_eq(a, b) is True


def _times(n, h):
    """n·h for the (N·num_heads) axis; a symbol times 1 is itself."""
    if is_known(n) and is_known(h):
        return n * h
    return n if h == 1 else None


def _differs_from_product(d, n, h) -> bool:
    """Is ``d`` definitely not n·h? Also when d is the batch symbol itself and h > 1 (N ≠ N·h)."""
    if dim_ne(d, _times(n, h)):
        return True
    return is_int(h) and h > 1 and isinstance(d, str) and d == n


def check_mha_masks(layer, attn_mask: Optional[Tensor], kpm: Optional[Tensor], is_causal, *, n, L, S, heads,
                    batched: bool, mask_arg: str = "attn_mask", kpm_arg: str = "key_padding_mask",
                    where: str = "") -> Optional[Mismatch]:
    """The mask checks of F.multi_head_attention_forward (``_mha_shape_check`` and ``_canonical_mask``).
    ``where``: which attention of a Transformer layer (``" (the self-attention)"``), for the message."""
    if is_causal is True and attn_mask is None:
        causal_arg = {"src_mask": "src_is_causal", "tgt_mask": "tgt_is_causal", "memory_mask": "memory_is_causal"}
        flag = causal_arg.get(mask_arg, "is_causal") if layer.kind == "Transformer" or \
            layer.kind.startswith("TransformerDecoder") else "is_causal"
        return Mismatch("attention-mask-mismatch", arg=flag, mask=flag, variant="causal", expected=None,
                        detail="it is only a hint that the attention mask is causal, and torch needs the mask "
                        "itself" + where, remedy=remedies.pass_causal_mask(L, mask_arg))
    if kpm is not None and kpm.shape is not None:
        want = (n, S) if batched else (S,)
        if kpm.rank != len(want) or any(dim_ne(a, b) for a, b in zip(kpm.shape, want)):
            return _bad(kpm_arg, kpm, f"a key padding mask must be {'(N, S)' if batched else '(S,)'} = "
                        f"{fmt_shape(want)}, one entry per key{where}", _kpm_remedy(kpm, n, L, S, batched), want)
    if attn_mask is None or attn_mask.shape is None:
        return None
    if _is_int_dtype(attn_mask):
        return _bad(mask_arg, attn_mask, f"an attention mask must be bool or floating point, not {attn_mask.dtype}"
                    + where, remedies.cast_mask_to_bool(mask_arg))
    m = attn_mask.shape
    if attn_mask.rank == 2:
        if dim_ne(m[0], L) or dim_ne(m[1], S):
            return _bad(mask_arg, attn_mask, f"a 2-D attention mask must be (L, S) = {fmt_shape((L, S))}, the "
                        f"query and key lengths{where}", _mask2_remedy(m, n, L, S, mask_arg, kpm_arg), (L, S))
        return None
    if attn_mask.rank == 3:
        first = _times(n, heads) if batched else heads
        bad0 = _differs_from_product(m[0], n, heads) if batched else dim_ne(m[0], heads)
        if bad0 or dim_ne(m[1], L) or dim_ne(m[2], S):
            lead = "N·num_heads" if batched else "num_heads"
            out = _bad(mask_arg, attn_mask, f"a 3-D attention mask must be ({lead}, L, S) = "
                       f"{fmt_shape((first, L, S))}{where}", _mask3_remedy(m, n, L, S, heads, batched, mask_arg),
                       (first, L, S))
            if batched and _same(m[0], n) and _same(m[1], L) and _same(m[2], S) and is_known(heads):
                out.facts["repeat_heads"] = heads  # one (L, S) mask per sample: repeat it for each head
            return out
        return None
    return _bad(mask_arg, attn_mask, f"an attention mask must be 2-D (L, S) or 3-D "
                f"({'N·num_heads' if batched else 'num_heads'}, L, S), not {attn_mask.rank}-D{where}",
                remedies.reshape_mask_for_heads(mask_arg, L, S) if attn_mask.rank == 4 else
                remedies.mask_shapes_for_mha(mask_arg))


def _kpm_remedy(kpm: Tensor, n, L, S, batched: bool) -> str:
    k = kpm.shape
    if batched and kpm.rank == 2 and _same(k[0], S) and _same(k[1], n) and not _same(S, n):
        return remedies.transpose_padding_mask()
    if batched and kpm.rank == 2 and _same(k[1], L) and dim_ne(L, S):
        return remedies.padding_mask_over_keys(S)
    if kpm.rank == 3:
        return remedies.padding_mask_two_d()
    return remedies.padding_mask_shape("(N, S)" if batched else "(S,)")


def _mask2_remedy(m, n, L, S, mask_arg: str, kpm_arg: str) -> str:
    if _same(m[0], S) and _same(m[1], L):
        return remedies.transpose_attn_mask(mask_arg)
    if _same(m[1], S) and (_same(m[0], n) or (isinstance(m[0], str) and m[0] == n)) and dim_ne(m[0], L):
        return remedies.padding_mask_is_key_padding(kpm_arg)
    return remedies.attn_mask_two_d(mask_arg, L, S)


def _mask3_remedy(m, n, L, S, heads, batched: bool, mask_arg: str) -> str:
    if batched and (_same(m[0], n) or (isinstance(m[0], str) and m[0] == n)) and _same(m[1], L) and _same(m[2], S):
        return remedies.repeat_mask_per_head(mask_arg, heads)
    return remedies.mask_shapes_for_mha(mask_arg)


# -- F.scaled_dot_product_attention ---------------------------------------------------------------------------
@rule(FW, "F.scaled_dot_product_attention", "attn_mask=None, dropout_p=0.0, is_causal=False, scale=None, "
                                            "enable_gqa=False", accepts_unknown=True)
def sdpa(layer, q: Tensor, k: Tensor = None, v: Tensor = None, *rest):
    if k is None or v is None or any(t.shape is None for t in (q, k, v)):
        return UNKNOWN
    if min(q.rank, k.rank, v.rank) < 2:
        return Mismatch("rank-mismatch", expected="at least 2", received=min(q.rank, k.rank, v.rank),
                        received_shape=q.shape if q.rank < 2 else k.shape if k.rank < 2 else v.shape, layout="",
                        remedy=remedies.sdpa_ranks())
    if dim_ne(q.shape[-1], k.shape[-1]):
        return Mismatch("matmul-shape-mismatch", left_shape=q.shape, right_shape=k.shape, left_inner=q.shape[-1],
                        right_inner=k.shape[-1], remedy=remedies.give_query_key_same_embedding())
    if dim_ne(k.shape[-2], v.shape[-2]):
        return Mismatch("merge-shape-mismatch", shapes=f"{k} and {v}", detail="key and value must have the same "
                        "sequence length", remedy=remedies.pass_key_value_same_length())
    qb, kb, vb = q.shape[:-2], k.shape[:-2], v.shape[:-2]
    if layer.raw("enable_gqa") is True and len(qb) >= 1 and len(kb) >= 1 and len(vb) >= 1:
        hq, hk = qb[-1], kb[-1]
        if is_known(hq) and is_known(hk) and hk and hq % hk == 0:
            kb, vb = kb[:-1] + (hq,), vb[:-1] + (hq,)
    batch, bad = broadcast_shapes([qb, kb, vb])
    if batch is None:
        axis, a, b = bad
        return Mismatch("merge-shape-mismatch", shapes=f"{q}, {k}, {v}",
                        detail=f"the batch and head axes of query, key and value must match ({a} vs {b})",
                        remedy=remedies.sdpa_same_heads())
    L, S = q.shape[-2], k.shape[-2]
    scores = tuple(batch) + (L, S)
    mask = layer.input_named((q, k, v) + tuple(rest), "attn_mask", 3)
    if mask is not None and mask.shape is not None:
        if layer.raw("is_causal") is True:
            return _bad("attn_mask", mask, "an explicit attn_mask cannot be combined with is_causal=True",
                        remedies.causal_or_mask())
        if _is_int_dtype(mask):
            return _bad("attn_mask", mask, f"an attention mask must be bool or floating point, not {mask.dtype}",
                        remedies.cast_mask_to_bool("attn_mask"))
        if mask.rank < 2:
            return _bad("attn_mask", mask, "an attention mask needs at least the (L, S) axes",
                        remedies.attn_mask_two_d("attn_mask", L, S), (L, S))
        out, _ = broadcast_shapes([mask.shape, scores])
        grows = out is not None and (len(out) > len(scores) or any(dim_ne(a, b) for a, b in
                                                                    zip(out[-len(scores):], scores)))
        if out is None or grows:
            padding = _is_padding_mask(mask.shape, batch, S)
            per_sample = len(mask.shape) == 3 and len(batch) == 2 and _same(mask.shape[-2], L) and \
                _same(mask.shape[-1], S) and _same(mask.shape[0], batch[0])  # (N, L, S): the heads axis missing
            return _bad("attn_mask", mask, f"the mask must broadcast to the attention scores {fmt_shape(scores)} "
                        "(batch and heads, L, S)", _sdpa_mask_remedy(mask.shape, batch, L, S), scores,
                        new_axes=tuple(range(1, len(scores) - 1)) if padding else (1,) if per_sample else None)
    return Tensor(tuple(batch) + (L, v.shape[-1]), q.dtype)


def _is_padding_mask(m, batch, S) -> bool:
    """(N, S): one row of keys to keep per sample."""
    return len(m) == 2 and _same(m[1], S) and len(batch) >= 1 and (_same(m[0], batch[0]) or
                                                                   (isinstance(m[0], str) and m[0] == batch[0]))


def _sdpa_mask_remedy(m, batch, L, S) -> str:
    if _is_padding_mask(m, batch, S):
        return remedies.padding_mask_to_sdpa()
    if len(m) == 3 and len(batch) == 2 and _same(m[-2], L) and _same(m[-1], S):
        return remedies.unsqueeze_mask_for_heads()  # (N, L, S) for (N, H, L, S): the heads axis is missing
    if len(m) >= 2 and _same(m[-2], S) and _same(m[-1], L) and not _same(L, S):  # square: a transpose changes nothing
        return remedies.transpose_attn_mask("attn_mask")
    return remedies.attn_mask_two_d("attn_mask", L, S)


__all__ = ["check_mha_masks"]


# -- F.multi_head_attention_forward -------------------------------------------------------------------------------
_MHA_FWD_TENSORS = ("query", "key", "value")


@rule(FW, "F.multi_head_attention_forward",
      "embed_dim_to_check=None, num_heads=None, add_zero_attn=False, dropout_p=0.0, training=True, "
      "need_weights=True, use_separate_proj_weight=False, average_attn_weights=True, is_causal=False, **weights",
      accepts_unknown=True)
def mha_forward(layer, *xs: Tensor):
    """The functional form behind nn.MultiheadAttention: query (L, N, E) or (L, E), key / value (S, N, E); the
    query's last axis must be ``embed_dim_to_check``; the masks as for the module. Returns (attn_output,
    attn_weights (N, L, S) or None)."""
    q, k = layer.input_named(xs, "query", 0), layer.input_named(xs, "key", 1)
    v = layer.input_named(xs, "value", 2)
    if q is None or k is None or v is None or any(t.shape is None for t in (q, k, v)):
        return UNKNOWN
    e, h = layer.arg("embed_dim_to_check"), layer.arg("num_heads")
    if q.rank not in (2, 3) or k.rank != q.rank or v.rank != q.rank:
        return Mismatch("rank-mismatch", expected="2- or 3", received=q.rank, received_shape=q.shape,
                        layout=" (L, N, E) for query, key and value alike", remedy=remedies.give_qkv_same_layout())
    if is_int(e) and dim_ne(q.shape[-1], e):
        return Mismatch("feature-count-mismatch", arg="embed_dim_to_check", expected=e, received=q.shape[-1])
    batched = q.rank == 3
    bad = check_mha_masks(layer, layer.input_named(xs, "attn_mask", 16),
                          layer.input_named(xs, "key_padding_mask", 14), layer.raw("is_causal"),
                          n=q.shape[1] if batched else None, L=q.shape[0], S=k.shape[0], heads=h, batched=batched)
    if bad:
        return bad
    weights = None
    if layer.raw("need_weights") is not False:
        s = k.shape[0] + (1 if layer.raw("add_zero_attn") is True else 0) if is_known(k.shape[0]) else None
        weights = Tensor(((q.shape[1],) if batched else ()) + (q.shape[0], s), q.dtype)
    return TensorTuple((Tensor(q.shape, q.dtype), weights))
