"""HTML: a standalone page (``check --format html``) and the notebook view (``Result._repr_html_``), rendered from
the same diagnostics as the text report: layer tables with the failing layer marked, then each diagnostic with its
source excerpt (primary span underlined in the severity colour, secondary spans in blue), notes, help and the lines
as the fix leaves them. Self-contained: inline CSS scoped under ``.shapelint``, no scripts, everything escaped."""
from __future__ import annotations

from html import escape

from .rows import table_rows
from .text import _FIX_HINT, _char_column, _fixed_blocks, _location, _shape, summary_line

CSS = """
.shapelint{font-family:system-ui,-apple-system,Segoe UI,sans-serif;font-size:14px;line-height:1.45;color:#1f2328}
.shapelint h2{font-size:15px;margin:14px 0 6px}
.shapelint table.layers{border-collapse:collapse;margin:4px 0 12px;font-size:13px}
.shapelint table.layers th,.shapelint table.layers td{padding:2px 10px;text-align:left;border-bottom:1px solid #d0d7de}
.shapelint table.layers td.num{text-align:right;font-variant-numeric:tabular-nums}
.shapelint tr.error td{background:#ffebe9;color:#a40e26}
.shapelint tr.unknown td,.shapelint tr.unsupported td{color:#6e7781}
.shapelint .diag{border-left:4px solid #6e7781;padding:6px 10px;margin:10px 0;background:#f6f8fa}
.shapelint .diag.error{border-color:#cf222e}.shapelint .diag.warning{border-color:#bf8700}
.shapelint .diag.info{border-color:#0969da}
.shapelint .head{font-weight:600}
.shapelint .sev.error{color:#cf222e}.shapelint .sev.warning{color:#9a6700}.shapelint .sev.info{color:#0969da}
.shapelint .loc{color:#57606a;font-size:12px}
.shapelint pre{margin:4px 0;padding:6px 8px;background:#fff;border:1px solid #d0d7de;overflow-x:auto;
 font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.shapelint .ln{color:#8c959f;user-select:none}
.shapelint .primary{text-decoration:underline wavy;text-decoration-color:#cf222e;background:#ffebe9}
.shapelint .warning .primary{text-decoration-color:#bf8700;background:#fff8c5}
.shapelint .info .primary{text-decoration-color:#0969da;background:#ddf4ff}
.shapelint .secondary{text-decoration:underline;text-decoration-color:#0969da}
.shapelint .label{color:#57606a;font-style:italic}
.shapelint .fixed{background:#dafbe1}
.shapelint ul.notes{margin:4px 0 4px 18px;padding:0;color:#424a53}
.shapelint .help{margin-top:4px}.shapelint .help b{color:#1a7f37}
.shapelint .hint{color:#6e7781;font-size:12px}
.shapelint .summary{margin-top:12px;color:#424a53}
"""


def _layers_table(m) -> str:
    prog = m.program
    inp = prog.inputs[0] if len(prog.inputs) == 1 else None
    rows = [f"<tr><td></td><td>input</td><td></td><td></td><td>{escape(_shape(inp))}"
            f"{escape(' from ' + prog.input_note) if prog.input_note else ''}</td><td></td></tr>"]
    folded = []
    for row in table_rows(prog.ops):  # long runs of identical layers fold into one row, as in the text report
        op = row.op
        rows.append(f'<tr class="{escape(op.status)}"><td class="num">{escape(row.index_text())}</td>'
                    f"<td>{escape(row.name_text())}</td><td>{escape(row.kind_text())}</td>"
                    f"<td class=\"num\">{escape(row.line_text())}</td><td>{escape(_shape(op.output))}</td>"
                    f"<td class=\"num\">{escape(row.params_text())}</td></tr>")
        if row.folded:
            folded.append(f'<div class="hint">{escape(row.fold_note())}</div>')
    title = f"{m.framework} model <code>{escape(m.name)}</code>" + (f" (line {m.line})" if m.line else "")
    return (f"<h2>{title}</h2><table class=\"layers\"><tr><th>#</th><th>layer</th><th>type</th><th>line</th>"
            f"<th>output shape</th><th>params</th></tr>{''.join(rows)}</table>{''.join(folded)}")


def _excerpt(d, lines: list) -> str:
    labels = sorted([(d.primary, "primary")] + [(l, "secondary") for l in d.secondary], key=lambda p: p[0].span.line)
    width = len(str(max(l.span.line for l, _ in labels)))
    out, previous = [], None
    for label, kind in labels:
        s = label.span
        if not (0 < s.line <= len(lines)):
            continue
        if previous is not None and s.line > previous + 1:
            out.append('<span class="ln">...</span>')
        previous = s.line
        src = lines[s.line - 1]
        a = _char_column(src, s.column) - 1
        b = _char_column(src, s.end_column) - 1 if s.end_line == s.line else len(src.rstrip())
        b = max(b, a + 1)
        note = f'  <span class="label">← {escape(label.text)}</span>' if label.text else ""
        out.append(f'<span class="ln">{s.line:>{width}} | </span>{escape(src[:a])}'
                   f'<span class="{kind}">{escape(src[a:b])}</span>{escape(src[b:])}{note}')
    return "<pre>" + "\n".join(out) + "</pre>" if out else ""


def _fix_html(d, lines: list) -> str:
    blocks = _fixed_blocks(d.fix, lines)
    if not blocks:
        return ""
    width = max(len(str(n + t.count("\n"))) for n, t in blocks)
    rows = []
    for k, (lineno, text) in enumerate(blocks):
        if k:
            rows.append('<span class="ln">...</span>')
        rows += [f'<span class="ln">{lineno + j:>{width}} | </span><span class="fixed">{escape(part)}</span>'
                 for j, part in enumerate(text.split("\n"))]
    return "<pre>" + "\n".join(rows) + "</pre>"


def _diagnostic(d, lines: list, path: str, line_map) -> str:
    sev = escape(d.severity)
    parts = [f'<div class="diag {sev}"><div class="head"><span class="sev {sev}">{sev}[{escape(d.code)}]</span>: '
             f"{escape(d.message)}</div>"]
    if d.primary is not None:
        parts.append(f'<div class="loc">{escape(_location(path, d.primary.span, line_map))}'
                     f"{' · ' + escape(d.layer_name) if d.layer_name else ''}</div>")
        parts.append(_excerpt(d, lines))
    if d.notes:
        parts.append('<ul class="notes">' + "".join(f"<li>{escape(n)}</li>" for n in d.notes) + "</ul>")
    help_text = d.help or (d.fix.title if d.fix is not None else None)
    if help_text:
        how = _FIX_HINT.get(d.fix.applicability) if d.fix is not None and d.fix.edits else None
        parts.append(f'<div class="help"><b>help:</b> {escape(help_text)}'
                     f"{f' <span class=hint>({escape(how)})</span>' if how else ''}</div>")
        parts.append(_fix_html(d, lines))
    if d.severity in ("error", "warning"):
        parts.append(f'<div class="hint">run <code>shapelint explain {escape(d.code)}</code> for more</div>')
    parts.append("</div>")
    return "".join(parts)


def render_body(result, show_tables: bool = True) -> str:
    out = []
    for f in result.files:
        if f.error:
            out.append(f'<div class="diag error"><b>{escape(f.path)}</b>: {escape(f.error)}</div>')
            continue
        lines = (f.source or "").splitlines()
        if show_tables:
            out += [_layers_table(m) for m in f.models]
        out += [_diagnostic(d, lines, f.path, f.line_map) for d in f.diagnostics]
    out.append(f'<div class="summary">{escape(summary_line(result))}</div>')
    return "".join(out)


def render_notebook(result) -> str:
    """The notebook view: a fragment with its own scoped style."""
    return f'<div class="shapelint"><style>{CSS}</style>{render_body(result)}</div>'


def render_html(result, standalone: bool = True) -> str:
    if not standalone:
        return render_notebook(result)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>shapelint report</title><style>{CSS}</style></head>"
            f"<body><div class=\"shapelint\">{render_body(result)}</div></body></html>")
