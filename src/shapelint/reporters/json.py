"""The JSON report: the stable contract in DESIGN.md (extend, never break)."""
from __future__ import annotations

import json as _json

from ..core.values import Tensor, TensorTuple, shape_json

VERSION = 1


def _first_input(op):
    if not op.inputs:
        return None
    v = op.inputs[0] if len(op.inputs) == 1 else TensorTuple(tuple(op.inputs))
    return shape_json(v)


def model_json(m, line_map=None) -> dict:
    prog = m.program
    layers = []
    for i, op in enumerate(prog.ops):
        span = op.layer.origin.span
        entry = {"index": i, "name": op.layer.label, "type": op.layer.kind,
                 "line": span.line if span else None,
                 "input": _first_input(op), "output": shape_json(op.output), "params": op.layer.params,
                 "status": op.status}
        if op.layer.origin.path:
            entry["path"] = op.layer.origin.path
        if span is not None:
            entry.update(_cell_fields(span.line, line_map))
        layers.append(entry)
    inp = prog.inputs[0] if len(prog.inputs) == 1 else (TensorTuple(tuple(prog.inputs)) if prog.inputs else None)
    out = {"name": m.name, "framework": m.framework, "line": m.line,
           "input": shape_json(inp) if isinstance(inp, (Tensor, TensorTuple)) else None,
           "input_source": prog.input_note,
           "output": shape_json(prog.output) if isinstance(prog.output, (Tensor, TensorTuple)) else None,
           "layers": layers}
    if m.uncertain:
        out["uncertain"] = True
    if m.line:
        out.update(_cell_fields(m.line, line_map))
    return out


def _cell_fields(line: int, line_map) -> dict:
    """Notebooks: the cell (counted from 1 over all cells) and the line in it, beside the line of the joined code."""
    cell = line_map.cell_of(line) if line_map is not None else None
    return {"cell": cell[0], "cell_line": cell[1]} if cell is not None else {}


def _span_fields(span, line_map=None) -> dict:
    return {"line": span.line, "column": span.column, "end_line": span.end_line, "end_column": span.end_column,
            **_cell_fields(span.line, line_map)}


def diagnostic_json(d, line_map=None) -> dict:
    out = {"code": d.code, "name": d.name, "severity": d.severity}
    if d.primary is not None:
        out.update(_span_fields(d.primary.span, line_map))
    else:
        out.update({"line": None, "column": None, "end_line": None, "end_column": None})
    out.update({"message": d.message, "model": d.model, "layer": d.layer, "layer_name": d.layer_name,
                "help": d.help})
    if d.expected is not None or d.received is not None:
        out["expected"], out["received"] = d.expected, d.received
    if d.primary is not None and d.primary.text:
        out["label"] = d.primary.text
    if d.secondary:
        out["related"] = [{**_span_fields(l.span, line_map), "message": l.text} for l in d.secondary]
    if d.notes:
        out["notes"] = list(d.notes)
    if d.cause:
        out["cause"] = d.cause
    if d.fix is not None:
        out["fix"] = {"applicability": d.fix.applicability, "title": d.fix.title,
                      "edits": [{**_span_fields(e.span, line_map), "text": e.text} for e in d.fix.edits]}
    return out


def to_json(result) -> dict:
    files = []
    for f in result.files:
        entry = {"path": f.path, "models": [model_json(m, f.line_map) for m in f.models],
                 "diagnostics": [diagnostic_json(d, f.line_map) for d in f.diagnostics]}
        if f.error:
            entry["error"] = f.error
        files.append(entry)
    return {"version": VERSION, "files": files}


def render_json(result) -> str:
    return _json.dumps(to_json(result), indent=1, default=str)
