"""A decoder that misses its target size: the strided transposed convolutions on the way to the output do not
multiply the size by their stride (PyTorch ``ConvTranspose2d(k=3, stride=2, padding=1)`` gives 2n-1: it needs
``output_padding=1``; Keras ``Conv2DTranspose(strides=2)`` with ``padding="valid"`` gives 2n+1: it needs
``padding="same"``). The repair is planned over the ops of the model run that produced the output."""
from __future__ import annotations

from typing import Optional

from ...core.program import Layer
from ...diagnostics.fixes.edits import set_arg_edit


class _Abort(Exception):
    """The decoder is not the simple chain the repair understands."""


def _shape(v) -> Optional[tuple]:
    shape = getattr(v, "shape", None)
    return tuple(shape) if shape is not None else None


def _strides(layer: Layer, name: str, n: int) -> Optional[tuple]:
    v = layer.args.get(name)
    strides = (v,) * n if isinstance(v, int) else tuple(v or ())
    return strides if len(strides) == n and all(isinstance(x, int) for x in strides) else None


def _conv_t_axis(layer: Layer, i: int) -> tuple:
    """(kernel, padding) of a transposed convolution on spatial axis ``i`` (ints or per-axis tuples)."""
    out = []
    for name in ("kernel_size", "padding"):
        v = layer.args.get(name)
        v = v[i] if isinstance(v, (tuple, list)) and i < len(v) else v
        if not isinstance(v, int) or isinstance(v, bool):
            return None, None
        out.append(v)
    return tuple(out)


def _repair(ops: list, target_spatial: tuple, spatial, transposed, step, keeps, lines):
    """(edits, first layer edited) making every strided transposed convolution on the way to the output multiply
    its size by its stride, when that lands exactly on ``target_spatial``; else None."""
    first = next((i for i, op in enumerate(ops) if transposed(op.layer.kind)), None)
    if first is None:
        return None
    sizes = spatial(_shape(ops[first].inputs[0]) or ())
    edits, blamed = [], []
    try:
        for op in ops[first:]:
            shape_in, shape_out = _shape(op.inputs[0]) if op.inputs else None, _shape(op.output)
            if shape_in is None or shape_out is None or len(spatial(shape_in)) != len(sizes):
                return None
            if transposed(op.layer.kind):
                edit, sizes = step(op.layer, sizes, len(sizes), lines)
                if edit is not None:
                    edits.append(edit)
                    blamed.append(op.layer)
            elif not keeps(shape_in, shape_out):
                return None
    except _Abort:
        return None
    if tuple(sizes) == tuple(target_spatial) and edits and all(e is not None for e in edits):
        return edits, blamed[0]
    return None


def _torch_step(layer: Layer, sizes: tuple, n: int, lines):
    strides = _strides(layer, "stride", n)
    if strides is None or layer.args.get("dilation") not in (1, (1,) * n, None):
        raise _Abort
    pads = set()
    for axis, (a, s_) in enumerate(zip(sizes, strides)):
        k, p = _conv_t_axis(layer, axis)
        if k is None:
            raise _Abort
        pads.add(a * s_ - ((a - 1) * s_ - 2 * p + k))  # wanted minus natural size
    if len(pads) != 1 or not 0 <= min(pads) < max(strides):
        raise _Abort
    pad = pads.pop()
    edit = set_arg_edit(layer, "output_padding", str(pad), lines) \
        if pad != (layer.args.get("output_padding") or 0) else None
    return edit, tuple(a * s_ for a, s_ in zip(sizes, strides))


def _keras_step(layer: Layer, sizes: tuple, n: int, lines):
    strides = _strides(layer, "strides", n)
    if strides is None or layer.args.get("output_padding") is not None:
        raise _Abort
    edit = set_arg_edit(layer, "padding", '"same"', lines) if layer.args.get("padding") != "same" else None
    return edit, tuple(a * s_ for a, s_ in zip(sizes, strides))


def torch_decoder(ops: list, pred: tuple, target: tuple, lines):
    """(edits, layer) giving each ``ConvTranspose`` the ``output_padding`` that lands on the target (N, C, *size)."""
    if len(pred) != len(target) or len(pred) < 3 or pred[:2] != target[:2] or pred == target:
        return None
    return _repair(ops, target[2:], lambda shape: tuple(shape[2:]), lambda kind: kind.startswith("ConvTranspose"),
                   _torch_step, lambda a, b: a == b, lines)


def keras_decoder(ops: list, pred: tuple, target: tuple, lines):
    """(edits, layer) giving each strided ``Conv*Transpose`` ``padding="same"`` (channels last)."""
    if len(pred) != len(target) or len(pred) < 3 or pred[1:] == target[1:] or pred[-1] != target[-1]:
        return None
    return _repair(ops, target[1:-1], lambda shape: tuple(shape[1:-1]), lambda kind: kind.endswith("Transpose"),
                   _keras_step, lambda a, b: a[1:-1] == b[1:-1], lines)
