"""Fix intents -> text edits: where a layer sits in the source (a list element, ``model.add``, ``ModuleList.append``,
a functional ``x = Layer(...)(x)`` line), setting an argument, inserting a layer (and importing its class),
rewriting an op's input or call, and ``resolve`` that turns an intent into a :class:`Fix`."""
from __future__ import annotations

import ast
import re
from typing import Optional

from ...core.program import Layer, Span
from ...core.registry import has
from ...libnames import canonical
from ..model import Edit, Fix
from .intents import (DisplayOnly, InsertAfter, InsertBefore, ReplaceCall, ReplaceText, SelectFromTuple, SetArg,
                      WrapCall, WrapInput, WrapValue)
from .source import (_free_name, _indent_of, _line, _plain_text, _prefix, _source_text, _statement_of, _tree,
                     enclosing, is_atom, node_at, parameter_defaults, parent_of, spell)
from ...core import provenance


def set_arg_edit(layer: Layer, arg: str, value: str, source_lines: Optional[list] = None) -> Optional[Edit]:
    """Replace argument ``arg`` where it is written, or add it as a keyword before the call's closing parenthesis
    (after a comma when the call has arguments -- tensors included: ``F.softmax(x)`` -> ``F.softmax(x, dim=1)``)."""
    span = layer.arg_spans.get(arg)
    default = _default_written_for(layer, arg, span, source_lines)
    if default is not None:  # `Concatenate(axis=axis)` in `def fuse(tensors, axis=1)` called without it: the default
        return Edit(default, value)
    passed = _pass_at_helper_call(layer, arg, span, value, source_lines)
    if passed is not None:  # `rnn_block(x, 100)` relying on `return_sequences=True`: pass it at this call only
        return passed
    if span is not None:
        return Edit(span, value)
    call = layer.origin.span
    if call is None or layer.extra.get("call_end") is None:
        return None
    line, col = layer.extra["call_end"]  # position of the closing parenthesis
    node = node_at(call, source_lines, ast.Call) if source_lines else None
    has_args = bool(node.args or node.keywords) if isinstance(node, ast.Call) else bool(layer.given)
    trailing = _trailing_comma(source_lines, line, col)
    own_line = source_lines[line - 1][:col - 1].strip() == "" if source_lines and 0 < line <= len(source_lines) else False
    if trailing and own_line and line > 1:  # one argument per line, `)` alone: a line of its own, like the others
        above = next((t for t in reversed(source_lines[:line - 1]) if t.strip()), "")
        indent = above[:len(above) - len(above.lstrip())]
        return Edit(Span(line, 1, line, 1), f"{indent}{arg}={value},\n")
    sep = ", " if has_args and not trailing else ""
    return Edit(Span(line, col, line, col), f"{sep}{arg}={value}")


def _trailing_comma(source_lines: Optional[list], line: int, col: int) -> bool:
    """Whether the last thing before the closing parenthesis at (line, col) is a comma (``dropout=0.2,\n)``): the
    new keyword then goes after it without another."""
    if not source_lines:
        return False
    text = source_lines[line - 1][:col - 1] if 0 < line <= len(source_lines) else ""
    n = line - 1
    while not text.strip() and n > 0:  # the parenthesis alone on its line: look at the lines above
        n -= 1
        text = source_lines[n - 1] if n > 0 else ""
        text = text.split("#", 1)[0]
    return text.rstrip().endswith(",")


def _pass_at_helper_call(layer: Layer, arg: str, span: Optional[Span], value: str, source_lines: Optional[list]):
    """A setting (not a size: sizes carry their default, see _default_written_for) that the layer takes from a
    helper's parameter, ``SimpleRNN(units, return_sequences=return_sequences)`` in ``def rnn_block(x, units,
    return_sequences=True)``, where the call that built this layer left it at its default: the setting is passed at
    that call, so the helper's other calls keep theirs."""
    call_span = layer.extra.get("helper_call")
    node = node_at(span, source_lines) if span is not None and source_lines else None
    if call_span is None or not isinstance(node, ast.Name):
        return None
    fn = enclosing(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    if fn is None:
        return None
    params = fn.args.posonlyargs + fn.args.args
    if node.id not in parameter_defaults(fn):
        return None
    call = node_at(call_span, source_lines, ast.Call)
    callee = getattr(call.func, "id", None) or getattr(call.func, "attr", None) if call is not None else None
    if callee != fn.name or any(isinstance(a, ast.Starred) for a in call.args) or \
            any(k.arg in (None, node.id) for k in call.keywords):
        return None
    index = [p.arg for p in params].index(node.id) if node.id in [p.arg for p in params] else None
    if index is not None and len(call.args) > index - (1 if params and params[0].arg == "self" else 0):
        return None  # passed by position
    end = Span.of(call)
    at = Span(end.end_line, end.end_column - 1, end.end_line, end.end_column - 1)
    return Edit(at, f"{', ' if call.args or call.keywords else ''}{node.id}={value}")


def _default_written_for(layer: Layer, arg: str, span: Optional[Span], source_lines: Optional[list]):
    """The span of the default a helper's parameter has, when the layer's argument is that parameter, written as is
    (``axis=axis``), and the value came from the default (no caller passed it): the default is where it was written
    and where a fix belongs, so the parameter stays a parameter."""
    o = provenance.origin_of(layer.args.get(arg))
    if not isinstance(o, provenance.Default) or o.span is None or span is None or not source_lines:
        return None
    node = node_at(span, source_lines)
    if not isinstance(node, ast.Name) or node.id != o.param:
        return None
    fn = enclosing(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    # the default of *this* function's parameter: a value passed down from another function's default
    # (`Block(3, 16, time_dim)` inside `Net(time_dim=32)`) is that caller's business
    defaults = list(parameter_defaults(fn).values()) if fn is not None else []
    if not any(Span.of(d) == o.span for d in defaults):
        return None
    # only a parameter this argument alone reads: one that also sizes other layers (`hidden_size` of an LSTM and
    # the Linear after it) sizes both sides of the mismatch, and its default is no place for the fix
    uses = [n for n in ast.walk(fn) if isinstance(n, ast.Name) and n.id == o.param and isinstance(n.ctx, ast.Load)]
    return o.span if len(uses) == 1 else None


def _placement(layer: Layer, source_lines: list):
    """How the layer's constructor call sits in the source: ("element", call node) in a list or call arguments,
    ("add", statement) for ``model.add(Layer(...))``, ("functional", statement, input text) for
    ``x = Layer(...)(x)``, or None."""
    node = node_at(layer.origin.span, source_lines, ast.Call)
    if node is None:
        return None
    parent = parent_of(node)
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
        return _before_the_loop(place[1], arg, new, source_lines) or Edit(Span.of(arg), f"{new}({arg.id})")
    stmt = place[1]
    indent = _indent_of(_line(source_lines, stmt.lineno))
    if place[0] == "add":
        line = f"{place[2]}({new})"
    else:  # after `y = Layer(...)(x)` comes `y = New(...)(y)`: the name the layer's output was given
        target = stmt.targets[0] if len(stmt.targets) == 1 else None
        if not isinstance(target, ast.Name):
            return None
        line = f"{target.id} = {new}({target.id})"
    if after:  # after the statement's whole line, so a trailing comment stays with it
        eol = len(_line(source_lines, stmt.end_lineno).encode("utf-8")) + 1
        end = Span(stmt.end_lineno, eol, stmt.end_lineno, eol)
        return Edit(end, f"\n{indent}{line}")
    return Edit(Span(stmt.lineno, stmt.col_offset + 1, stmt.lineno, stmt.col_offset + 1), f"{line}\n{indent}")


def _before_the_loop(stmt, arg, new: str, source_lines: list) -> Optional[Edit]:
    """``x = Flatten()(x)`` on a line of its own before the ``for`` loop whose body carries ``x`` through the layers
    it builds (``for units in hidden: x = Dense(units)(x)``), when ``x`` was set just before the loop from another
    name (``x = inputs``): the new layer then runs once, not once per layer the loop makes, and the Input keeps
    its name. None in any other case."""
    loop = enclosing(getattr(stmt, "_shapelint_parent", None), ast.For)
    block = getattr(loop, "_shapelint_parent", None)
    body = getattr(block, "body", None)
    if loop is None or not isinstance(body, list) or loop not in body or body.index(loop) == 0:
        return None
    before = body[body.index(loop) - 1]
    rebinds = any(isinstance(n, ast.Name) and n.id == arg.id and isinstance(n.ctx, ast.Store) for n in ast.walk(loop))
    if not rebinds or not isinstance(before, ast.Assign) or len(before.targets) != 1 or \
            not isinstance(before.targets[0], ast.Name) or before.targets[0].id != arg.id or \
            not isinstance(before.value, ast.Name):
        return None
    indent = _indent_of(_line(source_lines, loop.lineno))
    return Edit(Span(loop.lineno, loop.col_offset + 1, loop.lineno, loop.col_offset + 1),
                f"{arg.id} = {new}({arg.id})\n{indent}")


def append_edit(span: Optional[Span], suffix: str, source_lines: list) -> Optional[Edit]:
    """``expr`` -> ``expr.suffix`` (parenthesised when it is not an atom). An atom gets an insertion at its end
    only, so the edit touches no character of the expression itself (a batch size written inside it can still be
    changed by the fix contract's second run)."""
    node = node_at(span, source_lines) if span is not None else None
    if node is None:
        return None
    if is_atom(node):
        return Edit(Span(span.end_line, span.end_column, span.end_line, span.end_column), suffix)
    return wrap_edit(span, suffix, source_lines)


def wrap_edit(span: Span, suffix: str, source_lines: list) -> Optional[Edit]:
    node = node_at(span, source_lines)
    if node is None:
        return None
    code = ast.get_source_segment("\n".join(source_lines), node)
    if code is None:
        return None
    return Edit(span, (code if is_atom(node) else f"({code})") + suffix)


_OBJECT = re.compile(r"@([A-Za-z_][\w.]*)@")
_INPUT = re.compile(r"\{in(\d+)\}")


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
        if intent.replaces:  # `k.transpose(1, 2)` -> `k.transpose(-2, -1)`, not `k.transpose(1, 2).transpose(-2, -1)`
            x = re.sub(intent.replaces + "$", "", x) or x
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


def select_from_tuple_edits(producer: Layer, source_lines: list) -> list:
    """A class that keeps an RNN's last time step, defined before the statement that builds the model, and an
    instance of it inserted after the RNN in the ``nn.Sequential``."""
    place = _placement(producer, source_lines)
    if place is None or place[0] != "element":
        return []
    top = place[1]
    while parent_of(top) is not None and not isinstance(parent_of(top), ast.Module):
        top = parent_of(top)
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


def _resolve(intent, layer: Layer, producer: Optional[Layer], source_lines: list) -> Optional[Fix]:
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
        edit = set_arg_edit(target, intent.arg, intent.value, source_lines)
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
        # data-side fix can still be attached where the data is fed (checks/, rootcause/)
        return Fix(intent.applicability, intent.title or "rewrite the input", edits) if edits else None
    if isinstance(intent, ReplaceCall):
        call, inputs = layer.extra.get("call_span") or layer.origin.span, layer.extra.get("input_spans") or []
        x = _source_text(inputs[0], source_lines) if inputs and inputs[0] is not None else None
        if call is None or x is None or call.line != call.end_line:
            return None
        new = _call_arguments_spelled(intent.template.replace("{x}", x), call, source_lines)
        if new is None:
            return None
        return Fix(intent.applicability, intent.title or f"write `{new}`", [Edit(call, new)])
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


def _call_arguments_spelled(template: str, call: Span, source_lines: list) -> Optional[str]:
    """``{arg1}``: the text of the call's second positional argument; ``{arg0.left}`` / ``{arg0.right}``: the
    operands of a product written there (``batch_size * self.num_heads``). None when one cannot be spelled."""
    if "{arg" not in template:
        return template
    node = node_at(call, source_lines, ast.Call)
    if node is None or any(isinstance(a, ast.Starred) for a in node.args):
        return None
    for i, a in enumerate(node.args):
        parts = {"": a}
        if isinstance(a, ast.BinOp) and isinstance(a.op, ast.Mult):
            parts.update({".left": a.left, ".right": a.right})
        for suffix, n in parts.items():
            key = "{arg%d%s}" % (i, suffix)
            if key in template:
                # an argument keeps its place in an argument list: no parentheses needed (`-1`, `b * h`)
                text = _source_text(Span.of(n), source_lines, atom=False)
                if text is None:
                    return None
                template = template.replace(key, text)
    return None if "{arg" in template else template


def resolve(intent, layer: Layer, producer: Optional[Layer], source_lines: list) -> Optional[Fix]:
    """Turn a fix intent into a :class:`Fix` with concrete edits, or None when it cannot be spelled. A module a
    library built (a torchvision model's own layers) is not the user's to edit: no fix there."""
    target = producer if isinstance(intent, SetArg) and intent.target != "self" or \
        isinstance(intent, InsertAfter) and intent.target == "producer" else layer
    if target is not None and target.extra.get("library_part"):
        return None
    fix = _resolve(intent, layer, producer, source_lines)
    if fix is not None and getattr(intent, "per_shape", False):
        fix.per_shape = True
    return fix


def tuple_fix(producer: Optional[Layer]):
    """The intent for a tuple output fed to a layer: for a PyTorch RNN, keep its last time step."""
    if producer is not None and producer.framework == "torch" and has(producer, "recurrent"):
        return SelectFromTuple()
    return None
