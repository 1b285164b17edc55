"""Spelling a root cause's fix in the user's source: the call at a span, a method appended to an expression (a
keyword set on a call is ``diagnostics.fixes.calls.keyword_edit``). Every edit is checked by the fix contract before
anyone sees it."""
from __future__ import annotations

import ast
import math
from typing import Optional

from ..core.program import Span
from ..diagnostics.fixes.edits import append_edit
from ..diagnostics.fixes.source import function_at, node_at, tree_of
from ..diagnostics.model import Edit
from ..core import provenance


def call_at(ctx, span: Optional[Span]) -> Optional[ast.Call]:
    node = node_at(span, ctx.lines, ast.Call) if span is not None else None
    return node if isinstance(node, ast.Call) else None


def append(ctx, span: Optional[Span], suffix: str) -> Optional[Edit]:
    """``expr`` -> ``expr.suffix`` in the checked source (diagnostics/fixes/edits.append_edit)."""
    return append_edit(span, suffix, ctx.lines)


def receiver(call: ast.Call) -> Optional[str]:
    """``x`` in ``x.view(...)`` when it is a plain name or attribute chain (safe to repeat in the fix)."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    probe = func.value
    while isinstance(probe, ast.Attribute):
        probe = probe.value
    return ast.unparse(func.value) if isinstance(probe, ast.Name) else None


def replace_args(call: ast.Call, text: str) -> Optional[Edit]:
    """Replace every positional argument of ``call`` (``x.view(-1)`` -> ``x.view(x.size(0), -1)``)."""
    if not call.args or call.keywords:
        return None
    a, b = Span.of(call.args[0]), Span.of(call.args[-1])
    return Edit(Span(a.line, a.column, b.end_line, b.end_column), text)


def source_of(ctx, node) -> Optional[str]:
    return ctx.segment(node) if node is not None else None


def edited_text(ctx, span: Optional[Span], edit: Optional[Edit]) -> Optional[str]:
    """The text at one-line ``span`` once ``edit`` (inside it) is applied: how the fixed call reads, for the help."""
    text = ctx.text(span)
    if text is None or edit is None or edit.span.line != span.line or edit.span.end_line != span.line or \
            not span.column <= edit.span.column <= edit.span.end_column <= span.end_column or not text.isascii():
        return None
    a, b = edit.span.column - span.column, edit.span.end_column - span.column
    return text[:a] + edit.text + text[b:]


def module_name_for(ctx, span: Optional[Span]) -> Optional[str]:
    """The module-level name a literal was assigned to (``d_model`` in ``d_model, heads = 128, 8``)."""
    if span is None or _first_call_argument(ctx, span):
        return None  # `nn.Linear(17, ...)`: no need to parse and index a (maybe 10,000-line) file to see that
    node = node_at(span, ctx.lines, ast.Constant)
    parent = getattr(node, "_shapelint_parent", None)
    target = None
    if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1:
        target = parent.targets[0]
    elif isinstance(parent, ast.Tuple):
        stmt = getattr(parent, "_shapelint_parent", None)
        if isinstance(stmt, ast.Assign) and stmt.value is parent and len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Tuple) and len(stmt.targets[0].elts) == len(parent.elts):
            target = stmt.targets[0].elts[parent.elts.index(node)]
            parent = stmt
    if not isinstance(target, ast.Name) or not isinstance(getattr(parent, "_shapelint_parent", None), ast.Module):
        return None
    return target.id


def _first_call_argument(ctx, span: Span) -> bool:
    """Whether the text before ``span`` on its line ends with a name (or a closing bracket) and an opening
    parenthesis: the literal there is the first argument of a call (or follows a keyword such as ``in``), never the
    value of an assignment nor an item of an assigned tuple."""
    if not 0 < span.line <= len(ctx.lines):
        return False
    before = ctx.lines[span.line - 1].encode()[: span.column - 1].rstrip(b" \t")
    if not before.endswith(b"("):
        return False
    last = before[:-1].rstrip(b" \t")[-1:]
    return bool(last) and (last.isalnum() and last.isascii() or last in b"_)]")


def _factors(value) -> Optional[list]:
    """The factors a size was multiplied from (``16 * 4 * 4`` for a flattened (N, 16, 4, 4) map), ones left out."""
    o = provenance.origin_of(value)
    if isinstance(o, provenance.Produced):
        o = o.inner
    if not isinstance(o, provenance.Computed) or o.op != "*":
        return None
    out = []
    for v in o.operands:
        inner = _factors(v)
        if inner is not None:
            out.extend(inner)
        elif isinstance(v, int) and int(v) != 1:
            out.append(int(v))
    return out


def size_name(layer, value) -> Optional[str]:
    """The name ``value`` (a Sized) had in scope where ``layer`` was built (``dim`` in ``MixerBlock.__init__``), or
    None (frontends/source/layers._record_size_names)."""
    entry = (layer.extra.get("size_names") or {}).get(id(value)) if layer is not None else None
    return entry[1] if entry is not None and entry[0] is value else None


def spelled_from_provenance(ctx, value, layer=None, call=None, depth: int = 0) -> Optional[str]:
    """``value`` written with the names its parts have: itself by name where ``layer`` is built (``ctx_dim``), else
    the sum or product of the named sizes it was computed from (``DEC_HID_DIM + ENC_HID_DIM * 2``: a decoder state
    joined to a bidirectional encoder's outputs; ``hp["emb_dim"] + hp["enc_hidden"] * 2`` as the function building
    the layer, ``call``, reads its config). Small factors nobody named (the two directions) stay numbers; None when
    any other part has no name, or no part has one -- the number says it better."""
    name = size_name(layer, value)
    if name is not None:
        return name
    o = provenance.origin_of(value)
    o = o.inner if isinstance(o, provenance.Produced) else o
    if isinstance(o, provenance.Written):
        spelled = module_spelling(ctx, value) if int(value) != 1 else None
        if spelled is None:
            return None
        return spelled_in_scope(ctx, call, *spelled) if call is not None else spelled[0]
    if not isinstance(o, provenance.Computed) or o.op not in ("+", "*") or depth > 6:
        return None
    parts = []
    for x in o.operands:
        if o.op == "*" and int(x) == 1:
            continue
        text = spelled_from_provenance(ctx, x, layer, call, depth + 1)
        if text is None and 1 < int(x) <= 8 and not isinstance(provenance.origin_of(x), provenance.Computed):
            text = str(int(x))
        if text is None:
            return None
        parts.append(f"({text})" if o.op == "*" and " + " in text else text)
    if o.op == "*":  # the number last: `ENC_HID_DIM * 2`
        parts = [p for p in parts if not p.isdigit()] + [p for p in parts if p.isdigit()]
    if not parts or all(p.isdigit() for p in parts):
        return None
    return f" {o.op} ".join(parts)


def spell_size(ctx, value, written: Optional[str], layer=None, was: Optional[int] = None) -> str:
    """How to write ``value`` in place of ``written`` (the argument's current text): the name the size has where
    the layer is built (a parameter such as ``dim``), the module-level name it was given (``d_model``), the same
    product written with the received factors (``16 * 4 * 4`` where ``16 * 5 * 5`` was), else the number."""
    name = size_name(layer, value)
    if name is not None:
        return name
    name = module_name_for(ctx, provenance.root_span(value)) \
        if isinstance(provenance.origin_of(value), provenance.Written) else None
    if name is not None:
        return name
    built_by = call_at(ctx, layer.origin.span) if layer is not None else None
    composed = spelled_from_provenance(ctx, value, layer, built_by)
    if composed is not None:
        return composed
    if written and "*" in written:
        try:
            tree = ast.parse(written.strip(), mode="eval").body
        except SyntaxError:
            tree = None
        literals = []
        while isinstance(tree, ast.BinOp) and isinstance(tree.op, ast.Mult) and isinstance(tree.right, ast.Constant):
            literals.append(tree.right.value)
            tree = tree.left
        if isinstance(tree, ast.Constant):
            literals.append(tree.value)
        factors = _factors(value)
        if factors and len(factors) == len(literals) and len(factors) > 1 and \
                all(isinstance(v, int) for v in literals):
            return " * ".join(str(f) for f in factors)
        grid = _grid_respelled(tree, literals[0], int(value), was) if len(literals) == 2 and \
            literals[0] == literals[1] and tree is not None and not isinstance(tree, ast.Constant) else None
        if grid is not None:
            return grid
    return str(int(value))


def _grid_respelled(rest, k, value: int, was) -> Optional[str]:
    """``last * 7 * 7`` (a width times a square grid written as two equal numbers) for ``value`` features that are
    the same width times another square grid: ``last * 4 * 4`` -- the width keeps its name. ``was``: the number the
    written product gives now."""
    if not isinstance(k, int) or k < 1 or not isinstance(was, int) or was % (k * k) or \
            not any(isinstance(n, (ast.Name, ast.Attribute, ast.Subscript)) for n in ast.walk(rest)):
        return None
    width = was // (k * k)
    if width < 1 or value % width:
        return None
    side = math.isqrt(value // width)
    if side * side != value // width or side == k or side < 1:
        return None
    return f"{ast.unparse(rest)} * {side} * {side}"


def module_spelling(ctx, value) -> Optional[tuple]:
    """(text, key) naming ``value`` at module level: ``N_CHANNELS`` for ``N_CHANNELS = 1``, ``HP["channels"]`` for
    the entry ``"channels": 1`` of ``HP = {...}``; None otherwise."""
    for leaf in [value, *provenance.leaves(value)]:
        o = provenance.origin_of(leaf)
        o = getattr(o, "inner", None) or o if isinstance(o, provenance.Produced) else o
        counted = _module_length(ctx, o) if int(leaf) == int(value) else None
        if counted is not None:
            return counted
        if not isinstance(o, provenance.Written) or int(leaf) != int(value):
            continue
        name = module_name_for(ctx, o.span)
        if name is not None:
            return name, name
        node = node_at(o.span, ctx.lines, ast.Constant)
        table = getattr(node, "_shapelint_parent", None)
        stmt = getattr(table, "_shapelint_parent", None)
        if isinstance(table, ast.Dict) and isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and \
                isinstance(stmt.targets[0], ast.Name) and _module_scope(getattr(stmt, "_shapelint_parent", None)):
            key = next((k for k, v in zip(table.keys, table.values) if v is node), None)
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                return f'{stmt.targets[0].id}["{key.value}"]', key.value
    return None


def _module_length(ctx, origin) -> Optional[tuple]:
    """("len(BANDS)", "BANDS") when a size was counted as ``len(NAME)`` of a list bound at module level
    (``BANDS = ["B04", "B03", "B02", "B08"]``): the list names what the size counts."""
    if not isinstance(origin, provenance.Computed) or origin.op != "len" or not origin.text:
        return None
    try:
        call = ast.parse(origin.text, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(call, ast.Call) or len(call.args) != 1 or not isinstance(call.args[0], ast.Name):
        return None
    name = call.args[0].id
    tree = tree_of(ctx.lines)
    bound = tree is not None and any(isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name
                                                                      for t in s.targets) for s in tree.body)
    return (origin.text, name) if bound else None


def _module_scope(node) -> bool:
    """The module, or an ``if`` at module level (``if __name__ == "__main__":``): a name bound there is a global."""
    while isinstance(node, ast.If):
        node = getattr(node, "_shapelint_parent", None)
    return isinstance(node, ast.Module)


def spelled_in_scope(ctx, call: ast.Call, text: str, key: str) -> str:
    """How the function holding ``call`` itself reads the table entry ``text`` names: a builder given the config
    as ``cfg`` writes ``cfg["stem_filters"]`` beside the call, and the fix should too rather than reach past its
    parameter to the module's ``CONFIG``. ``text`` when the function reads the key under no other name."""
    tree = tree_of(ctx.lines)
    scope = function_at(tree, call.lineno) if tree is not None and text.endswith(f'["{key}"]') else None
    if scope is None:
        return text
    spelled = {ast.unparse(n) for n in ast.walk(scope) if isinstance(n, ast.Subscript) and
               isinstance(n.value, ast.Name) and isinstance(n.slice, ast.Constant) and n.slice.value == key}
    spelled = {s.replace("'", '"') for s in spelled}
    if len(spelled) == 1:
        return spelled.pop()
    # the function reads its other settings from one parameter (`cfg["lookback"]`): that is the table it was given
    params = {a.arg for a in scope.args.posonlyargs + scope.args.args + scope.args.kwonlyargs}
    readers = {n.value.id for n in ast.walk(scope) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)
               and n.value.id in params and isinstance(n.slice, ast.Constant) and isinstance(n.slice.value, str)}
    return f'{readers.pop()}["{key}"]' if len(readers) == 1 else text
