"""Turn a rule's Mismatch into a Diagnostic: code lookup, wording, labels (primary on the exact argument,
secondary where the received shape came from) and a short shape trace as a note."""
from __future__ import annotations

from typing import Optional

from ..core.dims import fmt_shape
from ..core.errors import Mismatch
from ..core.values import Tensor
from . import codes, wording
from .model import Diagnostic, Label


def _shape_str(value) -> str:
    return str(value) if value is not None else "?"


def _trace_name(layer) -> str:
    """A layer's name for the shape trace; children of an nn.Sequential are named by index (``0``, ``features.3``),
    which says nothing on its own, so the class is added: ``features.3:Conv2d``."""
    name = layer.label
    return f"{name}:{layer.kind}" if name.rsplit(".", 1)[-1].isdigit() else name


def trace_note(history: list, limit: int = 5) -> Optional[str]:
    """``conv2d (None, 26, 26, 32) · max_pooling2d (None, 13, 13, 32) · ...`` for the last few ops."""
    if not history:
        return None
    parts = [f"{_trace_name(op.layer)} → {_shape_str(op.output)}" for op in history[-limit:]]
    more = "… · " if len(history) > limit else ""
    return "shapes before it: " + more + " · ".join(parts)


_MERGES = frozenset({"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"})


def diagnostic_for(m: Mismatch, op, program, producer, source_lines: list, severity: Optional[str] = None,
                   history: Optional[list] = None) -> Diagnostic:
    code = codes.lookup(m.code)
    if code is None:  # an unknown code name is a bug in a rule; still say something useful
        code = codes.lookup("internal-error")
    layer = op.layer if op is not None else None
    facts = dict(m.facts)
    facts.setdefault("kind", layer.kind if layer else "")
    facts.setdefault("name", layer.label if layer else "")
    facts.setdefault("model", program.name if program else "")
    facts["arg"] = m.arg if m.arg is not None else facts.get("arg")
    facts["expected"] = m.expected
    facts["received"] = m.received
    if "received_shape" not in facts and op is not None and op.inputs:
        facts["received_shape"] = op.inputs[0] if len(op.inputs) == 1 else ", ".join(str(v) for v in op.inputs)
    message, help_text = wording.render(code.name, facts)

    file = layer.origin.file if layer else (program.origin.file if program else None)
    primary = None
    if layer is not None:
        span = layer.arg_spans.get(m.arg) if m.arg else None
        text = f"expects {m.expected}" if (span is not None and m.expected is not None) else ""
        if span is None and layer.kind in _MERGES and layer.extra.get("in_call_method") and \
                layer.extra.get("call_span") is not None:
            span = layer.extra["call_span"]  # a merge in a subclass: where call() joins the inputs, not `Add()`
        span = span or layer.origin.span
        if span is not None:
            primary = Label(span, text, file)
    elif program is not None and program.origin.span is not None:
        primary = Label(program.origin.span, "", file)

    secondary = []
    call_span = layer.extra.get("call_span") if layer and code.severity != "info" else None
    if call_span is not None and (primary is None or call_span.line != primary.span.line):
        secondary.append(Label(call_span, f"called here with {_shape_str(op.inputs[0]) if op.inputs else '?'}", file))
    elif (producer is not None and producer.origin.span is not None and op is not None and op.inputs
          and code.severity != "info"):
        if primary is None or producer.origin.span.line != primary.span.line:
            secondary.append(Label(producer.origin.span, f"produces {_shape_str(op.inputs[0])}", file))

    notes = []
    if code.severity != "info" and history:
        note = trace_note(history)
        if note:
            notes.append(note)
    notes.extend(m.facts.get("notes", []) if isinstance(m.facts.get("notes"), list) else [])

    return Diagnostic(code=code.code, name=code.name, severity=severity or code.severity, message=message,
                      file=file, primary=primary, secondary=secondary, notes=notes, help=help_text,
                      model=program.name if program else None, layer=op.index if op is not None else None,
                      layer_name=layer.label if layer else None,
                      expected=_jsonable(m.expected), received=_jsonable(m.received))


def _jsonable(v):
    if isinstance(v, Tensor):
        return list(v.shape) if v.shape is not None else None
    if isinstance(v, tuple):
        return list(v)
    if v is None or isinstance(v, (int, float, str, bool, list)):
        return v
    return str(v)


__all__ = ["diagnostic_for", "trace_note", "fmt_shape"]
