"""Building a :class:`Layer` from a constructor call in the source, shared by the Keras and PyTorch modules."""
from __future__ import annotations

import ast
import re

from ...core.program import UNRESOLVED, Layer, Origin, Span
from ...core.registry import lookup
from .api import Call
from .evaluator import is_const
from ...core.provenance import Sized


def snake_case(name: str) -> str:
    """Keras' to_snake_case: ``Conv2D`` -> ``conv2d``, ``MaxPooling2D`` -> ``max_pooling2d``."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return s


def clean(value):
    """Layer arguments are plain constants or UNRESOLVED; anything else (an object we model) is kept as is."""
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, tuple):
        return tuple(clean(v) for v in value)
    if getattr(value, "opaque_value", False):  # a part of a library model read as a size: not known here
        return UNRESOLVED
    return value


def make_layer(ev, framework: str, kind: str, call: Call, name: str = "") -> Layer:
    rule = lookup(framework, kind)
    layer = Layer(framework, kind, name=name, origin=Origin(ev.file, Span.of(call.node)), callee=call.callee_text)
    layer.extra["call_end"] = (call.node.end_lineno, call.node.end_col_offset)
    if getattr(ev, "call_sites", None) and ev.call_sites[-1] is not None:
        layer.extra["helper_call"] = ev.call_sites[-1]  # the call of the function that builds it (a helper)
    positional = [clean(a) for a in call.args]
    keywords = {k: clean(v) for k, v in call.kwargs.items()}
    if rule is not None:
        args, given, problems = rule.signature.bind(positional, keywords)
        if call.starred:
            problems = []
            args = {k: (UNRESOLVED if k not in given else v) for k, v in args.items()}
        layer.args, layer.given = args, set(given)
        if problems:
            layer.extra["bind_problems"] = problems
        for i, pname in enumerate(rule.signature.params[: len(call.args)]):
            node = call.node_of(i, pname)
            if node is not None:
                layer.arg_spans[pname] = Span.of(node)
    else:
        layer.args = {f"arg{i}": v for i, v in enumerate(positional)}
        layer.args.update(keywords)
        layer.given = set(layer.args)
    for k, node in call.kw_nodes.items():
        layer.arg_spans[k] = Span.of(node)
    _record_arg_origins(ev, layer, call)
    _record_size_names(ev, layer)
    return layer


def _record_size_names(ev, layer: Layer) -> None:
    """The names the sizes in scope have where the layer is built (``dim`` inside ``MixerBlock.__init__``), so a fix
    can write ``nn.LayerNorm(dim)`` rather than ``nn.LayerNorm(512)``: id of a Sized -> (the Sized, its name). The
    Sized is kept with its name: an id alone could be reused by another object once this one is gone."""
    scope = ev.scopes[-1] if getattr(ev, "scopes", None) else None
    if scope is None:
        return
    names = {id(v): (v, k) for k, v in scope.vars.items() if isinstance(v, Sized) and not k.startswith("_")}
    if names:
        layer.extra["size_names"] = names


def _record_arg_origins(ev, layer: Layer, call: Call) -> None:
    """``nn.Linear(channels, ...)`` where ``channels`` is a parameter of the running ``__init__`` that its caller
    passed as a literal: remember where that literal is (``extra['arg_origins']``), which is where a fix belongs."""
    frame = ev.param_origins[-1] if getattr(ev, "param_origins", None) else None
    if not frame:
        return
    built = frame.setdefault("<built>", set())  # a constructor run twice in one call (a loop) is not one instance's
    if id(call.node) in built:
        frame.setdefault("<loops>", set()).add(id(call.node))
        return
    built.add(id(call.node))
    names = {}
    rule = lookup(layer.framework, layer.kind)
    params = rule.signature.params if rule is not None else []
    for i, node in enumerate(call.arg_nodes):
        if i < len(params):
            names[params[i]] = node
    names.update(call.kw_nodes)
    origins = {}
    for arg, node in names.items():
        if isinstance(node, ast.Name) and isinstance(frame.get(node.id), tuple) and \
                layer.args.get(arg) == frame[node.id][0]:
            origins[arg] = (node.id, frame[node.id][1])
    if origins:
        layer.extra["arg_origins"] = origins


def element_spans(node, n: int, single: bool) -> list:
    """Source spans of the ``n`` tensors an argument expression holds, for fixes that rewrite one of them: the
    expression itself when it is one tensor (``single``), the elements of a literal list or tuple for several
    (``[y, shortcut]``); None where a tensor has no expression of its own (a list held in a variable)."""
    if single:
        return [Span.of(node)] if isinstance(node, ast.expr) and not isinstance(node, ast.Starred) else [None]
    if isinstance(node, (ast.List, ast.Tuple)) and len(node.elts) == n and \
            not any(isinstance(e, ast.Starred) for e in node.elts):
        return [Span.of(e) for e in node.elts]
    return [None] * n


def binop_operand_spans(node) -> list:
    """Spans of the two operands of ``a + b`` / ``a @ b`` / ``out += residual`` / ``a == b``."""
    if isinstance(node, ast.BinOp):
        return [Span.of(node.left), Span.of(node.right)]
    if isinstance(node, ast.AugAssign):
        return [Span.of(node.target), Span.of(node.value)]
    if isinstance(node, ast.Compare) and len(node.comparators) == 1:  # preds == targets
        return [Span.of(node.left), Span.of(node.comparators[0])]
    return [None, None]


__all__ = ["make_layer", "snake_case", "is_const", "binop_operand_spans", "element_spans"]
