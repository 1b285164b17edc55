"""Argument standardisation shared by the Keras window layers (convolution, pooling, padding, cropping, upsampling).

Each helper mirrors one Keras 3.15 function and raises the same way Keras does, as a Mismatch (invalid-argument):

* :func:`standardize_tuple`   -- keras/src/utils/argument_validation.py ``standardize_tuple``
* :func:`standardize_padding` -- same module, ``standardize_padding`` (conv layers; pooling validates later)
* :func:`data_format`         -- keras/src/backend/config.py ``standardize_data_format``
* :func:`layout`              -- canonical (batch, spatial..., channels) view of an input under a data_format

Values Keras accepts but we cannot follow (a float inside a tuple) raise :class:`Odd`; rules decorated with
:func:`window_rule` then give an unknown output instead of guessing.
"""
from __future__ import annotations

import functools
from typing import Any, Optional

from ...core.dims import is_known
from ...core.errors import Mismatch, Unresolved
from ...core.values import UNKNOWN, Tensor
from ...diagnostics import remedies
from ...core.program import UNRESOLVED
from ...core.registry import lookup
from ...diagnostics.fixes import InsertBefore
from ._args import check_kwargs


class Odd(Exception):
    """An argument value Keras accepts that shapelint does not model (output becomes unknown, never an error)."""


# keyword arguments a layer's base class takes besides Layer's own (BaseConv takes the LoRA settings)
_EXTRA_KWARGS = {k: {"lora_rank", "lora_alpha"} for k in
                 ("Conv1D", "Conv2D", "Conv3D", "Convolution1D", "Convolution2D", "Convolution3D")}


def window_rule(fn):
    """Wrap a rule: keyword arguments Keras' Layer.__init__ would reject are an error (checked first, as Keras does),
    and :class:`Odd` values give an unknown output."""
    @functools.wraps(fn)
    def wrapper(layer, *inputs):
        try:
            _check_kwargs(layer)
        except Mismatch as m:  # the shape does not depend on the stray keyword: keep inferring
            m.recover = _quietly(fn, layer, inputs)
            raise
        try:
            out = fn(layer, *inputs)
            if isinstance(out, Mismatch):
                raise out
            return out
        except Odd:
            # the value is not modelled, but the input-rank check Keras makes when the layer is called still holds
            x = inputs[0] if inputs else None
            need = _window_ndim(layer.kind)
            if need and isinstance(x, Tensor) and x.shape is not None and x.rank != need:
                raise Mismatch("rank-mismatch", expected=need, received=x.rank, received_shape=x.shape, layout="",
                               remedy=remedies.pass_nd_input(need))
            return UNKNOWN
        except Mismatch as m:
            # a rank error with an obvious fix (add the channel axis): continue with what the fix gives
            retry = getattr(m, "retry_input", None)
            if retry is not None and m.recover is None:
                m.recover = _quietly(fn, layer, (retry,) + tuple(inputs[1:]))
            raise
    return wrapper


def _window_ndim(kind: str) -> Optional[int]:
    """The exact input rank of an N-D window layer (``Conv2D`` -> 4); None for the other reshaping layers."""
    for r in (1, 2, 3):
        if f"{r}D" in kind:
            return r + 2
    return None


def _quietly(fn, layer, inputs):
    """The rule's output, or None when it fails in any way (used only to recover after a reported error)."""
    try:
        out = fn(layer, *inputs)
    except Exception:
        return None
    return out if isinstance(out, Tensor) and out.shape is not None else None


def _check_kwargs(layer) -> None:
    rule = lookup(layer.framework, layer.kind)
    if rule is not None and rule.signature.var_kwargs:
        check_kwargs(layer, set(rule.signature.defaults) | _EXTRA_KWARGS.get(layer.kind, set()))


def invalid(arg: str, detail: str, remedy: str) -> Mismatch:
    return Mismatch("invalid-argument", arg=arg, detail=detail, remedy=remedy)


def standardize_tuple(value: Any, n: int, name: str, allow_zero: bool = False, arg: Optional[str] = None,
                      weight_shape: bool = False) -> tuple:
    """An int (bools count) becomes an n-tuple; any other value must iterate to n int-convertible values, all > 0
    (>= 0 with ``allow_zero``). ``arg`` is the constructor argument to point at (default ``name``).
    ``weight_shape``: the values become part of a weight's shape (kernel_size), so a float fails at build."""
    arg = arg or name
    need = ">= 0" if allow_zero else "> 0"
    remedy = f"pass `{name}` as an int or a tuple of {n} ints {need}"
    if isinstance(value, int):
        values = (value,) * n
    else:
        if value is None or isinstance(value, (float, complex)):
            raise invalid(arg, f"`{name}` must be an int or a tuple of {n} integers, got {value!r}", remedy)
        if not isinstance(value, (tuple, list, str)):
            raise Odd(name)  # an object we do not model; Keras iterates it
        values = tuple(value)  # a string iterates into characters, rejected below like Keras does
        if len(values) != n:
            raise invalid(arg, f"`{name}` must be a tuple of {n} integers, got {value!r}", remedy)
        for v in values:
            if isinstance(v, int):
                continue
            if isinstance(v, float) and weight_shape:
                raise invalid(arg, f"`{name}` must contain integers, got {value!r} (a weight shape cannot hold "
                              f"{v!r})", remedy)
            if isinstance(v, float):
                raise Odd(name)  # int(2.5) works in Keras, so it is accepted; we do not model fractional sizes
            raise invalid(arg, f"`{name}` must contain integers, got {v!r}", remedy)
    bad = sorted({v for v in values if (v < 0 if allow_zero else v <= 0)})
    if bad:
        raise invalid(arg, f"`{name}` must be {need}, got {value!r}", remedy)
    return tuple(int(v) for v in values)


def standardize_padding(value: Any, allow_causal: bool = False) -> Any:
    """Conv padding: a list/tuple passes construction (and fails at build); a string must be valid/same(/causal),
    case-insensitive. Returns the lower-cased string or the sequence."""
    if isinstance(value, (list, tuple)):
        return value
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if not isinstance(value, str) or value.lower() not in allowed:
        shown = ", ".join(f"'{a}'" for a in allowed)
        why = " ('causal' is only for Conv1D)" if isinstance(value, str) and value.lower() == "causal" else ""
        raise invalid("padding", f"must be one of {shown}, got {value!r}{why}",
                      remedies.pass_valid_or_same_padding())
    return value.lower()


def data_format(value: Any) -> str:
    """``None`` is the configured image_data_format (channels_last by default); otherwise
    ``str(value).lower()`` must be channels_last or channels_first."""
    if value is None:
        return "channels_last"
    fmt = str(value).lower()
    if fmt not in ("channels_last", "channels_first"):
        raise invalid("data_format", f"must be 'channels_last' or 'channels_first', got {value!r}",
                      remedies.pass_data_format())
    return fmt


def layout(x: Tensor, fmt: str) -> tuple:
    """(spatial dims, channel dim) of an input (batch first) under a data format."""
    if fmt == "channels_first":
        return tuple(x.shape[2:]), x.shape[1]
    return tuple(x.shape[1:-1]), x.shape[-1]


def assemble(batch, spatial, channels, fmt: str) -> tuple:
    """Inverse of :func:`layout`."""
    if fmt == "channels_first":
        return (batch, channels) + tuple(spatial)
    return (batch,) + tuple(spatial) + (channels,)


def spatial_axis(rank: int, i: int, fmt: str) -> str:
    """``the height axis (axis 1)`` for spatial axis i of a rank-2 window layer."""
    names = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}[rank]
    pos = i + (2 if fmt == "channels_first" else 1)
    return f"the {names[i]} axis (axis {pos})"


def axes_text(rank: int, fmt: str) -> str:
    """``(batch, height, width, channels)`` for a rank-2 spatial layer."""
    names = {1: ("steps",), 2: ("height", "width"), 3: ("depth", "height", "width")}[rank]
    parts = ("channels",) + names if fmt == "channels_first" else names + ("channels",)
    return "(batch, " + ", ".join(parts) + ")"


def channel_axis_added(x: Tensor, rank: int, fmt: str):
    """The input with a channel axis of 1 added (what the rank fix gives), or None when that is not the fix."""
    if x.rank != rank + 1 or not all(isinstance(d, int) for d in x.shape[1:]):
        return None
    if fmt == "channels_first":
        return Tensor((x.shape[0], 1) + tuple(x.shape[1:]), x.dtype)
    return Tensor(tuple(x.shape) + (1,), x.dtype)


def rank_remedy(kind: str, x: Tensor, rank: int, fmt: str, family: str) -> tuple:
    """(remedy text, fix intent or None) for a window layer of ``rank`` spatial axes fed a tensor of the wrong rank.
    ``family`` is the class-name stem (``Conv``, ``MaxPooling``) used to suggest the layer of the right rank."""
    got = x.rank
    need = rank + 2
    sample = tuple(x.shape[1:])
    if got == need - 1 and sample and all(isinstance(d, int) for d in sample):
        target = (1,) + sample if fmt == "channels_first" else sample + (1,)
        text = f"Reshape({target!r})"
        return (f"add a channel axis: reshape the input to {target} (e.g. insert `layers.{text}` before this "
                f"layer)", InsertBefore(text))
    if got == need - 1:
        return ("add a channel axis so the input is " + axes_text(rank, fmt), None)
    other = got - 2
    exists = 1 <= other <= 3 and not (other == 3 and family.startswith(("Separable", "Depthwise")))
    if exists and family:
        suffix = kind[kind.index(f"{rank}D") + 2:] if f"{rank}D" in kind else ""
        return (f"use `{family}{other}D{suffix}` for {got}-D input, or reshape the input to "
                f"{axes_text(rank, fmt)}", None)
    return (f"reshape the input to {axes_text(rank, fmt)}", None)


def value(layer, name: str) -> Any:
    """An argument's value, or UNRESOLVED when the front-end could not determine it (no exception), so construction
    checks can run on every argument that *is* known."""
    try:
        return layer.arg(name)
    except Unresolved:
        return UNRESOLVED


def require(**values: Any) -> None:
    """Raise Unresolved for the first value that is not known (the shape cannot be computed without it)."""
    for name, v in values.items():
        if v is UNRESOLVED:
            raise Unresolved(name)


def spatial_rank(kind: str) -> int:
    """1, 2 or 3 from the class name (``Conv2DTranspose`` -> 2, ``MaxPooling3D`` -> 3)."""
    for r in (1, 2, 3):
        if f"{r}D" in kind:
            return r
    raise ValueError(kind)


def check_window_rank(layer, x: Tensor, rank: int, fmt, family: str) -> None:
    """Raise rank-mismatch when a window layer of ``rank`` spatial axes gets a tensor of another rank; the Mismatch
    carries ``retry_input`` (the input with a channel axis added) when that is the fix."""
    if x.rank == rank + 2:
        return
    fmt = fmt if isinstance(fmt, str) else "channels_last"
    remedy, fix = rank_remedy(layer.kind, x, rank, fmt, family)
    m = Mismatch("rank-mismatch", expected=rank + 2, received=x.rank, received_shape=x.shape,
                 layout=" " + axes_text(rank, fmt), remedy=remedy, fix=fix)
    m.retry_input = channel_axis_added(x, rank, fmt) if fix is not None else None
    raise m


def thin_axis(spatial, axis: int) -> bool:
    """The failing axis has size 1 while another image axis is long: (1, 28) is a channels-first image or a row
    missing an axis, and padding='same' would make the layer run on a 1-pixel strip -- never offered as a fix."""
    return spatial[axis] == 1 and any(is_known(v) and v >= 8 for i, v in enumerate(spatial) if i != axis)
