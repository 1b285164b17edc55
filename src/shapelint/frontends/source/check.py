"""Check one Python source text: parse, abstractly interpret, collect models and diagnostics."""
from __future__ import annotations

import ast
import time
import warnings
from typing import Optional

from ... import checks  # noqa: F401  (wires the cross-op checks into every evaluator: api.on_start)
from ...core.program import Span
from ...reading import MAX_SOURCE_BYTES, offer_parsed, too_costly
from ...result import FileResult
from ... import suppress
from . import chunks
from .evaluator import Evaluator


def syntax_error_diagnostic(path: str, exc: SyntaxError, line_offset: int = 0, where: str = ""):
    # deferred: only a file that does not parse needs the diagnostic builder (a clean check never loads it)
    from ...core.errors import Mismatch
    from ...diagnostics.build import diagnostic_for
    from ...diagnostics.model import Label
    line = (exc.lineno or 1) + line_offset
    col = exc.offset or 1
    at = f" at line {exc.lineno}" if exc.lineno else ""  # the parser gives no line for some errors
    detail = f"cannot check {where or 'this file'}: invalid Python syntax ({exc.msg}){at}"
    d = diagnostic_for(Mismatch("syntax-error", detail=detail), None, None, None, [])
    d.file = path
    d.primary = Label(Span(line, col, line, col + 1), "", path)
    return d


def check_source(path: str, source: str, line_map=None, tree: Optional[ast.Module] = None,
                 input_shape: Optional[tuple] = None, root_causes: bool = True) -> FileResult:
    """``input_shape`` (``--input-shape``) is the input of models that no call in the file feeds; a dict gives it per
    model name (``"*"``: every other model). ``root_causes`` runs the root-cause analysis, which re-checks edited
    copies of the source (those re-checks run without it)."""
    started = time.process_time()  # what one check of this file costs: the root-cause re-checks cost as much each
    result = FileResult(path, source=source, line_map=line_map)
    stmts = None  # a file too costly to parse at once is parsed and followed a chunk at a time (chunks.py)
    given_shape = input_shape  # as passed: the root-cause re-checks take it again
    try:
        if tree is None:
            problem = too_costly(source)
            if problem is None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    tree = ast.parse(source, filename=path)
            elif len(source) > MAX_SOURCE_BYTES:
                result.error = problem
                return result
            else:
                tree, stmts = ast.Module(body=[], type_ignores=[]), chunks.statements(source, path)
        if stmts is None:  # a fix made during the check, and the analysis after it, read this tree, not a new parse
            offer_parsed(source, tree)
        ev = Evaluator(path, source, tree, line_map)
        if isinstance(input_shape, dict):  # [tool.shapelint.input-shapes]: per model name, "*" for the rest
            ev.state.input_shapes = {k: tuple(v) for k, v in input_shape.items() if k != "*"}
            input_shape = input_shape.get("*")
        if input_shape is not None:
            ev.state.input_shape = tuple(input_shape)
        if not root_causes:  # a re-check for the fix contract: it reads shapes and diagnostics, never their notes
            ev.state.notes_unread = True
        ev.run(stmts)
    except SyntaxError as exc:
        if exc.filename not in (path, None, "<unknown>"):
            raise  # a module of shapelint's own, not the user's file: an internal error, never a user's syntax error
        result.diagnostics.append(syntax_error_diagnostic(path, exc))
        return result
    except chunks.ChunkTooLarge as exc:
        result.error = str(exc)
        return result
    except (ValueError, MemoryError, RecursionError) as exc:  # nesting past the parser's own limits
        if tree is not None and stmts is None:
            raise
        result.error = f"cannot parse: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        return result
    collect(ev, result)
    if not root_causes:
        result.evaluator = ev
    if result.diagnostics:  # a clean file never loads the root-cause analysis
        if root_causes:
            from ... import rootcause  # deferred: a clean file never loads the root-cause analysis
            rootcause.diagnose(ev, result, lambda text, tree=None: check_source(path, text, line_map, tree=tree,
                                                                                input_shape=given_shape,
                                                                                root_causes=False),
                               check_seconds=time.process_time() - started)
    for d in result.diagnostics:  # the facts served the analysis; a result crosses processes and outlives the check
        d.facts = None
    suppress.apply_inline(result)
    if line_map is not None:  # a notebook: "line 21" in the prose becomes "cell 4, line 2"
        from ..notebook import localize  # deferred: only notebooks need the cell map
        localize(result, line_map)
    return result


def collect(ev: Evaluator, result: FileResult) -> None:
    if ev.models:
        from .models import ModelResult  # deferred: a file without models never loads the model and inference modules
    seen = set()
    diags = []

    def add(d):
        key = (d.code, d.line, d.primary.span.column if d.primary else None, d.message)
        if d.primary is not None and d.severity in ("error", "warning"):
            # a layer built in a loop fails once per iteration on the same line: one diagnostic for the line
            key = (d.code, d.primary.span)
        if key not in seen:
            seen.add(key)
            diags.append(d)

    in_models = set()
    for model in ev.models:
        if not model.runs:
            continue
        run = next((r for r in model.runs if r.key != ("?",)), model.runs[0])
        ops = run.program.ops
        for i, op in enumerate(ops):
            for d in op.diagnostics:
                d.model, d.layer = model.display_name, i
        for r in model.runs:
            for op in r.program.ops:
                in_models.add(id(op))
            for d in r.inference.diagnostics:
                if model.uncertain and d.severity in ("error", "warning"):
                    continue
                if d.model in (None, "", "<functional>") or d.model == r.program.name:
                    d.model = model.display_name
                add(d)
        if model.uncertain and not getattr(model, "cut", False) and \
                any(d.severity != "info" for r in model.runs for d in r.inference.diagnostics):
            ev.info("unfollowed-code", model.node, detail=f"`{model.display_name}` is built differently depending "
                    "on values known only at run time; its shapes are not checked")
        if model.reported:
            line = model.node.lineno if model.node is not None else None
            result.models.append(ModelResult(model.display_name, model.framework, line, run.program,
                                             uncertain=model.uncertain))
    for inf in (ev.state.keras_graph, ev.state.script_run):
        if inf is not None:
            for d in inf.diagnostics:
                if d.model in ("<functional>", "<script>"):
                    d.model = None  # a tensor computation that no model of this file contains
                add(d)
    for d in ev.diagnostics:
        add(d)
    _no_fixes_for_loop_lines(ev)
    for d in diags:
        d.file = d.file or result.path
    result.diagnostics = sorted(diags, key=lambda d: d.sort_key())


def _no_fixes_for_loop_lines(ev) -> None:
    """A line that runs several times on different shapes (a U-Net decoder level in a loop) cannot take a fix worked
    out for one of those runs: padding the first level breaks the next. Such fixes are shown, not applied."""
    runs = [r.inference for m in ev.models for r in m.runs] + \
        [inf for inf in (ev.state.keras_graph, ev.state.script_run) if inf is not None]
    if not any(d.fix is not None and d.fix.per_shape for inf in runs for d in inf.diagnostics):
        return  # the usual case: nothing to weigh, no need to index every op's shapes
    # only the lines of the ops whose diagnostic carries such a fix need their shapes indexed (a 10,000-layer model
    # with one error would otherwise index every op)
    targets = {op.layer.origin.span for inf in runs for op in inf.program.ops if op.diagnostics and any(
        d.fix is not None and d.fix.edits and d.fix.per_shape for d in op.diagnostics)} - {None}
    lines = {span.line for span in targets}
    shapes: dict = {}
    for inf in runs:
        for op in inf.program.ops:
            span = op.layer.origin.span
            if span is not None and span.line in lines and span in targets:
                shapes.setdefault(span, set()).add(tuple(getattr(v, "shape", None) for v in op.inputs))
    for inf in runs:
        for op in inf.program.ops:
            if not op.diagnostics or len(shapes.get(op.layer.origin.span, ())) < 2:
                continue
            for d in op.diagnostics:
                if d.fix is not None and d.fix.edits and d.fix.per_shape:
                    d.fix = type(d.fix)("display-only", d.fix.title + " (this line runs several times on "
                                        "different shapes; one edit cannot fit them all)", [])
