"""Reading the user's source for fixes: the node at a span, its parents, indentation, how the file imports a library
object (``spell``) and the text of an expression."""
from __future__ import annotations

import ast
import re
from typing import Optional

from ...core.program import Layer, Span
from ...libnames import canonical
from ...reading import take_parsed, too_costly

# -- reading the source ------------------------------------------------------------------------------------------
_TREES: dict = {}


def _tree(source_lines: list) -> Optional[ast.Module]:
    # keyed by the text, not the list: callers split the same file into fresh lists, and a big file parsed once per
    # fix candidate was most of an error-at-depth check
    text = "\n".join(source_lines)
    if text in _TREES:
        return _TREES[text]
    tree = take_parsed(text)
    try:  # a file too large to parse at once (it was checked in chunks) gets no fix that needs its tree
        tree = tree if tree is not None else ast.parse(text) if too_costly(text) is None else None
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        tree = None
    if len(_TREES) > 8:
        _TREES.clear()
    _TREES[text] = tree
    if tree is not None:
        tree._shapelint_by_span = _index(tree)  # type: ignore[attr-defined]
    return tree


def _index(tree: ast.AST) -> dict:
    """Give every node its parent (``_shapelint_parent``) and return (line, col, end_line, end_col) -> the nodes
    there in ``ast.walk`` order (breadth first: an outer node before those it holds), so that node_at is O(1), not a
    walk per call. One pass without ast.walk's and iter_child_nodes' generators: a 10,000-layer file has over 100,000
    nodes, and each edited text a fix is verified on is indexed again."""
    by_span: dict = {}
    order = [tree]
    node_type = ast.AST
    for node in order:  # grows as it goes: breadth first, as ast.walk
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                value._shapelint_parent = node  # type: ignore[attr-defined]
                order.append(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type):
                        item._shapelint_parent = node  # type: ignore[attr-defined]
                        order.append(item)
        line = getattr(node, "lineno", None)
        if line is not None:
            by_span.setdefault((line, node.col_offset, node.end_lineno, node.end_col_offset), []).append(node)
    return by_span


def tree_of(source_lines: list) -> Optional[ast.Module]:
    """The parsed source (cached; nodes know their parent as ``_shapelint_parent``), None when it cannot be."""
    return _tree(source_lines)


def node_at(span: Optional[Span], source_lines: list, kind=ast.expr) -> Optional[ast.AST]:
    """The outermost node of type ``kind`` that covers exactly ``span``."""
    tree = _tree(source_lines) if span is not None else None
    if tree is None:
        return None
    for node in _candidates(tree, span):
        if isinstance(node, kind) and Span.of(node) == span:
            return node
    return None


def self_assignment_line(span: Optional[Span], source_lines: list, modules=("np", "numpy", "tf", "torch")) \
        -> Optional[int]:
    """The line of a one-line ``x = x.f(...)`` / ``x = np.f(x, ...)`` whose call is at ``span``: the statement only
    changes ``x``, so deleting that line undoes what the call did (an axis move, a second ``.batch``). None for any
    other call."""
    call = node_at(span, source_lines, ast.Call)
    stmt = parent_of(call)
    if call is None or not isinstance(call.func, ast.Attribute) or not isinstance(stmt, ast.Assign) or \
            len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name) or stmt.lineno != stmt.end_lineno:
        return None
    module = isinstance(call.func.value, ast.Name) and call.func.value.id in modules
    acted_on = (call.args[0] if call.args else None) if module else call.func.value
    return stmt.lineno if isinstance(acted_on, ast.Name) and acted_on.id == stmt.targets[0].id else None


def _candidates(tree, span: Span) -> list:
    """The nodes whose Span.of may equal ``span`` (Span.of turns a missing end into the start), in walk order."""
    by_span = tree._shapelint_by_span
    found = by_span.get((span.line, span.column - 1, span.end_line, span.end_column - 1), [])
    if span.end_line == span.line and span.end_column == span.column:  # a node without end positions
        found = found + by_span.get((span.line, span.column - 1, None, None), [])
    return found


def parent_of(node):
    """The node that holds ``node`` in a tree read with ``tree_of`` (None at the top, or for a node of another tree)."""
    return getattr(node, "_shapelint_parent", None)


def enclosing(node, kinds):
    """The nearest node of type ``kinds`` that contains ``node`` (or is it), by the parents ``tree_of`` records:
    the statement of an expression, the function of a call."""
    while node is not None and not isinstance(node, kinds):
        node = parent_of(node)
    return node


def _statement_of(node):
    return enclosing(node, ast.stmt)


def _line(source_lines: list, n: int) -> str:
    return source_lines[n - 1] if 0 < n <= len(source_lines) else ""


def _indent_of(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _prefix(layer: Layer) -> str:
    """The module prefix the user spells this layer with: ``layers.`` for ``layers.Dense``, ``nn.`` for ``nn.Linear``."""
    callee = layer.callee or ""
    return callee[: callee.rfind(".") + 1] if "." in callee else ""


def is_atom(node) -> bool:
    """An expression an operator can follow without parentheses (a name, call, attribute, key, list, number)."""
    return isinstance(node, (ast.Name, ast.Call, ast.Attribute, ast.Subscript, ast.List, ast.Tuple, ast.Constant))


def is_atom_text(text: str) -> bool:
    """:func:`is_atom` of an expression's text (False when it does not parse)."""
    tree = parse_expression(text.strip())
    return tree is not None and is_atom(tree.body)


def _is_int_text(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+", text.strip()))


def _imports(source_lines: list) -> list:
    """(local name, canonical dotted path) for every import in the file."""
    tree = _tree(source_lines)
    if tree is not None and hasattr(tree, "_shapelint_imports"):  # once per tree: a walk of a big file is slow
        return tree._shapelint_imports
    out = []
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.asname:
                    out.append((a.asname, canonical(a.name)))
                else:  # `import torch.nn.functional` binds `torch`
                    top = a.name.split(".")[0]
                    out.append((top, canonical(top)))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                if a.name != "*":
                    out.append((a.asname or a.name, canonical(f"{node.module}.{a.name}")))
    if tree is not None:
        tree._shapelint_imports = out  # type: ignore[attr-defined]
    return out


def parameter_defaults(fn) -> dict:
    """Parameter name -> its default's node, for a ``def`` (positional and keyword-only parameters)."""
    a = fn.args
    params = [p.arg for p in a.posonlyargs + a.args]
    out = dict(zip(params[len(params) - len(a.defaults):], a.defaults))
    out.update({p.arg: d for p, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None})
    return out


def int_written(node) -> Optional[int]:
    """An int written as a literal (``3``, ``-1``), or None."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if type(value) is int else None


def parse_expression(text: str):
    """``text`` parsed as an expression (``ast.Expression``), or None when it is not one."""
    try:
        return ast.parse(text, mode="eval")
    except (SyntaxError, ValueError):
        return None


def module_value(tree, name: str):
    """The value node of the one module-level ``name = value`` (no other binding of ``name`` outside functions and
    classes), or None."""
    if tree is None:
        return None
    found, todo = [], list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue  # their names are their own
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    if len(found) != 1:
        return None
    parent = getattr(found[0], "_shapelint_parent", None)
    if not isinstance(parent, ast.Assign) or len(parent.targets) != 1 or parent.targets[0] is not found[0]:
        return None
    return parent.value


def spell(target: str, source_lines: list) -> Optional[str]:
    """How this file names the library object ``target`` (a canonical dotted name such as
    ``torch.nn.functional.pad``), using only names it imports; the shortest spelling, or None."""
    found = []
    for name, path in _imports(source_lines):
        for via in ("", ".keras"):  # `import tensorflow as tf` reaches Keras as `tf.keras`
            base = canonical(path + via) if via else path
            if target == base or target.startswith(base + "."):
                found.append(name + via + target[len(base):])
    return min(found, key=len) if found else None


def _source_text(span: Optional[Span], source_lines: list, atom: bool = True) -> Optional[str]:
    node = node_at(span, source_lines) if span is not None else None
    if node is None:
        return None
    code = ast.get_source_segment("\n".join(source_lines), node)
    if code is None or "\n" in code:
        return None
    return code if (not atom or is_atom(node)) else f"({code})"


def _plain_text(span: Optional[Span], source_lines: list) -> Optional[str]:
    """The text of a plain name or attribute chain (``y``, ``self.cls_token``): safe to repeat."""
    node = node_at(span, source_lines) if span is not None else None
    probe = node
    while isinstance(probe, ast.Attribute):
        probe = probe.value
    return ast.unparse(node) if isinstance(probe, ast.Name) else None


def _free_name(base: str, source_lines: list) -> str:
    text = "\n".join(source_lines)
    name, n = base, 2
    while re.search(rf"\b{name}\b", text):
        name, n = f"{base}{n}", n + 1
    return name


def declared_shape_node(span: Optional[Span], source_lines: list):
    """The shape tuple of an input declaration: ``keras.Input(shape=(...))``'s, or ``input_shape=(...)`` itself."""
    node = node_at(span, source_lines) if span is not None else None
    if isinstance(node, ast.Call):
        for kw in node.keywords:
            if kw.arg in ("shape", "input_shape", "batch_shape"):
                return kw.value
        return node.args[0] if node.args else None
    return node if isinstance(node, (ast.Tuple, ast.List, ast.Constant)) else None


def function_at(tree, line: int):
    """The innermost function whose body holds ``line``, or None at module level: names written there are in scope
    at ``line``."""
    inner = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
             and n.lineno <= line <= (n.end_lineno or n.lineno)]
    return max(inner, key=lambda n: n.lineno, default=None)


def size_arguments(call) -> list:
    """The size expressions a shape-making call is given: ``f(a, b)``, ``f((a, b))``, and the module functions'
    ``np.reshape(x, (a, b))`` / ``tf.reshape(x, [a, b])``."""
    func = call.func
    args = list(call.args)
    if isinstance(func, ast.Attribute) and func.attr == "reshape" and isinstance(func.value, ast.Name) and \
            func.value.id in ("np", "numpy", "tf", "torch", "ops"):
        shape = next((k.value for k in call.keywords if k.arg in ("shape", "newshape")), None)
        args = [shape] if shape is not None else args[1:]
    if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)):
        return list(args[0].elts)
    return args
