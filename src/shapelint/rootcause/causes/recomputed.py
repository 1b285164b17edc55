"""A size worked out twice: a layer's argument recomputes (``nn.Linear(make_divisible(last_channel * width_mult),
n)``) what the class already holds under a name (``self.last_channel = make_divisible(last_channel * max(1.0,
width_mult))``), with a formula that no longer agrees. The name is what the rest of the model was built from, so the
second formula is the mistake, not the shared helper both call nor the layer's type."""
from __future__ import annotations

import ast
from typing import Optional

from ...core.facts import RuleFacts
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.source import function_at, parse_expression, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ...frontends.source.objects import Instance
from ..cause import Cause
from .numbers import sized


def recomputed_beside_attribute(ctx, d):
    """The layer's size is computed (a formula, another attribute's entry: ``self.stage_channels[-1]``) while an
    attribute of the same object holds the size the tensor has and built it (``self.num_features``)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not sized(f.mismatch):
        return
    m = f.mismatch
    span = f.op.layer.arg_spans.get(m.arg)
    text = ctx.text(span) if span is not None else None
    parsed = parse_expression(text) if text else None
    if parsed is None or isinstance(parsed.body, (ast.Name, ast.Constant)):
        return  # a name or a number: nothing was recomputed here
    tree = tree_of(ctx.lines)
    method = function_at(tree, span.line) if tree is not None else None
    owner = getattr(method, "_shapelint_parent", None)
    if not isinstance(owner, ast.ClassDef) or not method.args.args:
        return
    me = method.args.args[0].arg
    found = [(target.attr, node) for node in ast.walk(owner) if isinstance(node, ast.Assign)
             and len(node.targets) == 1 and (node.lineno < span.line or not _inside(node, method))
             for target in node.targets if _is_attribute_of(target, me) and target.attr not in _NOT_SIZES
             and ast.unparse(target) != text]
    found = [(name, node) for name, node in found if _held(ctx, owner, name) == int(m.received) and
             (_shares_a_part(node.value, parsed.body) or _built_the_tensor(ctx, f, me, name, node, m.received))]
    if len(found) != 1:
        return
    name, node = found[0]
    spelled = f"{me}.{name}"
    help_text = remedies.use_name(spelled)
    yield Cause("formula", 84, Label(span, remedies.recomputed_label(spelled, int(m.received)), d.file),
                remedies.recomputed_note(spelled, node.lineno, int(m.expected), int(m.received)), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, spelled)]),
                secondary=[Label(Span.of(node), remedies.formula_label(int(m.received)), d.file)], strong=True)


_NOT_SIZES = {"batch_size", "batch", "bs", "n_samples", "num_samples"}


def _inside(node, scope) -> bool:
    return scope.lineno <= node.lineno <= (scope.end_lineno or scope.lineno)


def _built_the_tensor(ctx, f, me: str, name: str, node, received) -> bool:
    """The attribute (``self.num_features``, or the parameter it was set from) is what a layer of this run was
    built with, at the size the tensor arriving here has (``conv_head = nn.Conv2d(c, num_features, 1)``)."""
    spellings = {f"{me}.{name}"}
    if isinstance(node.value, ast.Name):
        spellings.add(node.value.id)
    for op in f.inference.program.ops:
        if op.layer is f.op.layer:
            continue
        for arg, s in op.layer.arg_spans.items():
            value = op.layer.args.get(arg)
            if isinstance(value, int) and int(value) == int(received) and (ctx.text(s) or "").strip() in spellings:
                return True
    return False


def _is_attribute_of(target, me: str) -> bool:
    return isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == me


def _shares_a_part(value, arg) -> bool:
    """Both expressions call the same helper (``make_divisible``), beyond plain ``int``/``round``/``max``."""
    def called(node):
        return {ast.unparse(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)} - _PLAIN
    return bool(called(value) & called(arg))


_PLAIN = {"int", "round", "max", "min", "len", "float", "abs", "math.ceil", "math.floor"}


def _held(ctx, owner: ast.ClassDef, name: str) -> Optional[int]:
    """The value ``self.<name>`` has on the instance of ``owner`` that was built (one value, an int), or None."""
    values = {int(v) for obj in ctx.ev.models if isinstance(obj, Instance) and _same_class(obj.cls.node, owner)
              for v in [obj.attrs.get(name)] if isinstance(v, int) and not isinstance(v, bool)}
    return values.pop() if len(values) == 1 else None


def _same_class(node, owner: ast.ClassDef) -> bool:
    """The evaluator's class statement and this parse's are two trees of one text."""
    return isinstance(node, ast.ClassDef) and node.name == owner.name and node.lineno == owner.lineno
