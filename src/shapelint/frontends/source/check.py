"""Check one Python source text: parse, abstractly interpret, collect models and diagnostics."""
from __future__ import annotations

import ast
import warnings
from typing import Optional

from ...core.errors import Mismatch
from ...core.program import Span
from ...diagnostics import fixes
from ...diagnostics.build import diagnostic_for
from ...diagnostics.model import Label
from ...result import FileResult
from .evaluator import Evaluator
from .models import ModelResult


def syntax_error_diagnostic(path: str, exc: SyntaxError, line_offset: int = 0, where: str = ""):
    line = (exc.lineno or 1) + line_offset
    col = exc.offset or 1
    detail = f"cannot check {where or 'this file'}: invalid Python syntax ({exc.msg}) at line {exc.lineno}"
    d = diagnostic_for(Mismatch("syntax-error", detail=detail), None, None, None, [])
    d.file = path
    d.primary = Label(Span(line, col, line, col + 1), "", path)
    return d


def check_source(path: str, source: str, line_map=None, tree: Optional[ast.Module] = None,
                 input_shape: Optional[tuple] = None) -> FileResult:
    """``input_shape`` (``--input-shape``) is the input of models that no call in the file feeds."""
    result = FileResult(path, source=source, line_map=line_map)
    if tree is None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(source, filename=path)
        except SyntaxError as exc:
            result.diagnostics.append(syntax_error_diagnostic(path, exc))
            return result
        except (ValueError, MemoryError, RecursionError) as exc:
            result.error = f"cannot parse: {exc}"
            return result
    ev = Evaluator(path, source, tree, line_map)
    if input_shape is not None:
        ev.state["input_shape"] = tuple(input_shape)
    ev.run()
    collect(ev, result)
    fixes.complete_fixes(result)
    return result


def collect(ev: Evaluator, result: FileResult) -> None:
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
        if model.uncertain and any(d.severity != "info" for r in model.runs for d in r.inference.diagnostics):
            ev.info("unfollowed-code", model.node, detail=f"`{model.display_name}` is built differently depending "
                    "on values known only at run time; its shapes are not checked")
        if model.reported:
            line = model.node.lineno if model.node is not None else None
            result.models.append(ModelResult(model.display_name, model.framework, line, run.program,
                                             uncertain=model.uncertain))
    for key in ("keras_graph", "script_run"):
        inf = ev.state.get(key)
        if inf is not None:
            for d in inf.diagnostics:
                if d.model in ("<functional>", "<script>"):
                    d.model = None  # a tensor computation that no model of this file contains
                add(d)
    for d in ev.diagnostics:
        add(d)
    _no_fixes_for_loop_lines(ev)
    _one_direction_of_a_bidirectional_state(ev)
    for d in diags:
        d.file = d.file or result.path
    result.diagnostics = sorted(diags, key=lambda d: d.sort_key())


def _one_direction_of_a_bidirectional_state(ev) -> None:
    """``self.fc(h_n[-1])`` after a bidirectional RNN, with ``fc = nn.Linear(2 * hidden, ...)``: ``h_n[-1]`` is the
    last layer's *backward* state only. Shrinking ``in_features`` would run and hide that; the fix is to join both
    directions, ``torch.cat((h_n[-2], h_n[-1]), dim=1)``, so no edit is offered and the help says so."""
    for m in ev.models:
        for r in m.runs:
            inf = r.inference
            for op in inf.program.ops:
                d = next((d for d in op.diagnostics if d.name == "feature-count-mismatch"), None)
                if d is None or op.layer.kind != "Linear" or not op.inputs or \
                        not (isinstance(d.expected, int) and isinstance(d.received, int)) or \
                        d.expected != 2 * d.received:
                    continue
                pick = inf.source_of(op.inputs[0])
                rnn = inf.producer_of(pick.inputs[0]) if pick is not None and pick.layer.kind == "getitem" and \
                    pick.inputs else None
                if rnn is None or rnn.layer.kind not in ("LSTM", "GRU", "RNN") or \
                        not rnn.layer.args.get("bidirectional") or rnn.output is None:
                    continue
                items = getattr(rnn.output, "items", ())
                states = [items[1]] if len(items) > 1 else []
                states += list(getattr(states[0], "items", ())) if states else []
                if not any(pick.inputs[0] is s_ for s_ in states):
                    continue
                d.help = ("the index picks one direction of the bidirectional state (the backward one for [-1]); "
                          "join both: `torch.cat((h_n[-2], h_n[-1]), dim=1)`, which has the "
                          f"{d.expected} features the layer expects")
                d.fix = _join_directions_fix(ev, pick)


def _join_directions_fix(ev, pick):
    """``h_n[-1]`` -> ``torch.cat((h_n[-2], h_n[-1]), dim=1)``, spelled as the file imports torch; else show only."""
    from ...diagnostics.fixes import node_at, spell
    from ...diagnostics.fixes.source import _parent
    from ...diagnostics.model import Edit, Fix
    title = "join both directions of the last layer's state with torch.cat"
    node = node_at(pick.layer.origin.span, ev.lines)
    if not isinstance(node, ast.Subscript) and isinstance(_parent(node), ast.Subscript):
        node = _parent(node)  # the op is located at its index (`-1`); the edit replaces `h_n[-1]`
    cat = spell("torch.cat", ev.lines)
    index = node.slice if isinstance(node, ast.Subscript) else None
    if cat is None or not (isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub) and
                           isinstance(index.operand, ast.Constant) and index.operand.value == 1):
        return Fix("display-only", title, [])
    base = ast.get_source_segment(ev.source, node.value)
    if base is None or "\n" in base:
        return Fix("display-only", title, [])
    return Fix("unsafe", title, [Edit(Span.of(node), f"{cat}(({base}[-2], {base}[-1]), dim=1)")])


def _no_fixes_for_loop_lines(ev) -> None:
    """A line that runs several times on different shapes (a U-Net decoder level in a loop) cannot take a fix worked
    out for one of those runs: padding the first level breaks the next. Such fixes are shown, not applied."""
    runs = [r.inference for m in ev.models for r in m.runs] + \
        [ev.state[k] for k in ("keras_graph", "script_run") if ev.state.get(k) is not None]
    shapes: dict = {}
    for inf in runs:
        for op in inf.program.ops:
            span = op.layer.origin.span
            if span is not None:
                shapes.setdefault(span, set()).add(tuple(getattr(v, "shape", None) for v in op.inputs))
    for inf in runs:
        for op in inf.program.ops:
            if len(shapes.get(op.layer.origin.span, ())) < 2:
                continue
            for d in op.diagnostics:
                if d.fix is not None and d.fix.edits and d.fix.per_shape:
                    d.fix = type(d.fix)("display-only", d.fix.title + " (this line runs several times on "
                                        "different shapes; one edit cannot fit them all)", [])
