"""nn.Embedding and nn.EmbeddingBag: integer indices in, vectors out.

Embedding: any shape (*) of integer indices -> (*, embedding_dim). EmbeddingBag: (B, L) -> (B, embedding_dim), or
1-D indices with offsets (B,) -> (B, embedding_dim) ((B-1) with include_last_offset)."""
from __future__ import annotations

from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Ids, Tensor
from ...diagnostics import remedies
from ._common import FW, is_int, require_rank

FLOATS = ("float16", "bfloat16", "float32", "float64", "float", "double", "half")


def _sizes(layer):
    n, d = layer.arg("num_embeddings"), layer.arg("embedding_dim")
    if not is_int(n) or not is_int(d) or n < 0 or d < 0:
        raise Mismatch("invalid-argument", arg="num_embeddings", detail="num_embeddings and embedding_dim must be "
                       "non-negative integers", remedy=remedies.pass_vocabulary_and_vector_size())
    pad = layer.arg("padding_idx")
    if pad is not None and (not is_int(pad) or not -n <= pad < n):
        raise Mismatch("invalid-argument", arg="padding_idx", detail=f"padding_idx must be within num_embeddings "
                       f"({n}), got {pad!r}", remedy=remedies.use_padding_idx_in_range(-n, n - 1))
    return n, d


def check_indices(x: Tensor):
    if x.dtype in FLOATS:
        return Mismatch("index-dtype-mismatch", received=x.dtype, received_shape=x.shape,
                        remedy=remedies.feed_integer_token_ids())
    return None


@rule(FW, "Embedding", "num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, "
                       "scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None",
      implied_input=lambda layer: Tensor(("N", "L"), "int64"), implied_any_rank=True)
def embedding(layer, x: Tensor):
    n, d = _sizes(layer)
    out = Tensor(x.shape + (d,), "float32")
    bad = check_indices(x) or ids_past_table(x, n, "num_embeddings")
    if bad:
        bad.recover = out
        return bad
    layer.params = n * d
    return out


def ids_past_table(x: Tensor, rows: int, arg: str):
    """Position ids ``arange(length)`` looked up in a table of fewer rows (``nn.Embedding(max_len, d)`` fed
    ``torch.arange(x.size(1))`` of longer sequences): the last positions have no row (IndexError)."""
    if isinstance(x, Ids) and x.high > rows:
        return Mismatch("id-out-of-range", arg=arg, low=x.low, high=x.high - 1, rows=rows,
                        remedy=remedies.table_for_positions(arg, x.high))
    return None


@rule(FW, "EmbeddingBag", "num_embeddings, embedding_dim, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, "
                          "mode='mean', sparse=False, _weight=None, include_last_offset=False, padding_idx=None, "
                          "device=None, dtype=None",
      implied_input=lambda layer: Tensor(("N", "L"), "int64"))
def embedding_bag(layer, x: Tensor, offsets: Tensor = None):
    n, d = _sizes(layer)
    if layer.arg("mode") not in ("sum", "mean", "max"):
        return Mismatch("invalid-argument", arg="mode", detail=f"mode has to be one of sum, mean or max, got "
                        f"{layer.arg('mode')!r}", remedy=remedies.use_valid_bag_mode())
    bad = require_rank(x, (1, 2), layout="(B, L), or (N,) with offsets",
                       remedy=remedies.flatten_bags())
    if bad:
        return bad
    bad = check_indices(x)
    if bad:
        return bad
    layer.params = n * d
    if x.rank == 2:
        if offsets is not None:
            return Mismatch("invalid-argument", arg="offsets", detail="offsets has to be None if input is 2D",
                            remedy=remedies.drop_offsets_for_2d_input())
        return Tensor((x.shape[0], d), "float32")
    if offsets is None or offsets.shape is None:
        if offsets is None:
            return Mismatch("missing-input", expected=2, received=1, inputs="input, offsets",
                            remedy=remedies.pass_offsets_for_1d_input())
        return Tensor((None, d), "float32")
    b = offsets.shape[0] if offsets.rank == 1 else None
    if layer.arg("include_last_offset") and is_int(b):
        b -= 1
    return Tensor((b, d), "float32")
