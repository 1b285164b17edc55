"""Building diagnostics for checks that span several ops (the primary label points where the user should edit)."""
from __future__ import annotations

from typing import Optional

from ..core.dims import fmt_shape, is_known
from ..core.errors import Mismatch
from ..core.program import Span
from ..diagnostics.build import diagnostic_for
from ..diagnostics.model import Edit, Fix, Label


def emit(ev, code: str, span: Optional[Span], label: str = "", secondary=(), notes=(), fix: Optional[Fix] = None,
         severity: Optional[str] = None, model: Optional[str] = None, typed=None, **facts):
    """Add a file-level diagnostic for a check. ``secondary`` is a list of (span, text); ``typed`` the check's
    typed facts (checks/facts.py) for the root-cause analysis."""
    if model is not None:
        facts.setdefault("model", model)
    m = Mismatch(code, **facts)
    d = diagnostic_for(m, None, None, None, ev.lines, severity)
    d.file = ev.file
    if span is not None:
        d.primary = Label(span, label, ev.file)
    seen = {span.line if span else None}
    for s, text in secondary:
        if s is not None and s.line not in seen:
            seen.add(s.line)
            d.secondary.append(Label(s, text, ev.file))
    d.notes.extend(n for n in notes if n)
    d.fix = fix
    d.model = model
    d.expected = facts.get("expected_json")
    d.received = facts.get("received_json")
    d.facts = typed
    ev.diagnostics.append(d)
    return d


def first_time(ev, key) -> bool:
    """True the first time a finding is made for ``key`` in this file (fit then predict on the same data, a
    transform applied to every item of a dataset: one mistake, one diagnostic)."""
    seen = ev.state.findings_made
    if key in seen:
        return False
    seen.add(key)
    return True


def span_text(ev, span: Optional[Span]) -> Optional[str]:
    """The source text of a one-line span (columns count UTF-8 bytes, as ``ast`` gives them), or None."""
    if span is None or span.line != span.end_line or not 0 < span.line <= len(ev.lines):
        return None
    return ev.lines[span.line - 1].encode()[span.column - 1: span.end_column - 1].decode(errors="replace") or None


def replace_fix(span: Optional[Span], text: str, title: str, applicability: str = "unsafe") -> Optional[Fix]:
    if span is None:
        return Fix("display-only", title, [])
    return Fix(applicability, title, [Edit(span, text)])


def shape_text(shape) -> str:
    """A shape (tuple, Tensor or TensorVal) as Python prints it."""
    if hasattr(shape, "shape") and not isinstance(shape, tuple):
        shape = shape.shape
    return fmt_shape(tuple(shape)) if shape is not None else "(?)"


def describe_labels(v) -> str:
    """``integer class ids of shape (32,)``, ``one-hot vectors of shape (32, 5)``, ``float values of shape (32,)``."""
    shape = tuple(v.shape) if v.shape is not None else None
    dtype = v.value.dtype
    s = shape_text(shape)
    if v.meta.get("onehot"):
        return f"one-hot vectors of shape {s}"
    if dtype and dtype.startswith(("int", "uint")):
        if shape is not None and (len(shape) == 1 or (len(shape) == 2 and shape[-1] == 1)):
            return f"integer class ids of shape {s}"
        return f"integers of shape {s}"
    if dtype and dtype.startswith(("float", "bfloat")):
        return f"{dtype} values of shape {s}"
    return f"of shape {s}"


def known(shape) -> bool:
    return shape is not None and all(is_known(d) or d is None for d in shape)


def ops_of_every_run(ev):
    """(inference, op) for every op the script runs itself and every op of every model run: the checks that read
    element-wise ops wherever they are written."""
    runs = [ev.state.script_run] + [r.inference for m in getattr(ev, "models", []) for r in m.runs]
    for inf in runs:
        if inf is not None:
            for op in inf.program.ops:
                yield inf, op
