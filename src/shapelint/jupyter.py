"""The IPython / Jupyter extension: ``%load_ext shapelint``.

* A cell that dies of a shape error raised by Keras, TensorFlow or PyTorch gets, under its traceback, shapelint's
  static diagnosis of the notebook so far rendered as HTML (the model's shape flow and layer table, the cause, the
  fix). The traceback, the exception and the cell's error status are the kernel's own, unchanged.
* ``%shapelint`` checks the notebook so far (every cell run in this kernel, in order) statically; ``%shapelint
  PATH...`` checks files; ``%%shapelint`` checks the cell it heads, with the earlier cells as context, without
  running it. Each returns the Result, which the notebook shows as the HTML report.

Cells are numbered by execution count (``In [5]`` is ``cell 5``). Nothing here imports the user's code or the
frameworks: the exception only is inspected, and the cells are read from the kernel's history."""
from __future__ import annotations

import os

from .files import check_cells
from .result import Result
from .runtime import _default_locate, explain_exception
from .api import check

NAME = "notebook"


def _session_name(ip) -> str:
    session = ip.user_ns.get("__session__")  # JupyterLab / Notebook 7 put the notebook's path here
    return os.path.basename(session) if isinstance(session, str) and session else NAME


def history(ip) -> list:
    """(execution count, raw source) of every cell run so far, oldest first."""
    raw = ip.history_manager.input_hist_raw
    return [(n, raw[n]) for n in range(1, len(raw)) if raw[n]]


def check_history(ip, extra=None):
    cells = history(ip) + ([extra] if extra else [])
    return check_cells(_session_name(ip), cells)


def _cell_map(ip) -> dict:
    """The file name IPython compiled each cell under -> its execution count."""
    return dict(getattr(ip.compile, "_filename_map", {}) or {})


class _Locator:
    """Maps a cell's traceback frames onto the notebook so far, checked once."""

    def __init__(self, ip):
        self.ip = ip
        self.cells = _cell_map(ip)
        self.result = None

    def accept(self, filename: str) -> bool:
        return filename in self.cells

    def __call__(self, filename: str):
        number = self.cells.get(filename)
        if number is None:
            return _default_locate(filename)
        if self.result is None:
            self.result = check_history(self.ip)
        starts = {cell: start for start, cell in self.result.line_map.starts}
        start = starts.get(number)
        if start is None:
            return None
        return self.result, (lambda n, start=start: start + n - 1)


def explain(ip, exc):
    """The diagnosis of ``exc`` raised by a cell (notes attached), or None when it is not a shape error."""
    locator = _Locator(ip)
    return explain_exception(exc, locate=locator, accept=locator.accept)


def _post_run_cell(ip, result) -> None:
    exc = getattr(result, "error_in_exec", None)
    if exc is None:
        return
    try:
        explanation = explain(ip, exc)
    except Exception:  # shapelint must never add an error of its own to the user's cell
        return
    if explanation is not None:
        from IPython.display import HTML, display  # IPython: there in a kernel; importing shapelint needs none
        display(HTML(explanation._repr_html_()))


def _only_cell(result: Result, number: int) -> Result:
    """Keep what concerns one cell: its diagnostics and the models built or run in it."""
    f = result.files[0]
    in_cell = (lambda line: (f.line_map.cell_of(line) or (None,))[0] == number)
    f.diagnostics = [d for d in f.diagnostics
                     if any(in_cell(l.span.line) for l in ([d.primary] if d.primary else []) + list(d.secondary))]
    f.models = [m for m in f.models if (m.line and in_cell(m.line)) or any(
        op.layer.origin.span is not None and in_cell(op.layer.origin.span.line) for op in m.program.ops)]
    return result


def shapelint_magic(line: str, cell=None):
    from IPython import get_ipython  # IPython: there in a kernel; importing shapelint needs none
    ip = get_ipython()
    if cell is not None:  # %%shapelint: this cell, after the cells run so far, not run itself
        number = len(ip.history_manager.input_hist_raw) - 1  # this cell's In[] number, stored before it runs
        return _only_cell(Result([check_history(ip, (number, cell))]), number)
    if line.strip():
        return check(line.split())
    return Result([check_history(ip)])


def load_ipython_extension(ip) -> None:
    if getattr(ip, "_shapelint_loaded", False):
        return
    ip._shapelint_loaded = True
    ip._shapelint_hook = lambda result: _post_run_cell(ip, result)
    ip.events.register("post_run_cell", ip._shapelint_hook)
    ip.register_magic_function(shapelint_magic, "line_cell", "shapelint")


def unload_ipython_extension(ip) -> None:  # ``%unload_ext shapelint``: the magic stays, the explanations stop
    if getattr(ip, "_shapelint_loaded", False):
        ip.events.unregister("post_run_cell", ip._shapelint_hook)
        ip._shapelint_loaded = False
