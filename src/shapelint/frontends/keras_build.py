"""Keras layer state shared by every Keras front-end (source, live model, saved config).

A Keras layer creates its weights once, on its first call, and then pins the parts of the input shape the weights
depend on in ``layer.input_spec`` (``Dense``: the last axis; convolutions: the channel axis; ``BatchNormalization``:
its ``axis`` and the rank). Calling the same layer object again -- a shared layer in a functional model, a lazily
built Sequential called a second time -- on an input that violates that spec raises. :func:`apply` runs the rule
and then checks and records this "built spec" on the :class:`Layer` (``layer.extra["built_spec"]``).

Sources: keras/src/layers/core/dense.py ``build``, layers/convolutional/base_conv.py ``build``,
layers/normalization/batch_normalization.py ``build`` (Keras 3.15).
"""
from __future__ import annotations

from typing import Optional

from ..core.dims import is_known
from ..core.errors import Mismatch
from ..core.program import UNRESOLVED, Layer, Span
from ..core.values import Tensor
from ..diagnostics.model import Label

_CONV = {"Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
         "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D", "DepthwiseConv2D",
         "Convolution1D", "Convolution2D", "Convolution3D", "Convolution2DTranspose", "Convolution3DTranspose",
         "SeparableConvolution1D", "SeparableConvolution2D"}
_CONV_LSTM = {"ConvLSTM1D": 1, "ConvLSTM2D": 2, "ConvLSTM3D": 3}


def built_spec(layer: Layer, x: Tensor) -> Optional[dict]:
    """The input spec a layer pins when it is built on ``x``: ``{"ndim": n | None, "axes": {axis: size}, "what":
    "input features" | "input channels" | ...}``, or None when the layer pins nothing (or ``x`` is unknown)."""
    shape = x.shape if isinstance(x, Tensor) else None
    if shape is None or not shape:
        return None
    kind, rank = layer.kind, len(shape)
    args = layer.args
    if kind == "Dense":
        return {"ndim": None, "axes": {-1: shape[-1]}, "what": "input features"} if is_known(shape[-1]) else None
    if kind in _CONV:
        fmt = args.get("data_format")
        if fmt not in (None, "channels_last", "channels_first"):
            return None  # unknown layout: which axis is pinned is unknown
        channel_axis = 1 if fmt == "channels_first" else -1
        if rank < 2 or not is_known(shape[channel_axis]):
            return None
        return {"ndim": None, "axes": {channel_axis: shape[channel_axis]}, "what": "input channels"}
    if kind in ("BatchNormalization", "GroupNormalization"):
        axis = args.get("axis", -1)
        if not isinstance(axis, int) or isinstance(axis, bool) or not -rank <= axis < rank:
            return None
        axes = {axis: shape[axis]} if is_known(shape[axis]) else {}
        return {"ndim": rank, "axes": axes, "what": "axis size"}
    if kind == "EinsumDense":
        return {"ndim": rank, "axes": {}, "what": "rank"}
    if kind in _CONV_LSTM:
        axes = {i: d for i, d in enumerate(shape) if i > 0 and is_known(d)}
        return {"ndim": rank, "axes": axes, "what": "shape"}
    if kind == "PReLU":
        shared = args.get("shared_axes")
        if shared is UNRESOLVED:
            return None
        shared = [shared] if isinstance(shared, int) else list(shared or [])
        axes = {i: shape[i] for i in range(1, rank) if i not in shared and is_known(shape[i])}
        return {"ndim": rank, "axes": axes, "what": "shape"}
    return None


def rebuild_mismatch(layer: Layer, x: Tensor, spec: dict) -> Optional[Mismatch]:
    """A Mismatch when ``x`` violates the spec the layer was built with (Keras' assert_input_compatibility)."""
    shape = x.shape if isinstance(x, Tensor) else None
    if shape is None:
        return None
    rank = len(shape)
    built = spec.get("input")
    where = spec.get("where")
    facts = dict(built_shape=built, first_call=f" (first called at line {where})" if where else "")
    if spec.get("ndim") is not None and rank != spec["ndim"]:
        return Mismatch("layer-reused-with-different-input", expected=spec["ndim"], received=rank,
                        received_shape=shape, what="rank", **facts)
    for axis, size in spec.get("axes", {}).items():
        if not -rank <= axis < rank:
            return Mismatch("layer-reused-with-different-input", expected=len(built) if built else None,
                            received=rank, received_shape=shape, what="rank", **facts)
        got = shape[axis]
        if is_known(got) and is_known(size) and got != size:
            return Mismatch("layer-reused-with-different-input", expected=size, received=got, received_shape=shape,
                            what=f"axis {axis} size" if spec.get("what") == "shape" else spec.get("what"), **facts)
    return None


def apply(inference, layer: Layer, inputs: list, call_span: Optional[Span] = None, uncertain: bool = False,
          site: Optional[Span] = None, record: bool = True):
    """Apply a Keras layer through ``inference`` and enforce / record the spec its first build pins.

    ``call_span`` locates this application (the source of ``layer(x)``); ``site`` the call that caused it when the
    layer is applied as part of a model (``model(x)``). ``uncertain`` means the application may not happen at run
    time (an unknown branch): then nothing is recorded and no error is reported for it. ``record=False`` checks
    against an earlier build but does not record this one (a model whose structure is uncertain).
    """
    site = site or call_span
    first = inputs[0] if inputs else None
    spec = layer.extra.get("built_spec")
    n_before = len(inference.diagnostics)
    out = inference.apply(layer, inputs, call_span=call_span)
    op = inference.program.ops[-1]
    if uncertain:
        _drop_errors(inference, op, n_before)
        if op.status == "error":
            op.status = "unknown"
        return out
    _point_at_the_call(inference, layer, n_before, call_span, inputs)
    if len(inputs) != 1 or not isinstance(first, Tensor):
        return out
    if spec is not None:
        m = rebuild_mismatch(layer, first, spec)
        if m is not None and op.status != "error":
            op.status = "error"
            inference.report(m, op)
            d = inference.diagnostics[-1]
            file = d.file or layer.origin.file
            d.notes = []
            d.secondary = [Label(spec["site"], f"first called here, on {Tensor(spec['input'])}", file)] \
                if spec.get("site") is not None and spec["site"] != site else []
            built = layer.origin.span
            if built is not None and all(built.line != s.line for s in (spec.get("site"), site) if s is not None):
                d.secondary.append(Label(built, f"`{layer.kind}` built here", file))
            if site is not None:
                d.primary = Label(site, f"called with {first}", file)
    elif op.status == "ok" and record:
        new = built_spec(layer, first)
        if new is not None:
            new["input"] = first.shape
            new["where"] = site.line if site is not None else None
            new["site"] = site
            layer.extra["built_spec"] = new
    return out


def _point_at_the_call(inference, layer: Layer, n_before: int, call_span: Optional[Span], inputs: list) -> None:
    """A layer built on one line and called on another (``conv = Conv2D(...)`` ... ``x = conv(inp)``): Keras raises
    at the call, so an error points there; the line that built the layer keeps a label (with what its argument
    expects, when an argument set the expectation -- that is where a fix edits)."""
    built = layer.origin.span
    if call_span is None or built is None or call_span.line == built.line:
        return
    shapes = ", ".join(str(v) for v in inputs) if len(inputs) != 1 else str(inputs[0])
    for d in inference.diagnostics[n_before:]:
        if d.severity != "error" or d.primary is None or d.primary.span.line == call_span.line:
            continue
        file = d.primary.file
        text = d.primary.text or f"`{layer.kind}` built here"
        d.secondary = [lab for lab in d.secondary if lab.span.line != call_span.line]
        d.secondary.insert(0, Label(d.primary.span, text, file))
        d.primary = Label(call_span, f"Keras raises here, in the call on {shapes}", file)


def _drop_errors(inference, op, n_before: int) -> None:
    """Forget errors and warnings of an op that may not run (info diagnostics stay)."""
    fresh = inference.diagnostics[n_before:]
    keep = [d for d in fresh if d.severity == "info"]
    del inference.diagnostics[n_before:]
    inference.diagnostics.extend(keep)
    op.diagnostics[:] = [d for d in op.diagnostics if d.severity == "info"]
