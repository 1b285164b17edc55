"""GitHub Actions workflow commands (``--format github``): one ``::error``/``::warning``/``::notice`` line per
diagnostic, which the runner shows as an annotation on the line in the pull request. Values are escaped as the
runner's toolkit escapes them (``%``, CR and LF in the message; also ``:`` and ``,`` in properties).

Notebooks: the annotation names the file only (the runner cannot place a line inside an .ipynb's JSON), and the
message starts with the cell and line."""
from __future__ import annotations

from .text import line_label

LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d, path: str, line_map=None) -> str:
    props = [f"file={_prop(path)}"]
    message = d.message + (f"\nhelp: {d.help}" if d.help else "")
    if d.primary is not None:
        s = d.primary.span
        if line_map is not None:
            message = f"{line_label(None, s.line, line_map, s.column)}: {message}"
        else:
            props += [f"line={s.line}", f"col={s.column}", f"endLine={s.end_line}"]
            if s.end_line == s.line:
                props.append(f"endColumn={s.end_column}")
    props.append(f"title={_prop(f'shapelint {d.code} ({d.name})')}")
    return f"::{LEVEL.get(d.severity, 'warning')} {','.join(props)}::{_data(message)}"


def render_github(result) -> str:
    out = []
    for f in result.files:
        if f.error:
            out.append(f"::error file={_prop(f.path)},title=shapelint::{_data(f.error)}")
        out += [annotation(d, d.file or f.path, f.line_map) for d in f.diagnostics]
    return "\n".join(out) + ("\n" if out else "")
