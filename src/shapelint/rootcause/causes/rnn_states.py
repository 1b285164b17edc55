"""A bidirectional encoder's final state handed to a one-direction decoder: ``h_n`` is (layers * 2, batch, hidden)
and the decoder wants (layers, batch, hidden). PyTorch raises at the decoder; the mistake is where the encoder hands
its state over without joining the two directions. The fix joins them where the encoder returns the state
(``hidden.sum(0, keepdim=True)`` for one layer, ``hidden[0::2] + hidden[1::2]`` for several); a two-layer decoder or
``hidden.view(1, B, 2 * H)`` would run and feed the backward direction as a layer, or mix samples."""
from __future__ import annotations

import ast
import re
from typing import Optional

from ...core import provenance
from ...core.dims import is_known
from ...core.facts import RuleFacts
from ...core.program import Span
from ...core.registry import has
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.source import enclosing, function_at, node_at, parent_of, spell, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..sites import helper_calls, reads_of_assigned
from ..spelling import append


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


def _given_states(op) -> list:
    """The initial state an RNN op was given: one input (``h_0``, or the pair as one value), or ``h_0`` and ``c_0``
    as two inputs."""
    if len(op.inputs) == 2:
        return _states(op.inputs[1])
    return [v for v in op.inputs[1:] if isinstance(v, Tensor)]


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


_MAKERS = ("zeros", "randn", "rand", "empty", "ones", "zeros_like", "full")


def one_direction_of_bidirectional_state(ctx, d):
    """``self.fc(h_n[-1])`` after a bidirectional RNN, with ``fc = nn.Linear(2 * hidden, ...)``: ``h_n[-1]`` is the
    last layer's *backward* state only. The layer sized for both directions is right; the index that picked one
    direction is the mistake. Shrinking ``in_features`` would run and hide that; the fix joins both directions,
    ``torch.cat((h_n[-2], h_n[-1]), dim=1)``, where the index is written."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "feature-count-mismatch" or f.op.layer.kind != "Linear" or \
            f.op.layer.framework != "torch" or not f.op.inputs or not isinstance(f.mismatch.expected, int) or \
            not isinstance(f.mismatch.received, int) or f.mismatch.expected != 2 * f.mismatch.received:
        return
    inf = f.inference
    pick = inf.source_of(f.op.inputs[0])
    rnn = inf.producer_of(pick.inputs[0]) if pick is not None and pick.layer.kind == "getitem" and pick.inputs \
        else None
    if rnn is None or not has(rnn.layer, "recurrent") or not rnn.layer.args.get("bidirectional") or rnn.output is None:
        return
    items = getattr(rnn.output, "items", ())
    states = [items[1]] if len(items) > 1 else []
    states += list(getattr(states[0], "items", ())) if states else []
    site = pick.layer.origin.span
    if site is None or not any(pick.inputs[0] is s_ for s_ in states):
        return
    joined = _joined_directions(ctx, site)
    help_text = remedies.join_both_directions(joined.text if joined is not None else None, f.mismatch.expected,
                                              _state_base(ctx, site) or "")
    fix = Fix("unsafe", help_text, [joined]) if joined is not None else Fix("display-only", help_text, [])
    yield Cause("one-direction", 84, Label(site, remedies.one_direction_label(), d.file),
                remedies.one_direction_note(rnn.layer.kind), help_text, fix=fix, strong=True)


def _picked(ctx, site: Span):
    """The subscript ``h_n[-1]`` at ``site`` (the op is located at its index, ``-1``), or None."""
    node = node_at(site, ctx.lines)
    if node is not None and not isinstance(node, ast.Subscript) and isinstance(parent_of(node), ast.Subscript):
        node = parent_of(node)
    return node if isinstance(node, ast.Subscript) else None


def _state_base(ctx, site: Span) -> Optional[str]:
    """The text of the state the index picks from (``h_n`` in ``h_n[-1]``), as the file writes it."""
    node = _picked(ctx, site)
    base = ctx.segment(node.value) if node is not None else None
    return base if base and "\n" not in base else None


def _joined_directions(ctx, site: Span) -> Optional[Edit]:
    """``h_n[-1]`` -> ``torch.cat((h_n[-2], h_n[-1]), dim=1)``, spelled as the file imports torch; None when the index
    is not a plain ``[-1]`` or the file does not import torch."""
    node = _picked(ctx, site)
    if node is None:
        return None
    cat, index, base = spell("torch.cat", ctx.lines), node.slice, _state_base(ctx, site)
    if cat is None or base is None or not (isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub) and
                                           isinstance(index.operand, ast.Constant) and index.operand.value == 1):
        return None
    return Edit(Span.of(node), f"{cat}(({base}[-2], {base}[-1]), dim=1)")


def state_without_directions(ctx, d):
    """A bidirectional RNN given an initial state built as (num_layers, batch, hidden): it needs num_layers *
    num_directions on the first axis. The mistake is where the state's shape is written; turning the layer
    unidirectional would run and change the model. The fix multiplies that first size by the directions (the
    module's own ``self.num_directions`` when it keeps one)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "incompatible-input-shape" or \
            not has(f.op.layer, "recurrent") or f.op.layer.framework != "torch" or len(f.op.inputs) < 2 or \
            f.op.layer.args.get("bidirectional") is not True:
        return
    layers = f.op.layer.args.get("num_layers", 1)
    states = _states(f.op.inputs[1])
    if not isinstance(layers, int) or not states or states[0].shape is None or len(states[0].shape) != 3 or \
            states[0].shape[0] != layers:
        return
    sites = _first_sizes_of_states(ctx)
    scopes = {id(enclosing(n, (ast.FunctionDef, ast.AsyncFunctionDef))) for n in sites}
    if not sites or len(sites) > 2 or len(scopes) != 1:
        return  # one state (GRU) or h0 and c0 made side by side (LSTM): the same shape written once or twice
    dirs = _directions_name(ctx)
    edits = [Edit(Span.of(n), f"{ast.get_source_segment(ctx.source, n)} * {dirs}") for n in sites]
    help_text = remedies.state_times_directions(edits[0].text)
    yield Cause("state-directions", 84, Label(Span.of(sites[0]), remedies.state_layers_only_label(layers), d.file),
                remedies.state_layers_only_note(f.op.layer.kind, layers), help_text,
                fix=Fix("unsafe", help_text, edits), strong=True)


def one_tensor_for_lstm_state(ctx, d):
    """An LSTM given one tensor as its initial state -- ``return torch.zeros(layers, batch, hidden)`` in an
    ``init_hidden`` written for a GRU -- where it takes the pair ``(h_0, c_0)``. PyTorch raises inside the LSTM; the
    mistake is where the state is made, and the fix makes the pair there (the same shape twice). Stacking two
    tensors, or a first axis of 2 so that the tensor "unpacks", still fails or reads layers as h and c."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not f.mismatch.facts.get("state_not_pair") or \
            f.op.layer.framework != "torch" or f.op.layer.kind != "LSTM" or len(f.op.inputs) != 2 or \
            not isinstance(f.op.inputs[1], Tensor):
        return
    call = _state_maker(ctx, f)
    if call is None:
        return
    made = ast.get_source_segment(ctx.source, call)
    pair = f"({made}, {made})"
    help_text = remedies.make_lstm_state_pair(pair)
    yield Cause("state-not-pair", 84, Label(Span.of(call), remedies.one_state_tensor_label(), d.file),
                remedies.one_state_tensor_note(), help_text, fix=Fix("unsafe", help_text, [Edit(Span.of(call), pair)]),
                strong=True)


def _state_maker(ctx, f) -> Optional[ast.Call]:
    """The ``torch.zeros(...)``-like call that made the one tensor given as an LSTM's state, when it is the whole
    value of an assignment or a ``return``: the data fed to the model (``model(x, zero_state(B))``), or a name
    assigned once in the function that calls the LSTM (``h = torch.zeros(...)``; ``self.lstm(x, h)``)."""
    state = f.op.inputs[1]
    m, r = ctx.run_of(f.inference)
    feed = ctx.feed_of(m, r)
    found = [a.origin for a in (feed.call.args if feed is not None else ())
             if getattr(a, "shape", None) is not None and tuple(a.shape) == tuple(state.shape or ()) and
             getattr(a, "origin", None) is not None]
    calls = [c for c in (node_at(s, ctx.lines, ast.Call) for s in found) if _made_whole(c) and _read_once(ctx, c)]
    if not calls:
        span = f.op.layer.extra.get("call_span")
        lstm_call = node_at(span, ctx.lines, ast.Call) if span is not None else None
        given = lstm_call.args[1] if lstm_call is not None and len(lstm_call.args) == 2 else None
        calls = _made_by_name(ctx, lstm_call, given) if isinstance(given, ast.Name) else _made_by_method(ctx, given)
    return calls[0] if len(calls) == 1 else None


def _made_by_name(ctx, lstm_call, given: ast.Name) -> list:
    """The value of the one assignment of ``given`` in the function that calls the LSTM, if it makes a tensor."""
    fn = enclosing(lstm_call, (ast.FunctionDef, ast.AsyncFunctionDef))
    binds = [n for n in ast.walk(fn) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
             isinstance(n.targets[0], ast.Name) and n.targets[0].id == given.id] if fn is not None else []
    return [b.value for b in binds if len(binds) == 1 and isinstance(b.value, ast.Call) and _made_whole(b.value)
            and reads_of_assigned(ctx, b) == 1]


def _read_once(ctx, call) -> bool:
    """The tensor ``call`` makes reaches one reader: assigned to a name read once, or returned by a module-level
    helper called once. A maker shared with a GRU (which takes one tensor) must not be turned into a pair."""
    parent = getattr(call, "_shapelint_parent", None)
    if isinstance(parent, ast.Assign):
        return reads_of_assigned(ctx, parent) == 1
    return helper_calls(ctx, call) == 1


def _made_by_method(ctx, given) -> list:
    """The one ``return torch.zeros(...)`` of the method ``self.init_hidden(...)`` that ``given`` calls."""
    func = getattr(given, "func", None)
    if not isinstance(func, ast.Attribute) or not isinstance(func.value, ast.Name) or func.value.id != "self":
        return []
    cls = enclosing(given, (ast.ClassDef,))
    methods = [n for n in getattr(cls, "body", []) if isinstance(n, ast.FunctionDef) and n.name == func.attr]
    returns = [n for m in methods for n in ast.walk(m) if isinstance(n, ast.Return) and n.value is not None]
    return [r.value for r in returns if len(returns) == 1 and isinstance(r.value, ast.Call) and _made_whole(r.value)]


def _made_whole(call) -> bool:
    """``call`` makes a fresh tensor (``torch.zeros``, ``randn``, ...) and is the whole value of an assignment or a
    ``return``."""
    func = getattr(call, "func", None)
    name = getattr(func, "attr", None) or getattr(func, "id", None)
    parent = getattr(call, "_shapelint_parent", None)
    return name in _MAKERS and isinstance(parent, (ast.Return, ast.Assign)) and parent.value is call


def state_made_batch_first(ctx, d):
    """An initial state made (batch, num_layers, hidden) -- ``torch.zeros(batch_size, self.layers, self.hidden)`` in
    an ``init_hidden`` that follows ``batch_first=True`` -- where PyTorch always takes (num_layers * directions,
    batch, hidden): ``batch_first`` never applies to the states. The mistake is the order written where the state is
    made; transposing it where it is passed leaves that helper wrong for every other caller."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "incompatible-input-shape" or \
            not has(f.op.layer, "recurrent") or f.op.layer.framework != "torch" or len(f.op.inputs) < 2 or \
            not _batch_first_state(f.op.layer, _states(f.op.inputs[1])):
        return
    owner = _class_at(ctx, f.op.layer.origin.span)  # the module that builds this RNN makes its state
    sites = [s for s in _batch_first_state_shapes(ctx) if owner is not None and _class_at(ctx, Span.of(s[0])) is owner]
    scopes = {id(enclosing(elts[0], (ast.FunctionDef, ast.AsyncFunctionDef))) for elts in sites}
    if not sites or len(sites) > 2 or len(scopes) != 1:
        return
    edits = []
    for first, second in sites:
        a, b = ast.get_source_segment(ctx.source, first), ast.get_source_segment(ctx.source, second)
        start, end = Span.of(first), Span.of(second)
        edits.append(Edit(Span(start.line, start.column, end.end_line, end.end_column), f"{b}, {a}"))
    help_text = remedies.state_layers_first_where_made(edits[0].text)
    yield Cause("state-batch-first", 84, Label(Span.of(sites[0][0]), remedies.state_batch_first_label(), d.file),
                remedies.state_batch_first_note(f.op.layer.kind), help_text, fix=Fix("unsafe", help_text, edits),
                strong=True)


_BATCH_WORDS = ("batch", "bs", "size(0)", "shape[0]", "len(")


def _batch_first_state(layer, states: list) -> bool:
    """Every state given is (batch, layers * directions, hidden) where (layers * directions, batch, hidden) is
    taken: the batch and the layer count swapped, nothing else."""
    layers, dirs = layer.args.get("num_layers", 1), 2 if layer.args.get("bidirectional") is True else 1
    if not isinstance(layers, int) or not states:
        return False
    want = layers * dirs
    return all(s.shape is not None and len(s.shape) == 3 and s.shape[1] == want and is_known(s.shape[0]) and
               s.shape[0] != want for s in states)


def _class_at(ctx, span):
    """The class whose body holds ``span``, or None."""
    tree = tree_of(ctx.lines)
    node = node_at(span, ctx.lines) if span is not None and tree is not None else None
    return enclosing(node, (ast.ClassDef,)) if node is not None else None


def _batch_first_state_shapes(ctx) -> list:
    """(batch size, layer count) of each state shape written batch-first: ``torch.zeros(batch_size, self.layers,
    self.hidden)`` -- the first size named for the batch, the second for the layers."""
    tree = tree_of(ctx.lines)
    found = []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)) if tree is not None else ():
        name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
        if name not in _MAKERS or not call.args:
            continue
        first = call.args[0]
        elts = first.elts if isinstance(first, (ast.Tuple, ast.List)) else call.args if len(call.args) == 3 else []
        if len(elts) != 3:
            continue
        a, b = (ast.get_source_segment(ctx.source, e) or "" for e in elts[:2])
        if any(w in a.lower() for w in _BATCH_WORDS) and "layer" in b.lower():
            found.append((elts[0], elts[1]))
    return found


def _first_sizes_of_states(ctx) -> list:
    """The first size of every (num_layers, batch, hidden) shape written for a state -- the first size named for the
    layers (``num_layers``, ``self.n_layers``): ``torch.zeros(self.num_layers, b, h)``, ``torch.zeros((self.num_layers, b, h))`` or a tuple assigned to a name such a call takes."""
    tree = tree_of(ctx.lines)
    if tree is None:
        return []
    found = []
    for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
        name = getattr(call.func, "attr", None) or getattr(call.func, "id", None)
        if name not in _MAKERS or not call.args:
            continue
        first = call.args[0]
        if isinstance(first, ast.Name):  # `shape = (...)` in the same function
            fn = enclosing(call, (ast.FunctionDef, ast.AsyncFunctionDef))
            first = next((a.value for a in ast.walk(fn) if fn is not None and isinstance(a, ast.Assign) and
                          len(a.targets) == 1 and isinstance(a.targets[0], ast.Name) and
                          a.targets[0].id == first.id), None) if fn is not None else None
        elts = first.elts if isinstance(first, (ast.Tuple, ast.List)) else call.args if len(call.args) == 3 else []
        if len(elts) == 3 and "layers" in (ast.get_source_segment(ctx.source, elts[0]) or "").lower() and \
                all(id(elts[0]) != id(x) for x in found):
            found.append(elts[0])
    return found


def _directions_name(ctx) -> str:
    """``self.num_directions`` (or the like) when the module keeps one, else 2."""
    m = re.search(r"self\.(num_directions|num_dirs|n_directions|directions|n_dirs)\s*=", ctx.source)
    return f"self.{m.group(1)}" if m else "2"


def state_batch_read_from_time_axis(ctx, d):
    """A batch-first RNN given an initial state sized by ``x.size(1)`` -- the time axis -- where the batch is axis 0
    (``init_hidden(x.size(1))``; the other way round without ``batch_first``). The state's batch size is the very size
    of the input's time axis: the index of that read is the mistake. Transposing the input, or dropping
    ``batch_first``, would run and change the model."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "incompatible-input-shape" or \
            not has(f.op.layer, "recurrent") or f.op.layer.framework != "torch" or len(f.op.inputs) < 2:
        return
    x, h = f.op.inputs[0], f.op.inputs[1]
    if not all(isinstance(v, Tensor) and v.shape is not None and len(v.shape) == 3 for v in (x, h)):
        return
    batch, time = (0, 1) if f.op.layer.args.get("batch_first") else (1, 0)
    if h.shape[1] is not x.shape[time] or h.shape[1] == x.shape[batch]:
        return
    call = f.op.layer.extra.get("call_span")
    tree = tree_of(ctx.lines)
    fn = function_at(tree, call.line) if tree is not None and call is not None else None
    reads = [i for i in map(lambda n: _axis_index(n, time), ast.walk(fn)) if i is not None]         if fn is not None and fn is not tree else []
    if len(reads) != 1:
        return
    span = Span.of(reads[0])
    help_text = remedies.read_batch_axis(batch)
    yield Cause("batch-axis-read", 87, Label(span, remedies.time_axis_read_label(time, int(x.shape[time])), d.file),
                remedies.time_axis_read_note(f.op.layer.kind, time, batch), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, str(batch))]), strong=True)


def _axis_index(node, axis: int):
    """The index literal of ``t.size(axis)`` or ``t.shape[axis]`` when ``node`` reads that axis, else None."""
    index = None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "size" and \
            len(node.args) == 1 and not node.keywords:
        index = node.args[0]
    elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "shape":
        index = node.slice
    return index if isinstance(index, ast.Constant) and type(index.value) is int and index.value == axis else None



def sequence_passed_as_state(ctx, d):
    """A Keras encoder built with ``return_sequences=True, return_state=True`` returns ``[sequences, *states]``; the
    whole list passed on as a decoder's ``initial_state`` gives it the 3-D sequence as its first state, and Keras fails
    inside the cell. The mistake is the list handed over, not the decoder: the fix passes the states only,
    ``initial_state=encoder_states[1:]``. Widening the decoder or dropping the encoder's ``return_sequences`` would
    change the model (an attention decoder needs the sequence)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not f.mismatch.facts.get("state_is_sequence") or \
            f.op.layer.framework != "keras" or f.mismatch.facts.get("state_index") != 0:
        return
    states = f.op.layer.call_kwargs.get("initial_state")
    items = list(getattr(states, "items", None) or (states if isinstance(states, (list, tuple)) else ()))
    rest = [getattr(s, "shape", None) for s in items[1:]]
    if len(items) < 2 or not all(r is not None and len(r) == 2 for r in rest):
        return
    call_span = f.op.layer.extra.get("call_span")
    call = node_at(call_span, ctx.lines, ast.Call) if call_span is not None else None
    given = next((k.value for k in getattr(call, "keywords", []) if k.arg == "initial_state"), None)
    if isinstance(given, ast.Name):
        text = f"{given.id}[1:]"
    elif isinstance(given, (ast.List, ast.Tuple)) and len(given.elts) == len(items):
        text = "[" + ", ".join(ast.get_source_segment(ctx.source, e) for e in given.elts[1:]) + "]"
    else:
        return
    help_text = remedies.pass_states_only(text)
    yield Cause("sequence-as-state", 84, Label(Span.of(given), remedies.sequence_as_state_label(), d.file),
                remedies.sequence_as_state_note(), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(given), text)]), strong=True)


def sequence_permuted_batch_first_for_rnn(ctx, d):
    """A CRNN: the conv features (N, C, W) permuted to (N, W, C) for an ``nn.LSTM`` built without ``batch_first``,
    which reads them as W samples of N steps -- the LSTM runs across the batch, mixing samples -- and CTC, the first
    to object, gets batch-first log-probs. Transposing at the loss would run and leave the recurrence over the
    batch; the permute is the mistake, and time first, ``permute(2, 0, 1)``, is what the LSTM and CTC both take."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "ctc-input-mismatch" or f.mismatch.arg != "log_probs" or \
            not f.op.inputs or len(getattr(f.op.inputs[0], "shape", None) or ()) != 3:
        return
    for value in f.inference.upstream([f.op.inputs[0]], limit=64):
        run = ctx.run_returning(value)
        if run is None:
            continue
        for op in run.program.ops:
            if op.layer.kind not in ("LSTM", "GRU", "RNN") or op.layer.args.get("batch_first") or not op.inputs:
                continue
            made = run.inference.producer_of(op.inputs[0])
            if made is None or made.layer.kind != "permute" or not made.inputs:
                continue
            before = getattr(made.inputs[0], "shape", None)
            call = node_at(made.layer.extra.get("call_span") or made.layer.origin.span, ctx.lines, ast.Call)
            order = [a.value for a in call.args if isinstance(a, ast.Constant)] if isinstance(call, ast.Call) else []
            if before is None or len(before) != 3 or order != [0, 2, 1] or len(call.args) != 3:
                continue
            first, last = call.args[0], call.args[-1]
            edit = Edit(Span(first.lineno, first.col_offset + 1, last.end_lineno, last.end_col_offset + 1), "2, 0, 1")
            help_text = remedies.permute_time_first(op.layer.kind)
            yield Cause("data-layout", 84, Label(Span.of(call), remedies.batch_first_for_rnn_label(op.layer.kind),
                                                 d.file),
                        remedies.batch_first_for_rnn_note(op.layer.kind), help_text,
                        fix=Fix("unsafe", help_text, [edit]), strong=True)
            return
        return


def state_layers_written_by_hand(ctx, d):
    """An initial state made with a layer count written by hand -- ``torch.zeros(1, bsz, self.nhid)`` in
    ``init_hidden`` for a GRU built with ``num_layers=2``: torch raises at the RNN, but the number was written where
    the state is made, and it must follow the RNN's ``num_layers`` (times 2 when bidirectional), not the other way:
    building the RNN with one layer would change the model."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "incompatible-input-shape" or \
            not has(f.op.layer, "recurrent") or f.op.layer.framework != "torch" or len(f.op.inputs) < 2:
        return
    layer = f.op.layer
    layers, bidirectional = layer.args.get("num_layers", 1), layer.args.get("bidirectional", False)
    if not isinstance(layers, int) or isinstance(layers, bool) or not isinstance(bidirectional, bool):
        return
    wanted = layers * (2 if bidirectional else 1)
    x = f.op.inputs[0]
    states = _given_states(f.op)
    if not states or not isinstance(x, Tensor) or x.shape is None or len(x.shape) != 3:
        return
    batch = x.shape[0] if layer.args.get("batch_first") else x.shape[1]
    hidden = layer.args.get("hidden_size")
    spans = set()
    for s in states:
        if s.shape is None or len(s.shape) != 3 or not is_known(s.shape[0]) or int(s.shape[0]) == wanted or \
                s.shape[1] != batch or (isinstance(hidden, int) and s.shape[2] != hidden):
            return  # the batch or the width is wrong too: not (only) the layer count
        origin = provenance.origin_of(s.shape[0])
        if not isinstance(origin, provenance.Written) or origin.span is None:
            return
        spans.add(origin.span)
    spans = sorted(spans, key=lambda s: (s.line, s.column))  # h and c of an LSTM: each written by hand
    named = _layers_named(ctx, layer, spans[0])
    literal = node_at(spans[0], ctx.lines, ast.Constant)
    new = (state_rows(ctx, layer, named, literal) if named and literal is not None else None) or str(wanted)
    help_text = remedies.state_layers_as_rnn(new)
    label = remedies.state_layers_label(int(states[0].shape[0]), wanted)
    yield Cause("upstream-literal", 78, Label(spans[0], label, d.file),
                remedies.state_layers_note(int(states[0].shape[0]), layers, bidirectional), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, new) for span in spans]), strong=True,
                secondary=[Label(span, label, d.file) for span in spans[1:]])


def _layers_named(ctx, layer, at: Span) -> Optional[str]:
    """``self.num_layers`` when the class that writes the state keeps the RNN's ``num_layers`` argument in that
    attribute (``self.num_layers = num_layers``), or the argument's name when the state is made where it is bound;
    None when the file does not say it by a name. (The directions are added by ``state_rows``.)"""
    arg_span = layer.arg_spans.get("num_layers")
    arg = ctx.text(arg_span) if arg_span is not None else None
    tree = tree_of(ctx.lines)
    if not arg or not arg.replace(".", "").replace("_", "").isalnum() or tree is None:
        return None
    scope = function_at(tree, at.line)
    cls = enclosing(node_at(at, ctx.lines), (ast.ClassDef,)) if node_at(at, ctx.lines) is not None else None
    spelled = None
    if arg.startswith("self."):
        spelled = arg if cls is not None else None
    elif cls is not None:
        for node in ast.walk(cls):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Attribute) \
                    and isinstance(node.targets[0].value, ast.Name) and node.targets[0].value.id == "self" and \
                    isinstance(node.value, ast.Name) and node.value.id == arg:
                spelled = f"self.{node.targets[0].attr}"
                break
    if spelled is None and scope is not None and function_at(tree, arg_span.line) is scope and arg.isidentifier():
        spelled = arg
    return spelled


def step_without_time_axis(ctx, d):
    """One decoding step fed without its time axis -- ``self.rnn(self.embedding(input), (hidden, cell))`` with one token
    per sentence, (B,): the embedded step is (B, E), which a time-major RNN reads as one unbatched sequence of length
    B, so it rejects the (layers, B, H) state made for a batch. The state is right; the step needs a time axis of
    one where it is made (``.unsqueeze(0)``, or at 1 for a batch-first RNN). Dropping the state's batch axis would run
    and carry one sentence's state for all."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "incompatible-input-shape" or \
            not has(f.op.layer, "recurrent") or f.op.layer.framework != "torch" or len(f.op.inputs) < 2:
        return
    x = f.op.inputs[0]
    states = _given_states(f.op)
    if not isinstance(x, Tensor) or x.shape is None or len(x.shape) != 2 or not states or \
            any(s.shape is None or len(s.shape) != 3 for s in states):
        return
    batch = x.shape[0]
    if not is_known(batch) or any(not is_known(s.shape[1]) or int(s.shape[1]) != int(batch) for s in states):
        return  # the state's batch is not the step's rows: not a step missing its time axis
    call = node_at(f.op.layer.extra.get("call_span"), ctx.lines, ast.Call)
    if call is None or not call.args:
        return
    axis = 1 if f.op.layer.args.get("batch_first") else 0
    given = call.args[0]
    site = given
    if isinstance(given, ast.Name):  # `embedded = self.dropout(self.embedding(input))`, read once: where it is made
        scope = function_at(tree_of(ctx.lines), call.lineno)
        made = [n for n in ast.walk(scope) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
                isinstance(n.targets[0], ast.Name) and n.targets[0].id == given.id] if scope is not None else []
        if len(made) == 1 and made[0].lineno < call.lineno and reads_of_assigned(ctx, made[0]) == 1:
            site = made[0].value
    suffix = f".unsqueeze({axis})"
    edit = append(ctx, Span.of(site), suffix)
    if edit is None:
        return
    help_text = remedies.add_time_axis_to_step(ctx.text(Span.of(site)) + suffix)
    yield Cause("missing-time-axis", 85, Label(Span.of(site), remedies.step_without_time_label(tuple(x.shape)), d.file),
                remedies.step_without_time_note(tuple(x.shape), tuple(states[0].shape), axis), help_text,
                fix=Fix("unsafe", help_text, [edit]), strong=True)


def state_rows(ctx, layer, layers_text: str, literal) -> Optional[str]:
    """``num_layers``, times the directions as the layer is built with them: the attribute the module keeps them in
    (``self.num_directions = 2 if bidirectional else 1``), else ``(2 if bidirectional else 1)`` -- the flag's name
    only where the layer is built (in another method it is not in scope: None, the caller writes the number)."""
    atom = layers_text if layers_text.replace("_", "").replace(".", "").isalnum() else f"({layers_text})"
    span = layer.arg_spans.get("bidirectional")
    flag = ctx.text(span) if span is not None else None
    if flag is None or flag == "False":
        return layers_text
    if flag == "True":
        return f"{atom} * 2"
    directions = f"2 if {flag} else 1"
    fn = enclosing(literal, (ast.FunctionDef,))
    kept = [ast.unparse(n.targets[0]) for n in ast.walk(fn) if isinstance(n, ast.Assign) and len(n.targets) == 1
            and isinstance(n.targets[0], ast.Attribute) and n.lineno < literal.lineno
            and ast.unparse(n.value) == directions] if fn is not None else []
    if len(kept) == 1:
        return f"{atom} * {kept[0]}"
    return f"{atom} * ({directions})" if fn is enclosing(node_at(span, ctx.lines), (ast.FunctionDef,)) else None
