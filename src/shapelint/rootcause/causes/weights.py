"""A weight tensor written with a literal size where its module names the size: ``self.w =
nn.Parameter(torch.ones(1))`` beside ``num_tasks = len(cfg["tasks"])``, then ``labels @ self.w`` on labels of one
column per task. The literal is the mistake; the fix writes the name there, so the weight follows the setting (and
the number of tasks can change). Cutting the data to one column, or writing 3, would fix this run only."""
from __future__ import annotations

import ast
from typing import Optional

from ...core import provenance
from ...core.facts import RuleFacts
from ...core.registry import has
from ...diagnostics import remedies
from ...diagnostics.fixes.source import enclosing, node_at, parse_expression
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..spelling import module_spelling
from .numbers import matmul_sides
from .rnn_states import state_rows

# the calls that make a tensor of the sizes written as their arguments
_MAKERS = frozenset(("ones", "zeros", "randn", "rand", "empty", "full", "Tensor", "FloatTensor"))


def weight_literal_beside_name(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts):
        return
    for written, wanted, _ in matmul_sides(f.mismatch):
        o = provenance.origin_of(written)
        if not isinstance(o, provenance.Written) or not isinstance(wanted, int) or o.span is None or \
                (ctx.text(o.span) or "").strip() != str(int(written)):
            continue
        literal = node_at(o.span, ctx.lines, ast.Constant)
        if not made_as_weight(literal):
            continue
        name = _name_in_scope(ctx, literal, wanted)
        if name is None:
            continue
        help_text = remedies.write_the_setting(name)
        yield Cause("weight-literal", 80, Label(o.span, remedies.weight_literal_label(int(written), name), d.file),
                    remedies.weight_literal_note(int(written), name, int(wanted)), help_text,
                    fix=Fix("unsafe", help_text, [Edit(o.span, name)]), strong=True)
        return


def made_as_weight(literal) -> bool:
    """The literal is a size argument of ``torch.ones(...)`` & co. kept as a module's parameter or buffer
    (``nn.Parameter(torch.ones(1))``, ``self.register_buffer("w", torch.zeros(4))``)."""
    maker = getattr(literal, "_shapelint_parent", None)
    if isinstance(maker, ast.Tuple):
        maker = getattr(maker, "_shapelint_parent", None)
    func = getattr(maker, "func", None)
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if not isinstance(maker, ast.Call) or name not in _MAKERS:
        return False
    keeper = getattr(maker, "_shapelint_parent", None)
    while isinstance(keeper, ast.BinOp):  # `nn.Parameter(torch.randn(1, 1, hidden) * 0.01)`: scaled, then kept
        keeper = getattr(keeper, "_shapelint_parent", None)
    kept = getattr(keeper, "func", None)
    kept_name = kept.attr if isinstance(kept, ast.Attribute) else getattr(kept, "id", None)
    return isinstance(keeper, ast.Call) and kept_name in ("Parameter", "register_buffer", "register_parameter")


def _name_in_scope(ctx, literal, wanted) -> Optional[str]:
    """The name the function holding ``literal`` (or the module) binds to the size ``wanted`` before it: a local
    ``num_tasks = len(cfg["tasks"])`` written as the data's size was computed, or the module constant it was
    written with."""
    fn = enclosing(literal, (ast.FunctionDef,))
    o = provenance.origin_of(wanted)
    text = o.text if isinstance(o, provenance.Computed) else None
    made = parse_expression(text) if text else None
    if fn is not None and made is not None:
        names = [t.id for n in ast.walk(fn) if isinstance(n, ast.Assign) and n.lineno < literal.lineno
                 and len(n.targets) == 1 and isinstance(t := n.targets[0], ast.Name)
                 and _same_computation(n.value, made.body)]
        if len(set(names)) == 1:
            return names[0]
    spelled = module_spelling(ctx, wanted)
    return spelled[0] if spelled is not None else None


def _same_computation(a, b) -> bool:
    """``len(cfg["tasks"])`` and ``len(CONFIG["tasks"])``: the same call on the same entry, whatever the table is
    called where it is read."""
    if ast.dump(a) == ast.dump(b):
        return True
    if isinstance(a, ast.Call) and isinstance(b, ast.Call) and ast.dump(a.func) == ast.dump(b.func) and \
            len(a.args) == len(b.args) == 1 and isinstance(a.args[0], ast.Subscript) and \
            isinstance(b.args[0], ast.Subscript):
        return ast.dump(a.args[0].slice) == ast.dump(b.args[0].slice)
    return False


def state_made_for_one_layer(ctx, d):
    """A learned initial state ``nn.Parameter(torch.randn(1, 1, hidden_size))`` for a GRU / LSTM built with
    ``num_layers=num_layers``: the state needs one row per layer and direction, and the 1 was written for a one-layer
    network. The literal is the mistake; the fix writes the count the recurrent layer is built with (and its
    directions), so the state follows the settings. Building the layer with one layer would change the model."""
    f = d.facts
    m = getattr(f, "mismatch", None)
    if not isinstance(f, RuleFacts) or not has(f.op.layer, "recurrent") or f.op.layer.framework != "torch" or \
            m.code != "incompatible-input-shape" or len(f.op.inputs) < 2:
        return
    want, got = m.facts.get("expected_shape"), m.facts.get("received_shape")
    state = f.op.inputs[1]
    shape = getattr(state, "shape", None)
    if not want or not got or not shape or len(want) != len(got) or tuple(want[1:]) != tuple(got[1:]) or \
            tuple(shape) != tuple(got):
        return
    o = provenance.origin_of(shape[0])
    literal = node_at(o.span, ctx.lines, ast.Constant) if isinstance(o, provenance.Written) and o.span else None
    layers_span = f.op.layer.arg_spans.get("num_layers")
    layers_text = ctx.text(layers_span) if layers_span is not None else None
    if literal is None or not made_as_weight(literal) or not layers_text or \
            enclosing(literal, (ast.FunctionDef,)) is not enclosing(node_at(layers_span, ctx.lines),
                                                                    (ast.FunctionDef,)):
        return
    spelled = state_rows(ctx, f.op.layer, layers_text, literal)
    help_text = remedies.state_rows(spelled)
    yield Cause("weight-literal", 81, Label(o.span, remedies.state_rows_label(int(shape[0]), int(want[0])), d.file),
                remedies.state_rows_note(f.op.layer.kind, int(want[0])), help_text,
                fix=Fix("unsafe", help_text, [Edit(o.span, spelled)]), strong=True)
