"""A bidirectional encoder's final state handed to a one-direction decoder: ``h_n`` is (layers * 2, batch, hidden)
and the decoder wants (layers, batch, hidden). PyTorch raises at the decoder; the mistake is where the encoder hands
its state over without joining the two directions. The fix joins them where the encoder returns the state
(``hidden.sum(0, keepdim=True)`` for one layer, ``hidden[0::2] + hidden[1::2]`` for several); a two-layer decoder or
``hidden.view(1, B, 2 * H)`` would run and feed the backward direction as a layer, or mix samples."""
from __future__ import annotations

import ast
from typing import Optional

from ...core.facts import RuleFacts
from ...core.program import Span
from ...core.registry import has
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.source import enclosing, node_at
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause


def bidirectional_state_to_decoder(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "incompatible-input-shape" or \
            not has(f.op.layer, "recurrent") or f.op.layer.framework != "torch" or len(f.op.inputs) < 2:
        return
    receiver = f.op.layer
    states = _states(f.op.inputs[1])
    if not states or receiver.args.get("bidirectional"):
        return
    producer = _producer(ctx, f.inference, states[0])
    if producer is None or not has(producer.layer, "recurrent") or not producer.layer.args.get("bidirectional"):
        return
    layers = producer.layer.args.get("num_layers", 1)
    want = receiver.args.get("num_layers", 1)
    h = states[0].shape
    if not isinstance(layers, int) or h is None or len(h) != 3 or h[0] != 2 * layers or want != layers:
        return
    site = _returned_state(ctx, producer)
    if site is None:
        return
    spans, names = site
    joined = [f"{n}.sum(0, keepdim=True)" if layers == 1 else f"({n}[0::2] + {n}[1::2])" for n in names]
    help_text = remedies.join_directions(joined[0])
    yield Cause("batch-merged", 83, Label(spans[0], remedies.state_both_directions_label(tuple(h)), d.file),
                remedies.state_both_directions_note(producer.layer.kind, tuple(h), layers),
                help_text, fix=Fix("unsafe", help_text, [Edit(s, j) for s, j in zip(spans, joined)]), strong=True)


def _producer(ctx, inference, value):
    """The op that made ``value``: in this run, or in another model's (an encoder run on its own)."""
    op = inference.producer_of(value)
    if op is not None:
        return op
    return next((found for m in ctx.ev.models for r in getattr(m, "runs", [])
                 if getattr(r, "inference", None) is not None
                 for found in [r.inference.producer_of(value)] if found is not None), None)


def _states(value) -> list:
    """The tensors of an RNN's initial state: ``h_0``, or ``(h_0, c_0)``."""
    if isinstance(value, Tensor):
        return [value]
    items = getattr(value, "items", None)
    return [v for v in items if isinstance(v, Tensor)] if items else []


def _returned_state(ctx, producer) -> Optional[tuple]:
    """(spans, names) of the state in the ``return`` of the function that calls the producing RNN
    (``outputs, hidden = self.rnn(x)`` ... ``return outputs, hidden``)."""
    call_span = producer.layer.extra.get("call_span")
    call = node_at(call_span, ctx.lines, ast.Call) if call_span is not None else None
    stmt = enclosing(call, ast.stmt)
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Tuple) or \
            len(stmt.targets[0].elts) != 2:
        return None
    state = stmt.targets[0].elts[1]
    names = [e.id for e in (state.elts if isinstance(state, ast.Tuple) else [state]) if isinstance(e, ast.Name)]
    if not names:
        return None
    fn = enclosing(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))
    if fn is None:
        return None
    returns = [n for n in ast.walk(fn) if isinstance(n, ast.Return) and n.value is not None]
    if len(returns) != 1:
        return None
    found = [n for n in ast.walk(returns[0].value) if isinstance(n, ast.Name) and n.id in names]
    if len(found) != len(names):
        return None
    return [Span.of(n) for n in found], [n.id for n in found]
