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
:class:`WrapInput` (rewrite the expression one of an op's inputs came from: ``k`` -> ``k.transpose(-2, -1)``),
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
    target: str = "self"  # self | producer | producer.layer (the layer inside a wrapper producer)
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
class WrapInput:
    """Rewrite the expression the op's ``index``-th input came from (``k`` in ``torch.matmul(q, k)``).

    ``template`` spells the new expression: ``{x}`` is the input's own text (parenthesised when it is not an atom),
    ``{in0}``, ``{in1}`` ... the text of the op's other inputs (only plain names and attributes, which can be
    repeated without running anything twice), and ``@keras.layers.ZeroPadding2D@`` a library object as this file
    spells it (``layers.ZeroPadding2D`` after ``from keras import layers``). When a placeholder cannot be spelled,
    ``fallback`` (a template without ``{inN}``) is tried. ``also`` lists further inputs rewritten the same way
    (the key and the value of an attention call)."""
    index: int
    template: str
    fallback: Optional[str] = None
    applicability: str = "unsafe"
    title: Optional[str] = None
    also: tuple = ()


@dataclass
class WrapCall:
    """Rewrite the call that applies this layer: its input gets ``input_suffix`` and its result ``output_suffix``
    (``self.bn(h)`` -> ``self.bn(h.transpose(1, 2)).transpose(1, 2)``). Display-only where the layer is not
    called on its own (inside an ``nn.Sequential``)."""
    input_suffix: str
    output_suffix: str
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
def _is_int_text(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+", text.strip()))



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
        if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) \
                and parent.func.attr in ("add", "append"):  # model.add(...), self.layers.append(...)
            stmt = _statement_of(parent)
            return ("add", stmt, ast.unparse(parent.func.value) + "." + parent.func.attr) \
                if isinstance(stmt, ast.Expr) and len(parent.args) == 1 else None
        if isinstance(parent, ast.Call) and not ast.unparse(parent.func).endswith(("Sequential", "ModuleList")):
            return None  # an argument of some other call (a wrapper, add_module): no list to insert into
        return ("element", node)
    if isinstance(parent, ast.Call) and parent.func is node and len(parent.args) == 1:
        stmt = _statement_of(parent)
        if isinstance(stmt, ast.Assign) and isinstance(parent.args[0], ast.Name):
            return ("functional", stmt, parent.args[0].id, parent.args[0])
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
    if place[0] == "functional" and not after:
        # `y = LSTM(32)(x)` -> `y = LSTM(32)(Reshape(...)(x))`: a new line `x = Reshape(...)(x)` would rebind `x`,
        # which may be the model's Input that `keras.Model(x, ...)` needs later
        arg = place[3]
        return Edit(Span.of(arg), f"{new}({arg.id})")
    stmt = place[1]
    indent = _indent_of(_line(source_lines, stmt.lineno))
    if place[0] == "add":
        line = f"{place[2]}({new})"
    else:
        line = f"{place[2]} = {new}({place[2]})"
    if after:
        end = Span(stmt.end_lineno, stmt.end_col_offset + 1, stmt.end_lineno, stmt.end_col_offset + 1)
        return Edit(end, f"\n{indent}{line}")
    return Edit(Span(stmt.lineno, stmt.col_offset + 1, stmt.lineno, stmt.col_offset + 1), f"{line}\n{indent}")


def wrap_edit(span: Span, suffix: str, source_lines: list) -> Optional[Edit]:
    node = node_at(span, source_lines)
    if node is None:
        return None
    code = ast.get_source_segment("\n".join(source_lines), node)
    if code is None:
        return None
    return Edit(span, (code if _is_atom(node) else f"({code})") + suffix)


_OBJECT = re.compile(r"@([A-Za-z_][\w.]*)@")
_INPUT = re.compile(r"\{in(\d+)\}")


def _imports(source_lines: list) -> list:
    """(local name, canonical dotted path) for every import in the file."""
    from ..frontends.source.api import canonical
    tree = _tree(source_lines)
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
    return out


def spell(target: str, source_lines: list) -> Optional[str]:
    """How this file names the library object ``target`` (a canonical dotted name such as
    ``torch.nn.functional.pad``), using only names it imports; the shortest spelling, or None."""
    from ..frontends.source.api import canonical
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
    return code if (not atom or _is_atom(node)) else f"({code})"


def _plain_text(span: Optional[Span], source_lines: list) -> Optional[str]:
    """The text of a plain name or attribute chain (``y``, ``self.cls_token``): safe to repeat."""
    node = node_at(span, source_lines) if span is not None else None
    probe = node
    while isinstance(probe, ast.Attribute):
        probe = probe.value
    return ast.unparse(node) if isinstance(probe, ast.Name) else None


def _fill(template: str, x: str, layer: Layer, source_lines: list) -> Optional[str]:
    spans = layer.extra.get("input_spans") or []
    missing = False

    def other(m):
        nonlocal missing
        i = int(m.group(1))
        text = _plain_text(spans[i], source_lines) if i < len(spans) else None
        missing = missing or text is None
        return text or ""

    def obj(m):
        nonlocal missing
        text = spell(m.group(1), source_lines)
        missing = missing or text is None
        return text or ""

    if template.count("{x}") > 1 and not re.fullmatch(r"[A-Za-z_][\w.]*", x):
        return None  # the input would be evaluated more than once
    out = _OBJECT.sub(obj, _INPUT.sub(other, template)).replace("{x}", x)
    return None if missing else out


def wrap_input_edits(intent: "WrapInput", layer: Layer, source_lines: list) -> list:
    spans = layer.extra.get("input_spans") or []
    edits = []
    for i in (intent.index,) + tuple(intent.also):
        span = spans[i] if 0 <= i < len(spans) else None
        x = _source_text(span, source_lines)
        if x is None:
            return []
        new = _fill(intent.template, x, layer, source_lines)
        if new is None and intent.fallback is not None:
            new = _fill(intent.fallback, x, layer, source_lines)
        if new is None:
            return []
        edits.append(Edit(span, new))
    return edits


_LAYER_MODULES = {"keras": "keras.layers", "torch": "torch.nn"}


def _importable(layer: Layer, text: str, source_lines: list) -> tuple:
    """(layer text to insert, extra import edit or None) so that the inserted class is defined in this file.
    A layer spelled with a module prefix (``layers.Dense``) takes the same prefix; a bare name (``from keras.layers
    import LSTM``) needs the new class imported too: it is spelled the way the file can already reach it
    (``keras.layers.Reshape`` after ``import keras``), else added to the import that brought the layer in."""
    if _prefix(layer) or layer.framework not in _LAYER_MODULES:
        return text, None
    cls = text.split("(", 1)[0]
    module = _LAYER_MODULES[layer.framework]
    spelled = spell(f"{module}.{cls}", source_lines)
    if spelled is not None:
        return spelled + text[len(cls):], None
    from ..frontends.source.api import canonical
    tree = _tree(source_lines)
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.ImportFrom) and node.module and not node.level and \
                canonical(node.module) == module and any(a.name == layer.kind for a in node.names):
            last = node.names[-1]
            at = _import_name_end(node, last, source_lines)
            if at is not None:
                return text, Edit(Span(at[0], at[1], at[0], at[1]), f", {cls}")
    return None, None


def _import_name_end(node: ast.ImportFrom, alias: ast.alias, source_lines: list) -> Optional[tuple]:
    """(line, column) just after the last imported name of ``from m import a, b as c`` (alias nodes carry positions
    from Python 3.10)."""
    if getattr(alias, "end_lineno", None) is not None:
        return alias.end_lineno, alias.end_col_offset + 1
    line = _line(source_lines, node.end_lineno)
    m = re.search(rf"\b{re.escape(alias.asname or alias.name)}\b(?!.*\b{re.escape(alias.asname or alias.name)}\b)",
                  line)
    return (node.end_lineno, m.end() + 1) if m else None


def wrap_call_edit(intent: "WrapCall", layer: Layer, source_lines: list) -> Optional[Edit]:
    call, inputs = layer.extra.get("call_span"), layer.extra.get("input_spans") or []
    arg = inputs[0] if inputs else None
    if call is None or arg is None or call.line != call.end_line or arg.line != call.line or \
            not (call.column <= arg.column and arg.end_column <= call.end_column):
        return None
    line = _line(source_lines, call.line)
    x = _source_text(arg, source_lines)
    if x is None or node_at(call, source_lines, ast.Call) is None:
        return None
    a, b = arg.column - call.column, arg.end_column - call.column
    text = line[call.column - 1: call.end_column - 1]
    return Edit(call, text[:a] + x + intent.input_suffix + text[b:] + intent.output_suffix)


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
        if intent.target == "producer.layer":  # the layer a wrapper producer holds: Bidirectional(LSTM(...))
            target = producer.args.get("layer") if producer is not None else None
            target = target if isinstance(target, Layer) else None
        if target is None:
            return None
        origin = (target.extra.get("arg_origins") or {}).get(intent.arg)
        if origin is not None and _is_int_text(intent.value):
            # the argument is a parameter of the class around it (`nn.Linear(channels, ...)`), given as a literal
            # where the class is instantiated (`SEBlock(32)`): change it there, so the instance stays consistent
            param, span = origin
            return Fix("unsafe", intent.title or f"pass `{intent.value}` for `{param}` where it is given "
                       f"(line {span.line})", [Edit(span, intent.value)])
        edit = set_arg_edit(target, intent.arg, intent.value)
        title = intent.title or f"set `{intent.arg}={intent.value}` on `{target.label}`"
        return Fix(intent.applicability, title, [edit] if edit else [])
    if isinstance(intent, (InsertBefore, InsertAfter)):
        after = isinstance(intent, InsertAfter)
        target = producer if after and intent.target == "producer" else layer
        if target is None:
            return None
        text, import_edit = _importable(target, intent.layer_text, source_lines)
        edit = insert_layer_edit(target, text, source_lines, after=after) if text is not None else None
        where = "after" if after else "before"
        title = intent.title or f"insert `{_prefix(target)}{text or intent.layer_text}` {where} `{target.label}`"
        edits = [e for e in (edit, import_edit) if e is not None] if edit is not None else []
        return Fix(intent.applicability, title, edits)
    if isinstance(intent, ReplaceText):
        title = intent.title or f"replace with `{intent.text}`"
        return Fix(intent.applicability, title, [Edit(intent.span, intent.text)])
    if isinstance(intent, WrapValue):
        edit = wrap_edit(intent.span, intent.suffix, source_lines)
        title = intent.title or f"append `{intent.suffix}`"
        return Fix(intent.applicability, title, [edit] if edit else [])
    if isinstance(intent, WrapInput):
        edits = wrap_input_edits(intent, layer, source_lines)
        # no edit where the input has no expression of its own (a layer inside nn.Sequential): no fix here, so a
        # data-side fix can still be found once the file is checked (complete_fixes)
        return Fix(intent.applicability, intent.title or "rewrite the input", edits) if edits else None
    if isinstance(intent, WrapCall):
        edit = wrap_call_edit(intent, layer, source_lines)
        title = intent.title or f"append `{intent.input_suffix}` to the input and `{intent.output_suffix}` to the result"
        return Fix(intent.applicability if edit else "display-only", title, [edit] if edit else [])
    if isinstance(intent, SelectFromTuple):
        if producer is None:
            return None
        edits = select_from_tuple_edits(producer, source_lines)
        title = intent.title or f"insert a module after `{producer.label}` that keeps its output at the last time step"
        return Fix(intent.applicability, title, edits)
    return None


# -- fixes decided after the whole file is checked ---------------------------------------------------------------
# Cross-op checks (data vs model, labels vs loss) point at several places at once; their fix is spelled here from
# the diagnostic's own labels (the loss call, the data argument, the declared input), once the file is checked.
_PERMUTE = {3: "(2, 0, 1)", 4: "(0, 3, 1, 2)", 5: "(0, 4, 1, 2, 3)"}


def _shape_of(text: str) -> Optional[tuple]:
    """The last parenthesised shape in a label, ``"called here with (8, 3)"`` -> (8, 3)."""
    m = re.findall(r"\(([^()]*)\)", text or "")
    if not m:
        return None
    try:
        return tuple(None if p.strip() == "None" else int(p) for p in m[-1].split(",") if p.strip())
    except ValueError:
        return None


def _label(d, prefix: str):
    return next((l for l in [d.primary] + list(d.secondary) if l is not None and (l.text or "").startswith(prefix)),
                None)


def _call_of(label, lines: list) -> Optional[ast.Call]:
    node = node_at(label.span, lines, ast.Call) if label is not None else None
    return node if isinstance(node, ast.Call) else None


def _wrap(node, suffix: str, lines: list) -> Optional[Edit]:
    return wrap_edit(Span.of(node), suffix, lines) if node is not None else None


def _wrap_call(node, func: str, extra: str, lines: list) -> Optional[Edit]:
    """``y_val`` -> ``to_categorical(y_val, 3)``."""
    code = _source_text(Span.of(node), lines, atom=False)
    return Edit(Span.of(node), f"{func}({code}{extra})") if code is not None else None


def _keyword_edit(call: ast.Call, name: str, value: str, lines: list) -> Optional[Edit]:
    """Set keyword ``name`` of a call to ``value`` (replace it, or add it before the closing parenthesis)."""
    for kw in call.keywords:
        if kw.arg == name:
            return Edit(Span.of(kw.value), value)
    end = Span.of(call)
    if end is None:
        return None
    pos = Span(end.end_line, end.end_column - 1, end.end_line, end.end_column - 1)
    return Edit(pos, (", " if call.args or call.keywords else "") + f"{name}={value}")


def _string_edit(node, new: str) -> Optional[Edit]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Edit(Span.of(node), repr(new))
    return None


def _remove_element_edit(node, lines: list) -> Optional[Edit]:
    """Delete a list / call-argument element with its separator: its whole line when it sits on its own line,
    else the text between it and its neighbour."""
    parent = _parent(node)
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


def _rename_call(node, names: dict):
    """``keras.losses.CategoricalCrossentropy()`` -> ``...SparseCategoricalCrossentropy()``: rename the callee."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    old = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else None)
    if old not in names:
        return None
    end = Span.of(func)
    return Edit(Span(end.end_line, end.end_column - len(old), end.end_line, end.end_column), names[old]), \
        f"use `{names[old]}`"


_SPARSE_SWAP = {"CategoricalAccuracy": "SparseCategoricalAccuracy", "SparseCategoricalAccuracy": "CategoricalAccuracy",
                "sparse_categorical_accuracy": "categorical_accuracy",
                "categorical_accuracy": "sparse_categorical_accuracy"}


def _torch_loss_fix(d, lines: list, primary):
    """Targets of a PyTorch loss: dtype conversion, or the trailing axis that makes them fit the prediction."""
    called = _label(d, "called here with")
    call = _call_of(called, lines) or (primary if isinstance(primary, ast.Call) else None)
    if call is None or len(call.args) < 2:
        return None
    target = call.args[1]
    out = _shape_of(called.text) if called is not None else None
    tgt_label = _label(d, "target (")
    tgt = _shape_of(tgt_label.text) if tgt_label else None
    if d.name == "label-dtype-mismatch":
        suffix = ".long()" if "long" in d.message and "float32" in d.message else ".float()"
        return _wrap(target, suffix, lines), f"convert the targets with `{suffix[1:]}`"
    if out and tgt and len(out) == 2 and out[1] == 1 and len(tgt) == 1:
        return _wrap(target, ".unsqueeze(1)", lines), "give the targets a trailing axis with `.unsqueeze(1)`"
    if out and tgt and len(out) == 2 and len(tgt) == 2 and tgt[1] == 1 and out[1] != 1:
        return _wrap(target, ".squeeze(1)", lines), "drop the targets' trailing axis with `.squeeze(1)`"
    m = re.search(r"`target(\.(?:squeeze|unsqueeze|long|float|view)\([^`]*\))`", d.help or "")
    if m:  # the check spelled the conversion in its help
        return _wrap(target, m.group(1), lines), f"convert the targets with `{m.group(1)[1:]}`"
    return None


def _model_head(file_result, call) -> Optional[Layer]:
    """The last Linear/Dense of the model called as ``model(x)`` (the first argument of a loss call)."""
    fed = call.args[0] if isinstance(call, ast.Call) and call.args else None
    name = fed.func.id if isinstance(fed, ast.Call) and isinstance(fed.func, ast.Name) else None
    for m in getattr(file_result, "models", []):
        if name is not None and m.name == name:
            for op in reversed(m.program.ops):
                if op.layer.kind in ("Linear", "Dense"):
                    return op.layer
    return None


def _output_width_fix(d, lines: list, file_result):
    """Make the model's last layer as wide as the targets need (the targets are data; the head is code)."""
    called = _label(d, "called here with")
    call = _call_of(called, lines)
    head = _model_head(file_result, call)
    if head is None:
        return None
    out = _shape_of(called.text)
    tgt_label = _label(d, "target (")
    tgt = _shape_of(tgt_label.text) if tgt_label else None
    width = None
    m = re.search(r"give the last layer (\d+) outputs", d.help or "")
    if m:
        width = int(m.group(1))
    elif out and tgt and len(out) == 2 and len(tgt) == 2 and isinstance(tgt[1], int) and tgt[1] != out[1]:
        width = tgt[1]
    elif out and tgt and len(out) == 2 and len(tgt) == 1 and "one output unit" in (d.help or ""):
        width = 1
    arg = "out_features" if head.kind == "Linear" else "units"
    if width is None or head.args.get(arg) == width:
        return None
    return set_arg_edit(head, arg, str(width)), f"give `{head.label}` {width} outputs"


def _loss_shapes(d) -> tuple:
    """(prediction shape, target shape) of a PyTorch loss diagnostic: from its labels, or from its note
    ``output (8, 3), target (8,)`` (functional losses such as ``F.cross_entropy`` have no "called here" label)."""
    called, target = _label(d, "called here with"), _label(d, "target (")
    pred, tgt = (_shape_of(called.text) if called else None), (_shape_of(target.text) if target else None)
    for note in d.notes if (pred is None or tgt is None) else ():
        m = re.match(r"output (\([^()]*\)), target (\([^()]*\))", note)
        if m:
            pred, tgt = pred or _shape_of(m.group(1)), tgt or _shape_of(m.group(2))
    return pred, tgt


def _tensor_shape(v) -> Optional[tuple]:
    shape = getattr(v, "shape", None)
    return tuple(shape) if shape is not None else None


def _output_padding_fix(d, file_result):
    """A decoder of stride-2 transposed convolutions that comes out a few pixels short of its target (25x25 for
    28x28): ``ConvTranspose2d(k=3, stride=2, padding=1)`` gives 2n-1, and ``output_padding=1`` makes it 2n. Each
    transposed convolution on the way to the prediction is set to multiply its size by its stride; the fix is
    offered only when that lands exactly on the target's size."""
    pred, tgt = _loss_shapes(d)
    if not pred or not tgt or len(pred) != len(tgt) or len(pred) < 3 or pred[:2] != tgt[:2] or pred == tgt:
        return None
    for m in getattr(file_result, "models", []):
        ops = m.program.ops
        if not ops or _tensor_shape(ops[-1].output) != pred:
            continue
        first = next((i for i, op in enumerate(ops) if op.layer.kind.startswith("ConvTranspose")), None)
        if first is None:
            continue
        size = list(_tensor_shape(ops[first].inputs[0]) or ())
        edits, blamed = [], []
        for op in ops[first:]:
            shape_in, shape_out = _tensor_shape(op.inputs[0]) if op.inputs else None, _tensor_shape(op.output)
            if shape_in is None or shape_out is None:
                return None
            if op.layer.kind.startswith("ConvTranspose"):
                stride = op.layer.args.get("stride")
                n = len(shape_in) - 2
                strides = (stride,) * n if isinstance(stride, int) else tuple(stride or ())
                if len(strides) != n or not all(isinstance(v, int) for v in strides):
                    return None
                new = [size[0], shape_out[1]] + [a * s for a, s in zip(size[2:], strides)]
                pads = set()
                for axis, (a, stride_a) in enumerate(zip(size[2:], strides)):
                    k, p = _conv_t_axis(op.layer, axis)
                    if k is None or op.layer.args.get("dilation") not in (1, (1,) * n, None):
                        return None
                    pads.add(a * stride_a - ((a - 1) * stride_a - 2 * p + k))  # wanted minus natural size
                if len(pads) != 1 or not 0 <= min(pads) < max(strides):
                    return None
                pad = pads.pop()
                if pad != (op.layer.args.get("output_padding") or 0):
                    edits.append(set_arg_edit(op.layer, "output_padding", str(pad)))
                    blamed.append(op.layer)
                size = new
            elif shape_in != shape_out:  # only shape-keeping layers (activations, norms) between them
                return None
        if tuple(size[1:]) == tuple(tgt[1:]) and edits and all(e is not None for e in edits):
            return edits, "set `output_padding` so each transposed convolution multiplies the size by its stride", \
                blamed[0]
    return None


def _keras_decoder_fix(d, file_result):
    """The Keras form of the decoder that misses its target (an autoencoder whose ``Conv2DTranspose(strides=2)``
    has ``padding="valid"``, 7 -> 15 where 14 was meant): ``padding="same"`` makes each strided transposed
    convolution multiply the size by its stride; offered only when that lands exactly on the targets' size."""
    out_label, labels_label = _label(d, "model output"), _label(d, "labels (")
    pred = _shape_of(out_label.text) if out_label else None
    tgt = _shape_of(labels_label.text) if labels_label else None
    if not pred or not tgt or len(pred) != len(tgt) or len(pred) < 3 or pred[1:] == tgt[1:] or pred[-1] != tgt[-1]:
        return None
    for m in getattr(file_result, "models", []):
        ops = m.program.ops
        if not ops or _tensor_shape(ops[-1].output) != pred:
            continue
        first = next((i for i, op in enumerate(ops) if op.layer.kind.endswith("Transpose")), None)
        if first is None:
            continue
        size = list(_tensor_shape(ops[first].inputs[0]) or ())
        edits, blamed = [], []
        for op in ops[first:]:
            shape_in, shape_out = _tensor_shape(op.inputs[0]) if op.inputs else None, _tensor_shape(op.output)
            if shape_in is None or shape_out is None or len(shape_in) != len(size):
                return None
            if op.layer.kind.endswith("Transpose"):
                strides = op.layer.args.get("strides")
                n = len(shape_in) - 2
                strides = (strides,) * n if isinstance(strides, int) else tuple(strides or ())
                if len(strides) != n or not all(isinstance(v, int) for v in strides) or \
                        op.layer.args.get("output_padding") is not None:
                    return None
                if op.layer.args.get("padding") != "same":
                    edits.append(set_arg_edit(op.layer, "padding", '"same"'))
                    blamed.append(op.layer)
                size = [size[0]] + [a * s_ for a, s_ in zip(size[1:-1], strides)] + [shape_out[-1]]
            elif shape_in[1:-1] == shape_out[1:-1]:  # layers that keep the spatial size (convs with "same", norms)
                size = size[:-1] + [shape_out[-1]]
            else:
                return None
        if tuple(size[1:]) == tuple(tgt[1:]) and edits and all(e is not None for e in edits):
            return edits, 'set `padding="same"` so each strided transposed convolution multiplies the size by its ' \
                'stride', blamed[0]
    return None


_RNNS = ("LSTM", "GRU", "RNN")


def _last_step_fix(d, lines: list, file_result):
    """A PyTorch RNN's whole output sequence reaches the loss where one prediction per sample is needed (a
    sentiment classifier on ``self.fc(out)``): feed the layer after the RNN the last time step,
    ``out[:, -1]`` (``out[-1]`` without batch_first)."""
    pred, tgt = _loss_shapes(d)
    if not pred or not tgt or len(pred) != 3:
        return None
    for m in getattr(file_result, "models", []):
        ops = m.program.ops
        if not ops or _tensor_shape(ops[-1].output) != pred:
            continue
        for i, op in enumerate(ops):
            if op.layer.kind not in _RNNS or not isinstance(op.layer.args.get("batch_first"), bool):
                continue
            first = op.layer.args["batch_first"]
            seq = getattr(op.output, "items", (None,))[0]
            seq_shape = _tensor_shape(seq)
            batch = pred[0] if first else pred[1]
            if seq_shape is None or len(seq_shape) != 3 or batch != tgt[0] or \
                    pred[1 if first else 0] != seq_shape[1 if first else 0]:
                continue
            user = next((o for o in ops[i + 1:] if o.inputs and o.inputs[0] is seq), None)
            spans = user.layer.extra.get("input_spans") if user is not None else None
            text = _source_text(spans[0], lines) if spans else None
            if text is None:
                return None
            step = "[:, -1]" if first else "[-1]"
            return Edit(spans[0], text + step), f"feed `{user.layer.label}` the last time step with `{step}`"
    return None


def _conv_t_axis(layer: Layer, i: int) -> tuple:
    """(kernel, padding) of a transposed convolution on spatial axis ``i`` (ints or per-axis tuples)."""
    out = []
    for name in ("kernel_size", "padding"):
        v = layer.args.get(name)
        v = v[i] if isinstance(v, (tuple, list)) and i < len(v) else v
        if not isinstance(v, int) or isinstance(v, bool):
            return None, None
        out.append(v)
    return tuple(out)


def _view_fix(node):
    """``x.view(-1, 400)`` with a size that does not fit -> ``x.view(x.size(0), -1)`` (keep the batch axis)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("view", "reshape")
            and isinstance(node.func.value, ast.Name) and len(node.args) == 2):
        return None
    a, b = Span.of(node.args[0]), Span.of(node.args[1])
    var = node.func.value.id
    return Edit(Span(a.line, a.column, b.end_line, b.end_column), f"{var}.size(0), -1"), \
        f"flatten with `{var}.{node.func.attr}({var}.size(0), -1)`"


def _derived_fix(d, lines: list, file_result=None):
    """(edit, title) for a diagnostic whose fix can be read off its labels, or None."""
    node = node_at(d.primary.span, lines) if d.primary is not None else None
    if d.name in ("labels-loss-mismatch", "loss-broadcast", "label-out-of-range") and _label(d, "called here with"):
        found = _output_width_fix(d, lines, file_result)
        if found is not None:
            return found
    if d.name == "labels-loss-mismatch" and "return_sequences=False" in (d.help or ""):
        call = _call_of(_label(d, "return_sequences=True"), lines)
        if call is not None:
            return _keyword_edit(call, "return_sequences", "False", lines), "set `return_sequences=False`"
    if d.name in ("loss-broadcast", "labels-loss-mismatch") and _label(d, "model output") and _label(d, "labels ("):
        head = _call_of(_label(d, "model output"), lines)  # Keras: the last Dense, its units first
        labels = _shape_of(_label(d, "labels (").text)
        units = head.args[0] if head is not None and head.args else None
        if labels and len(labels) == 2 and isinstance(units, ast.Constant) and isinstance(labels[1], int):
            return Edit(Span.of(units), str(labels[1])), f"give the last layer {labels[1]} units"
        output = _shape_of(_label(d, "model output").text)
        if labels and len(labels) == 1 and isinstance(units, ast.Constant) and "targets" in d.message and \
                output and len(output) == 2 and units.value != 1:
            return Edit(Span.of(units), "1"), "give the last layer 1 unit: one target value per sample"
    if d.name == "labels-loss-mismatch" and "validation labels" in (d.help or "") and "one-hot" in (d.help or ""):
        pair = node if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) >= 2 else None
        classes = _shape_of(re.search(r"\(one-hot[^)]*\)\)", d.help or "").group(0)) \
            if re.search(r"\(one-hot[^)]*\)\)", d.help or "") else None
        encode = spell("keras.utils.to_categorical", lines)
        if pair is not None and classes and len(classes) == 2 and encode is not None:
            return _wrap_call(pair.elts[1], encode, f", {classes[1]}", lines), \
                f"one-hot the validation labels with `{encode.rsplit('.', 1)[-1]}`"
    if d.name in ("reshape-size-mismatch", "reshape-mixes-samples", "sample-count-mismatch"):
        found = _view_fix(node)  # sample-count-mismatch: when the check blamed a view that folded the batch
        if found is not None or d.name != "sample-count-mismatch":
            return found
    if d.name in ("labels-loss-mismatch", "loss-broadcast") and all(_loss_shapes(d)):
        found = _output_padding_fix(d, file_result) or _last_step_fix(d, lines, file_result)
        if found is not None:
            return found
    if d.name in ("labels-loss-mismatch", "loss-broadcast") and _label(d, "model output"):
        found = _keras_decoder_fix(d, file_result)
        if found is not None:
            return found
    if d.name in ("label-dtype-mismatch", "loss-broadcast", "labels-loss-mismatch") and \
            (_label(d, "called here with") or _label(d, "target (")):
        return _torch_loss_fix(d, lines, node)
    if d.name == "labels-loss-mismatch" and "sparse_categorical_crossentropy" in (d.help or ""):
        return _rename_call(node, {"CategoricalCrossentropy": "SparseCategoricalCrossentropy"})
    if d.name == "reduction-over-batch-axis":
        call = node if isinstance(node, ast.Call) else None
        if call is not None:
            torch = "dim" in (d.help or "")
            value = "1" if torch else "-1"
            title = "reduce over the class axis"
            given = [a for a in call.args if isinstance(a, ast.Constant) and type(a.value) is int]
            if given and not any(k.arg in ("dim", "axis") for k in call.keywords):  # `x.argmax(0)`, `softmax(x, 0)`
                return Edit(Span.of(given[-1]), value), title
            return _keyword_edit(call, "dim" if torch else "axis", value, lines), title
    if d.name == "probabilities-into-logits-loss":
        if isinstance(node, ast.Call):  # nn.Softmax() in a Sequential: remove it
            return _remove_element_edit(node, lines), "remove the final softmax; the loss applies it"
        flag = _label(d, "`from_logits=True`")
        call = _call_of(flag, lines)
        if call is not None:
            return _keyword_edit(call, "from_logits", "False", lines), "set `from_logits=False`"
    if d.name == "single-unit-categorical-loss":
        return _string_edit(node, "binary_crossentropy"), "use `binary_crossentropy`"
    if d.name == "sequence-output-for-sample-targets":
        if isinstance(node, ast.Constant) and node.value is True:
            return Edit(Span.of(node), "False"), "set `return_sequences=False`"
        if isinstance(node, ast.Call):
            return _keyword_edit(node, "return_sequences", "False", lines), "set `return_sequences=False`"
    if d.name == "batch-first-confusion" and isinstance(node, ast.Call):
        # the code after the layer is written batch-first (that is why the data is): make the layer agree
        return _keyword_edit(node, "batch_first", "True", lines), "pass `batch_first=True`"
    if d.name == "label-out-of-range":
        m = re.search(r"give the last layer (\d+) units", d.help or "")
        units = node.args[0] if isinstance(node, ast.Call) and node.args else node
        if m and isinstance(units, ast.Constant) and isinstance(units.value, int):
            return Edit(Span.of(units), m.group(1)), f"give the last layer {m.group(1)} units"
    if d.name in ("metric-labels-mismatch", "metric-label-format"):
        if isinstance(node, ast.Constant) and node.value in _SPARSE_SWAP:
            return _string_edit(node, _SPARSE_SWAP[node.value]), f"use `{_SPARSE_SWAP[node.value]}`"
        return _rename_call(node, _SPARSE_SWAP)
    if d.name == "data-input-mismatch":
        m = re.search(r"`x(\.(?:reshape|transpose)\([^`]*\))`", d.help or "")
        suffix = m.group(1) if m else ""
        if re.search(r"\bx\b", suffix):  # the help's `x` stands for the data: spell it as the user did
            suffix = re.sub(r"\bx\b", node.id, suffix) if isinstance(node, ast.Name) else ""
        if suffix and node is not None:
            return _wrap(node, suffix, lines), f"change the data with `{suffix[1:]}`"
        m = re.search(r"declare the input as \(None, ([^)]*)\)", d.help or "")
        declared = _label(d, "input declared as")
        value = node_at(declared.span, lines) if declared is not None else None
        kw = _parent(value)
        if m and isinstance(kw, ast.keyword) and kw.arg in ("shape", "input_shape", "input_dim"):
            dims = [p.strip() for p in m.group(1).split(",") if p.strip()]
            new = (dims[0] if len(dims) == 1 else None) if kw.arg == "input_dim" else \
                "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
            if new is not None:
                return Edit(Span.of(value), new), f"declare the input as {new}"
        call = _call_of(declared, lines)
        if m and call is not None:
            dims = [p.strip() for p in m.group(1).split(",") if p.strip()]
            shape = "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
            kw = next((k for k in call.keywords if k.arg in ("shape", "input_shape", "input_dim")), None)
            if kw is not None and kw.arg == "input_dim":
                shape = dims[0] if len(dims) == 1 else None
            if kw is not None and shape is not None:
                return Edit(Span.of(kw.value), shape), f"declare the input as {shape}"
    return None


def complete_fixes(file_result) -> None:
    """Give a fix to diagnostics whose remedy depends on where the front-end finally pointed them: channels-last
    data gets ``.permute(...)`` at the call site; data, label and loss problems get the edit their labels imply.
    All of these change the data or the training code, so they are unsafe."""
    lines = (file_result.source or "").splitlines()
    for d in file_result.diagnostics:
        if d.fix is not None or d.primary is None or d.severity == "info":
            continue
        if d.name == "channels-last-input":
            rank = len(_shape_of(d.primary.text) or ())
            stated = re.search(r"x\.permute(\([\d, ]+\))", d.help or "")  # the rule's own axis order
            order = stated.group(1) if stated else _PERMUTE.get(rank)
            target = _fed_argument(d, lines) if order else None
            edit = wrap_edit(target, f".permute{order}", lines) if target is not None else None
            if edit is not None:
                d.fix = Fix("unsafe", f"permute the data to channels-first with `.permute{order}`", [edit])
            continue
        try:
            found = _derived_fix(d, lines, file_result)
        except (ValueError, AttributeError, TypeError):  # an unexpected source shape: no fix, never a crash
            found = None
        if found is not None and found[0] is not None:
            d.fix = Fix("unsafe", found[1], list(found[0]) if isinstance(found[0], list) else [found[0]])
            if len(found) > 2 and found[2].origin.span is not None and d.primary is not None:
                _blame(d, found[2])
    drop_conflicting_fixes(file_result.diagnostics)


def _blame(d, layer: Layer) -> None:
    """The fix found the layer that causes a mismatch seen at the loss (a decoder's transposed convolution): the
    diagnostic points there, and the loss keeps a secondary label."""
    from .model import Label
    old = d.primary
    d.secondary.insert(0, Label(old.span, old.text or "the mismatch shows here", old.file))
    d.primary = Label(layer.origin.span, "does not multiply the size by its stride", old.file)


def drop_conflicting_fixes(diagnostics: list) -> None:
    """Two fixes that write different text at the same place (a layer built in a loop, each instance wanting its
    own value) cannot both be right: neither is applied; they are shown for the user to choose."""
    texts: dict = {}
    for d in diagnostics:
        for e in (d.fix.edits if d.fix is not None else []):
            texts.setdefault(e.span, set()).add(e.text)
    for d in diagnostics:
        if d.fix is not None and any(len(texts.get(e.span, ())) > 1 for e in d.fix.edits):
            d.fix = Fix("display-only", d.fix.title + " (another diagnostic wants a different value here: the layer "
                        "is built more than once from this line)", [])


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
