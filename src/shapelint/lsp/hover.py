"""What hover shows: for a layer (where it is built or called) its type and the shapes in and out of every call; for
a tensor passed to a layer or op, its inferred shape. The innermost span under the cursor wins."""
from __future__ import annotations

from ..core.values import Tensor, TensorTuple
from ..diagnostics.fixes.text import char_column
from .positions import span_contains


def _shape(v) -> str:
    return str(v) if isinstance(v, (Tensor, TensorTuple)) else "unknown"


def _inputs(op) -> str:
    shapes = [_shape(v) for v in op.inputs]
    return shapes[0] if len(shapes) == 1 else "(" + ", ".join(shapes) + ")"


def hover_index(result, lines: list) -> list:
    """[(span, markdown)] for every layer and every tensor argument of the file's models."""
    layers: dict = {}  # span -> [model, layer label, kind, [in -> out per call]]
    tensors: dict = {}
    for m in result.models:
        for op in m.program.ops:
            layer = op.layer
            for span in {layer.origin.span, layer.extra.get("call_span")} - {None}:
                entry = layers.setdefault(span, [m.name, layer.label, layer.kind, []])
                flow = f"{_inputs(op)} → {_shape(op.output)}" + (" ✗" if op.status == "error" else "")
                if flow not in entry[3]:
                    entry[3].append(flow)
            for span, value in zip(layer.extra.get("input_spans") or [], op.inputs):
                if span is not None:
                    tensors.setdefault(span, set()).add(_shape(value))
    index = []
    for span, (model, label, kind, flows) in layers.items():
        name = f"`{label}` ({kind})" if label != kind else f"`{kind}`"
        body = "\n".join(f"- {f}" for f in flows)
        index.append((span, f"**{name}** in model `{model}`\n\n{body}"))
    for span, shapes in tensors.items():
        text = "tensor"
        if span.line == span.end_line and 0 < span.line <= len(lines):
            src = lines[span.line - 1]
            text = src[char_column(src, span.column) - 1: char_column(src, span.end_column) - 1]
        index.append((span, f"`{text}`: shape " + " or ".join(f"`{s}`" for s in sorted(shapes))))
    return index


def _size(span) -> tuple:
    return (span.end_line - span.line, span.end_column - span.column if span.line == span.end_line else 10 ** 6)


def hover_text(index: list, lines: list, line0: int, character: int):
    """(span, markdown) of the innermost indexed span at the LSP position, or None."""
    hits = [(span, text) for span, text in index if span_contains(lines, span, line0, character)]
    return min(hits, key=lambda h: _size(h[0])) if hits else None
