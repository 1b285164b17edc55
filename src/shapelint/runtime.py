"""The run-time companion: when a script dies of a shape error raised by Keras, TensorFlow or PyTorch, attach
shapelint's static diagnosis of that script to the exception as PEP 678 notes -- the layer table up to the failing
layer, the root cause, the fix -- so it prints under the original traceback.

Entry points: ``shapelint run script.py [args...]`` (:func:`run_script`), :func:`explain_exception`, the context
manager :func:`explain_shape_errors` and the opt-in :func:`install_excepthook`. None of them hides or replaces the
traceback, changes the exception type, or changes the exit code: they only add notes.

The diagnosis is matched to the exception by the frames of the user's files in the traceback (the line that called
the failing layer, the line that built it) and by the framework's message (the layer name, the numbers in it).
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import sysconfig
from dataclasses import dataclass, field, replace
from typing import Callable, Optional

from .api import check_path
from .result import Result

# Where a shape error comes from: the framework's own frames or exception classes.
_FRAMEWORK_PARTS = ("torch", "keras", "tensorflow", "tf_keras", "jax", "optree")
# The words the frameworks' shape messages use (torch: "mat1 and mat2 shapes cannot be multiplied", "Given groups=1,
# weight of size ..., expected input[...] to have 3 channels"; Keras: "Input 0 of layer ... is incompatible",
# "Arguments `target` and `output` must have the same shape"; TensorFlow: "Incompatible shapes", "Dimensions must be
# equal").
_SHAPE_WORDS = re.compile(
    r"shape|size|dimension|\bdims?\b|\baxis\b|\brank\b|ndim|mat1|channels|features|incompatible|"
    r"must match|cannot be multiplied|batch_size|expected .*input|input_size|target", re.I)
_NOTED = "__shapelint_explained__"


@dataclass
class Explanation:
    """What shapelint attached to an exception: the notes, and the diagnostics they come from (empty when no static
    diagnosis matched)."""
    notes: list = field(default_factory=list)
    diagnostics: list = field(default_factory=list)
    result: object = None  # the Result of the static check

    @property
    def text(self) -> str:
        return "\n".join(self.notes)

    def _repr_html_(self) -> str:
        from .reporters.html import render_explanation  # deferred: only in a notebook
        return render_explanation(self)


# -- is it a shape error? ----------------------------------------------------------------------------------------
def _module_root(name: str) -> str:
    return (name or "").split(".", 1)[0]


def _frames(tb):
    while tb is not None:
        yield tb.tb_frame, tb.tb_lineno
        tb = tb.tb_next


def _is_framework_file(filename: str) -> bool:
    parts = re.split(r"[\\/]", filename)
    return any(p in _FRAMEWORK_PARTS for p in parts)


def is_shape_error(exc: BaseException) -> bool:
    """A Keras / TensorFlow / PyTorch error about shapes: raised by the framework (its exception class, or its
    frames at the bottom of the traceback) with a message about shapes or sizes."""
    if not isinstance(exc, Exception):
        return False
    from_framework = any(_module_root(c.__module__) in _FRAMEWORK_PARTS for c in type(exc).__mro__[:-2])
    frames = list(_frames(exc.__traceback__))
    if frames and _is_framework_file(frames[-1][0].f_code.co_filename):
        from_framework = True
    return from_framework and bool(_SHAPE_WORDS.search(str(exc)))


# -- which user code raised it ------------------------------------------------------------------------------------
def _library_dirs() -> tuple:
    paths = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        with contextlib.suppress(KeyError):
            paths.add(os.path.realpath(sysconfig.get_paths()[key]))
    paths.add(os.path.realpath(os.path.dirname(__file__)))  # shapelint itself
    return tuple(paths)


def user_frames(exc: BaseException, accept: Optional[Callable] = None) -> list:
    """(file, line) of each traceback frame in the user's own code, outermost first: .py files outside the standard
    library, installed packages and shapelint, and any file ``accept`` takes (a Jupyter cell)."""
    libs = _library_dirs()
    out = []
    for frame, line in _frames(exc.__traceback__):
        name = frame.f_code.co_filename
        if accept is not None and accept(name):
            out.append((name, line))
            continue
        if not name.endswith((".py", ".pyw")) or not os.path.isfile(name):
            continue
        real = os.path.realpath(name)
        if real.startswith(libs) or "site-packages" in real or "dist-packages" in real:
            continue
        out.append((real, line))
    return out


# -- matching a diagnostic to the exception ---------------------------------------------------------------------
def _numbers(text: str) -> set:
    return {int(n) for n in re.findall(r"(?<![\w.])\d+(?![\w.])", text or "") if int(n) > 1}


def _diag_lines(d) -> set:
    lines = {l.span.line for l in ([d.primary] if d.primary else []) + list(d.secondary)}
    if d.fix is not None:
        lines |= {e.span.line for e in d.fix.edits}
    return lines


def _diag_text(d) -> str:
    parts = [d.message, str(d.expected), str(d.received)] + [l.text for l in d.secondary] + list(d.notes)
    return " ".join(parts)


def score(d, lines: set, message: str, layer_lines: set = frozenset()) -> int:
    """How well diagnostic ``d`` explains an exception raised through ``lines`` of its file with ``message``."""
    if d.severity not in ("error", "warning"):
        return 0
    s = 4 * len((_diag_lines(d) | layer_lines) & lines)
    numbers = _numbers(message)
    s += len(numbers & _numbers(_diag_text(d)))
    if d.layer_name and re.search(r"[\"'`]%s[\"'`]" % re.escape(d.layer_name), message):
        s += 3
    if s and d.severity == "error":
        s += 1
    return s


def _failing_op_lines(result_file, d) -> set:
    """The lines of the layer the diagnostic is about (where it is built and where it is called)."""
    for m in result_file.models:
        if m.name == d.model and d.layer is not None and d.layer < len(m.program.ops):
            layer = m.program.ops[d.layer].layer
            spans = [layer.origin.span] + list(layer.extra.get("input_spans") or [])
            return {s.line for s in spans if s is not None}
    return set()


def best_match(result_file, lines: set, message: str) -> Optional[object]:
    best, best_score = None, 0
    for d in result_file.diagnostics:
        s = score(d, lines, message, _failing_op_lines(result_file, d))
        if s > best_score:
            best, best_score = d, s
    return best


# -- rendering the notes ------------------------------------------------------------------------------------------
def _truncated_model(result_file, d):
    """The model of ``d`` with its layer table cut after the failing layer."""
    for m in result_file.models:
        if m.name == d.model:
            if d.layer is None:
                return m
            return replace(m, program=replace(m.program, ops=m.program.ops[: d.layer + 1]))
    return None


def render_notes(result_file, d) -> list:
    # deferred: only when a crash is explained
    from .reporters.text import plain_writer, render_diagnostic, render_model_table
    notes = []
    model = _truncated_model(result_file, d)
    if model is not None:
        buf = io.StringIO()
        render_model_table(plain_writer(buf), model, path=result_file.path, line_map=result_file.line_map)
        notes.append("shapelint: the layers up to the failure\n" + buf.getvalue().rstrip())
    buf = io.StringIO()
    render_diagnostic(plain_writer(buf), d, (result_file.source or "").splitlines(), result_file.path,
                      result_file.line_map)
    notes.append("shapelint: the cause, found statically\n" + buf.getvalue().rstrip())
    return notes


# -- the API ------------------------------------------------------------------------------------------------------
def _add_note(exc: BaseException, note: str) -> None:
    if hasattr(exc, "add_note"):  # Python 3.11+ (PEP 678)
        exc.add_note(note)
    else:  # same attribute, printed by our own hooks on older Pythons
        notes = getattr(exc, "__notes__", None)
        if not isinstance(notes, list):
            notes = []
            with contextlib.suppress(AttributeError, TypeError):
                exc.__notes__ = notes
        notes.append(note)


def _default_locate(real_path: str):
    """A user file -> (FileResult, line transform from traceback lines to the checked text's lines)."""
    shown = os.path.relpath(real_path)
    return check_path(real_path if shown.startswith("..") else shown), (lambda n: n)


def explain_exception(exc: BaseException, path: Optional[str] = None, locate: Optional[Callable] = None,
                      accept: Optional[Callable] = None) -> Optional[Explanation]:
    """Attach shapelint's static diagnosis to ``exc`` as PEP 678 notes (``exc.__notes__``) and return it.

    Returns None when ``exc`` is not a shape error from Keras, TensorFlow or PyTorch. ``path`` limits the check to
    that file (default: the user's files in the traceback, innermost first). ``locate`` maps a traceback file to the
    (FileResult, line transform) to match it against, and ``accept`` admits files that are not on disk (the Jupyter
    extension maps its cells onto the notebook so far). Calling it twice on one exception adds the notes once."""
    if getattr(exc, _NOTED, None) is not None:
        return getattr(exc, _NOTED)
    if not is_shape_error(exc):
        return None
    frames = user_frames(exc, accept)
    if path is not None:
        real = os.path.realpath(path)
        frames = [f for f in frames if f[0] == real] or [(real, None)]
    locate = locate or _default_locate
    explanation = Explanation()
    groups: dict = {}  # one checked file per group: several cells of a notebook are one file
    files = []
    for name, _ in reversed(frames):  # innermost user file first: it holds the failing layer's call
        if name in files or len(files) >= 5:
            continue
        files.append(name)
        found = locate(name)
        if found is None:
            continue
        result_file, to_checked = found
        group = groups.setdefault(id(result_file), (result_file, set()))
        group[1].update(to_checked(n) for f, n in frames if f == name and n is not None)
    for result_file, lines in groups.values():
        d = best_match(result_file, lines - {None}, str(exc))
        if d is not None:
            explanation.diagnostics.append(d)
            explanation.notes = render_notes(result_file, d)
            explanation.result = Result([result_file])
            break
    if not explanation.notes:
        shown = sorted({r.path for r, _ in groups.values()}) or ["the traceback's files"]
        explanation.notes = [f"shapelint: no static diagnosis matches this error in {', '.join(shown)} "
                             f"(run `shapelint check` on the file for its full report)"]
    for note in explanation.notes:
        _add_note(exc, note)
    with contextlib.suppress(AttributeError, TypeError):
        setattr(exc, _NOTED, explanation)
    return explanation


def _safe_explain(exc, **kw) -> None:
    """shapelint must never turn the user's error into its own: any failure here is swallowed."""
    try:
        explain_exception(exc, **kw)
    except Exception:  # pragma: no cover - defensive
        pass


@contextlib.contextmanager
def explain_shape_errors(path: Optional[str] = None):
    """``with shapelint.explain_shape_errors(): train()`` -- a shape error leaving the block carries the diagnosis
    as notes; the exception itself propagates unchanged."""
    try:
        yield
    except Exception as exc:
        _safe_explain(exc, path=path)
        raise


def print_exception(exc: BaseException, hook=None) -> None:
    """Print ``exc`` as Python would (through ``hook``, default ``sys.excepthook``); on Pythons before 3.11, which do
    not print ``__notes__``, print the notes after it."""
    (hook or sys.excepthook)(type(exc), exc, exc.__traceback__)
    if sys.version_info < (3, 11):
        for note in getattr(exc, "__notes__", None) or []:
            print(note, file=sys.stderr)


_previous_hook = None


def _excepthook(etype, value, tb):
    _safe_explain(value)
    print_exception(value, hook=_previous_hook or sys.__excepthook__)


def install_excepthook() -> None:
    """Opt in: every uncaught shape error of this process is explained under its traceback."""
    global _previous_hook
    if sys.excepthook is not _excepthook:
        _previous_hook = sys.excepthook
        sys.excepthook = _excepthook


def uninstall_excepthook() -> None:
    global _previous_hook
    if sys.excepthook is _excepthook:
        sys.excepthook = _previous_hook or sys.__excepthook__
        _previous_hook = None


# -- shapelint run ------------------------------------------------------------------------------------------------
def _trim_to_script(exc: BaseException, script: str) -> None:
    """Drop the frames of shapelint and runpy above the script's own, so the traceback reads as `python script.py`'s
    (the exception object and everything below the script's first frame are untouched)."""
    tb = exc.__traceback__
    while tb is not None and os.path.realpath(tb.tb_frame.f_code.co_filename) != script:
        tb = tb.tb_next
    if tb is not None or isinstance(exc, SyntaxError):
        exc.__traceback__ = tb


def run_script(script: str, args: list) -> int:
    """Run ``script`` as ``python script.py args...`` would (``__main__``, ``sys.argv``, ``sys.path[0]``); explain a
    shape error it dies of. Returns the exit code Python would give; ``SystemExit`` and ``KeyboardInterrupt`` from the
    script propagate unchanged."""
    import runpy  # deferred: `shapelint run` only
    if not os.path.exists(script):
        print(f"shapelint run: {script}: no such file", file=sys.stderr)
        return 2
    real = os.path.realpath(script)
    sys.argv = [script, *args]
    sys.path[0] = os.path.dirname(os.path.abspath(script))  # as `python script.py` sets it
    try:
        runpy.run_path(script, run_name="__main__")
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:
        _trim_to_script(exc, real)
        _safe_explain(exc)
        print_exception(exc)
        return 1
    return 0
