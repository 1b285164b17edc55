"""Sliding windows counted past the end of the series: ``n = len(arr) - window`` windows, each with a target
``arr[i + window:i + window + horizon]``. The last ``horizon - 1`` targets are cut short by the end of the array, and
``np.stack`` fails on their shapes (or a loader does). The stack is where it surfaces; the count is the mistake: the
last window must end inside the array, ``i + window + horizon <= len(arr)``, so there are
``len(arr) - window - horizon + 1`` of them. Padding the series or trimming the stacked list would run and hide it."""
from __future__ import annotations

import ast
from typing import Optional

from ...diagnostics import remedies
from ...diagnostics.fixes.source import enclosing, node_at, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ...core.program import Span
from ..cause import Cause
from ..sites import single_binding
from .numbers import declared_and_data


def windows_past_the_end(ctx, d):
    if d.name != "merge-shape-mismatch" or d.primary is None:
        return
    call = node_at(d.primary.span, ctx.lines, ast.Call)
    comp = call.args[0] if isinstance(call, ast.Call) and call.args else None
    if not isinstance(comp, ast.ListComp) or len(comp.generators) != 1 or comp.generators[0].ifs:
        return
    gen = comp.generators[0]
    count = _range_count(gen.iter)
    if not isinstance(gen.target, ast.Name) or count is None:
        return
    found = _window_slice(comp.elt, gen.target.id)
    if found is None:
        return
    array, ends = found
    spelled_ends = " - ".join(_atom(ctx, t) for t in ends)
    end = " + ".join(_atom(ctx, t) for t in ends)
    new_count = f"len({ctx.text(Span.of(array))}) - {spelled_ends} + 1"
    site = _count_site(count, call)
    if site is None or ctx.text(Span.of(site)) == new_count:
        return
    help_text = remedies.count_full_windows(new_count)
    yield Cause("window-count", 84, Label(Span.of(site), remedies.window_count_label(), d.file),
                remedies.window_count_note(end), help_text, fix=Fix("unsafe", help_text, [Edit(Span.of(site), new_count)]))


def _range_count(node) -> Optional[ast.expr]:
    """N of ``range(N)`` or ``range(0, N)``."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range") or \
            node.keywords:
        return None
    if len(node.args) == 1:
        return node.args[0]
    if len(node.args) == 2 and isinstance(node.args[0], ast.Constant) and node.args[0].value == 0:
        return node.args[1]
    return None


def _window_slice(elt, var: str) -> Optional[tuple]:
    """(the array, the terms its slice's end adds to ``var``) for ``arr[var + a:var + a + b, ...]`` (the slice on the
    first axis), or None."""
    if not isinstance(elt, ast.Subscript):
        return None
    first = elt.slice.elts[0] if isinstance(elt.slice, ast.Tuple) and elt.slice.elts else elt.slice
    if not isinstance(first, ast.Slice) or first.upper is None or first.step is not None:
        return None
    terms = _sum_terms(first.upper)
    rest = [t for t in terms if not (isinstance(t, ast.Name) and t.id == var)]
    if len(rest) != len(terms) - 1 or not rest or any(_mentions(t, var) for t in rest):
        return None
    return elt.value, rest


def _sum_terms(node) -> list:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _sum_terms(node.left) + _sum_terms(node.right)
    return [node]


def _mentions(node, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _atom(ctx, node) -> str:
    text = ctx.text(Span.of(node)) or ""
    return text if isinstance(node, (ast.Name, ast.Attribute, ast.Constant, ast.Subscript, ast.Call)) else f"({text})"


def _count_site(count, call) -> Optional[ast.expr]:
    """Where the number of windows is written: ``range(len(arr) - window)`` itself, or the one assignment of the name
    it reads in the same function (``n_samples = len(arr) - window``)."""
    if not isinstance(count, ast.Name):
        return count
    return single_binding(enclosing(call, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)), count.id)


def window_without_its_target(ctx, d):
    """A tf.data forecaster's windows cut to the model's length and then split into inputs and the next value:
    ``ds.window(window_size, ...)``, ``flat_map(lambda w: w.batch(window_size))``, then ``map(lambda w: (w[:-1],
    w[-1]))`` leaves ``window_size - 1`` input steps for a model declared with ``window_size``. The window must hold
    the target too: ``window(window_size + 1)`` and ``batch(window_size + 1)``. Declaring the model one step shorter
    would run and drop a step the design asks for."""
    pairs = declared_and_data(d)
    if len(pairs) != 1 or not all(isinstance(v, int) for v in pairs[0]) or pairs[0][1] != pairs[0][0] - 1:
        return
    tree = tree_of(ctx.lines)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)] \
        if tree is not None else []
    windows = [c for c in calls if c.func.attr == "window" and c.args]
    if len(windows) != 1:
        return
    size = ast.unparse(windows[0].args[0])
    batches = [c for c in calls if c.func.attr == "batch" and len(c.args) == 1 and ast.unparse(c.args[0]) == size
               and enclosing(c, ast.Lambda) is not None]
    split = any(c.func.attr == "map" and ":-1" in (ctx.segment(c) or "").replace(" ", "") for c in calls)
    if len(batches) != 1 or not split:
        return
    edits = [Edit(Span.of(n.args[0]), f"{size} + 1") for n in (windows[0], batches[0])]
    help_text = remedies.window_with_target(size)
    yield Cause("formula", 82, Label(Span.of(windows[0]), remedies.window_without_target_label(size), d.file),
                remedies.window_without_target_note(size, pairs[0][0]), help_text,
                fix=Fix("unsafe", help_text, edits), strong=True)
