"""The oracle for tests/reporters/test_plain_text.py: the text reporter as it was before issue #12, all through
``rich`` (one rich.Table per model). Not used by shapelint itself.

The terminal report: per model a layer table that survives the error (failing layer marked), then each
diagnostic rustc-style -- headline, source excerpt with labels, notes, help. Colour through ``rich`` on a terminal;
plain text when piped or with NO_COLOR."""
from __future__ import annotations

import io
import os
from typing import Optional

from shapelint.core.values import Tensor, TensorTuple
from shapelint.fixing import char_column
from shapelint.reporters.text import is_live, model_title

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


def render_model_table(console, m, path=None) -> None:
    from rich.table import Table
    from rich.text import Text
    prog = m.program
    inp = prog.inputs[0] if len(prog.inputs) == 1 else None
    if len(prog.inputs) > 1 and all(isinstance(v, (Tensor, TensorTuple)) for v in prog.inputs):
        inp = TensorTuple(tuple(prog.inputs))  # model(a, b): both shapes
    src = f" from {prog.input_note}" if prog.input_note else ""
    title = model_title(m, path)  # the file in every table's title (issue #13), laid out as before
    table = Table(title=title, title_justify="left", show_edge=False, pad_edge=False, box=None,
                  header_style="bold")
    table.add_column("", width=1)
    table.add_column("#", justify="right")
    table.add_column("layer")
    table.add_column("type")
    table.add_column("line", justify="right")
    table.add_column("output shape")
    table.add_column("params", justify="right")
    table.add_row("", "", "input", "", "", _shape(inp) + src, "")
    for i, op in enumerate(prog.ops):
        mark = _MARK.get(op.status, " ")
        style = "red" if op.status == "error" else ("dim" if op.status in ("unknown", "unsupported") else "")
        span = op.layer.origin.span
        table.add_row(Text(mark, style="red" if mark == "✗" else ""), str(i), Text(op.layer.label, style=style),
                      op.layer.kind, str(span.line) if span else "", Text(_shape(op.output), style=style),
                      f"{op.layer.params:,}" if op.layer.params is not None else "")
    console.print(table)
    console.print()


def _gutter_width(d) -> int:
    lines = [d.primary.span.line] if d.primary else [1]
    lines += [l.span.line for l in d.secondary]
    return len(str(max(lines)))


def _location(path: str, span, line_map) -> str:
    if line_map is not None:
        cell = line_map.cell_of(span.line)
        if cell is not None:
            return f"{path}: cell {cell[0]}, line {cell[1]}:{span.column}"
    return f"{path}:{span.line}:{span.column}"


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
    w = max([_gutter_width(d)] + [len(str(n + t.count("\n"))) for n, t in blocks])
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
        console.print(Text(f"{s.line:>{w}} | ", style="bold blue") + Text(src))
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
            _render_fixed_lines(console, blocks, w)
    if d.severity in ("error", "warning"):
        console.print(Text(f"{pad} = ", style="bold blue") + Text(f"run `shapelint explain {d.code}` for more",
                                                                   style="dim"))
    console.print()


def _fixed_blocks(fix, lines: list) -> list:
    """The lines as the fix leaves them, one block per group of nearby edits: [(first line, new text)]."""
    from shapelint.fixing import apply_edits_to_lines
    if fix is None or not fix.edits:
        return []
    groups: list = []
    for e in sorted(fix.edits, key=lambda e: (e.span.line, e.span.column)):
        if groups and e.span.line <= groups[-1][-1].span.end_line + 2:
            groups[-1].append(e)
        else:
            groups.append([e])
    return [block for g in groups for block in (apply_edits_to_lines(lines, g) or [])]


def _render_fixed_lines(console, blocks: list, w: int) -> None:
    from rich.text import Text
    console.print(Text(f"{' ' * w} |", style="bold blue"))
    for k, (lineno, new_text) in enumerate(blocks):
        if k:
            console.print(Text(f"{'...':<{w}}", style="bold blue"))
        for j, part in enumerate(new_text.split("\n")):
            console.print(Text(f"{lineno + j:>{w}} | ", style="bold blue") + Text(part, style="green"))


def render_file(console, f, show_tables: bool = True) -> None:
    from rich.text import Text
    if f.error:
        console.print(Text(f"{f.path}: ", style="bold") + Text(f.error, style="red"))
        return
    lines = (f.source or "").splitlines()
    if show_tables:
        for m in f.models:
            render_model_table(console, m, f.path)
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
