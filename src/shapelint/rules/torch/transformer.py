"""Attention and transformers: nn.MultiheadAttention, nn.TransformerEncoderLayer / TransformerEncoder,
nn.TransformerDecoderLayer / TransformerDecoder, nn.Transformer.

Contract (torch 2.13, ``torch/nn/modules/activation.py`` and ``transformer.py``, ``F.multi_head_attention_forward``):
query (L, N, E) or (N, L, E) with batch_first, or unbatched (L, E); E == embed_dim (d_model); embed_dim divisible by
num_heads; key/value last dims == kdim/vdim and equal sequence lengths. MultiheadAttention returns (attn_output,
attn_weights) with weights (N, L, S) averaged over heads ((L, S) unbatched). Decoders need (tgt, memory); the
Transformer needs (src, tgt) and returns tgt's shape.
"""
from __future__ import annotations

from ...core.dims import dim_eq, dim_ne
from ...core.errors import Mismatch, Unresolved
from ...core.registry import rule
from ...core.values import Tensor, TensorTuple
from ...diagnostics import remedies
from ...diagnostics.fixes import SetArg, WrapInput
from ._common import FW, is_int, missing_inputs, require_rank
from .attention import check_mha_masks

_LAYER = "d_model, nhead, dim_feedforward=2048, dropout=0.1, activation='relu', layer_norm_eps=1e-05, " \
         "batch_first=False, norm_first=False, bias=True, device=None, dtype=None"


def _heads(layer, e_arg: str, h_arg: str) -> tuple:
    e, h = layer.arg(e_arg), layer.arg(h_arg)
    if not is_int(e) or e <= 0 or not is_int(h) or h <= 0:
        raise Mismatch("invalid-argument", arg=h_arg, detail=f"`{e_arg}` and `{h_arg}` must be positive integers",
                       remedy=remedies.pass_positive_sizes())
    if e % h:
        raise Mismatch("invalid-argument", arg=h_arg, detail=f"{e_arg} ({e}) must be divisible by {h_arg} ({h})",
                       remedy=remedies.choose_dividing(h_arg, e), valid=_nearest_divisor(e, h))
    return e, h


def _nearest_divisor(n: int, near: int) -> int:
    """The divisor of ``n`` closest to ``near`` (the smaller on a tie): 12 heads for a width of 320 -> 10."""
    return min((d for d in range(1, n + 1) if n % d == 0), key=lambda d: (abs(d - near), d))


def _seq(x: Tensor, d_model: int, arg: str):
    bad = require_rank(x, (2, 3), layout="(S, N, E), (N, S, E) with batch_first=True, or (S, E)",
                       remedy=remedies.use_batch_seq_features_layout())
    if bad:
        return bad
    if dim_ne(x.shape[-1], d_model):
        return Mismatch("feature-count-mismatch", arg=arg, expected=d_model, received=x.shape[-1],
                        fix=SetArg(arg, str(x.shape[-1]), "unsafe"), recover=x)
    return None


def _mha_params(e, bias, kdim=None, vdim=None, add_bias_kv=False) -> int:
    kdim, vdim = kdim or e, vdim or e
    n = e * e + e * kdim + e * vdim + (3 * e if bias else 0) + e * e + (e if bias else 0)
    return n + (2 * e if add_bias_kv else 0)


def _layer_params(e, ff, bias, decoder=False) -> int:
    attn = _mha_params(e, bias) * (2 if decoder else 1)
    ffn = e * ff + ff * e + ((ff + e) if bias else 0)
    norms = (3 if decoder else 2) * e * (2 if bias else 1)
    return attn + ffn + norms


@rule(FW, "TransformerEncoderLayer", _LAYER, sequence_first=True,
      implied_input=lambda l: Tensor(("N", "S", l.arg("d_model")) if l.arg("batch_first") else
                                     ("S", "N", l.arg("d_model")), "float32"))
def encoder_layer(layer, x: Tensor, *rest):
    xs = (x,) + rest
    return _encoder_layer(layer, x, layer.call_input(xs, "src_mask", 1),
                          layer.call_input(xs, "src_key_padding_mask", 2), layer.call_kwargs.get("is_causal"),
                          "src_mask", "src_key_padding_mask")


def _encoder_layer(layer, x: Tensor, mask, kpm, is_causal, mask_arg: str, kpm_arg: str):
    e, heads = _heads(layer, "d_model", "nhead")
    ff = layer.arg("dim_feedforward")
    bad = _seq(x, e, "d_model")
    if bad:
        return bad
    bad = _layer_masks(layer, x, x, mask, kpm, is_causal, heads, mask_arg, kpm_arg, "")
    if bad:
        return bad
    if is_int(ff):
        layer.params = _layer_params(e, ff, bool(layer.arg("bias")))
    return x


def _layer_masks(layer, q: Tensor, kv: Tensor, mask, kpm, is_causal, heads, mask_arg, kpm_arg, where):
    """The masks a Transformer layer hands to one of its attentions (queries from ``q``, keys from ``kv``)."""
    if mask is None and kpm is None and is_causal is not True:
        return None
    bf = bool(layer.raw("batch_first")) and q.rank == 3
    seq = 1 if bf else 0
    n = q.shape[0 if bf else 1] if q.rank == 3 else None
    return check_mha_masks(layer, mask, kpm, is_causal, n=n, L=q.shape[seq], S=kv.shape[seq], heads=heads,
                           batched=q.rank == 3, mask_arg=mask_arg, kpm_arg=kpm_arg, where=where)


def _inner(layer, arg: str, kind: str):
    inner = layer.arg(arg)
    sub = getattr(inner, "layer", None)
    if sub is None or getattr(sub, "kind", None) != kind:
        raise Unresolved(arg)
    return sub


def _encoder_implied(layer):
    sub = _inner(layer, "encoder_layer", "TransformerEncoderLayer")
    e = sub.arg("d_model")
    return Tensor(("N", "S", e) if sub.arg("batch_first") else ("S", "N", e), "float32")


@rule(FW, "TransformerEncoder", "encoder_layer, num_layers, norm=None, enable_nested_tensor=True, mask_check=True",
      implied_input=_encoder_implied, sequence_first=True)  # through its layer's batch_first
def encoder(layer, x: Tensor, *rest):
    sub = _inner(layer, "encoder_layer", "TransformerEncoderLayer")
    n = layer.arg("num_layers")
    xs = (x,) + rest
    out = _encoder_layer(sub, x, layer.call_input(xs, "mask", 1), layer.call_input(xs, "src_key_padding_mask", 2),
                         layer.call_kwargs.get("is_causal"), "mask", "src_key_padding_mask")
    if isinstance(out, Mismatch):
        out.facts.setdefault("notes", []).append("raised by the encoder_layer given to TransformerEncoder")
        return out
    if sub.params is not None and is_int(n) and layer.raw("norm") is None:
        layer.params = sub.params * n
    return out


def _decoder_check(layer, sub, xs):
    if len(xs) < 2:
        return missing_inputs(layer, ("tgt", "memory"), len(xs))
    tgt, mem = xs[0], xs[1]
    if tgt.shape is None or mem.shape is None:
        return Tensor(None)
    e, _ = _heads(sub, "d_model", "nhead")
    bad = _seq(tgt, e, "d_model") or _seq(mem, e, "d_model")
    if bad:
        return bad
    if tgt.rank != mem.rank:
        return Mismatch("merge-shape-mismatch", shapes=f"{tgt} and {mem}", detail="tgt and memory must both be "
                        "batched or both unbatched", remedy=remedies.give_tgt_memory_same_layout())
    if tgt.rank == 3:
        b = 0 if sub.arg("batch_first") else 1
        if dim_ne(tgt.shape[b], mem.shape[b]):
            return Mismatch("merge-shape-mismatch", shapes=f"{tgt} and {mem}",
                            detail="tgt and memory have different batch sizes",
                            remedy=remedies.feed_tgt_memory_same_batch())
    bad = _decoder_masks(layer, sub, tgt, mem, xs, 2)
    if bad:
        return bad
    ff = sub.arg("dim_feedforward")
    if is_int(ff):
        sub.params = _layer_params(e, ff, bool(sub.arg("bias")), decoder=True)
    return tgt


def _decoder_masks(layer, sub, tgt: Tensor, mem: Tensor, xs, first: int):
    """tgt_mask / tgt_key_padding_mask go to the self-attention over tgt; memory_mask / memory_key_padding_mask
    to the cross-attention from tgt to memory. ``first``: the call position of tgt_mask."""
    heads = sub.raw("nhead")
    names = ("tgt_mask", "memory_mask", "tgt_key_padding_mask", "memory_key_padding_mask")
    tm, mm, tk, mk = (layer.call_input(xs, nm, first + i) for i, nm in enumerate(names))
    return _layer_masks(sub, tgt, tgt, tm, tk, layer.call_kwargs.get("tgt_is_causal"), heads, "tgt_mask",
                        "tgt_key_padding_mask", " (the self-attention over tgt)") or \
        _layer_masks(sub, tgt, mem, mm, mk, layer.call_kwargs.get("memory_is_causal"), heads, "memory_mask",
                     "memory_key_padding_mask", " (the cross-attention from tgt to memory)")


@rule(FW, "TransformerDecoderLayer", _LAYER, accepts_unknown=True, sequence_first=True)
def decoder_layer(layer, *xs):
    return _decoder_check(layer, layer, xs)


@rule(FW, "TransformerDecoder", "decoder_layer, num_layers, norm=None", accepts_unknown=True,
      sequence_first=True)  # through its layer's batch_first
def decoder(layer, *xs):
    sub = _inner(layer, "decoder_layer", "TransformerDecoderLayer")
    out = _decoder_check(layer, sub, xs)
    n = layer.arg("num_layers")
    if isinstance(out, Tensor) and sub.params is not None and is_int(n) and layer.raw("norm") is None:
        layer.params = sub.params * n
    return out


@rule(FW, "Transformer", "d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048, "
                         "dropout=0.1, activation='relu', custom_encoder=None, custom_decoder=None, "
                         "layer_norm_eps=1e-05, batch_first=False, norm_first=False, bias=True, device=None, "
                         "dtype=None", accepts_unknown=True, sequence_first=True)
def transformer(layer, *xs):
    if len(xs) < 2:
        return missing_inputs(layer, ("src", "tgt"), len(xs))
    src, tgt = xs[0], xs[1]
    if src.shape is None or tgt.shape is None:
        return Tensor(None)
    e, _ = _heads(layer, "d_model", "nhead")
    bad = require_rank(src, (2, 3), layout="(S, N, E), (N, S, E) with batch_first=True, or (S, E)")
    if bad:
        return bad
    if src.rank == 3:
        b = 0 if layer.arg("batch_first") else 1
        if tgt.rank == 3 and dim_ne(src.shape[b], tgt.shape[b]):
            return Mismatch("merge-shape-mismatch", shapes=f"{src} and {tgt}",
                            detail="the batch number of src and tgt must be equal",
                            remedy=remedies.feed_src_tgt_same_batch())
    for v in (src, tgt):
        if v.rank and dim_ne(v.shape[-1], e):
            return Mismatch("feature-count-mismatch", arg="d_model", expected=e, received=v.shape[-1],
                            fix=SetArg("d_model", str(v.shape[-1]), "unsafe"), recover=tgt)
    bad = require_rank(tgt, (src.rank,), layout="the same layout as src")
    if bad:
        return bad
    # forward(src, tgt, src_mask, tgt_mask, memory_mask, src_key_padding_mask, tgt_key_padding_mask,
    #         memory_key_padding_mask, src_is_causal, tgt_is_causal, memory_is_causal)
    heads = layer.raw("nhead")
    sm, tm, mm, sk, tk, mk = (layer.call_input(xs, nm, 2 + i) for i, nm in enumerate(
        ("src_mask", "tgt_mask", "memory_mask", "src_key_padding_mask", "tgt_key_padding_mask",
         "memory_key_padding_mask")))
    flag = layer.call_kwargs.get
    bad = _layer_masks(layer, src, src, sm, sk, flag("src_is_causal"), heads, "src_mask", "src_key_padding_mask",
                       " (the encoder's self-attention over src)") or \
        _layer_masks(layer, tgt, tgt, tm, tk, flag("tgt_is_causal"), heads, "tgt_mask", "tgt_key_padding_mask",
                     " (the decoder's self-attention over tgt)") or \
        _layer_masks(layer, tgt, src, mm, mk, flag("memory_is_causal"), heads, "memory_mask",
                     "memory_key_padding_mask", " (the cross-attention from tgt to the encoded src)")
    if bad:
        return bad
    return tgt


def _batch_layout_repair(q: Tensor, k: Tensor, v: Tensor, batch_first: bool) -> tuple:
    """(remedy, fix) for query/key/value whose batch axes disagree: batch-first tensors given to a sequence-first
    layer (set ``batch_first=True``), or a key/value in the other layout than the query (transpose them)."""
    b = 0 if batch_first else 1
    same = lambda *ds: all(dim_eq(ds[0], d) is True for d in ds[1:])  # noqa: E731
    if not batch_first and same(q.shape[0], k.shape[0], v.shape[0]):
        return remedies.mha_batch_first(), SetArg("batch_first", "True", "unsafe")
    if same(q.shape[b], k.shape[1 - b], v.shape[1 - b]):
        return remedies.mha_transpose_kv(batch_first), WrapInput(
            1, "{x}.transpose(0, 1)", also=(2,), title="transpose the key and value to the query's layout")
    return "pass tensors with the same batch size", None


@rule(FW, "MultiheadAttention", "embed_dim, num_heads, dropout=0.0, bias=True, add_bias_kv=False, "
                                "add_zero_attn=False, kdim=None, vdim=None, batch_first=False, device=None, dtype=None",
      accepts_unknown=True, sequence_first=True,
      implied_input=lambda l: Tensor(("N", "L", l.arg("embed_dim")) if l.arg("batch_first") else
                                     ("L", "N", l.arg("embed_dim")), "float32"))
def multihead_attention(layer, *xs):
    e, _ = _heads(layer, "embed_dim", "num_heads")
    kdim, vdim = layer.arg("kdim") or e, layer.arg("vdim") or e
    if len(xs) < 3:
        return missing_inputs(layer, ("query", "key", "value"), len(xs))
    q, k, v = xs[:3]
    if any(t.shape is None for t in (q, k, v)):
        return TensorTuple((Tensor(None), Tensor(None)))
    bad = require_rank(q, (2, 3), layout="(L, N, E), (N, L, E) with batch_first=True, or (L, E)")
    if bad:
        return bad
    for t, d, name in ((q, e, "embed_dim"), (k, kdim, "kdim"), (v, vdim, "vdim")):
        if t.rank != q.rank:
            return Mismatch("merge-shape-mismatch", shapes=f"{q}, {k}, {v}", detail="query, key and value must all "
                            "be batched or all unbatched", remedy=remedies.give_qkv_same_layout())
        if dim_ne(t.shape[-1], d):
            return Mismatch("feature-count-mismatch", arg=name, expected=d, received=t.shape[-1],
                            fix=SetArg(name, str(t.shape[-1]), "unsafe"))
    bf = layer.arg("batch_first") and q.rank == 3
    seq_ax = 1 if bf else 0
    if dim_ne(k.shape[seq_ax], v.shape[seq_ax]):
        return Mismatch("merge-shape-mismatch", shapes=f"{k} and {v}", detail="key and value must have the same "
                        "sequence length", remedy=remedies.pass_key_value_same_length())
    if q.rank == 3:
        b = 0 if bf else 1
        if dim_ne(q.shape[b], k.shape[b]) or dim_ne(k.shape[b], v.shape[b]):
            remedy, fix = _batch_layout_repair(q, k, v, bf)
            return Mismatch("merge-shape-mismatch", shapes=f"{q}, {k}, {v}", detail="query, key and value must have "
                            "the same batch size", remedy=remedy, fix=fix,
                            recover=TensorTuple((Tensor(q.shape, q.dtype), Tensor(None))) if fix else None)
    bad = check_mha_masks(layer, layer.call_input(xs, "attn_mask", 5), layer.call_input(xs, "key_padding_mask", 3),
                          layer.call_kwargs.get("is_causal"), n=q.shape[0 if bf else 1] if q.rank == 3 else None,
                          L=q.shape[seq_ax], S=k.shape[seq_ax], heads=layer.raw("num_heads"), batched=q.rank == 3)
    if bad:
        return bad
    s = k.shape[seq_ax]
    extra = (1 if layer.arg("add_bias_kv") else 0) + (1 if layer.arg("add_zero_attn") else 0)
    if extra:
        s = s + extra if is_int(s) else None
    L = q.shape[seq_ax]
    weights = Tensor(((q.shape[0 if bf else 1],) if q.rank == 3 else ()) + (L, s), q.dtype)
    if layer.call_kwargs.get("need_weights") is False:
        weights = None
    elif layer.call_kwargs.get("average_attn_weights") is False:
        weights = Tensor(((q.shape[0 if bf else 1],) if q.rank == 3 else ()) + (layer.arg("num_heads"), L, s),
                         q.dtype)
    layer.params = _mha_params(e, bool(layer.arg("bias")), layer.arg("kdim"), layer.arg("vdim"),
                               bool(layer.arg("add_bias_kv")))
    return TensorTuple((Tensor(q.shape, q.dtype), weights))
