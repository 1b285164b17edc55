"""Which axis of a tensor each size in a reshape was read from, by the names the code gives them.

``b, n, d = tokens.shape`` then ``h = w = int(n ** 0.5)`` then ``tokens.reshape(b, d, h, w)``: the sizes say
(B, 64, 8, 8), which hides nothing when N == D -- but the names say the target reads axes 0, 2, 1, 1 of ``tokens``,
so the features were put before the tokens without moving them (a reshape re-reads memory; only a transpose
moves an axis). The rule of the reshape (rules/torch/tensor_ops.py) gets the axes as ``layer.extra["target_axes"]``:
one tuple of source axes per target size (several for a product ``n * d``), None where the names say nothing.
"""
from __future__ import annotations

import ast
from typing import Optional

from ...diagnostics.fixes.source import enclosing, node_at
from ...core.program import Span

_SIZE_READS = ("shape", "size")


def target_axes(call_node: ast.Call, lines: list) -> Optional[tuple]:
    """For ``x.reshape(...)`` / ``x.view(...)``: the source axes of each target size, or None when the call has
    no plain receiver or sits outside a function."""
    call = node_at(_span(call_node), lines, ast.Call) if call_node is not None else None
    func = getattr(call, "func", None)
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name):
        return None
    receiver = func.value.id
    fn = enclosing(call, (ast.FunctionDef, ast.AsyncFunctionDef))
    if fn is None:
        return None
    axes = _names_to_axes(fn, receiver, call.lineno)
    args = call.args[0].elts if len(call.args) == 1 and isinstance(call.args[0], (ast.Tuple, ast.List)) \
        else call.args
    return tuple(_axes_of(a, axes, receiver) for a in args)


def batch_written(call_node: ast.Call, lines: list):
    """(the span of the first size, the tensor's name) when ``x.view(B, ...)`` / ``x.reshape(B, ...)`` writes its
    first size as something other than a read of ``x`` (``x.size(0)``, ``len(x)``) or -1 -- a number or a configured
    batch size, fixed when the code was written; else None."""
    call = node_at(_span(call_node), lines, ast.Call) if call_node is not None else None
    func = getattr(call, "func", None)
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name) or not call.args:
        return None
    first = call.args[0].elts[0] if len(call.args) == 1 and isinstance(call.args[0], (ast.Tuple, ast.List)) and \
        call.args[0].elts else call.args[0]
    if isinstance(first, ast.UnaryOp) and isinstance(first.operand, ast.Constant) or isinstance(first, ast.Starred):
        return None  # -1, *shape
    fn = enclosing(call, (ast.FunctionDef, ast.AsyncFunctionDef))
    axes = _names_to_axes(fn, func.value.id, call.lineno) if fn is not None else {}
    if _axes_of(first, axes, func.value.id) is not None or \
            any(isinstance(n, ast.Name) and n.id == func.value.id for n in ast.walk(first)):
        return None
    return _span(first), func.value.id


def _span(node):
    return Span.of(node)


def axis_read(node) -> Optional[tuple]:
    """(the tensor's name, k) for a size read from one axis of a named tensor: ``x.shape[k]``, ``x.size(k)``,
    ``len(x)`` (axis 0); None for anything else."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "shape" \
            and isinstance(node.value.value, ast.Name) and _axis_number(node.slice) is not None:
        return node.value.value.id, _axis_number(node.slice)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "size" and \
            isinstance(node.func.value, ast.Name) and len(node.args) == 1 and not node.keywords and \
            _axis_number(node.args[0]) is not None:
        return node.func.value.id, _axis_number(node.args[0])
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" and \
            len(node.args) == 1 and isinstance(node.args[0], ast.Name):
        return node.args[0].id, 0
    return None


def _axis_number(node) -> Optional[int]:
    """``1`` or ``-1`` written as the axis: the int; None for anything else."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _axis_number(node.operand)
        return -inner if inner is not None else None
    return node.value if isinstance(node, ast.Constant) and type(node.value) is int else None


def _read(node, receiver: str) -> Optional[int]:
    """``x.shape[k]`` / ``x.size(k)`` of ``receiver``: k, when written as a non-negative number."""
    found = axis_read(node)
    return found[1] if found is not None and found[0] == receiver and found[1] >= 0 else None


def _whole_shape(node, receiver: str) -> bool:
    """``x.shape`` / ``x.size()`` of ``receiver``."""
    if isinstance(node, ast.Attribute) and node.attr == "shape" and isinstance(node.value, ast.Name):
        return node.value.id == receiver
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "size" and \
        isinstance(node.func.value, ast.Name) and node.func.value.id == receiver and not node.args


def _names_to_axes(fn, receiver: str, before: int) -> dict:
    """name -> frozenset of the receiver's axes it was computed from, for the function's assignments before line
    ``before`` (in order; a name assigned again from something else is forgotten)."""
    axes: dict = {}
    assigns = sorted((n for n in ast.walk(fn) if isinstance(n, ast.Assign) and n.lineno < before),
                     key=lambda n: (n.lineno, n.col_offset))
    for stmt in assigns:
        if any(isinstance(n, ast.Name) and n.id == receiver for t in stmt.targets for n in ast.walk(t)):
            axes.clear()  # `x = x.permute(2, 3, 0, 1)`: sizes read before are of axes x no longer has in that order
            continue
        for target in stmt.targets:
            if isinstance(target, ast.Tuple) and _whole_shape(stmt.value, receiver):
                for k, elt in enumerate(target.elts):
                    if isinstance(elt, ast.Name):
                        axes[elt.id] = frozenset((k,))
            elif isinstance(target, ast.Name):
                found = _axes_of(stmt.value, axes, receiver)
                if found is None:
                    axes.pop(target.id, None)
                else:
                    axes[target.id] = frozenset(found)
    return axes


def _axes_of(node, axes: dict, receiver: str) -> Optional[tuple]:
    """The receiver's axes a size expression is made of: a name read from the shape, ``x.shape[k]``, or an
    expression whose every name is one; None when any part is something else (a literal counts as nothing)."""
    k = _read(node, receiver)
    if k is not None:
        return (k,)
    if isinstance(node, ast.Name):
        return tuple(sorted(axes[node.id])) if node.id in axes else None
    if isinstance(node, ast.Constant):
        return None
    if isinstance(node, ast.BinOp):
        parts = [node.left, node.right]
    elif isinstance(node, ast.UnaryOp):
        parts = [node.operand]
    elif isinstance(node, ast.Call) and not node.keywords:  # int(n ** 0.5), math.isqrt(n): the arguments
        parts = list(node.args)
    else:
        return None
    found = set()
    for sub in parts:
        if isinstance(sub, ast.Constant):
            continue
        part = _axes_of(sub, axes, receiver)
        if part is None:
            return None
        found.update(part)
    return tuple(sorted(found)) if found else None
