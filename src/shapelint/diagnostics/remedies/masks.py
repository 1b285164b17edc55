"""Remedies of the attention-mask checks (rules/torch/attention.py, the mask checks of rules/keras/attention.py)."""
from __future__ import annotations

from ...core.dims import fmt_dim


def pass_causal_mask(length, mask_arg) -> str:
    n = fmt_dim(length) if length is not None else "L"
    return (f"pass the causal mask itself: `{mask_arg}=nn.Transformer.generate_square_subsequent_mask({n})` "
            "(is_causal=True only tells torch that the mask is causal)")


def cast_mask_to_bool(mask_arg) -> str:
    return f"make `{mask_arg}` a bool mask (e.g. `mask == 0` or `mask.bool()`) or a float mask of -inf and 0"


def reshape_mask_for_heads(mask_arg, length, src_length) -> str:
    return (f"reshape the (N, num_heads, L, S) mask given as `{mask_arg}` to (N·num_heads, L, S) with "
            f"`.reshape(-1, {fmt_dim(length) if length is not None else 'L'}, "
            f"{fmt_dim(src_length) if src_length is not None else 'S'})`")


def mask_shapes_for_mha(mask_arg) -> str:
    return (f"give `{mask_arg}` the shape (L, S) to use one mask for every sample, or (N·num_heads, L, S) for one per "
            "sample and head; a per-sample padding mask (N, S) goes in `key_padding_mask`")


def transpose_padding_mask() -> str:
    return "transpose the padding mask to (N, S): one row per sample, one entry per key"


def padding_mask_over_keys(src_length) -> str:
    return (f"build the padding mask over the keys (S = {fmt_dim(src_length)}): in cross-attention it masks the memory "
            "or key sequence, not the queries")


def padding_mask_two_d() -> str:
    return "pass a 2-D (N, S) padding mask: torch adds the head and query axes itself"


def padding_mask_shape(layout) -> str:
    return f"give the padding mask the shape {layout}: True (or -inf) where a key is padding"


def transpose_attn_mask(mask_arg) -> str:
    return f"transpose the mask: `{mask_arg}` is (S, L) but rows are queries and columns keys"


def padding_mask_is_key_padding(kpm_arg) -> str:
    return (f"this looks like a per-sample padding mask (N, S): pass it as `{kpm_arg}=`; `attn_mask` is one (L, S) "
            "mask shared by every sample")


def attn_mask_two_d(mask_arg, length, src_length) -> str:
    return (f"give `{mask_arg}` the shape ({fmt_dim(length) if length is not None else 'L'}, "
            f"{fmt_dim(src_length) if src_length is not None else 'S'}): rows are queries, columns keys")


def repeat_mask_per_head(mask_arg, heads) -> str:
    h = fmt_dim(heads) if heads is not None else "num_heads"
    return (f"repeat the per-sample mask given as `{mask_arg}` for each head with `.repeat_interleave({h}, dim=0)`: "
            "it gives (N·num_heads, L, S) in the order torch expects")


def sdpa_ranks() -> str:
    return "give query, key and value at least the (sequence, features) axes"


def sdpa_same_heads() -> str:
    return ("give query, key and value the same batch and head axes, or pass `enable_gqa=True` when the key and value "
            "have fewer heads that divide the query's")


def causal_or_mask() -> str:
    return "pass either `is_causal=True` or an explicit `attn_mask` (fold the causal part into the mask), not both"


def padding_mask_to_sdpa() -> str:
    return ("a per-sample padding mask (N, S) needs the head and query axes to broadcast: "
            "`attn_mask=mask[:, None, None, :]`")


def unsqueeze_mask_for_heads() -> str:
    return "add the head axis to the per-sample mask: `attn_mask=mask.unsqueeze(1)` gives (N, 1, L, S)"


def keras_mask_shape(length, src_length) -> str:
    return (f"give `attention_mask` the shape (B, {fmt_dim(length) if length is not None else 'T'}, "
            f"{fmt_dim(src_length) if src_length is not None else 'S'}) (or one that broadcasts to it); a (B, S) "
            "padding mask needs a query axis: `mask[:, None, :]`")


def mask_on_keys(scores_rank: int) -> str:
    spelled = "mask[:, None, None, :]" if scores_rank == 4 else "mask[:, None, :]"
    return f"put the mask's positions on the key axis, the last: `{spelled}` (size 1 for the queries)"


def negate_padding_mask(arg, text) -> str:
    shown = f"`{text}`" if text else "its negation"
    return (f"pass {shown} as `{arg}` (PyTorch's `key_padding_mask` ignores the True keys; "
            "`F.scaled_dot_product_attention` and Keras keep them)")


def interleave_mask_heads(heads) -> str:
    return f"give each sample's mask to its own {heads} heads: `.repeat_interleave({heads}, dim=0)`"
