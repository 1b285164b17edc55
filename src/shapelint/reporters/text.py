"""The terminal report: per model a layer table that survives the error (failing layer marked), then each
diagnostic rustc-style -- headline, source excerpt with labels, notes, help.

Every line is built as styled parts ``[(text, style), ...]`` and handed to a writer: plain text (piped, NO_COLOR, or
``str(result)``) joins the texts and needs nothing beyond the standard library; colour on a terminal goes through
``rich``, imported only then. The layer table is laid out here (columns padded to their widest cell, never wrapped),
so a 10,000-layer table costs what writing 10,000 lines costs, and long runs of identical layers fold into one row
(reporters/rows.py)."""
from __future__ import annotations

import io
import os
from typing import Optional

from ..core.values import Tensor, TensorTuple
from .rows import shape_text as _shape
from .rows import table_rows

_SEV_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}
_FIX_HINT = {"safe": "safe fix: `shapelint check --fix`",
             "unsafe": "unsafe fix: `shapelint check --fix --unsafe-fixes`"}
_MARK = {"error": "✗", "unsupported": "?", "unknown": "?", "ok": " "}
_GUTTER = "bold blue"
_CONTROL = {7: None, 8: None, 11: None, 12: None, 13: None}  # what a terminal must not receive (as rich strips)


# -- writers --------------------------------------------------------------------------------------------------------
class _PlainWriter:
    def __init__(self, file):
        self.file = file

    def line(self, *parts) -> None:
        text = "".join(t for t, _ in parts)
        if not text.isprintable():
            text = text.translate(_CONTROL)
            if "\t" in text:
                text = _expand_tabs(text)
        self.file.write(text + "\n")


def plain_writer(file):
    """A writer of plain report lines into ``file`` (for notes and other text that is not the whole report)."""
    return _PlainWriter(file)


class _RichWriter:
    """Colour on a terminal. ``soft_wrap``: never break a source line or a label; the terminal wraps if it must."""

    def __init__(self, file, color: bool):
        from rich.console import Console  # optional: colour on a terminal only; plain text needs no rich
        from rich.text import Text  # optional: colour on a terminal only; plain text needs no rich
        self._text = Text
        self.console = Console(file=file, force_terminal=color, no_color=not color, width=110 if not color else None,
                               highlight=False, soft_wrap=True)

    def line(self, *parts) -> None:
        self.console.print(self._text.assemble(*parts))


def _expand_tabs(text: str) -> str:
    """Tab stops every 8 cells, counted from the start of the line (as a terminal and rich do)."""
    out, col = [], 0
    for ch in text:
        if ch == "\t":
            pad = 8 - col % 8
            out.append(" " * pad)
            col += pad
        elif ch == "\n":
            out.append(ch)
            col = 0
        else:
            out.append(ch)
            col += _cell_len(ch)
    return "".join(out)


_NARROW = frozenset("✗–…×→·")  # what the report itself writes: one cell each


def _cell_len(text: str) -> int:
    """Terminal cells a string takes: wide East Asian characters take two, combining marks none."""
    if text.isascii() or all(ch in _NARROW or ch.isascii() for ch in text):
        return len(text)
    import unicodedata  # a C extension, loaded only for other non-ASCII names
    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def _char_column(line: str, column: int) -> int:
    """Our columns are UTF-8 byte offsets (from ``ast``); only a non-ASCII line needs converting."""
    if line.isascii():
        return column
    from ..diagnostics.fixes.text import char_column  # deferred: a clean ASCII report never loads the fix model
    return char_column(line, column)


# -- where things are -----------------------------------------------------------------------------------------------
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


# -- layer table ----------------------------------------------------------------------------------------------------
_HEADER = ("", "#", "layer", "type", "line", "output shape", "params")
_RIGHT = (False, True, False, False, True, False, True)


def input_text(prog) -> str:
    """The input row's shape and where it came from."""
    return _shape(model_input(prog)) + (f" from {prog.input_note}" if prog.input_note else "")


def render_model_table(out, m, path=None, line_map=None) -> None:
    prog = m.program
    title = model_title(m, path, line_map)
    header = _HEADER if line_map is None else _HEADER[:4] + ("cell:line",) + _HEADER[5:]
    cells = [("", "", "input", "", "", input_text(prog), "")]
    styles = [("", "", "", "", "", "", "")]
    rows = table_rows(prog.ops)
    for row in rows:
        op = row.op
        mark = _MARK.get(op.status, " ")
        style = "red" if op.status == "error" else ("dim" if op.status in ("unknown", "unsupported") else "")
        cells.append((mark, row.index_text(), row.name_text(), row.kind_text(),
                      row.line_text(lambda n: short_line(n, line_map)), _shape(op.output), row.params_text()))
        styles.append(("red" if mark == "✗" else "", "", style, "", "", style, ""))
    widths = [max(_cell_len(c[k]) for c in cells + [header]) for k in range(len(header))]
    widths[0] = 1
    out.line((title, "italic"))
    out.line(*_table_line(header, widths, ("bold",) * len(header)))
    for c, s in zip(cells, styles):
        out.line(*_table_line(c, widths, s))
    out.line()
    for row in rows:
        if row.folded:
            out.line((f"  ({row.fold_note()})", "dim"))
    if any(row.folded for row in rows):
        out.line()


def _table_line(cells, widths, styles) -> list:
    """Cells padded to their column's width and two spaces apart (rich's Table without edges lays out the same)."""
    parts = []
    for k, (text, width, style) in enumerate(zip(cells, widths, styles)):
        pad = " " * max(width - _cell_len(text), 0)
        if k:
            parts.append(("  ", ""))
        if _RIGHT[k]:
            parts += [(pad, ""), (text, style)]
        else:
            parts += [(text, style), (pad, "")]
    return parts


# -- diagnostics ----------------------------------------------------------------------------------------------------
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


def _location(path: str, span, line_map) -> str:
    return line_label(path, span.line, line_map, span.column)


def render_diagnostic(out, d, lines: list, path: str, line_map=None) -> None:
    out.line((f"{d.severity}[{d.code}]", _SEV_STYLE.get(d.severity, "bold")), (f": {d.message}", "bold"))
    if d.primary is None:  # live models have no source: notes carry the module path and shapes
        for note in d.notes:
            out.line(("  = ", _GUTTER), ("note: ", "bold"), (note, ""))
        if d.help:
            out.line(("help: ", "bold cyan"), (d.help, ""))
        out.line()
        return
    blocks = _fixed_blocks(d.fix, lines)
    number = gutter(d, line_map)
    shown = [d.primary.span.line] + [l.span.line for l in d.secondary]
    w = max([len(number(n)) for n in shown] + [len(number(n + t.count("\n"))) for n, t in blocks])
    pad = " " * w
    out.line((f"{pad}--> ", _GUTTER), (_location(path, d.primary.span, line_map), ""))
    out.line((f"{pad} |", _GUTTER))
    labels = sorted([(d.primary, True)] + [(l, False) for l in d.secondary], key=lambda p: p[0].span.line)
    previous = None
    for label, primary in labels:
        s = label.span
        if not (0 < s.line <= len(lines)):
            continue
        if previous is not None and s.line > previous + 1:
            out.line(("..." if w < 3 else f"{'...':<{w}}", _GUTTER))
        previous = s.line
        src = lines[s.line - 1].rstrip("\n")
        out.line((f"{number(s.line):>{w}} | ", _GUTTER), (src, ""))
        start = _char_column(src, s.column) - 1
        end = _char_column(src, s.end_column) - 1 if s.end_line == s.line else len(src.rstrip())
        end = max(end, start + 1)
        marker = ("^" if primary else "-") * (end - start)
        out.line((f"{pad} | ", _GUTTER), (" " * start, ""),
                 (marker + (" " + label.text if label.text else ""),
                  _SEV_STYLE.get(d.severity, "bold") if primary else _GUTTER))
    for note in d.notes:
        out.line((f"{pad} = ", _GUTTER), ("note: ", "bold"), (note, ""))
    if d.help or (d.fix is not None and d.fix.title):
        how = _FIX_HINT.get(d.fix.applicability) if d.fix is not None and d.fix.edits else None
        out.line(("help: ", "bold cyan"), (d.help or d.fix.title, ""), (f" ({how})" if how else "", "dim"))
        if blocks:
            _render_fixed_lines(out, blocks, w, number)
    if d.severity in ("error", "warning"):
        out.line((f"{pad} = ", _GUTTER), (f"run `shapelint explain {d.code}` for more", "dim"))
    out.line()


def _fixed_blocks(fix, lines: list) -> list:
    """The lines as the fix leaves them, one block per group of nearby edits: [(first line, new text)]."""
    if fix is None or not fix.edits:
        return []
    from ..diagnostics.fixes.text import apply_edits_to_lines  # the edit machinery, only when a fix is shown
    groups: list = []
    for e in sorted(fix.edits, key=lambda e: (e.span.line, e.span.column)):
        if groups and e.span.line <= groups[-1][-1].span.end_line + 2:
            groups[-1].append(e)
        else:
            groups.append([e])
    return [block for g in groups for block in (apply_edits_to_lines(lines, g) or [])]


def _render_fixed_lines(out, blocks: list, w: int, number=str) -> None:
    out.line((f"{' ' * w} |", _GUTTER))
    for k, (lineno, new_text) in enumerate(blocks):
        if k:
            out.line((f"{'...':<{w}}", _GUTTER))
        for j, part in enumerate(new_text.split("\n")):
            out.line((f"{number(lineno + j):>{w}} | ", _GUTTER), (part, "green"))


def render_file(out, f, show_tables: bool = True) -> None:
    if f.error:
        out.line((f"{f.path}: ", "bold"), (f.error, "red"))
        return
    lines = (f.source or "").splitlines()
    if show_tables:
        for m in f.models:
            render_model_table(out, m, f.path, f.line_map)
    for d in f.diagnostics:
        render_diagnostic(out, d, lines, f.path, f.line_map)


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
    out = _RichWriter(buf, True) if color else _PlainWriter(buf)
    for f in result.files:
        render_file(out, f, show_tables)
    out.line((summary_line(result), ""))
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
