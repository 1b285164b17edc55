"""Fix intents (what a rule wants changed) and their translation into text edits.

Rules know *what* to change ("set in_features to 256", "insert Flatten before this layer"); only this module knows
*how* that is spelled in the user's source. Applicability follows ruff:

* ``safe``          -- a literal fully determined by the inferred shape (``in_features``)
* ``unsafe``        -- changes the architecture or the data (insert ``Flatten``, ``return_sequences=True``)
* ``display-only``  -- several valid remedies; shown, never applied

Intents: :class:`SetArg` (set / replace a constructor argument), :class:`InsertBefore` / :class:`InsertAfter`
(a layer next to this one, in a ``Sequential([...])`` list, ``nn.Sequential(...)`` arguments, a ``model.add(...)``
chain or a functional ``x = Layer(...)(x)`` line), :class:`ReplaceText` (any expression, e.g. a loss string),
:class:`WrapValue` (append a method call such as ``.permute(0, 3, 1, 2)`` to an expression),
:class:`SelectFromTuple` (an RNN's tuple output inside ``nn.Sequential``) and :class:`DisplayOnly`.
Where the layer sits is read from the source itself (``ast``), so front-ends need not describe it.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Optional

from ..core.program import Layer, Span
from .model import Edit, Fix


@dataclass
class SetArg:
    """Set a constructor argument of this layer (``target='self'``) or of the layer that produced the input."""
    arg: str
    value: str
    applicability: str = "safe"
    target: str = "self"  # self | producer
    title: Optional[str] = None


@dataclass
class InsertBefore:
    """Insert a layer (written without module prefix, e.g. ``Flatten()``) just before this one."""
    layer_text: str
    applicability: str = "unsafe"
    title: Optional[str] = None


@dataclass
class InsertAfter:
    """Insert a layer (without module prefix) just after this one (``target='self'``) or after the producer."""
    layer_text: str
    applicability: str = "unsafe"
    target: str = "self"
    title: Optional[str] = None


@dataclass
class ReplaceText:
    """Replace the source text in ``span`` (e.g. ``'categorical_crossentropy'``) with ``text``."""
    span: Span
    text: str
    applicability: str = "unsafe"
    title: Optional[str] = None


@dataclass
class WrapValue:
    """Append ``suffix`` (``.permute(0, 3, 1, 2)``) to the expression at ``span``, parenthesising it if needed."""
    span: Span
    suffix: str
    applicability: str = "unsafe"
    title: Optional[str] = None


@dataclass
class SelectFromTuple:
    """A PyTorch RNN in ``nn.Sequential`` passes its ``(output, state)`` tuple on: insert a small module after it
    that keeps the output at the last time step."""
    applicability: str = "unsafe"
    title: Optional[str] = None


@dataclass
class DisplayOnly:
    title: str


# -- reading the source ------------------------------------------------------------------------------------------
_TREES: dict = {}


def _tree(source_lines: list) -> Optional[ast.Module]:
    key = id(source_lines), len(source_lines)
    hit = _TREES.get(key)
    if hit is not None and hit[0] is source_lines:
        return hit[1]
    try:
        tree = ast.parse("\n".join(source_lines))
    except (SyntaxError, ValueError, RecursionError):
        tree = None
    for node in ast.walk(tree) if tree is not None else ():
        for child in ast.iter_child_nodes(node):
            child._shapelint_parent = node  # type: ignore[attr-defined]
    if len(_TREES) > 8:
        _TREES.clear()
    _TREES[key] = (source_lines, tree)
    return tree


def node_at(span: Optional[Span], source_lines: list, kind=ast.expr) -> Optional[ast.AST]:
    """The outermost node of type ``kind`` that covers exactly ``span``."""
    tree = _tree(source_lines) if span is not None else None
    if tree is None:
        return None
    for node in ast.walk(tree):
        if isinstance(node, kind) and Span.of(node) == span:
            return node
    return None


def _parent(node):
    return getattr(node, "_shapelint_parent", None)


def _statement_of(node):
    while node is not None and not isinstance(node, ast.stmt):
        node = _parent(node)
    return node


def _line(source_lines: list, n: int) -> str:
    return source_lines[n - 1] if 0 < n <= len(source_lines) else ""


def _indent_of(text: str) -> str:
    return text[: len(text) - len(text.lstrip())]


def _prefix(layer: Layer) -> str:
    """The module prefix the user spells this layer with: ``layers.`` for ``layers.Dense``, ``nn.`` for ``nn.Linear``."""
    callee = layer.callee or ""
    return callee[: callee.rfind(".") + 1] if "." in callee else ""


def _is_atom(node) -> bool:
    return isinstance(node, (ast.Name, ast.Call, ast.Attribute, ast.Subscript, ast.List, ast.Tuple, ast.Constant))


# -- edits -------------------------------------------------------------------------------------------------------
def set_arg_edit(layer: Layer, arg: str, value: str) -> Optional[Edit]:
    span = layer.arg_spans.get(arg)
    if span is not None:
        return Edit(span, value)
    call = layer.origin.span
    if call is None or layer.extra.get("call_end") is None:
        return None
    line, col = layer.extra["call_end"]  # position of the closing parenthesis
    sep = ", " if layer.given else ""
    return Edit(Span(line, col, line, col), f"{sep}{arg}={value}")


def _placement(layer: Layer, source_lines: list):
    """How the layer's constructor call sits in the source: ("element", call node) in a list or call arguments,
    ("add", statement) for ``model.add(Layer(...))``, ("functional", statement, input text) for
    ``x = Layer(...)(x)``, or None."""
    node = node_at(layer.origin.span, source_lines, ast.Call)
    if node is None:
        return None
    parent = _parent(node)
    if isinstance(parent, (ast.List, ast.Tuple)) or (isinstance(parent, ast.Call) and node in parent.args):
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and parent.func.attr == "add":
            stmt = _statement_of(parent)
            return ("add", stmt, ast.unparse(parent.func.value)) if isinstance(stmt, ast.Expr) else None
        return ("element", node)
    if isinstance(parent, ast.Call) and parent.func is node and len(parent.args) == 1:
        stmt = _statement_of(parent)
        if isinstance(stmt, ast.Assign) and isinstance(parent.args[0], ast.Name):
            return ("functional", stmt, parent.args[0].id)
    return None


def insert_layer_edit(layer: Layer, text: str, source_lines: list, after: bool = False) -> Optional[Edit]:
    place = _placement(layer, source_lines)
    if place is None:
        return None
    new = _prefix(layer) + text
    if place[0] == "element":
        node = place[1]
        first = _line(source_lines, node.lineno)
        own_line = first[: node.col_offset].strip() == ""
        if not after:
            if own_line:
                return Edit(Span(node.lineno, node.col_offset + 1, node.lineno, node.col_offset + 1),
                            f"{new},\n{first[: node.col_offset]}")
            return Edit(Span(node.lineno, node.col_offset + 1, node.lineno, node.col_offset + 1), f"{new}, ")
        end = Span(node.end_lineno, node.end_col_offset + 1, node.end_lineno, node.end_col_offset + 1)
        if own_line:
            return Edit(end, f",\n{first[: node.col_offset]}{new}")
        return Edit(end, f", {new}")
    stmt = place[1]
    indent = _indent_of(_line(source_lines, stmt.lineno))
    if place[0] == "add":
        line = f"{place[2]}.add({new})"
    else:
        line = f"{place[2]} = {new}({place[2]})"
    if after:
        end = Span(stmt.end_lineno, stmt.end_col_offset + 1, stmt.end_lineno, stmt.end_col_offset + 1)
        return Edit(end, f"\n{indent}{line}")
    return Edit(Span(stmt.lineno, stmt.col_offset + 1, stmt.lineno, stmt.col_offset + 1), f"{line}\n{indent}")


def insert_before_edit(layer: Layer, text: str, source_lines: list) -> Optional[Edit]:
    return insert_layer_edit(layer, text, source_lines)


def wrap_edit(span: Span, suffix: str, source_lines: list) -> Optional[Edit]:
    node = node_at(span, source_lines)
    if node is None:
        return None
    code = ast.get_source_segment("\n".join(source_lines), node)
    if code is None:
        return None
    return Edit(span, (code if _is_atom(node) else f"({code})") + suffix)


def _free_name(base: str, source_lines: list) -> str:
    text = "\n".join(source_lines)
    name, n = base, 2
    while re.search(rf"\b{name}\b", text):
        name, n = f"{base}{n}", n + 1
    return name


def select_from_tuple_edits(producer: Layer, source_lines: list) -> list:
    """A class that keeps an RNN's last time step, defined before the statement that builds the model, and an
    instance of it inserted after the RNN in the ``nn.Sequential``."""
    place = _placement(producer, source_lines)
    if place is None or place[0] != "element":
        return []
    top = place[1]
    while _parent(top) is not None and not isinstance(_parent(top), ast.Module):
        top = _parent(top)
    if not isinstance(top, ast.stmt) or top.col_offset != 0:
        return []
    nn = _prefix(producer) or "nn."
    name = _free_name("LastTimeStep", source_lines)
    step = "output[:, -1]" if producer.args.get("batch_first") is True else "output[-1]"
    cls = (f"class {name}({nn}Module):\n"
           f"    \"\"\"Keep the RNN's output at the last time step (added by shapelint).\"\"\"\n\n"
           f"    def forward(self, x):\n"
           f"        output, _ = x\n"
           f"        return {step}\n\n\n")
    gap = "" if top.lineno < 3 or _line(source_lines, top.lineno - 2).strip() == "" else "\n"
    insert_cls = Edit(Span(top.lineno, 1, top.lineno, 1), gap + cls)
    insert_el = insert_layer_edit(producer, f"{name}()", source_lines, after=True)
    if insert_el is None:
        return []
    insert_el = Edit(insert_el.span, insert_el.text.replace(_prefix(producer) + f"{name}()", f"{name}()"))
    return [insert_cls, insert_el]


def resolve(intent, layer: Layer, producer: Optional[Layer], source_lines: list) -> Optional[Fix]:
    """Turn a fix intent into a :class:`Fix` with concrete edits, or None when it cannot be spelled."""
    if intent is None:
        return None
    if isinstance(intent, DisplayOnly):
        return Fix("display-only", intent.title, [])
    if isinstance(intent, SetArg):
        target = layer if intent.target == "self" else producer
        if target is None:
            return None
        edit = set_arg_edit(target, intent.arg, intent.value)
        title = intent.title or f"set `{intent.arg}={intent.value}` on `{target.label}`"
        return Fix(intent.applicability, title, [edit] if edit else [])
    if isinstance(intent, (InsertBefore, InsertAfter)):
        after = isinstance(intent, InsertAfter)
        target = producer if after and intent.target == "producer" else layer
        if target is None:
            return None
        edit = insert_layer_edit(target, intent.layer_text, source_lines, after=after)
        where = "after" if after else "before"
        title = intent.title or f"insert `{_prefix(target)}{intent.layer_text}` {where} `{target.label}`"
        return Fix(intent.applicability, title, [edit] if edit else [])
    if isinstance(intent, ReplaceText):
        title = intent.title or f"replace with `{intent.text}`"
        return Fix(intent.applicability, title, [Edit(intent.span, intent.text)])
    if isinstance(intent, WrapValue):
        edit = wrap_edit(intent.span, intent.suffix, source_lines)
        title = intent.title or f"append `{intent.suffix}`"
        return Fix(intent.applicability, title, [edit] if edit else [])
    if isinstance(intent, SelectFromTuple):
        if producer is None:
            return None
        edits = select_from_tuple_edits(producer, source_lines)
        title = intent.title or f"insert a module after `{producer.label}` that keeps its output at the last time step"
        return Fix(intent.applicability, title, edits)
    return None


# -- fixes decided after the whole file is checked ---------------------------------------------------------------
_PERMUTE = {3: "(2, 0, 1)", 4: "(0, 3, 1, 2)", 5: "(0, 4, 1, 2, 3)"}


def complete_fixes(file_result) -> None:
    """Give a fix to diagnostics whose remedy depends on where the front-end finally pointed them (the data fed to
    a model is known only after the model ran): channels-last data gets ``.permute(...)`` at the call site."""
    lines = (file_result.source or "").splitlines()
    for d in file_result.diagnostics:
        if d.fix is not None or d.name != "channels-last-input" or d.primary is None:
            continue
        m = re.search(r"\(([^()]*)\)\s*$", d.primary.text or "")
        rank = len([p for p in m.group(1).split(",") if p.strip()]) if m else None
        order = _PERMUTE.get(rank)
        if order is None:
            continue
        target = _fed_argument(d, lines)
        edit = wrap_edit(target, f".permute{order}", lines) if target is not None else None
        if edit is not None:
            d.fix = Fix("unsafe", f"permute the data to channels-first with `.permute{order}`", [edit])


def _fed_argument(d, lines: list) -> Optional[Span]:
    """The expression fed to the model: a labelled first argument of a call (``model(torch.from_numpy(x))``), or
    the first argument of a call labelled "fed to the model here"."""
    for label in [d.primary] + list(d.secondary):
        node = node_at(label.span, lines)
        parent = _parent(node)
        if "channels-last data" in (label.text or "") and isinstance(parent, ast.Call) and parent.args \
                and parent.args[0] is node:
            return label.span
        if "fed to the model" in (label.text or "") and isinstance(node, ast.Call) and node.args:
            return Span.of(node.args[0])
    return None


def tuple_fix(producer: Optional[Layer]):
    """The intent for a tuple output fed to a layer: for a PyTorch RNN, keep its last time step."""
    if producer is not None and producer.framework == "torch" and producer.kind in ("LSTM", "GRU", "RNN"):
        return SelectFromTuple()
    return None
