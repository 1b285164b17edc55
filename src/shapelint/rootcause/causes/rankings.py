"""Top-k rankings compared with the labels: the ImageNet accuracy recipe transposes the (B, k) indices ``topk``
returns to (k, B) -- one row per rank -- before comparing them with ``target.view(1, -1)``; without ``pred.t()`` the
(1, B) labels cannot be expanded to (B, k), and ``correct[:k]`` would slice samples instead of ranks."""
from __future__ import annotations

import ast

from ...core.facts import RuleFacts
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.source import node_at
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause


def topk_indices_not_transposed(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in ("expand_as", "expand") or len(f.op.inputs) < 2:
        return
    labels, ranks = f.op.inputs[0], f.op.inputs[-1]
    made = f.inference.producer_of(ranks)
    if made is None or made.layer.kind != "topk" or made.layer.args.get("dim") not in (1, -1):
        return
    ls, rs = tuple(getattr(labels, "shape", None) or ()), tuple(getattr(ranks, "shape", None) or ())
    if len(ls) != 2 or len(rs) != 2 or ls[0] != 1 or ls[1] != rs[0] or rs[0] == rs[1]:
        return
    stmt = node_at(made.layer.origin.span, ctx.lines, ast.Call)
    while stmt is not None and not isinstance(stmt, (ast.Assign, ast.AnnAssign)):
        stmt = getattr(stmt, "_shapelint_parent", None)
    name = _indices_name(stmt)
    if name is None or stmt.end_lineno is None:
        return
    indent = ctx.lines[stmt.lineno - 1][:stmt.col_offset]
    line = stmt.end_lineno + 1
    help_text = remedies.transpose_topk_indices(name)
    yield Cause("targets-order", 80, Label(Span.of(stmt), remedies.topk_indices_label(rs), d.file),
                remedies.topk_indices_note(rs), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span(line, 1, line, 1), f"{indent}{name} = {name}.t()\n")]))


def _indices_name(stmt):
    """The name the indices of ``values, indices = x.topk(...)`` (or ``indices = x.topk(...)[1]``) are bound to."""
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return None
    target = stmt.targets[0]
    if isinstance(target, ast.Tuple) and len(target.elts) == 2 and isinstance(target.elts[1], ast.Name):
        return target.elts[1].id
    if isinstance(target, ast.Name) and isinstance(stmt.value, ast.Subscript):
        return target.id
    return None
