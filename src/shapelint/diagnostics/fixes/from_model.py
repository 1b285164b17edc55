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


def _output_padding_fix(d, file_result):
    """A decoder of stride-2 transposed convolutions that comes out a few pixels short of its target (25x25 for
    28x28): ``ConvTranspose2d(k=3, stride=2, padding=1)`` gives 2n-1, and ``output_padding=1`` makes it 2n. Each
    transposed convolution on the way to the prediction is set to multiply its size by its stride; the fix is
    offered only when that lands exactly on the target's size."""
    pred, tgt = _loss_shapes(d)
    if not pred or not tgt or len(pred) != len(tgt) or len(pred) < 3 or pred[:2] != tgt[:2] or pred == tgt:
        return None
    for m in getattr(file_result, "models", []):
        ops = m.program.ops
        if not ops or _tensor_shape(ops[-1].output) != pred:
            continue
        first = next((i for i, op in enumerate(ops) if op.layer.kind.startswith("ConvTranspose")), None)
        if first is None:
            continue
        size = list(_tensor_shape(ops[first].inputs[0]) or ())
        edits, blamed = [], []
        for op in ops[first:]:
            shape_in, shape_out = _tensor_shape(op.inputs[0]) if op.inputs else None, _tensor_shape(op.output)
            if shape_in is None or shape_out is None:
                return None
            if op.layer.kind.startswith("ConvTranspose"):
                stride = op.layer.args.get("stride")
                n = len(shape_in) - 2
                strides = (stride,) * n if isinstance(stride, int) else tuple(stride or ())
                if len(strides) != n or not all(isinstance(v, int) for v in strides):
                    return None
                new = [size[0], shape_out[1]] + [a * s for a, s in zip(size[2:], strides)]
                pads = set()
                for axis, (a, stride_a) in enumerate(zip(size[2:], strides)):
                    k, p = _conv_t_axis(op.layer, axis)
                    if k is None or op.layer.args.get("dilation") not in (1, (1,) * n, None):
                        return None
                    pads.add(a * stride_a - ((a - 1) * stride_a - 2 * p + k))  # wanted minus natural size
                if len(pads) != 1 or not 0 <= min(pads) < max(strides):
                    return None
                pad = pads.pop()
                if pad != (op.layer.args.get("output_padding") or 0):
                    edits.append(set_arg_edit(op.layer, "output_padding", str(pad)))
                    blamed.append(op.layer)
                size = new
            elif shape_in != shape_out:  # only shape-keeping layers (activations, norms) between them
                return None
        if tuple(size[1:]) == tuple(tgt[1:]) and edits and all(e is not None for e in edits):
            return edits, "set `output_padding` so each transposed convolution multiplies the size by its stride", \
                blamed[0]
    return None


def _keras_decoder_fix(d, file_result):
    """The Keras form of the decoder that misses its target (an autoencoder whose ``Conv2DTranspose(strides=2)``
    has ``padding="valid"``, 7 -> 15 where 14 was meant): ``padding="same"`` makes each strided transposed
    convolution multiply the size by its stride; offered only when that lands exactly on the targets' size."""
    out_label, labels_label = _label(d, "model output"), _label(d, "labels (")
    pred = _shape_of(out_label.text) if out_label else None
    tgt = _shape_of(labels_label.text) if labels_label else None
    if not pred or not tgt or len(pred) != len(tgt) or len(pred) < 3 or pred[1:] == tgt[1:] or pred[-1] != tgt[-1]:
        return None
    for m in getattr(file_result, "models", []):
        ops = m.program.ops
        if not ops or _tensor_shape(ops[-1].output) != pred:
            continue
        first = next((i for i, op in enumerate(ops) if op.layer.kind.endswith("Transpose")), None)
        if first is None:
            continue
        size = list(_tensor_shape(ops[first].inputs[0]) or ())
        edits, blamed = [], []
        for op in ops[first:]:
            shape_in, shape_out = _tensor_shape(op.inputs[0]) if op.inputs else None, _tensor_shape(op.output)
            if shape_in is None or shape_out is None or len(shape_in) != len(size):
                return None
            if op.layer.kind.endswith("Transpose"):
                strides = op.layer.args.get("strides")
                n = len(shape_in) - 2
                strides = (strides,) * n if isinstance(strides, int) else tuple(strides or ())
                if len(strides) != n or not all(isinstance(v, int) for v in strides) or \
                        op.layer.args.get("output_padding") is not None:
                    return None
                if op.layer.args.get("padding") != "same":
                    edits.append(set_arg_edit(op.layer, "padding", '"same"'))
                    blamed.append(op.layer)
                size = [size[0]] + [a * s_ for a, s_ in zip(size[1:-1], strides)] + [shape_out[-1]]
            elif shape_in[1:-1] == shape_out[1:-1]:  # layers that keep the spatial size (convs with "same", norms)
                size = size[:-1] + [shape_out[-1]]
            else:
                return None
        if tuple(size[1:]) == tuple(tgt[1:]) and edits and all(e is not None for e in edits):
            return edits, 'set `padding="same"` so each strided transposed convolution multiplies the size by its ' \
                'stride', blamed[0]
    return None


_RNNS = ("LSTM", "GRU", "RNN")


def _last_step_fix(d, lines: list, file_result):
    """A PyTorch RNN's whole output sequence reaches the loss where one prediction per sample is needed (a
    sentiment classifier on ``self.fc(out)``): feed the layer after the RNN the last time step,
    ``out[:, -1]`` (``out[-1]`` without batch_first)."""
    pred, tgt = _loss_shapes(d)
    if not pred or not tgt or len(pred) != 3:
        return None
    for m in getattr(file_result, "models", []):
        ops = m.program.ops
        if not ops or _tensor_shape(ops[-1].output) != pred:
            continue
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
