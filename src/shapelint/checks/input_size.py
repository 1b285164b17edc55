"""Input-size reasoning: when a layer's expectation depends on an input size (H, W, sequence length) that the code
leaves to the data, say which input sizes satisfy it -- "`Linear(400, 120)` fits 32x32 inputs; these are 28x28,
giving 256 features".

The failing run is replayed op by op (following each op's producers, so residual DAGs replay too) on inputs whose
spatial sizes are varied; a size "fits" when every op of the replay passes. The answer becomes a note on the existing
diagnostic; nothing new is reported.
"""
from __future__ import annotations

from typing import Optional

from ..core.dims import is_known
from ..core.infer import Inference
from ..core.program import Program
from ..core.values import Tensor, TensorTuple

_CODES = ("feature-count-mismatch", "reshape-size-mismatch", "matmul-shape-mismatch")
MAX_SIZE = 512


def annotate(ev, model) -> None:
    for run in model.runs:
        prog = run.program
        if len(prog.inputs) != 1 or not isinstance(prog.inputs[0], Tensor) or prog.inputs[0].shape is None:
            continue
        for d in run.inference.diagnostics:
            if d.name in _CODES and d.severity == "error" and d.layer is not None and \
                    not any(n.startswith("fits ") or " fits " in n for n in d.notes):
                note = _reason(ev, run, d.layer, model.framework)
                if note:
                    d.notes.append(note)
                    d.size_note = note


def _spatial_axes(shape: tuple, framework: str) -> Optional[list]:
    """The axes whose size comes from the images / sequences: H, W (or L), in the framework's layout."""
    r = len(shape)
    if r == 4:
        axes = [2, 3] if framework == "torch" else [1, 2]
    elif r == 3:
        axes = [2] if framework == "torch" else [1]
    else:
        return None
    if not all(is_known(shape[a]) for a in axes):
        return None
    if len(axes) == 2 and shape[axes[0]] != shape[axes[1]]:
        return None  # only square images are varied
    return axes


def _replay(ev, run, x: Tensor, stop: int) -> Optional[tuple]:
    """Replay ops 0..stop on input ``x``: (ok, input of op ``stop``) or None when the replay cannot follow."""
    inf = Inference(Program("<replay>", run.program.framework), ev.lines)
    mapping = {id(run.program.inputs[0]): x}
    ops = run.program.ops
    original = run.inference
    saved = [(op.layer, op.layer.params, dict(op.layer.extra), list(op.layer.warnings)) for op in ops[: stop + 1]]
    try:
        for op in ops[: stop + 1]:
            new_inputs = []
            for v in op.inputs:
                if id(v) in mapping:
                    new_inputs.append(mapping[id(v)])
                elif isinstance(v, Tensor) and original.producer_of(v) is None and v.shape is not None \
                        and not any(isinstance(d, str) or d is None for d in v.shape[1:]):
                    new_inputs.append(v)  # a constant tensor made inside the model (weights, masks)
                else:
                    return None
            if op.index == stop:
                return True, new_inputs[0] if new_inputs else None, inf, op, new_inputs
            n = len(inf.diagnostics)
            out = inf.apply(op.layer, new_inputs)
            if any(d.severity == "error" for d in inf.diagnostics[n:]) or inf.program.ops[-1].status != "ok":
                return False, None, inf, op, new_inputs
            mapping[id(op.output)] = out
            if isinstance(op.output, TensorTuple) and isinstance(out, TensorTuple):
                for a, b in zip(_flat(op.output), _flat(out)):
                    mapping[id(a)] = b
        return None
    finally:
        for layer, params, extra, warnings in saved:
            layer.params, layer.extra, layer.warnings = params, extra, warnings


def _flat(v):
    if isinstance(v, TensorTuple):
        for i in v.items:
            yield from _flat(i)
    else:
        yield v


def _fits(ev, run, x: Tensor, stop: int) -> Optional[bool]:
    got = _replay(ev, run, x, stop)
    if got is None:
        return None
    ok, inp, inf, op, new_inputs = got
    if not ok:
        return False
    n = len(inf.diagnostics)
    saved = (op.layer.params, dict(op.layer.extra), list(op.layer.warnings))
    try:
        inf.apply(op.layer, new_inputs)
    finally:
        op.layer.params, op.layer.extra, op.layer.warnings = saved
    return not any(d.severity == "error" for d in inf.diagnostics[n:]) and inf.program.ops[-1].status == "ok"


def _reason(ev, run, index: int, framework: str) -> Optional[str]:
    x = run.program.inputs[0]
    shape = tuple(x.shape)
    axes = _spatial_axes(shape, framework)
    if axes is None or index >= len(run.program.ops):
        return None
    op = run.program.ops[index]
    here = shape[axes[0]]
    fits = []
    for s in range(1, MAX_SIZE + 1):
        if s == here:
            continue
        new = list(shape)
        for a in axes:
            new[a] = s
        got = _fits(ev, run, Tensor(tuple(new), x.dtype), index)
        if got is None:
            return None
        if got:
            fits.append(s)
    if not fits:
        return None
    size = (lambda s: f"{s}x{s}") if len(axes) == 2 else (lambda s: f"length {s}")
    what = "images" if len(axes) == 2 else "sequences"
    ranges = []
    for s in fits:
        if ranges and ranges[-1][1] == s - 1:
            ranges[-1][1] = s
        else:
            ranges.append([s, s])
    parts = [size(a) if a == b else f"{size(a)} to {size(b)}" for a, b in ranges[:3]]
    listed = ", ".join(parts) + (", ..." if len(ranges) > 3 else "")
    received = op.inputs[0] if op.inputs else None
    giving = ""
    if isinstance(received, Tensor) and received.shape and is_known(received.shape[-1]) and len(received.shape) == 2:
        giving = f", giving {received.shape[-1]} features"
    return f"`{_layer_text(ev, op.layer)}` fits {what} of {listed}; these are {size(here)}{giving}"


def _layer_text(ev, layer) -> str:
    """The layer as the user wrote it (``nn.Linear(16 * 5 * 5, 120)``) when it fits on one line, else its name."""
    span = layer.origin.span
    if span is not None and span.line == span.end_line and 0 < span.line <= len(ev.lines):
        text = ev.lines[span.line - 1][span.column - 1: span.end_column - 1]
        if 0 < len(text) <= 60:
            return text
    return layer.label
