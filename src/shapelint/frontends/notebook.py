"""Notebooks: the code cells, in order, as one script. Magics (``%``) and shell lines (``!``) become blank lines so
line numbers stay put; a cell with a syntax error is reported once and left out while the rest is checked."""
from __future__ import annotations

import ast
import difflib
import json
import re
import warnings
from dataclasses import dataclass, field

from ..reading import too_costly


@dataclass
class LineMap:
    """Maps a line of the joined script to (cell number counted from 1 over all cells, line in that cell)."""
    starts: list = field(default_factory=list)  # (script line where cell starts, cell number)

    def cell_of(self, line: int):
        found = None
        for start, cell in self.starts:
            if start <= line:
                found = (cell, line - start + 1)
            else:
                break
        return found


# Cell magics whose body is still Python (the magic line alone is blanked); any other cell magic (%%bash,
# %%writefile, %%html, ...) makes the whole cell non-Python.
_ASSIGNED_MAGIC = re.compile(r"^\s*[A-Za-z_][\w.,\s]*=\s*[!%]")  # files = !ls, t = %timeit -o f()
_PYTHON_CELL_MAGICS = ("time", "timeit", "capture", "prun", "debug", "memit", "skip")


def _strip_magics(text: str) -> str:
    lines = text.split("\n")
    first = lines[0].lstrip() if lines else ""
    if first.startswith("%%"):
        name = first[2:].split(None, 1)[0] if len(first) > 2 else ""
        if name not in _PYTHON_CELL_MAGICS:
            return "\n" * (len(lines) - 1)
        lines[0] = ""
    out = []
    for line in lines:
        s = line.lstrip()
        magic = s.startswith(("%", "!")) or _ASSIGNED_MAGIC.match(line) is not None \
            or (s.endswith("?") and s.rstrip("?").replace(".", "").isidentifier())
        out.append("" if magic else line)
    return "\n".join(out)


def _source_text(src):
    """A cell's source as text, or None when it is neither a string nor a list of strings (nbformat allows both)."""
    if isinstance(src, str):
        return src
    if isinstance(src, list) and all(isinstance(part, str) for part in src):
        return "".join(src)
    return None


def notebook_script(raw: str):
    """(script text, LineMap, [(cell number, SyntaxError)]) or raises ValueError for an unreadable notebook."""
    try:
        nb = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not a valid notebook (invalid JSON: {exc.msg} at line {exc.lineno})") from None
    except RecursionError:  # [[[[...]]]] 100,000 deep
        raise ValueError("not a valid notebook (its JSON is nested too deeply)") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells", None), list):
        raise ValueError("not a valid notebook (no `cells` list)")
    cells = []
    for number, cell in enumerate(nb["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        cells.append((number, _source_text(cell.get("source", ""))))
    return script_from_cells(cells)


def script_from_cells(cells):
    """(script, LineMap, bad cells) for code cells given as (cell number, source): the notebook's cells, or a live
    kernel's history (numbered by execution count). A source that is not text (None) is a bad cell."""
    parts, lm, bad = [], LineMap(), []
    line = 1
    for number, text in cells:
        if text is None:  # nbformat: a string or a list of strings; anything else is not code we can read
            bad.append((number, SyntaxError("the cell's source is not text"), line))
            text = ""
        text = _strip_magics(text)
        try:
            if too_costly(text) is None:  # a huge cell is left to check_source, which parses it in chunks or refuses
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            if not isinstance(exc, SyntaxError):  # a NUL character, or nesting past the parser's limits
                exc = SyntaxError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            bad.append((number, exc, line))
            text = "\n" * text.count("\n")  # keep line numbering, drop the cell's code
        lm.starts.append((line, number))
        parts.append(text)
        line += text.count("\n") + 1
    return "\n".join(parts), lm, bad


# -- --fix / --diff on notebooks ----------------------------------------------------------------------------------
# Fixes are worked out on the joined script (magics blanked), as for a .py file; here the fixed script is mapped back
# to the cells: a line-level diff of the old and new script says which lines changed, each changed line goes to the
# cell of the line it replaces (or that follows it, for an insertion), and unchanged lines keep their original text,
# so magics, shell lines and everything else in the cell stay byte for byte. Outputs, metadata and non-code cells are
# not touched.

def _code_cells(nb: dict) -> list:
    return [(n, c) for n, c in enumerate(nb["cells"], start=1)
            if isinstance(c, dict) and c.get("cell_type") == "code"]


def _cell_text(cell: dict) -> str:
    """A code cell's source for --fix (only notebooks whose cells are all text get this far)."""
    text = _source_text(cell.get("source", ""))
    return text if text is not None else ""


def _json_indent(raw: str):
    m = re.search(r"\n( +)\S", raw)
    return len(m.group(1)) if m else None


def edit_notebook(raw: str, old_script: str, new_script: str):
    """(new notebook JSON text, [(cell number, old source, new source)]) for the script edited from ``old_script`` to
    ``new_script``. Raises ValueError when the notebook no longer gives ``old_script`` or an edit spans cells."""
    nb = json.loads(raw)
    script, _, _ = notebook_script(raw)
    if script != old_script:
        raise ValueError("changed since it was checked; run shapelint again")
    cells = _code_cells(nb)
    owner, original = [], []  # per script line: its cell's position in `cells`, and its text in the cell
    for k, (_, cell) in enumerate(cells):
        lines = _cell_text(cell).split("\n")
        owner += [k] * len(lines)
        original += lines
    old, new = old_script.split("\n"), new_script.split("\n")
    if len(old) != len(original):
        raise ValueError("its cells do not map onto the checked code")
    out: list = [[] for _ in cells]
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            for i in range(i1, i2):
                out[owner[i]].append(original[i])
            continue
        spanned = {owner[i] for i in range(i1, i2)}
        if len(spanned) > 1 and i2 - i1 == j2 - j1:  # same number of lines: line for line
            for i, j in zip(range(i1, i2), range(j1, j2)):
                out[owner[i]].append(new[j])
            continue
        if len(spanned) > 1:
            raise ValueError("a fix would span two cells")
        k = owner[i1] if i1 < len(owner) else len(cells) - 1
        out[k].extend(new[j1:j2])
    changes = []
    for k, (number, cell) in enumerate(cells):
        text = "\n".join(out[k])
        before = _cell_text(cell)
        if text != before:
            changes.append((number, before, text))
            cell["source"] = text.splitlines(keepends=True) if isinstance(cell.get("source"), list) else text
    body = json.dumps(nb, indent=_json_indent(raw), ensure_ascii=False)
    return body + ("\n" if raw.endswith("\n") else ""), changes


def cell_diff(path: str, changes: list) -> str:
    """The changes as a unified diff per cell (``--- nb.ipynb: cell 5``)."""
    out = []
    for number, before, after in changes:
        name = f"{path}: cell {number}"
        out += difflib.unified_diff((before + "\n").splitlines(keepends=True), (after + "\n").splitlines(keepends=True),
                                    fromfile=name, tofile=name)
    return "".join(out)


# -- cell and line in the prose -----------------------------------------------------------------------------------
_LINE_WORD = re.compile(r"\b(?<!cell )line (\d+)\b")


def cell_words(text, line_map):
    """``from line 21`` -> ``from cell 4, line 2``: the lines the checker writes into messages and notes are lines of
    the joined code; a notebook's reader counts cells."""
    if not text or line_map is None or "line " not in text:
        return text

    def repl(m):
        cell = line_map.cell_of(int(m.group(1)))
        return f"cell {cell[0]}, line {cell[1]}" if cell is not None else m.group(0)
    return _LINE_WORD.sub(repl, text)


def localize(result, line_map) -> None:
    """Rewrite the line numbers in a notebook's diagnostics and model notes as cell and line (in place)."""
    for d in result.diagnostics:
        d.message = cell_words(d.message, line_map)
        d.help = cell_words(d.help, line_map)
        d.notes = [cell_words(n, line_map) for n in d.notes]
        for label in ([d.primary] if d.primary else []) + list(d.secondary):
            label.text = cell_words(label.text, line_map)
        if d.fix is not None:
            d.fix.title = cell_words(d.fix.title, line_map)
    for m in result.models:
        m.program.input_note = cell_words(m.program.input_note, line_map)
