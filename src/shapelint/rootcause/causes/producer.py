"""Causes at the layer that made the input: a rule that knows its input is wrong because of a setting of the layer
before it (``return_sequences`` left off the previous LSTM, so the next one gets (batch, units)) already writes its
fix there; the mistake was written there too. The diagnosis moves to that layer; the layer that raised is where it
surfaced."""
from __future__ import annotations

import ast

from ...core import provenance, roles
from ...core.facts import RuleFacts
from ...core.registry import fact_of, has
from ...core.values import Tensor
from ...diagnostics.fixes.edits import insert_layer_edit, set_arg_edit
from ...diagnostics.model import Edit, Fix
from ...core.program import Span
from ...diagnostics.fixes.source import enclosing, node_at, parameter_defaults, tree_of
from ...diagnostics import remedies
from ...diagnostics.fixes.intents import SetArg
from ...diagnostics.model import Label
from ..cause import Cause
from ..sites import default_relied_on_elsewhere
from ..spelling import spelled_from_provenance


def producer_setting(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or not isinstance(f.mismatch.fix, SetArg):
        return
    intent = f.mismatch.fix
    if intent.target not in ("producer", "producer.layer") or d.fix is None or not d.fix.edits or not f.op.inputs:
        return
    source = f.inference.source_of(f.op.inputs[0])
    if source is None or source.layer.origin.span is None:
        return
    span = source.layer.extra.get("call_span") or source.layer.origin.span
    label = remedies.setting_left_off(f"{intent.arg}={intent.value}", source.layer.kind, f.op.inputs[0].shape)
    if d.primary is not None and span.line == d.primary.span.line:
        # one line builds both layers (a loop): the setting's value is computed elsewhere, where it is wrong
        computed = _computed_at(ctx, source.layer.origin.span, intent.arg)
        if computed is not None:
            name, where = computed
            bound = _bound_off_by_one(ctx, where) or _first_for_last(ctx, where)
            help_text = remedies.all_but_last(bound[1]) if bound is not None else d.help
            yield Cause("producer-setting", 80, Label(where, remedies.setting_computed(name, intent.arg,
                                                                                      source.layer.kind), d.file),
                        label, help_text, fix=Fix("unsafe", help_text, [bound[0]]) if bound is not None else None,
                        strong=True)
        return
    yield Cause("producer-setting", 80, Label(span, label, d.file), "", d.help, fix=d.fix, strong=True)


def repeat_for_target_steps(ctx, d):
    """Keras encoder-decoder: an LSTM that gives one vector per sample (N, units) fed to a decoder LSTM, while the
    labels the model is fitted to have another number of steps than its input (N, T_out, F). The missing piece is
    ``RepeatVector(T_out)`` between the two: ``return_sequences=True`` on the encoder would hand the decoder the
    input's T_in steps, and the output would no longer match the labels."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not isinstance(f.mismatch.fix, SetArg) or \
            f.mismatch.fix.arg != "return_sequences" or f.op.layer.framework != "keras" or \
            not has(f.op.layer, "recurrent") or not f.op.inputs:
        return
    source = f.inference.source_of(f.op.inputs[0])
    encoder = source.layer if source is not None else None
    x = f.inference.program.inputs[0] if f.inference.program.inputs else None
    if encoder is None or not has(encoder, "recurrent") or getattr(x, "shape", None) is None or len(x.shape) != 3:
        return
    steps = _label_steps(ctx, ctx.run_of(f.inference)[0])
    if steps is None or not isinstance(x.shape[1], int) or int(steps) == x.shape[1]:
        return
    spelled = spelled_from_provenance(ctx, steps) or str(int(steps))
    edits = [insert_layer_edit(encoder, f"RepeatVector({spelled})", ctx.lines, after=True)]
    if f.op.layer.args.get("return_sequences") is not True:  # the decoder gives every step, one per label step
        edits.append(set_arg_edit(f.op.layer, "return_sequences", "True", ctx.lines))
    if None in edits:
        return
    help_text = remedies.repeat_for_steps(spelled)
    span = encoder.extra.get("call_span") or encoder.origin.span
    yield Cause("repeat-for-steps", 82, Label(span, remedies.repeat_for_steps_label(encoder.kind), d.file),
                remedies.repeat_for_steps_note(x.shape[1], int(steps)), help_text,
                fix=Fix("unsafe", help_text, edits), strong=True, excludes=("producer-setting",))


def _label_steps(ctx, model):
    """The number of steps of the 3-D labels ``model`` is fitted to (``model.fit(X, Y)``, Y of shape (N, T, F)),
    when every fit call gives the same; else None."""
    found = set()
    for feed in ctx.feeds():
        if feed.model is not model:
            continue
        args, kwargs = getattr(feed.call, "args", ()), getattr(feed.call, "kwargs", {})
        y = kwargs.get("y", args[1] if len(args) > 1 else None)
        shape = getattr(y, "shape", None)
        if shape is None or len(shape) != 3:
            return None
        found.add(shape[1])
    return found.pop() if len(found) == 1 else None


def _computed_at(ctx, call_span, arg: str):
    """(name, span) of the one assignment, in the function that builds the layer, of the variable passed as
    ``arg=name`` (``keep_seq = i < n_layers - 2`` for ``GRU(units, return_sequences=keep_seq)``)."""
    call = node_at(call_span, ctx.lines, ast.Call) if call_span is not None else None
    value = next((k.value for k in getattr(call, "keywords", []) if k.arg == arg), None)
    if isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not):
        value = value.operand  # return_sequences=not last
    if not isinstance(value, ast.Name):
        return None
    scope = enclosing(call, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module))
    if scope is None:
        return None
    found = [n for n in ast.walk(scope) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
             isinstance(n.targets[0], ast.Name) and n.targets[0].id == value.id]
    if len(found) != 1 or isinstance(found[0].value, ast.Constant):
        return None
    return value.id, Span.of(found[0].value)


def _bound_off_by_one(ctx, where: Span):
    """``i < len(units) - 2`` (or ``i < n_layers - 2``) computing ``return_sequences`` in the loop that stacks the
    layers, ``for i, units in enumerate(units)`` / ``for i in range(n_layers)``: every layer but the last must
    return its sequence, so the bound is ``- 1``. (edit, the corrected text), or None."""
    node = node_at(where, ctx.lines, ast.Compare)
    if node is None or len(node.ops) != 1 or not isinstance(node.ops[0], ast.Lt) or \
            not isinstance(node.left, ast.Name):
        return None
    right = node.comparators[0]
    if not isinstance(right, ast.BinOp) or not isinstance(right.op, ast.Sub) or \
            not isinstance(right.right, ast.Constant) or not isinstance(right.right.value, int) or right.right.value < 2:
        return None
    loop = enclosing(node, (ast.For,))
    counted = ctx.segment(right.left)
    if loop is None or counted is None or not _loop_counts(loop, node.left.id, counted):
        return None
    text = f"{ctx.segment(node.left)} < {counted} - 1"
    return Edit(Span.of(node), text), text


def _first_for_last(ctx, where: Span):
    """``last = i == 0`` computing ``return_sequences=not last`` in the loop that stacks the layers: the flag marks
    the first layer as the last, so the first collapses its sequence and the real last one does not. The index must
    be compared with the last position: ``i == n - 1`` (``n = len(units)`` in the function, or ``len(units)``)."""
    node = node_at(where, ctx.lines, ast.Compare)
    if node is None or len(node.ops) != 1 or not isinstance(node.ops[0], ast.Eq) or \
            not isinstance(node.left, ast.Name) or not isinstance(node.comparators[0], ast.Constant) or \
            node.comparators[0].value != 0:
        return None
    loop = enclosing(node, (ast.For,))
    it = loop.iter if loop is not None else None
    if not isinstance(it, ast.Call) or not isinstance(it.func, ast.Name) or len(it.args) != 1:
        return None
    counted = f"len({ast.unparse(it.args[0])})" if it.func.id == "enumerate" else ast.unparse(it.args[0])
    if not _loop_counts(loop, node.left.id, counted):
        return None
    scope = enclosing(loop, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module))
    named = [n.targets[0].id for n in ast.walk(scope) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
             isinstance(n.targets[0], ast.Name) and ast.unparse(n.value) == counted and n.lineno < loop.lineno] \
        if scope is not None else []  # bound before the loop, so the flag can read it
    count = named[0] if len(named) == 1 else counted
    text = f"{node.left.id} == {count} - 1"
    return Edit(Span.of(node), text), text


def _loop_counts(loop: ast.For, index: str, counted: str) -> bool:
    """The loop runs ``index`` over 0..n-1 where ``counted`` is n: ``enumerate(xs)`` with ``len(xs)``, or
    ``range(n)`` / ``range(len(xs))``."""
    it = loop.iter
    if not isinstance(it, ast.Call) or not isinstance(it.func, ast.Name) or len(it.args) != 1:
        return False
    arg = ast.unparse(it.args[0])
    if it.func.id == "enumerate" and isinstance(loop.target, ast.Tuple) and loop.target.elts and \
            isinstance(loop.target.elts[0], ast.Name) and loop.target.elts[0].id == index:
        return counted == f"len({arg})"
    if it.func.id == "range" and isinstance(loop.target, ast.Name) and loop.target.id == index:
        return counted == arg
    return False


def setting_from_default(ctx, d):
    """The rule's own fix sets an argument that the layer got from a helper's parameter default (``def fuse(tensors,
    axis=1): return layers.Concatenate(axis=axis)(tensors)`` called without ``axis``): the fix already edits that
    default (diagnostics/fixes/edits.py); the diagnosis goes there too, with the call that relied on it."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not isinstance(f.mismatch.fix, SetArg) or d.fix is None or \
            len(d.fix.edits) != 1 or f.mismatch.fix.target != "self":
        return
    o = provenance.origin_of(f.op.layer.args.get(f.mismatch.fix.arg))
    edit = d.fix.edits[0]
    if not isinstance(o, provenance.Default) or o.span is None or edit.span != o.span:
        return
    secondary = [Label(o.call, remedies.default_call_label(o.param), d.file)] if o.call is not None else []
    # another call relies on the same default (`SmallCNN()` for the RGB model beside `SmallCNN()` for grayscale):
    # the default is a claim only if changing it breaks nothing there -- the contract's verification says
    yield Cause("default-argument", 78, Label(o.span, remedies.default_label(o.param, ctx.text(o.span)), d.file),
                remedies.default_used_note(o.param, f.op.layer.kind), d.help, fix=d.fix, secondary=secondary,
                strong=not default_relied_on_elsewhere(ctx, o))


def sequence_joined_to_vector(ctx, d):
    """A recurrent branch that keeps ``return_sequences=True`` joined to a (batch, features) branch: the merge gets
    ranks 3 and 2. The sequence branch was meant to give one vector per sample (its last state): the flag is the
    mistake. Flattening the steps, or repeating the vector over them, would make it run on another model."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or len(f.op.inputs) != 2 or \
            f.op.layer.framework != "keras":
        return
    xs = [v for v in f.op.inputs if isinstance(v, Tensor) and v.shape is not None]
    if len(xs) != 2 or sorted(len(x.shape) for x in xs) != [2, 3]:
        return
    seq = xs[0] if len(xs[0].shape) == 3 else xs[1]
    source = f.inference.source_of(seq)
    layer = source.layer if source is not None else None
    if layer is None or not has(layer, "recurrent") or layer.args.get("return_sequences") is not True or \
            layer.origin.span is None:
        return
    edit = set_arg_edit(layer, "return_sequences", "False", ctx.lines)
    if edit is None:
        return
    help_text = remedies.last_state_for_merge(layer.kind)
    yield Cause("sequence-to-vector", 84, Label(layer.origin.span, remedies.sequence_branch_label(seq.shape),
                                                d.file),
                remedies.sequence_branch_note(layer.kind), help_text, fix=Fix("unsafe", help_text, [edit]),
                strong=True)




def tokens_joined_to_vector(ctx, d):
    """PyTorch: a branch that returns its whole token sequence (B, T, D) -- a Transformer encoder's or an LSTM's
    output -- concatenated with a pooled (B, F) branch on the feature axis. The sequence branch was meant to give
    one vector per sample: pool its tokens where the branch returns them (a mean over the tokens, or the first
    token). Flattening the tokens into the features would tie the model to the padded length."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or \
            f.op.layer.framework != "torch" or not has(f.op.layer, "joins"):
        return
    xs = [v for v in f.op.inputs if isinstance(v, Tensor) and v.shape is not None]
    if len(xs) != 2 or sorted(len(x.shape) for x in xs) not in ([2, 3], [2, 4]):
        return
    seq, vec = (xs[0], xs[1]) if len(xs[0].shape) > 2 else (xs[1], xs[0])
    if seq.shape[0] != vec.shape[0] or f.op.layer.args.get("dim", 0) not in (1, -1):
        return
    source = f.inference.source_of(seq)
    called = source.layer.extra.get("call_span") if source is not None else None  # `self.enc(...)` in forward
    if called is None:  # the last layer of a Sequential called in a branch's forward: where that call is written
        last = f.inference.producer_of(seq)
        called = last.layer.extra.get("output_span") if last is not None else None
    # an image branch returning its (B, C, H, W) feature map is pooled over its two spatial axes
    pooled = ".mean(dim=1)" if len(seq.shape) == 3 else ".mean(dim=(2, 3))"
    if called is None or not (_keeps_tokens(f.inference, seq) if len(seq.shape) == 3 else
                              roles.roles_of(f.inference, seq) == (roles.N, roles.C, roles.S, roles.S)):
        return
    made = node_at(called, ctx.lines)
    join = node_at(f.op.layer.origin.span, ctx.lines) if f.op.layer.origin.span is not None else None
    branch = enclosing(made, (ast.FunctionDef, ast.AsyncFunctionDef)) if made is not None else None
    if branch is None or (join is not None and enclosing(join, (ast.FunctionDef, ast.AsyncFunctionDef)) is branch):
        return  # the join is in the function that made the tokens: not a branch handing them over
    returned = _returned_value(made)
    if returned is None or ctx.segment(returned) is None:
        return
    spelled = f"{ctx.segment(returned)}{pooled}"
    edit = Edit(Span.of(returned), spelled if isinstance(returned, (ast.Name, ast.Attribute, ast.Call, ast.Subscript))
                else f"({ctx.segment(returned)}){pooled}")
    tokens = len(seq.shape) == 3
    help_text = remedies.pool_tokens_before_join(spelled) if tokens else remedies.pool_map_before_join(spelled)
    label = remedies.tokens_branch_label(seq.shape) if tokens else remedies.map_branch_label(seq.shape)
    note = remedies.tokens_branch_note(source.layer.kind) if tokens else remedies.map_branch_note(source.layer.kind)
    yield Cause("sequence-to-vector", 84, Label(Span.of(returned), label, d.file), note, help_text,
                fix=Fix("unsafe", help_text, [edit]), strong=True)


def _keeps_tokens(inference, seq) -> bool:
    """The (B, T, D) value is a sequence of tokens: made by a layer that keeps its input's steps (a Transformer
    encoder, a batch-first RNN, an embedding) -- the roles of its axes say time on axis 1."""
    found = roles.roles_of(inference, seq)
    return bool(found) and len(found) == 3 and found[1] == roles.T


def _returned_value(made):
    """The ``return`` value of the function that holds ``made`` (the sequence's producer), when it returns that
    value: the call itself, or the name it was assigned to."""
    fn = enclosing(made, (ast.FunctionDef, ast.AsyncFunctionDef)) if made is not None else None
    if fn is None or fn.name != "forward":
        return None
    rets = [n for n in ast.walk(fn) if isinstance(n, ast.Return) and n.value is not None]
    if len(rets) != 1:
        return None
    value = rets[0].value
    stmt = made
    while stmt is not None and not isinstance(stmt, ast.stmt):
        stmt = getattr(stmt, "_shapelint_parent", None)
    if value is made or any(value is n for n in ast.walk(made)):
        return value
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and \
            isinstance(value, ast.Name) and value.id == stmt.targets[0].id and \
            not any(isinstance(n, ast.Name) and n.id == value.id and isinstance(n.ctx, ast.Store) and
                    stmt.lineno < n.lineno < rets[0].lineno for n in ast.walk(fn)):
        return value  # `h = self.enc(...)` ... `return h`, with `h` not rebound in between
    return None


def setting_left_at_helper_default(ctx, d):
    """The fix passes a setting at the call of a helper that builds the layer (``rnn_block(x, 100,
    return_sequences=False)``): the call that left it at the helper's default is where the mistake is, the default
    itself serves the helper's other calls."""
    if d.fix is None or len(d.fix.edits) != 1:
        return
    edit = d.fix.edits[0]
    tree = tree_of(ctx.lines)
    text = edit.text.lstrip(", ")
    name = text.split("=", 1)[0] if "=" in text else None
    if tree is None or name is None or not name.isidentifier() or edit.span.line != edit.span.end_line or \
            edit.span.column != edit.span.end_column:
        return
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.end_lineno == edit.span.line and
             n.end_col_offset == edit.span.column]  # the call whose closing parenthesis the edit precedes
    fn_name = getattr(calls[0].func, "id", None) if len(calls) == 1 else None
    defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name == fn_name]
    if len(defs) != 1:
        return
    defaults = parameter_defaults(defs[0])
    if name not in defaults:
        return
    default = ctx.segment(defaults[name])
    yield Cause("default-argument", 79, Label(Span.of(calls[0]), remedies.default_call_label(name), d.file),
                remedies.setting_default_note(name, default, fn_name), d.help, fix=d.fix,
                secondary=[Label(Span.of(defaults[name]), remedies.default_label(name, default), d.file)],
                strong=True)


def size_written_beside_producer(ctx, d):
    """A layer built in the same loop body as the one feeding it, sized with that layer's *input* width:
    ``Linear(widths[i], widths[i + 1])`` then ``BatchNorm1d(widths[i])``. The producer's own output argument, written
    a line above, is the size this layer receives: the fix spells it the same way (``widths[i + 1]``)."""
    f = d.facts
    m = getattr(f, "mismatch", None)
    if not isinstance(f, RuleFacts) or m is None or not m.arg or not isinstance(m.received, int) or \
            not isinstance(m.expected, int) or not f.op.inputs:
        return
    source = f.inference.producer_of(f.op.inputs[0])
    out_arg = fact_of(source.layer, "width_arg") if source is not None else None
    mine, theirs = f.op.layer.arg_spans.get(m.arg), source.layer.arg_spans.get(out_arg) if out_arg else None
    if mine is None or theirs is None or int(source.layer.args.get(out_arg, -1)) != int(m.received):
        return
    text, written = ctx.text(theirs), ctx.text(mine)
    tree = tree_of(ctx.lines)
    here, there = node_at(mine, ctx.lines), node_at(theirs, ctx.lines)
    loop = enclosing(here, (ast.For, ast.While)) if here is not None else None
    if not text or not written or text == written or loop is None or there is None or \
            enclosing(there, (ast.For, ast.While)) is not loop or tree is None:
        return  # only a sibling written in the same loop body: its expression is in scope, with the same names
    help_text = remedies.size_like_producer(m.arg, text)
    yield Cause("layer-number", 80, Label(mine, remedies.producer_input_width_label(written), d.file),
                remedies.producer_input_width_note(source.layer.kind, text, int(m.received)), help_text,
                fix=Fix("unsafe", help_text, [Edit(mine, text)]),
                secondary=[Label(theirs, remedies.producer_output_label(int(m.received)), d.file)], strong=True)


def _in_table_of_sizes(ctx, literal: Span) -> bool:
    """The literal is one entry of a list or tuple of sizes (``WIDTHS = [64, 128, 256, 512]``): a stage of an
    architecture, not a setting standing where a name belongs."""
    node = node_at(literal, ctx.lines, ast.Constant)
    parent = getattr(node, "_shapelint_parent", None)
    return isinstance(parent, (ast.List, ast.Tuple)) and sum(
        isinstance(e, ast.Constant) and isinstance(e.value, int) for e in parent.elts) >= 2


def producer_literal_for_name(ctx, d):
    """The size a layer receives was made from a literal passed to its producer (``GaussianFourierProjection(
    embedding_size=8)``: sin and cos of 8 frequencies, 16 features) while the layer is sized from a name by the same
    formula (``nn.Linear(2 * c0, ...)``, ``c0 = 32``): the literal stands where the name should be. It is the
    mistake -- the layer follows the model's setting, the producer was written with a number -- so the fix writes
    the name there, and both sides follow the setting from then on."""
    f = d.facts
    m = getattr(f, "mismatch", None)
    if not isinstance(f, RuleFacts) or m is None or not m.arg or not isinstance(m.received, int) or \
            not isinstance(m.expected, int):
        return
    written = [leaf for leaf in provenance.leaves(m.received)
               if isinstance(provenance.origin_of(leaf), provenance.Written)]
    mine = f.op.layer.arg_spans.get(m.arg)
    if len(written) != 1 or mine is None:
        return
    literal = provenance.origin_of(written[0]).span
    consumer = node_at(mine, ctx.lines)
    factor, name = _scaled_name(consumer)
    if literal is None or name is None or (ctx.text(literal) or "").strip() != str(int(written[0])) or \
            literal.line == mine.line or int(m.received) != factor * int(written[0]) or \
            int(m.expected) % factor or not _assigned_before(ctx, name, literal) or _in_table_of_sizes(ctx, literal):
        return
    help_text = remedies.write_the_setting(name)
    yield Cause("producer-literal", 79, Label(literal, remedies.literal_for_name_label(int(written[0]), name), d.file),
                remedies.literal_for_name_note(int(written[0]), name, int(m.expected) // factor, f.op.layer.kind),
                help_text, fix=Fix("unsafe", help_text, [Edit(literal, name)]),
                secondary=[Label(mine, remedies.sized_from_name_label(name), d.file)], strong=True)


def _scaled_name(node) -> tuple:
    """(k, NAME) for an argument written ``NAME``, ``k * NAME`` or ``NAME * k`` (k an int literal), else (1, None)."""
    if isinstance(node, ast.Name):
        return 1, node.id
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        for a, b in ((node.left, node.right), (node.right, node.left)):
            if isinstance(a, ast.Constant) and type(a.value) is int and a.value > 0 and isinstance(b, ast.Name):
                return a.value, b.id
    return 1, None


def _assigned_before(ctx, name: str, at: Span) -> bool:
    """``name`` is in scope at ``at``: assigned earlier in the same function (or one of its parameters), or a
    module-level name."""
    tree = tree_of(ctx.lines)
    if tree is None:
        return False
    fn = enclosing(node_at(at, ctx.lines), (ast.FunctionDef,))
    if fn is None:
        return any(isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in s.targets)
                   for s in tree.body)
    params = {a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}
    return name in params or any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) and
                                 n.lineno < at.line for n in ast.walk(fn))
