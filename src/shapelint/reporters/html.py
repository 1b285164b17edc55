"""HTML: a standalone page (``check --format html``) and the notebook view (``Result._repr_html_``), rendered from
the same diagnostics as the text report: a summary (files, models, errors, warnings; one line per file), then per
file its models -- each a shape-flow diagram (flow.py) and a layer table titled with the file -- and each diagnostic
with its source excerpt (primary span underlined in the severity colour, secondary spans in blue), notes, help and
the lines as the fix leaves them. Notebooks show cells and lines in the cell. Self-contained: inline CSS scoped
under ``.shapelint``, inline SVG, no scripts, everything escaped."""
from __future__ import annotations

from html import escape

from .flow import render_flow
from .rows import table_rows
from .text import _FIX_HINT, _char_column, _fixed_blocks, _location, _shape, gutter, model_input, model_title, \
    short_line, summary_line

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
.shapelint .overview{border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;margin:4px 0 12px;background:#fff}
.shapelint .overview .counts{font-size:15px;font-weight:600}
.shapelint .overview .counts .n-error{color:#cf222e}.shapelint .overview .counts .n-warning{color:#9a6700}
.shapelint .overview ul{margin:6px 0 0 18px;padding:0}.shapelint .overview li{margin:1px 0}
.shapelint h1.file{font-size:16px;margin:18px 0 6px;padding-bottom:3px;border-bottom:1px solid #d0d7de}
.shapelint .model{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.shapelint svg.flow{max-width:100%;height:auto;background:#fff;border:1px solid #eaeef2;border-radius:6px}
"""


def _layers_table(m, path: str = "", line_map=None) -> str:
    prog = m.program
    inp = model_input(prog)
    rows = [f"<tr><td></td><td>input</td><td></td><td></td><td>{escape(_shape(inp))}"
            f"{escape(' from ' + prog.input_note) if prog.input_note else ''}</td><td></td></tr>"]
    folded = []
    for row in table_rows(prog.ops):  # long runs of identical layers fold into one row, as in the text report
        op = row.op
        rows.append(f'<tr class="{escape(op.status)}"><td class="num">{escape(row.index_text())}</td>'
                    f"<td>{escape(row.name_text())}</td><td>{escape(row.kind_text())}</td>"
                    f"<td class=\"num\">{escape(row.line_text(lambda n: short_line(n, line_map)))}</td>"
                    f"<td>{escape(_shape(op.output))}</td><td class=\"num\">{escape(row.params_text())}</td></tr>")
        if row.folded:
            folded.append(f'<div class="hint">{escape(row.fold_note())}</div>')
    title = escape(model_title(m, path, line_map)).replace(f"`{escape(m.name)}`", f"<code>{escape(m.name)}</code>")
    line_head = "cell:line" if line_map is not None else "line"
    return (f"<h2>{title}</h2><table class=\"layers\"><tr><th>#</th><th>layer</th><th>type</th><th>{line_head}</th>"
            f"<th>output shape</th><th>params</th></tr>{''.join(rows)}</table>{''.join(folded)}")


def _excerpt(d, lines: list, line_map=None) -> str:
    labels = sorted([(d.primary, "primary")] + [(l, "secondary") for l in d.secondary], key=lambda p: p[0].span.line)
    number = gutter(d, line_map)
    width = max(len(number(l.span.line)) for l, _ in labels)
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
        out.append(f'<span class="ln">{escape(number(s.line)):>{width}} | </span>{escape(src[:a])}'
                   f'<span class="{kind}">{escape(src[a:b])}</span>{escape(src[b:])}{note}')
    return "<pre>" + "\n".join(out) + "</pre>" if out else ""


def _fix_html(d, lines: list, line_map=None) -> str:
    blocks = _fixed_blocks(d.fix, lines)
    if not blocks:
        return ""
    number = gutter(d, line_map)
    width = max(len(number(n + t.count("\n"))) for n, t in blocks)
    rows = []
    for k, (lineno, text) in enumerate(blocks):
        if k:
            rows.append('<span class="ln">...</span>')
        rows += [f'<span class="ln">{escape(number(lineno + j)):>{width}} | </span><span class="fixed">{escape(part)}</span>'
                 for j, part in enumerate(text.split("\n"))]
    return "<pre>" + "\n".join(rows) + "</pre>"


def _diagnostic(d, lines: list, path: str, line_map) -> str:
    sev = escape(d.severity)
    parts = [f'<div class="diag {sev}"><div class="head"><span class="sev {sev}">{sev}[{escape(d.code)}]</span>: '
             f"{escape(d.message)}</div>"]
    if d.primary is not None:
        parts.append(f'<div class="loc">{escape(_location(path, d.primary.span, line_map))}'
                     f"{' · ' + escape(d.layer_name) if d.layer_name else ''}</div>")
        parts.append(_excerpt(d, lines, line_map))
    if d.notes:
        parts.append('<ul class="notes">' + "".join(f"<li>{escape(n)}</li>" for n in d.notes) + "</ul>")
    help_text = d.help or (d.fix.title if d.fix is not None else None)
    if help_text:
        how = _FIX_HINT.get(d.fix.applicability) if d.fix is not None and d.fix.edits else None
        parts.append(f'<div class="help"><b>help:</b> {escape(help_text)}'
                     f"{f' <span class=hint>({escape(how)})</span>' if how else ''}</div>")
        parts.append(_fix_html(d, lines, line_map))
    if d.severity in ("error", "warning"):
        parts.append(f'<div class="hint">run <code>shapelint explain {escape(d.code)}</code> for more</div>')
    parts.append("</div>")
    return "".join(parts)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _overview(result) -> str:
    """The summary at the top: the totals, then one line per file with its models and findings."""
    n_err = sum(1 for d in result.diagnostics if d.severity == "error")
    n_warn = sum(1 for d in result.diagnostics if d.severity == "warning")
    counts = (f'{_plural(len(result.files), "file")} · {_plural(len(result.models), "model")} · '
              f'<span class="n-error">{_plural(n_err, "error")}</span> · '
              f'<span class="n-warning">{_plural(n_warn, "warning")}</span>')
    items = []
    for k, f in enumerate(result.files):
        if f.error:
            items.append(f'<li><a href="#file-{k}">{escape(f.path)}</a>: <span class="sev error">'
                         f"{escape(f.error)}</span></li>")
            continue
        e = sum(1 for d in f.diagnostics if d.severity == "error")
        w = sum(1 for d in f.diagnostics if d.severity == "warning")
        models = ", ".join(f"<code>{escape(m.name)}</code>" for m in f.models) or "no model"
        items.append(f'<li><a href="#file-{k}">{escape(f.path)}</a> — {models}: '
                     f'{_plural(e, "error")}, {_plural(w, "warning")}</li>')
    return f'<div class="overview"><div class="counts">{counts}</div><ul>{"".join(items)}</ul></div>'


def render_model(m, f, show_flow: bool = True) -> str:
    table = _layers_table(m, f.path, f.line_map)
    if not show_flow or not m.program.ops:
        return table
    return f'<div class="model"><div>{table}</div>{render_flow(m, f.diagnostics, f.path, f.line_map)}</div>'


def render_body(result, show_tables: bool = True, summary: bool = True) -> str:
    out = [_overview(result)] if summary else []
    for k, f in enumerate(result.files):
        out.append(f'<h1 class="file" id="file-{k}">{escape(f.path)}</h1>')
        if f.error:
            out.append(f'<div class="diag error"><b>{escape(f.path)}</b>: {escape(f.error)}</div>')
            continue
        lines = (f.source or "").splitlines()
        if show_tables:
            out += [render_model(m, f) for m in f.models]
        out += [_diagnostic(d, lines, f.path, f.line_map) for d in f.diagnostics]
    out.append(f'<div class="summary">{escape(summary_line(result))}</div>')
    return "".join(out)


def render_explanation(explanation) -> str:
    """The notebook view of a run-time shape error's diagnosis (runtime.Explanation): the matched diagnostic first,
    then its model's flow and table; or the note that none matched."""
    if explanation.result is None or not explanation.diagnostics:
        return ('<div class="shapelint"><style>' + CSS + '</style><div class="diag info">'
                + "<br>".join(escape(n) for n in explanation.notes) + "</div></div>")
    f = explanation.result.files[0]
    d = explanation.diagnostics[0]
    lines = (f.source or "").splitlines()
    models = [render_model(m, f) for m in f.models if m.name == d.model]
    return (f'<div class="shapelint"><style>{CSS}</style><div class="head">shapelint: the cause of this error, '
            f"found statically in {escape(f.path)}</div>{_diagnostic(d, lines, f.path, f.line_map)}{''.join(models)}"
            "</div>")


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
