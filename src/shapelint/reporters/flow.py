"""The shape-flow diagram (SVG) of one model for the HTML report and the notebook view: the input and every layer
as a node, the shape that flows between them on the edge, the failing layer in red and the root cause in amber.

Layout is one column in execution order (a PyTorch forward() or a Keras graph reads top to bottom as the code does);
an edge that skips nodes (a residual, a U-Net skip) is drawn as an arc on the left with its own shape. Long models
show the start, the end and the neighbourhood of the failure, with the elided layers counted."""
from __future__ import annotations

from html import escape

from ..core.values import Tensor, TensorTuple
from .text import model_input, short_line

ROW, BOX_H, BOX_W = 58, 32, 300
SKIP_ROOM = 170  # left of the nodes: the arcs of skip connections and their shapes
KEEP_AROUND, KEEP_ENDS, MAX_NODES = 8, 4, 40
CHAR_W, SMALL_W = 8.0, 6.7  # the width of a character of the node title (13px bold) and its subtitle (11px)
DATA_CODES = ("SHP304",)  # data vs the declared input: the diagram marks the input node
STYLE = {  # status -> (stroke, fill, text)
    "ok": ("#57606a", "#f6f8fa", "#1f2328"),
    "error": ("#cf222e", "#ffebe9", "#a40e26"),
    "cause": ("#bf8700", "#fff8c5", "#7d4e00"),
    "unknown": ("#8c959f", "#ffffff", "#6e7781"),
    "unsupported": ("#8c959f", "#ffffff", "#6e7781"),
    "input": ("#0969da", "#ddf4ff", "#0a3069"),
}


def _shape(v) -> str:
    return str(v) if isinstance(v, (Tensor, TensorTuple)) else "?"


def _producers(prog) -> list:
    """For each op, the indexes (-1: the model input) of the nodes its inputs come from, found by value identity;
    an input no op produced (a constant, a value shapelint rebuilt) is taken from the op just before."""
    made = {id(v): -1 for v in prog.inputs}
    out = []
    for i, op in enumerate(prog.ops):
        found = [made[id(v)] for v in op.inputs if id(v) in made]
        out.append(sorted(set(found)) or [i - 1])
        made[id(op.output)] = i
        if isinstance(op.output, TensorTuple):
            for item in op.output.items:
                made.setdefault(id(item), i)
    return out


def _contains(outer, inner) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and \
        (inner.end_line, inner.end_column) <= (outer.end_line, outer.end_column)


def _cause_index(m, diagnostics) -> tuple:
    """(failing op index, root-cause op index or -1 for the input or None, its label) from the model's diagnostics:
    the failing op is the one the error names; the cause is the op where the primary label or the fix points when
    that is another op, or the input when a data diagnostic points at no op."""
    prog = m.program
    failing = next((i for i, op in enumerate(prog.ops) if op.status == "error"), None)
    mine = [d for d in diagnostics if d.model == m.name and d.severity in ("error", "warning")]
    d = next((d for d in mine if d.layer == failing), mine[0] if mine else None)
    if d is None:
        return failing, None, ""
    if failing is None and d.layer is not None:
        failing = d.layer
    spans = [d.primary.span] if d.primary else []
    spans += [e.span for e in (d.fix.edits if d.fix else [])]
    failing_span = prog.ops[failing].layer.origin.span if failing is not None else None
    for target in spans:
        for i, op in enumerate(prog.ops):
            span = op.layer.origin.span
            # another run of the failing layer's own code (a block built twice) is not a separate cause
            if span is not None and i != failing and span != failing_span and _contains(span, target):
                return failing, i, d.primary.text if d.primary else ""
    if d.layer is None and d.code in DATA_CODES:  # the data fed does not fit the input: the input is the cause
        return failing, -1, d.primary.text if d.primary else ""
    return failing, None, d.primary.text if d.primary else ""


def _clip(text: str, room: float, char_w: float) -> str:
    n = int(room // char_w)
    return text if len(text) <= n else (text[: max(n - 1, 0)] + "…" if n > 0 else "")


def _fit(title: str, sub: str) -> tuple:
    """Title and subtitle clipped to the node's width (monospace, so characters measure it)."""
    title = _clip(title, BOX_W - 20, CHAR_W)
    return title, _clip(sub, BOX_W - 28 - len(title) * CHAR_W, SMALL_W)


def _visible(n: int, failing) -> list:
    if n <= MAX_NODES:
        return list(range(n))
    keep = set(range(KEEP_ENDS)) | set(range(n - KEEP_ENDS, n))
    if failing is not None:
        keep |= set(range(max(0, failing - KEEP_AROUND), min(n, failing + KEEP_AROUND + 1)))
    return sorted(keep)


def render_flow(m, diagnostics=(), path: str = "", line_map=None) -> str:
    prog = m.program
    failing, cause, cause_label = _cause_index(m, diagnostics)
    producers = _producers(prog)
    shown = _visible(len(prog.ops), failing)
    rows: list = [("input", -1)]
    for k, i in enumerate(shown):
        if k and i != shown[k - 1] + 1:
            rows.append(("gap", i - shown[k - 1] - 1))
        rows.append(("op", i))
    skips = any(p != i - 1 for i in shown for p in producers[i])
    left = 40 + (SKIP_ROOM if skips else 30)
    y_of = {}
    parts = []
    for r, (kind, i) in enumerate(rows):
        y = 14 + r * ROW
        if kind == "gap":
            parts.append(f'<text x="{left + BOX_W / 2}" y="{y + 20}" text-anchor="middle" class="gap">'
                         f"… {i} more layer{'s' if i != 1 else ''} …</text>")
            continue
        y_of[i] = y
        if i == -1:
            status, title, sub = "input", "input", (prog.input_note or "")
            shape_out = _shape(model_input(prog))
        else:
            op = prog.ops[i]
            status = "error" if i == failing else ("cause" if i == cause else op.status)
            title, sub = op.layer.label, op.layer.kind if op.layer.kind != op.layer.label else ""
            span = op.layer.origin.span
            if span is not None:
                where = f"cell {short_line(span.line, line_map)}" if line_map is not None else f"line {span.line}"
                sub = (sub + " · " if sub else "") + where
            shape_out = _shape(op.output)
        if i == cause == -1:
            status = "cause"
        title, sub = _fit(title, sub)
        stroke, fill, ink = STYLE.get(status, STYLE["ok"])
        dash = ' stroke-dasharray="4 3"' if status in ("unknown", "unsupported") else ""
        width = 3 if status in ("error", "cause") else 1.2
        parts.append(f'<g class="node {status}"><rect x="{left}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" '
                     f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/>'
                     f'<text x="{left + 10}" y="{y + 21}" fill="{ink}"><tspan class="t">{escape(title)}</tspan>'
                     f'<tspan class="s" dx="8">{escape(sub)}</tspan></text></g>')
        tag = {"error": "✗ fails here", "cause": "◆ root cause"}.get(status)
        if tag:
            detail = f": {cause_label}" if status == "cause" and cause_label else ""
            parts.append(f'<text x="{left + BOX_W + 14}" y="{y + 21}" class="tag" fill="{stroke}">'
                         f"{escape(_clip(tag + detail, 250, 7.3))}</text>")
        # the edge to the next row, labelled with this node's output shape
        nxt = rows[r + 1] if r + 1 < len(rows) else None
        if nxt is not None and nxt[0] == "op" and (-1 if i == -1 else i) in producers[nxt[1]]:
            y1, y2 = y + BOX_H, y + ROW
            parts.append(f'<line x1="{left + 40}" y1="{y1}" x2="{left + 40}" y2="{y2 - 2}" class="edge" '
                         f'marker-end="url(#arrow)"/>')
            bad = " bad" if nxt[1] == failing else ""
            parts.append(f'<text x="{left + 52}" y="{(y1 + y2) / 2 + 5}" class="shape{bad}">'
                         f"{escape(shape_out)}</text>")
    # edges that skip rows: arcs on the left
    for kind, i in rows:
        if kind != "op" or i not in y_of:
            continue
        for p in producers[i]:
            if p in y_of and p != -1 and rows.index(("op", p)) + 1 == rows.index(("op", i)):
                continue
            if p == -1 and rows[1] == ("op", i):
                continue
            if p not in y_of:
                continue
            y1, y2 = y_of[p] + BOX_H / 2, y_of[i] + BOX_H / 2
            bend = left - 18 - min(40, (y2 - y1) / ROW * 6)
            parts.append(f'<path d="M {left} {y1} C {bend} {y1}, {bend} {y2}, {left - 2} {y2}" class="edge skip" '
                         f'marker-end="url(#arrow)"/>')
            src = prog.ops[p].output if p >= 0 else None
            parts.append(f'<text x="{bend - 4}" y="{(y1 + y2) / 2}" class="shape skip" text-anchor="end">'
                         f"{escape(_shape(src))}</text>")
    height = 14 + len(rows) * ROW
    label = f"shape flow of {m.framework} model {m.name}" + (f" in {path}" if path else "")
    return (f'<svg class="flow" xmlns="http://www.w3.org/2000/svg" width="{left + BOX_W + 260}" height="{height}" '
            f'viewBox="0 0 {left + BOX_W + 260} {height}" role="img" aria-label="{escape(label)}">'
            '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#57606a"/></marker></defs>'
            "<style>text{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}"
            ".t{font-weight:600}.s{fill:#57606a;font-size:11px}.shape{fill:#0a3069;font-size:12px}"
            ".shape.bad{fill:#cf222e;font-weight:700}.tag{font-weight:700;font-size:12px}.gap{fill:#6e7781}"
            ".edge{stroke:#57606a;stroke-width:1.4;fill:none}.skip{stroke-dasharray:5 3}</style>"
            + "".join(parts) + "</svg>")
