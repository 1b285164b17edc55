"""The terminal report: per model a layer table that survives the error (failing layer marked), then each
diagnostic rustc-style -- headline, source excerpt with labels, notes, help. Colour through ``rich`` on a terminal;
plain text when piped or with NO_COLOR."""
from __future__ import annotations

import io
import os
from typing import Optional

from ..core.values import Tensor, TensorTuple
from ..diagnostics.fixes.text import char_column

_SEV_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
_FIX_HINT = {"safe": "safe fix: `shapelint check --fix`",
             "unsafe": "unsafe fix: `shapelint check --fix --unsafe-fixes`"}
_MARK = {"error": "✗", "unsupported": "?", "unknown": "?", "ok": " "}


def _shape(v) -> str:
    if isinstance(v, (Tensor, TensorTuple)):
        return str(v)
    return "?"


def _console(file, color: bool):
    from rich.console import Console
    # soft_wrap: never break a source line or a label; the terminal wraps if it must
    return Console(file=file, force_terminal=color, no_color=not color, width=110 if not color else None,
                   highlight=False, soft_wrap=True)


def model_input(prog):
    """The model's input for the table: one tensor, or all of them for a multi-input model (``model(a, b)``)."""
    if len(prog.inputs) > 1 and all(isinstance(v, (Tensor, TensorTuple)) for v in prog.inputs):
        return TensorTuple(tuple(prog.inputs))
    return prog.inputs[0] if len(prog.inputs) == 1 else None


def is_live(path) -> bool:
    """A live model object's result (``<keras model cnn>``, ``<torch module Net>``), not a file."""
    return bool(path) and path.startswith(("<keras model", "<torch module"))


def model_title(m, path=None, line_map=None) -> str:
    """``keras model `model` (train.py:6)``: every table names its file, so a folder's report reads unambiguously."""
    if is_live(path):
        return f"{m.framework} model `{m.name}` (live object)"
    where = line_label(path, m.line, line_map) if m.line else path
    return f"{m.framework} model `{m.name}`" + (f" ({where})" if where else "")


def line_label(path, line: int, line_map=None, column=None) -> str:
    """``train.py:14:30``, or for a notebook ``nb.ipynb: cell 5, line 2:30``; ``line 14`` without a path."""
    col = f":{column}" if column is not None else ""
    cell = line_map.cell_of(line) if line_map is not None else None
    if cell is not None:
        return f"{path + ': ' if path else ''}cell {cell[0]}, line {cell[1]}{col}"
    return f"{path}:{line}{col}" if path else f"line {line}{col}"


def short_line(line: int, line_map=None) -> str:
    """The line column of a table: ``14``, or ``5:2`` (cell 5, line 2) in a notebook."""
    cell = line_map.cell_of(line) if line_map is not None else None
    return f"{cell[0]}:{cell[1]}" if cell is not None else str(line)


def render_model_table(console, m, path=None, line_map=None) -> None:
    from rich.table import Table
    from rich.text import Text
    prog = m.program
    inp = model_input(prog)
    src = f" from {prog.input_note}" if prog.input_note else ""
    title = model_title(m, path, line_map)
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False, box=None,
                  header_style="bold")
    table.add_column("", width=1)
    table.add_column("#", justify="right")
    table.add_column("layer")
    table.add_column("type")
    table.add_column("cell:line" if line_map is not None else "line", justify="right")
    table.add_column("output shape")
    table.add_column("params", justify="right")
    table.add_row("", "", "input", "", "", _shape(inp) + src, "")
    for i, op in enumerate(prog.ops):
        mark = _MARK.get(op.status, " ")
        style = "red" if op.status == "error" else ("dim" if op.status in ("unknown", "unsupported") else "")
        span = op.layer.origin.span
        table.add_row(Text(mark, style="red" if mark == "✗" else ""), str(i), Text(op.layer.label, style=style),
                      op.layer.kind, short_line(span.line, line_map) if span else "",
                      Text(_shape(op.output), style=style),
                      f"{op.layer.params:,}" if op.layer.params is not None else "")
    console.print(table)
    console.print()


def _location(path: str, span, line_map) -> str:
    return line_label(path, span.line, line_map, span.column)


def gutter(d, line_map=None):
    """The gutter numbers of a diagnostic's excerpt: the file's lines, or in a notebook the lines of the cell (with
    ``[cell]`` in front when the excerpt spans several cells)."""
    if line_map is None:
        return str
    lines = ([d.primary.span.line] if d.primary else []) + [l.span.line for l in d.secondary]
    cells = {(line_map.cell_of(n) or (None, n))[0] for n in lines}

    def number(line: int) -> str:
        cell, n = line_map.cell_of(line) or (None, line)
        return f"[{cell}] {n}" if len(cells) > 1 and cell is not None else str(n)
    return number


def render_diagnostic(console, d, lines: list, path: str, line_map=None) -> None:
    from rich.text import Text
    head = Text()
    head.append(f"{d.severity}[{d.code}]", style=_SEV_STYLE.get(d.severity, "bold"))
    head.append(f": {d.message}", style="bold")
    console.print(head)
    if d.primary is None:  # live models have no source: notes carry the module path and shapes
        for note in d.notes:
            console.print(Text("  = ", style="bold blue") + Text("note: ", style="bold") + Text(note))
        if d.help:
            console.print(Text("help: ", style="bold cyan") + Text(d.help))
        console.print()
        return
    blocks = _fixed_blocks(d.fix, lines)
    number = gutter(d, line_map)
    shown = [d.primary.span.line] + [l.span.line for l in d.secondary]
    w = max([len(number(n)) for n in shown] + [len(number(n + t.count("\n"))) for n, t in blocks])
    pad = " " * w
    console.print(Text(f"{pad}--> ", style="bold blue") + Text(_location(path, d.primary.span, line_map)))
    console.print(Text(f"{pad} |", style="bold blue"))
    labels = sorted([(d.primary, True)] + [(l, False) for l in d.secondary], key=lambda p: p[0].span.line)
    previous = None
    for label, primary in labels:
        s = label.span
        if not (0 < s.line <= len(lines)):
            continue
        if previous is not None and s.line > previous + 1:
            console.print(Text("..." if w < 3 else f"{'...':<{w}}", style="bold blue"))
        previous = s.line
        src = lines[s.line - 1].rstrip("\n")
        console.print(Text(f"{number(s.line):>{w}} | ", style="bold blue") + Text(src))
        start = char_column(src, s.column) - 1
        end = char_column(src, s.end_column) - 1 if s.end_line == s.line else len(src.rstrip())
        end = max(end, start + 1)
        marker = ("^" if primary else "-") * (end - start)
        text = Text(f"{pad} | ", style="bold blue") + Text(" " * start)
        text.append(marker + (" " + label.text if label.text else ""),
                    style=_SEV_STYLE.get(d.severity, "bold") if primary else "bold blue")
        console.print(text)
    for note in d.notes:
        console.print(Text(f"{pad} = ", style="bold blue") + Text("note: ", style="bold") + Text(note))
    if d.help or (d.fix is not None and d.fix.title):
        help_line = Text("help: ", style="bold cyan") + Text(d.help or d.fix.title)
        how = _FIX_HINT.get(d.fix.applicability) if d.fix is not None and d.fix.edits else None
        if how:
            help_line.append(f" ({how})", style="dim")
        console.print(help_line)
        if blocks:
            _render_fixed_lines(console, blocks, w, number)
    if d.severity in ("error", "warning"):
        console.print(Text(f"{pad} = ", style="bold blue") + Text(f"run `shapelint explain {d.code}` for more",
                                                                   style="dim"))
    console.print()


def _fixed_blocks(fix, lines: list) -> list:
    """The lines as the fix leaves them, one block per group of nearby edits: [(first line, new text)]."""
    from ..diagnostics.fixes.text import apply_edits_to_lines
    if fix is None or not fix.edits:
        return []
    groups: list = []
    for e in sorted(fix.edits, key=lambda e: (e.span.line, e.span.column)):
        if groups and e.span.line <= groups[-1][-1].span.end_line + 2:
            groups[-1].append(e)
        else:
            groups.append([e])
    return [block for g in groups for block in (apply_edits_to_lines(lines, g) or [])]


def _render_fixed_lines(console, blocks: list, w: int, number=str) -> None:
    from rich.text import Text
    console.print(Text(f"{' ' * w} |", style="bold blue"))
    for k, (lineno, new_text) in enumerate(blocks):
        if k:
            console.print(Text(f"{'...':<{w}}", style="bold blue"))
        for j, part in enumerate(new_text.split("\n")):
            console.print(Text(f"{number(lineno + j):>{w}} | ", style="bold blue") + Text(part, style="green"))


def render_file(console, f, show_tables: bool = True) -> None:
    from rich.text import Text
    if f.error:
        console.print(Text(f"{f.path}: ", style="bold") + Text(f.error, style="red"))
        return
    lines = (f.source or "").splitlines()
    if show_tables:
        for m in f.models:
            render_model_table(console, m, f.path, f.line_map)
    for d in f.diagnostics:
        render_diagnostic(console, d, lines, f.path, f.line_map)


def summary_line(result) -> str:
    n_err = sum(1 for d in result.diagnostics if d.severity == "error")
    n_warn = sum(1 for d in result.diagnostics if d.severity == "warning")
    n_models = len(result.models)
    unread = sum(1 for f in result.files if f.error)
    n_files = sum(1 for f in result.files if not is_live(f.path))  # live objects are models, not files
    parts = ([f"{n_files} file{'s' if n_files != 1 else ''}"] if n_files or not result.files else []) + [
             f"{n_models} model{'s' if n_models != 1 else ''}",
             f"{n_err} error{'s' if n_err != 1 else ''}", f"{n_warn} warning{'s' if n_warn != 1 else ''}"]
    if unread:
        parts.append(f"{unread} unreadable")
    return "checked " + ", ".join(parts)


def render_text(result, color: Optional[bool] = None, file=None, show_tables: bool = True) -> str:
    buf = io.StringIO() if file is None else file
    if color is None:
        color = False
    console = _console(buf, color)
    for f in result.files:
        render_file(console, f, show_tables)
    console.print(summary_line(result))
    return buf.getvalue() if file is None else ""


def render_concise(result) -> str:
    out = []
    for f in result.files:
        if f.error:
            out.append(f"{f.path}: error: {f.error}")
        for d in f.diagnostics:
            loc = f"{f.path}:{d.primary.span.line}:{d.primary.span.column}" if d.primary else f.path
            cell = f.line_map.cell_of(d.primary.span.line) if (d.primary and f.line_map is not None) else None
            if cell is not None:  # notebooks: the cell and the line in it
                loc = f"{f.path}: cell {cell[0]}, line {cell[1]}:{d.primary.span.column}"
            fixable = " [*]" if d.fix is not None and d.fix.edits and d.fix.applicability == "safe" else ""
            out.append(f"{loc}: {d.severity}[{d.code}] {d.message}{fixable}")
    return "\n".join(out) + ("\n" if out else "")


def want_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()
