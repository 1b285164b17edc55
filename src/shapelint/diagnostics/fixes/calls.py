"""Edits on calls in the user's source, for the checks that know which call to change: a keyword set or added, a
string literal replaced, a callee renamed, an element removed from a list or a call's arguments, an expression
wrapped in a call. Each takes ``ast`` nodes the check already has (from ``api.Call``) -- never a diagnostic's text."""
from __future__ import annotations

import ast
from typing import Optional

from ...core.program import Span
from ..model import Edit
from .source import _line, _source_text, parent_of


def keyword_edit(call: ast.Call, name: str, value: str, lines=None, order: Optional[list] = None) -> Optional[Edit]:
    """Set keyword ``name`` of a call to ``value``: replace it, or add it before the closing parenthesis. Given the
    file's ``lines``, a call whose arguments end with a trailing comma (``f(\n    a,\n)``) gets the keyword without
    another comma. Given the callee's parameters in ``order``, a keyword that comes before every keyword the call
    gives (and the call gives no positional one) is written first, where a reader of the signature looks for it."""
    for kw in call.keywords:
        if kw.arg == name:
            return Edit(Span.of(kw.value), value)
    if order and name in order and not call.args and call.keywords and all(
            k.arg in order and order.index(k.arg) > order.index(name) for k in call.keywords):
        first = Span.of(call.keywords[0])
        if first is not None:
            return Edit(Span(first.line, first.column, first.line, first.column), f"{name}={value}, ")
    end = Span.of(call)
    if end is None:
        return None
    if len(call.args) == 1 and not call.keywords and isinstance(call.args[0], ast.GeneratorExp):
        return None  # `f(x for x in y)`: another argument would need the generator parenthesised
    pos = Span(end.end_line, end.end_column - 1, end.end_line, end.end_column - 1)
    given = call.args or call.keywords
    last = _last_argument(call)
    if given and lines is not None and _trailing_comma(call, end, lines):
        return Edit(pos, f"{name}={value}")
    if given and lines is None and last is not None and last.end_line < end.end_line:
        # the closing parenthesis on a line of its own (the layout black gives, with a trailing comma): right
        # after the last argument, so a trailing comma stays where it is
        return Edit(Span(last.end_line, last.end_column, last.end_line, last.end_column), f", {name}={value}")
    return Edit(pos, (", " if given else "") + f"{name}={value}")


def _last_argument(call: ast.Call) -> Optional[Span]:
    spans = [Span.of(a) for a in call.args] + [Span.of(k.value) for k in call.keywords]
    return max((s for s in spans if s is not None), key=lambda s: (s.end_line, s.end_column), default=None)


def _trailing_comma(call: ast.Call, end: Span, lines) -> bool:
    """The text between the call's last argument and its closing parenthesis holds a comma (only closing
    parentheses of that argument, blanks and comments may stand there otherwise)."""
    last = _last_argument(call)
    if last is None:
        return False
    text = []
    for ln in range(last.end_line, end.end_line + 1):
        if not 0 < ln <= len(lines):
            return False
        raw = lines[ln - 1].encode()
        start = last.end_column - 1 if ln == last.end_line else 0
        stop = end.end_column - 1 if ln == end.end_line else len(raw)
        text.append(raw[start:stop].decode(errors="replace").split("#", 1)[0])
    return "," in "".join(text)


def string_edit(node, new: str) -> Optional[Edit]:
    """A string literal replaced by ``new`` (quoted as the file quotes: double quotes)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Edit(Span.of(node), f'"{new}"')
    return None


def rename_call(node, names: dict) -> Optional[Edit]:
    """``keras.losses.CategoricalCrossentropy()`` -> ``...SparseCategoricalCrossentropy()``: the callee renamed."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    old = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else None)
    if old not in names:
        return None
    end = Span.of(func)
    return Edit(Span(end.end_line, end.end_column - len(old), end.end_line, end.end_column), names[old])


def loss_edit(node, function: str, cls: str) -> Optional[Edit]:
    """A loss swapped for another however it is written: ``"name"``, ``keras.losses.name`` (the function) or
    ``keras.losses.Class(...)`` (the object; its arguments kept)."""
    if isinstance(node, ast.Call):
        old = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        return rename_call(node, {old: cls}) if old and old != cls else None
    if isinstance(node, (ast.Attribute, ast.Name)):
        end = Span.of(node)
        old = node.attr if isinstance(node, ast.Attribute) else node.id
        return Edit(Span(end.end_line, end.end_column - len(old), end.end_line, end.end_column), function)
    return string_edit(node, function)


def remove_element_edit(node, lines: list) -> Optional[Edit]:
    """Delete a list / call-argument element with its separator: its whole line when it sits on its own line,
    else the text between it and its neighbour."""
    parent = parent_of(node)
    items = parent.elts if isinstance(parent, (ast.List, ast.Tuple)) else getattr(parent, "args", [])
    if node not in items or len(items) < 2:
        return None
    line = _line(lines, node.lineno)
    if node.lineno == node.end_lineno and not line[: node.col_offset].strip() and \
            line[node.end_col_offset:].strip() in (",", "") and node.lineno < len(lines):
        return Edit(Span(node.lineno, 1, node.lineno + 1, 1), "")
    i = items.index(node)
    if i > 0:
        prev = items[i - 1]
        return Edit(Span(prev.end_lineno, prev.end_col_offset + 1, node.end_lineno, node.end_col_offset + 1), "")
    nxt = items[1]
    return Edit(Span(node.lineno, node.col_offset + 1, nxt.lineno, nxt.col_offset + 1), "")


def wrap_in_call(node, func: str, extra: str, lines: list) -> Optional[Edit]:
    """``y_val`` -> ``to_categorical(y_val, 3)``."""
    code = _source_text(Span.of(node), lines, atom=False) if node is not None else None
    return Edit(Span.of(node), f"{func}({code}{extra})") if code is not None else None
