"""Notebooks: the code cells, in order, as one script. Magics (``%``) and shell lines (``!``) become blank lines so
line numbers stay put; a cell with a syntax error is reported once and left out while the rest is checked."""
from __future__ import annotations

import ast
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


def _cell_text(src):
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
    parts, lm, bad = [], LineMap(), []
    line = 1
    for number, cell in enumerate(nb["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        text = _cell_text(cell.get("source", ""))
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
