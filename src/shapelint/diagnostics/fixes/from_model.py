"""Fixes found in the checked model itself, for mismatches seen at the loss: the head's width, a decoder's transposed
convolutions (``output_padding`` / ``padding="same"``) and an RNN's last time step."""
from __future__ import annotations

import ast
import re
from typing import Optional

from ...core.program import Layer
from ..model import Edit
from .edits import set_arg_edit
from .source import _source_text
from .labels import _call_of, _label, _shape_of


def _model_head(file_result, call) -> Optional[Layer]:
    """The last Linear/Dense of the model called as ``model(x)`` (the first argument of a loss call)."""
    fed = call.args[0] if isinstance(call, ast.Call) and call.args else None
    name = fed.func.id if isinstance(fed, ast.Call) and isinstance(fed.func, ast.Name) else None
    for m in getattr(file_result, "models", []):
        if name is not None and m.name == name:
            for op in reversed(m.program.ops):
                if op.layer.kind in ("Linear", "Dense"):
                    return op.layer
    return None


def _output_width_fix(d, lines: list, file_result):
    """Make the model's last layer as wide as the targets need (the targets are data; the head is code)."""
    called = _label(d, "called here with")
    call = _call_of(called, lines)
    head = _model_head(file_result, call)
    if head is None:
        return None
    out = _shape_of(called.text)
    tgt_label = _label(d, "target (")
    tgt = _shape_of(tgt_label.text) if tgt_label else None
    width = None
    m = re.search(r"give the last layer (\d+) outputs", d.help or "")
    if m:
        width = int(m.group(1))
    elif out and tgt and len(out) == 2 and len(tgt) == 2 and isinstance(tgt[1], int) and tgt[1] != out[1]:
        width = tgt[1]
    elif out and tgt and len(out) == 2 and len(tgt) == 1 and "one output unit" in (d.help or ""):
        width = 1
    arg = "out_features" if head.kind == "Linear" else "units"
    if width is None or head.args.get(arg) == width:
        return None
    return set_arg_edit(head, arg, str(width)), f"give `{head.label}` {width} outputs"


def _loss_shapes(d) -> tuple:
    """(prediction shape, target shape) of a PyTorch loss diagnostic: from its labels, or from its note
    ``output (8, 3), target (8,)`` (functional losses such as ``F.cross_entropy`` have no "called here" label)."""
    called, target = _label(d, "called here with"), _label(d, "target (")
    pred, tgt = (_shape_of(called.text) if called else None), (_shape_of(target.text) if target else None)
    for note in d.notes if (pred is None or tgt is None) else ():
        m = re.match(r"output (\([^()]*\)), target (\([^()]*\))", note)
        if m:
            pred, tgt = pred or _shape_of(m.group(1)), tgt or _shape_of(m.group(2))
    return pred, tgt


def _tensor_shape(v) -> Optional[tuple]:
    shape = getattr(v, "shape", None)
    return tuple(shape) if shape is not None else None


def _models_giving(file_result, pred: tuple):
    """The ops of each checked model whose output has the shape the loss saw."""
    for m in getattr(file_result, "models", []):
        ops = m.program.ops
        if ops and _tensor_shape(ops[-1].output) == pred:
            yield ops


def _strides(layer: Layer, name: str, n: int) -> Optional[tuple]:
    v = layer.args.get(name)
    strides = (v,) * n if isinstance(v, int) else tuple(v or ())
    return strides if len(strides) == n and all(isinstance(x, int) for x in strides) else None


class _Abort(Exception):
    """The decoder is not the simple chain the repair understands."""


def _decoder_repair(file_result, pred: tuple, target_spatial: tuple, spatial, transposed, step, keeps):
    """(edits, first layer edited) making every strided transposed convolution on the way to the prediction
    multiply its size by its stride, when that lands exactly on ``target_spatial``; else None. ``spatial(shape)``
    picks a layout's spatial axes, ``transposed(kind)`` recognises the layer, ``step(layer, sizes, n)`` returns
    (edit or None, the sizes after it) and raises _Abort, ``keeps(shape_in, shape_out)`` accepts a layer between."""
    for ops in _models_giving(file_result, pred):
        first = next((i for i, op in enumerate(ops) if transposed(op.layer.kind)), None)
        if first is None:
            continue
        sizes = spatial(_tensor_shape(ops[first].inputs[0]) or ())
        edits, blamed = [], []
        try:
            for op in ops[first:]:
                shape_in, shape_out = _tensor_shape(op.inputs[0]) if op.inputs else None, _tensor_shape(op.output)
                if shape_in is None or shape_out is None or len(spatial(shape_in)) != len(sizes):
                    return None
                if transposed(op.layer.kind):
                    edit, sizes = step(op.layer, sizes, len(sizes))
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


def _torch_transpose_step(layer: Layer, sizes: tuple, n: int):
    """``output_padding`` that makes a ConvTranspose give size * stride on every axis (one value for all)."""
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
    edit = set_arg_edit(layer, "output_padding", str(pad)) if pad != (layer.args.get("output_padding") or 0) else None
    return edit, tuple(a * s_ for a, s_ in zip(sizes, strides))


def _keras_transpose_step(layer: Layer, sizes: tuple, n: int):
    """``padding="same"``: a Keras ConvTranspose then gives size * strides."""
    strides = _strides(layer, "strides", n)
    if strides is None or layer.args.get("output_padding") is not None:
        raise _Abort
    edit = set_arg_edit(layer, "padding", '"same"') if layer.args.get("padding") != "same" else None
    return edit, tuple(a * s_ for a, s_ in zip(sizes, strides))


def _output_padding_fix(d, file_result):
    """A decoder of stride-2 transposed convolutions that comes out a few pixels short of its target (25x25 for
    28x28): ``ConvTranspose2d(k=3, stride=2, padding=1)`` gives 2n-1, and ``output_padding=1`` makes it 2n."""
    pred, tgt = _loss_shapes(d)
    if not pred or not tgt or len(pred) != len(tgt) or len(pred) < 3 or pred[:2] != tgt[:2] or pred == tgt:
        return None
    found = _decoder_repair(file_result, pred, tgt[2:], lambda shape: tuple(shape[2:]),
                            lambda kind: kind.startswith("ConvTranspose"), _torch_transpose_step,
                            lambda a, b: a == b)  # only shape-keeping layers (activations, norms) between them
    if found is None:
        return None
    return found[0], "set `output_padding` so each transposed convolution multiplies the size by its stride", \
        found[1]


def _keras_decoder_fix(d, file_result):
    """The Keras form (channels last): an autoencoder whose ``Conv2DTranspose(strides=2)`` has
    ``padding="valid"``, 7 -> 15 where 14 was meant, gets ``padding="same"``."""
    out_label, labels_label = _label(d, "model output"), _label(d, "labels (")
    pred = _shape_of(out_label.text) if out_label else None
    tgt = _shape_of(labels_label.text) if labels_label else None
    if not pred or not tgt or len(pred) != len(tgt) or len(pred) < 3 or pred[1:] == tgt[1:] or pred[-1] != tgt[-1]:
        return None
    found = _decoder_repair(file_result, pred, tgt[1:-1], lambda shape: tuple(shape[1:-1]),
                            lambda kind: kind.endswith("Transpose"), _keras_transpose_step,
                            lambda a, b: a[1:-1] == b[1:-1])  # layers keeping the spatial size (convs with "same")
    if found is None:
        return None
    return found[0], 'set `padding="same"` so each strided transposed convolution multiplies the size by its ' \
        'stride', found[1]


_RNNS = ("LSTM", "GRU", "RNN")


def _last_step_fix(d, lines: list, file_result):
    """A PyTorch RNN's whole output sequence reaches the loss where one prediction per sample is needed (a
    sentiment classifier on ``self.fc(out)``): feed the layer after the RNN the last time step,
    ``out[:, -1]`` (``out[-1]`` without batch_first)."""
    pred, tgt = _loss_shapes(d)
    if not pred or not tgt or len(pred) != 3:
        return None
    for ops in _models_giving(file_result, pred):
        for i, op in enumerate(ops):
            if op.layer.kind not in _RNNS or not isinstance(op.layer.args.get("batch_first"), bool):
                continue
            first = op.layer.args["batch_first"]
            seq = getattr(op.output, "items", (None,))[0]
            seq_shape = _tensor_shape(seq)
            batch = pred[0] if first else pred[1]
            if seq_shape is None or len(seq_shape) != 3 or batch != tgt[0] or \
                    pred[1 if first else 0] != seq_shape[1 if first else 0]:
                continue
            user = next((o for o in ops[i + 1:] if o.inputs and o.inputs[0] is seq), None)
            spans = user.layer.extra.get("input_spans") if user is not None else None
            text = _source_text(spans[0], lines) if spans else None
            if text is None:
                return None
            step = "[:, -1]" if first else "[-1]"
            return Edit(spans[0], text + step), f"feed `{user.layer.label}` the last time step with `{step}`"
    return None


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
