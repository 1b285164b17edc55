"""Numbers whose value is unknown but which are written as numbers: ``float(a != b)``, ``int(n) % 5``,
``random.randrange(len(ids))``, or a name assigned one in the same function. A tensor made from one
(``torch.tensor([different])``) has a known shape, and an index that is one drops an axis (``images[j]``), though
the value itself stays unknown."""
from __future__ import annotations

import ast

from ...core.program import Span
from ...diagnostics.fixes.source import enclosing, node_at

_NUMBER_BUILTINS = ("int", "float", "bool", "round", "len")
_NUMBER_CALLS = ("random.randrange", "random.randint", "math.floor", "math.ceil", "math.isqrt")


def written_as_number(ev, node, depth: int = 0) -> bool:
    if depth > 4 or node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _NUMBER_BUILTINS:
        return True
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
            ast.unparse(node.func) in _NUMBER_CALLS:
        return True
    if isinstance(node, ast.BinOp):
        return written_as_number(ev, node.left, depth + 1) and (
            isinstance(node.right, ast.Constant) or written_as_number(ev, node.right, depth + 1))
    if isinstance(node, ast.Name):
        here = node_at(Span.of(node), ev.lines)
        scope = enclosing(here, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)) if here is not None else None
        found = None
        for stmt in ast.walk(scope) if scope is not None else ():
            if isinstance(stmt, ast.Assign) and stmt.lineno < node.lineno and \
                    any(isinstance(t, ast.Name) and t.id == node.id for t in stmt.targets):
                if found is None or stmt.lineno > found.lineno:
                    found = stmt
        return found is not None and written_as_number(ev, found.value, depth + 1)
    return False
