"""Keras text and category preprocessing: TextVectorization, StringLookup, IntegerLookup, Hashing -- ports of keras
3.15 ``compute_output_shape`` (keras/src/layers/preprocessing/). Discretization and CategoryEncoding are in
preprocessing.py.

* ``output_mode='int'`` keeps the shape (TextVectorization: (batch, output_sequence_length), unknown length
  without it);
* ``one_hot`` adds a depth axis, replacing a last axis of size 1 (Hashing and the multi-hot modes encode the last
  axis instead);
* ``multi_hot`` / ``count`` / ``tf_idf`` replace the last axis with the depth.

The depth: Hashing's ``num_bins``, or for the lookups ``max_tokens`` with
``pad_to_max_tokens=True``, else the vocabulary given (plus ``num_oov_indices``) -- unknown when it comes from
``adapt()``. Constructor arguments Keras rejects are reported as it does.
"""
from __future__ import annotations

from ...core.values import Tensor
from ...diagnostics import remedies
from ._args import invalid, known, krule

_LOOKUP_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_CATEGORY_MODES = ("one_hot", "multi_hot", "count")


def _mode(layer, allowed) -> str:
    mode = layer.raw("output_mode")
    if known(mode) and mode not in allowed:
        raise invalid("output_mode", f"must be one of {allowed}, got {mode!r}", remedies.use_one_of(allowed))
    return mode if known(mode) else None


def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _lookup_depth(layer):
    """The encoded size of a lookup layer: max_tokens when padded to it, else the given vocabulary plus the OOV
    indices (a mask token counts only in 'int' mode); unknown when the vocabulary comes from adapt()."""
    if layer.raw("pad_to_max_tokens") is True and _int(layer.raw("max_tokens")):
        return layer.raw("max_tokens")
    vocab = layer.raw("vocabulary")
    oov = layer.raw("num_oov_indices")
    if isinstance(vocab, (list, tuple)) and _int(oov):
        return len(vocab) + oov
    return None


def lookup_id_range(layer):
    """(0, depth): the ids a lookup in 'int' mode can give -- the OOV slots and a mask token come before the words, so
    ``StringLookup(vocabulary=CLASSES)`` gives 1..len(CLASSES). None when the depth is not known or the layer inverts."""
    mode = layer.raw("output_mode")
    if (known(mode) and mode != "int") or layer.raw("invert") is True:
        return None
    depth = _lookup_depth(layer)
    if not _int(depth):
        return None
    return 0, depth + (1 if layer.raw("mask_token") not in (None,) and known(layer.raw("mask_token")) else 0)


def _check_lookup_args(layer, mode) -> None:
    mt = layer.raw("max_tokens")
    if _int(mt) and mt <= 1:
        raise invalid("max_tokens", f"must be greater than 1, got {mt}", remedies.pass_max_tokens_above_one())
    if layer.raw("pad_to_max_tokens") is True and layer.raw("max_tokens") is None:
        raise invalid("pad_to_max_tokens", "needs `max_tokens`", remedies.pass_max_tokens_with_padding())
    oov = layer.raw("num_oov_indices")
    if _int(oov) and oov < 0:
        raise invalid("num_oov_indices", f"must be >= 0, got {oov}", remedies.pass_non_negative("num_oov_indices"))
    if layer.raw("invert") is True and mode not in (None, "int"):
        raise invalid("invert", "only works with output_mode='int'", remedies.invert_with_int_mode())


def _encode(shape: tuple, mode, depth, replace_unit_axis: bool = True) -> tuple:
    """IndexLookup.compute_output_shape for the encoding modes."""
    if mode == "one_hot":
        if replace_unit_axis and len(shape) > 1 and shape[-1] == 1:
            return shape[:-1] + (depth,)
        return shape + (depth,)
    return shape[:-1] + (depth,)


_LOOKUP_SIG = ("max_tokens=None, num_oov_indices=1, mask_token=None, oov_token='[UNK]', vocabulary=None, "
               "idf_weights=None, invert=False, output_mode='int', pad_to_max_tokens=False, sparse=False, "
               "encoding='utf-8', name=None, **kwargs")


@krule("StringLookup", _LOOKUP_SIG, accepts_unknown=False)
def string_lookup(layer, x: Tensor) -> Tensor:
    mode = _mode(layer, _LOOKUP_MODES)
    _check_lookup_args(layer, mode)
    shape = tuple(x.shape)
    if mode in (None, "int"):
        return Tensor(shape, "int64" if mode == "int" else None)
    return Tensor(_encode(shape, mode, _lookup_depth(layer)), "float32")


@krule("IntegerLookup", _LOOKUP_SIG.replace("oov_token='[UNK]'", "oov_token=-1").replace(
    "encoding='utf-8', ", "vocabulary_dtype='int64', "), accepts_unknown=False)
def integer_lookup(layer, x: Tensor) -> Tensor:
    return string_lookup(layer, x)


@krule("TextVectorization", "max_tokens=None, standardize='lower_and_strip_punctuation', split='whitespace', "
                            "ngrams=None, output_mode='int', output_sequence_length=None, pad_to_max_tokens=False, "
                            "vocabulary=None, idf_weights=None, sparse=False, ragged=False, encoding='utf-8', "
                            "name=None, **kwargs")
def text_vectorization(layer, x: Tensor) -> Tensor:
    mode = _mode(layer, _LOOKUP_MODES)
    length = layer.raw("output_sequence_length")
    if mode not in (None, "int") and length is not None and known(length):
        raise invalid("output_sequence_length", "must not be set when output_mode is not 'int'",
                      remedies.sequence_length_with_int_mode())
    mt = layer.raw("max_tokens")
    if _int(mt) and mt <= 1:
        raise invalid("max_tokens", f"must be greater than 1, got {mt}", remedies.pass_max_tokens_above_one())
    shape = tuple(x.shape)
    if mode == "int":
        return Tensor((shape[0] if shape else None, length if _int(length) else None), "int64")
    if mode is None:
        return Tensor(None)
    split = layer.raw("split")
    shape = shape + ((1,) if len(shape) <= 1 else ()) if split is None else shape + (None,)
    if layer.raw("pad_to_max_tokens") is True and _int(mt):
        depth = mt
    else:
        vocab = layer.raw("vocabulary")
        depth = len(vocab) + 1 if isinstance(vocab, (list, tuple)) else None
    return Tensor(_encode(shape, mode, depth), "float32")


@krule("Hashing", "num_bins, mask_value=None, salt=None, output_mode='int', sparse=False, **kwargs")
def hashing(layer, x: Tensor) -> Tensor:
    mode = _mode(layer, ("int",) + _CATEGORY_MODES)
    n = layer.raw("num_bins")
    if known(n) and (not _int(n) or n <= 0):
        raise invalid("num_bins", f"must be a positive integer, got {n!r}", remedies.pass_positive_bins())
    shape = tuple(x.shape)
    if mode in (None, "int"):
        return Tensor(shape, "int64")
    return Tensor((shape[:-1] if shape else ()) + (n if _int(n) else None,), "float32")
