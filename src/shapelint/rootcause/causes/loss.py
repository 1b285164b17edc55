"""Causes at a PyTorch loss, where the model's output and the targets meet: the targets' dtype, the model's head
width for regression targets, a decoder that misses the target size, a recurrent layer's whole sequence reaching a
per-sample loss, a reshape in the model that folded the batch."""
from __future__ import annotations

import ast
from typing import Optional

from ...checks import torch_loss
from ...checks.facts import LossFacts
from ...core.facts import RuleFacts
from ...core import provenance, roles
from ...core.dims import is_known, prod
from ...core.registry import fact, fact_of, has
from ...core.program import Span
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import rename_call
from ...diagnostics.fixes.edits import set_arg_edit
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ..sites import edit_site, unsqueezed_base, whole_value
from ...diagnostics.fixes.source import enclosing, function_at, int_written, is_atom_text, module_value, node_at, tree_of
from ..spelling import append, call_at
from .batch import _keep_batch_fix, size_written_elsewhere
from .decoders import torch_decoder



def _class_index(f: LossFacts) -> bool:
    """The loss takes class indices as targets (declared with its rule: ``loss_target="class-index"``)."""
    return fact("torch", f.kind, "loss_target") == "class-index"


def _run_ops(ctx, pred):
    """The ops of the model run on the way to the output the loss got, in order (the ops of the other outputs a
    model returns with it are left out)."""
    run = ctx.run_returning(pred.value)
    if run is None:
        return None
    made = {id(run.inference.producer_of(v)) for v in run.inference.upstream([pred.value])}
    return [op for op in run.program.ops if id(op) in made]


def _code(d) -> str:
    return getattr(getattr(d.facts.rule, "mismatch", None), "code", d.name) if d.facts.rule is not None else d.name


def target_dtype(ctx, d):
    """Class indices given as floats (``.long()``), or 0/1 targets given as integers to BCE / MSE (``.float()``)."""
    f = d.facts
    if not isinstance(f, LossFacts) or d.name != "label-dtype-mismatch":
        return
    want = getattr(getattr(f.rule, "mismatch", None), "facts", {}).get("want")
    if want not in ("long", "float"):
        return
    suffix = f".{want}()"
    node = f.call.node_of(1, "target")
    span = Span.of(node) if node is not None else None
    edit = append(ctx, span, suffix)
    text = ctx.text(span)
    if edit is None or text is None:
        return
    # where the targets got their dtype: the conversion to torch when there was one (`torch.tensor(y, dtype=...)`
    # gives the dtype, whatever the numpy array was), else the cast or constructor that made them
    site = f.target.meta.get("converted_at") or f.target.origin or span
    secondary = [Label(span, remedies.target_dtype_label(suffix), d.file)] if site != span else []
    title = remedies.convert_target(f"{text}{suffix}")
    given = _dtype_given(ctx, site, want)
    if given is not None:  # `torch.tensor(y, dtype=torch.long)`: the dtype is written there; the fix too
        edit, title = given
    yield Cause("target-dtype", 76, Label(site, remedies.dtype_made(f.target.value.dtype), d.file),
                remedies.target_dtype_note(f.kind, suffix), title, fix=Fix("unsafe", title, [edit]),
                secondary=secondary, strong=True)


_TORCH_DTYPES = {"long": "torch.long", "float": "torch.float32"}


def _dtype_given(ctx, site: Optional[Span], want: str) -> Optional[tuple]:
    """(edit, title) setting the ``dtype=`` keyword of the conversion that gave the targets their dtype
    (``torch.tensor(encode(y), dtype=torch.long)``) to the one the loss wants; None when the site is no call with a
    dtype keyword written as ``torch.<name>`` (a numpy dtype or a name the script defines is left to the call)."""
    call = node_at(site, ctx.lines, ast.Call) if site is not None else None
    given = next((k.value for k in getattr(call, "keywords", []) if k.arg == "dtype"), None)
    if not isinstance(given, ast.Attribute) or not isinstance(given.value, ast.Name) or given.value.id != "torch":
        return None
    new = _TORCH_DTYPES[want]
    return Edit(Span.of(given), new), remedies.target_dtype_given(new)


def class_ids_to_multi_label_loss(ctx, d):
    """One class id per sample (0..C-1, as many ids as the model has outputs) given to ``BCEWithLogitsLoss``, which
    wants a 0/1 column per class: the task is single-label multi-class, so the loss is the mistake -- switch to
    ``CrossEntropyLoss`` (with long targets). Expanding the ids to (N, C) or shrinking the head to one unit would
    run and train on a meaningless target."""
    f = d.facts
    if not isinstance(f, LossFacts) or d.name != "labels-loss-mismatch" or f.pred.shape is None or \
            f.target.shape is None or len(f.pred.shape) != 2 or len(f.target.shape) != 1:
        return
    classes, rng = f.pred.shape[1], f.target.meta.get("int_range")
    if not is_known(classes) or classes < 3 or not rng or rng[0] != 0 or rng[1] != classes:
        return
    made = ctx.ev.module.vars.get(f.call.callee_text) if f.call.callee_text.isidentifier() else None
    layer = getattr(made, "layer", None)
    if layer is not None and fact("torch", layer.kind, "class_index_loss"):  # criterion = nn.BCEWithLogitsLoss()
        node, old, new = node_at(layer.origin.span, ctx.lines, ast.Call), layer.kind, \
            fact("torch", layer.kind, "class_index_loss")[0]
    elif fact("torch", f.kind, "class_index_loss") and f.kind.startswith("F."):  # F.binary_cross_entropy_with_logits
        node, old, new = f.call.node, f.kind[2:], fact("torch", f.kind, "class_index_loss")[1]
    else:
        return
    rename = rename_call(node, {old: new}) if node is not None else None
    target = f.call.node_of(1, "target")
    long = append(ctx, Span.of(target), ".long()") if target is not None and \
        not str(f.target.value.dtype or "").startswith("int") else None
    if rename is None or (target is not None and long is None and not str(f.target.value.dtype).startswith("int")):
        return
    title = remedies.use_class_id_loss(new)
    yield Cause("multi-label-loss", 77, Label(Span.of(node), remedies.multi_label_loss_label(rng[1] - 1), d.file),
                remedies.multi_label_loss_note(old, classes), title,
                fix=Fix("unsafe", title, [e for e in (rename, long) if e is not None]), strong=True)


def ids_from_one(ctx, d):
    """Class ids 1..C against C scores: the ids were counted from 1 where they were made; the loss wants 0..C-1.
    Shift them (``y - 1``) -- a head of C+1 outputs would train a class 0 that never occurs."""
    f = d.facts
    if not isinstance(f, LossFacts) or d.name != "label-out-of-range" or not _class_index(f) or \
            f.pred.shape is None or len(f.pred.shape) < 2:
        return
    rng, classes = f.target.meta.get("int_range"), f.pred.shape[1]
    if not rng or rng[0] != 1 or not is_known(classes) or rng[1] != classes + 1:
        return
    node = f.call.node_of(1, "target")
    span = Span.of(node) if node is not None else None
    text = ctx.text(span)
    if span is None or text is None:
        return
    shifted = f"{text} - 1" if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)) else f"({text}) - 1"
    site = f.target.origin or span
    secondary = [Label(span, remedies.ids_used_here(), d.file)] if site != span else []
    numbered = _numbered_from_one(ctx, site)
    if numbered is not None:  # `{name: i for i, name in enumerate(CLASSES, start=1)}`: number the classes from 0
        table, start, edit = numbered
        help_text = remedies.number_classes_from_zero(table)
        yield Cause("ids-from-one", 81, Label(start, remedies.ids_numbered_from_one_label(table), d.file),
                    remedies.ids_from_one_note(int(classes)), help_text, fix=Fix("unsafe", help_text, [edit]),
                    secondary=secondary + [Label(site, remedies.ids_from_one_label(int(classes)), d.file)],
                    strong=True)
        return
    made = ctx.text(site) if site != span and whole_value(ctx, site, assignment_only=True) else None
    at_made = append(ctx, site, " - 1") if made and not any(c in made for c in " +-*/") else None
    if at_made is not None:  # shifted where they are made: every later use (accuracy, argmax) agrees
        help_text = remedies.shift_ids(f"{made} - 1")
        fix = Fix("unsafe", help_text, [at_made])
    else:
        help_text = remedies.shift_ids(shifted)
        fix = Fix("unsafe", help_text, [Edit(span, shifted)])
    yield Cause("ids-from-one", 79, Label(site, remedies.ids_from_one_label(int(classes)), d.file),
                remedies.ids_from_one_note(int(classes)), help_text, fix=fix, secondary=secondary, strong=True)


def _numbered_from_one(ctx, site) -> Optional[tuple]:
    """(table name, span of ``start=1``, edit dropping it) when the ids made at ``site`` are read from a module
    table numbered by ``enumerate(..., start=1)`` (``label2id[name]`` with ``label2id = {n: i for i, n in
    enumerate(CLASSES, start=1)}``): the numbering is the mistake, and every reader of the table (the inverse map,
    the predictions' names) follows when it starts at 0."""
    node = node_at(site, ctx.lines) if site is not None else None
    tree = tree_of(ctx.lines) if node is not None else None
    names = {n.value.id for n in ast.walk(node) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name)} \
        if tree is not None else set()
    for name in sorted(names):
        table = module_value(tree, name)
        gens = table.generators if isinstance(table, ast.DictComp) and len(table.generators) == 1 else []
        it = gens[0].iter if gens else None
        if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "enumerate" and
                len(it.args) == 1):
            continue
        start = next((k for k in it.keywords if k.arg == "start"), None)
        if start is None or not (isinstance(start.value, ast.Constant) and start.value.value == 1):
            continue
        arg, kw = Span.of(it.args[0]), Span.of(start.value)
        return name, Span(start.lineno, start.col_offset + 1, kw.end_line, kw.end_column), \
            Edit(Span(arg.end_line, arg.end_column, kw.end_line, kw.end_column), "")
    return None


def head_width(ctx, d):
    """Regression targets of k values per sample against a head of j outputs: the targets are data, the head is
    code -- give the last Linear k outputs; class ids up to c-1 against fewer scores -- give it c."""
    f = d.facts
    if not isinstance(f, LossFacts) or f.pred.shape is None or f.target.shape is None:
        return
    p, t = tuple(f.pred.shape), tuple(f.target.shape)
    width = None
    regression = fact("torch", f.kind, "regression")
    if regression and len(p) == 2 and len(t) == 2 and is_known(t[1]) and t[1] != p[1]:
        width = int(t[1])
    elif regression and len(p) == 2 and len(t) == 1 and is_known(p[1]) and p[1] != 1:
        width = 1
    elif d.name == "label-out-of-range" and _class_index(f):
        rng = f.target.meta.get("int_range")
        width = int(rng[1]) if rng and rng[0] == 0 else None  # ids from 1: ids_from_one
    ops = _run_ops(ctx, f.pred) if width else None
    head = next((op.layer for op in reversed(ops or []) if op.layer.kind == "Linear"), None)
    if head is None or head.args.get("out_features") == width:
        return
    widened = _widened_by_broadcast(ctx, d, f.target, width) if regression else None
    if widened is not None:  # the targets are computed, and a (N, 1) term met a (N, k) one: the head is right
        yield widened
        return
    if _one_target_per_step(ops, width):
        site = f.target.origin
        yield Cause("target-per-step", 62, Label(site, remedies.target_per_step_label(width), d.file) if site else None,
                    remedies.target_per_step_note(width), remedies.target_per_step_help(), strong=True)
        return
    note = remedies.class_ids_note(head.label, width) if d.name == "label-out-of-range" else \
        remedies.head_width_note(head.label, width)
    written = provenance.origin_of(head.args.get("out_features"))
    span = head.arg_spans.get("out_features")
    if isinstance(written, provenance.Written) and written.span is not None and span is not None and \
            written.span.line != span.line and d.name == "label-out-of-range":
        # the class count came from a number written elsewhere (an argparse default, a constant): the ids are the
        # data, so that number is where the count was stated wrong -- edited there, the name kept at the head
        help_text = remedies.set_class_count(ctx.text(written.span) or "", width)
        yield Cause("head-width", 61, Label(written.span, remedies.class_count_written_label(width), d.file),
                    note, help_text,
                    fix=Fix("unsafe", help_text, [Edit(written.span, str(width))]),
                    secondary=[Label(span, remedies.head_width_label(width), d.file)])
        return
    counted = _other_list_counted(ctx, head, f.target.shape[1] if regression and len(t) == 2 else None)
    if counted is not None:  # `output_size=len(INPUTS)` where the targets are `df[TARGETS]`: the list counted
        span, spelled = counted
        help_text = remedies.count_the_targets_list(ctx.text(span) or "", spelled)
        yield Cause("head-width", 78, Label(span, remedies.head_counts_other_list_label(ctx.text(span) or "",
                                                                                        width), d.file),
                    note, help_text, fix=Fix("unsafe", help_text, [Edit(span, spelled)]), strong=True,
                    secondary=[Label(head.arg_spans.get("out_features") or head.origin.span,
                                     remedies.head_width_label(width), d.file)])
        return
    edit = set_arg_edit(head, "out_features", str(width), ctx.lines)
    if edit is None:
        return
    # which side is wrong, the head or the targets, is not certain (a training loop's targets are often computed
    # there): the diagnosis stays where they meet (the loss)
    yield Cause("head-width", 60, None, note, remedies.give_head(head.label, width), fix=Fix("unsafe", remedies.give_head(head.label, width), [edit]),
                secondary=[Label(head.arg_spans.get("out_features") or head.origin.span,
                                 remedies.head_width_label(width), d.file)])


def _widened_by_broadcast(ctx, d, target, width: int):
    """Targets of k values per sample computed in the script from a one-per-sample term broadcast against a term
    of k (SAC: ``reward + gamma * (q_next + alpha * entropy)`` with the log-probability of each of 4 action
    dimensions not summed): the head's single output is what the other terms have, so giving it k outputs would
    fit the mistake. Followed along the k-wide term to where it first meets a (N, 1) term; the cause names that
    line and where the k-wide term was made. A log-probability is summed over its dimensions where it is made."""
    inf = ctx.ev.state.script_run if getattr(ctx, "ev", None) is not None else None
    v = getattr(target, "value", target)
    if inf is None or not isinstance(v, Tensor) or v.shape is None or len(v.shape) != 2:
        return None
    n, meets = v.shape[0], None
    # v ends as the wide term where it was made: the value the walk stops at, or the one after 32 steps
    for followed, (v, op) in enumerate(inf.walk_back(v, _operand_of_shape((n, width)), depth=33)):
        if followed == 32 or op is None or not (fact_of(op.layer, "operator") or op.layer.kind == "neg"):
            break  # followed through + - * / and a sign change only
        shapes = _operand_shapes(op)
        if (n, width) not in shapes:
            break
        if (n, 1) in shapes and op.layer.origin.span is not None:
            meets = op  # the deepest meeting so far: keep following the wide term
    if meets is None:
        return None
    made, log_prob = _made_in_a_model(ctx, v)
    secondary = [Label(made.layer.origin.span, remedies.wide_term_label(width), d.file)] \
        if made is not None and made.layer.origin.span is not None else []
    fix = None
    if made is not None and log_prob:
        edit = _sum_where_made(ctx, made)
        fix = Fix("unsafe", remedies.sum_log_prob_title(), [edit]) if edit is not None else None
    return Cause("targets-widened", 79, Label(meets.layer.origin.span, remedies.targets_widened_label(n, width),
                                             d.file),
                 remedies.targets_widened_note(width), remedies.targets_widened_help(width), fix=fix, strong=True,
                 secondary=secondary)


def _operand_shapes(op) -> list:
    return [tuple(x.shape) if isinstance(x, Tensor) and x.shape is not None else None for x in op.inputs]


def _operand_of_shape(shape: tuple):
    """A ``walk_back`` step on to the first operand of ``shape``."""
    def operand(op, value):
        shapes = _operand_shapes(op)
        return op.inputs[shapes.index(shape)] if shape in shapes else None
    return operand


def _made_in_a_model(ctx, value):
    """(the op of a model run that made ``value``, whether a distribution's ``log_prob`` is upstream of it)."""
    for m in ctx.ev.models:
        for r in m.runs:
            op = r.inference.producer_of(value) if r.inference is not None else None
            if op is not None:
                makers = (r.inference.producer_of(u) for u in r.inference.upstream([value], limit=256))
                return op, any(p is not None and "log_prob" in p.layer.kind for p in makers)
    return None, False


def _sum_where_made(ctx, op) -> Optional[Edit]:
    """``log_prob = a - b`` -> ``log_prob = (a - b).sum(-1, keepdim=True)``: the whole value of the assignment."""
    node = node_at(op.layer.origin.span, ctx.lines) if op.layer.origin.span is not None else None
    stmt = enclosing(node, (ast.Assign,))
    if stmt is None or stmt.value is not node or stmt.lineno != stmt.end_lineno:
        return None
    text = ctx.text(Span.of(node))
    if not text:
        return None
    wrapped = text if isinstance(node, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)) else f"({text})"
    return Edit(Span.of(node), f"{wrapped}.sum(-1, keepdim=True)")


def _counted(value) -> Optional[provenance.Computed]:
    o = provenance.origin_of(value)
    o = o.inner if isinstance(o, provenance.Produced) else o
    return o if isinstance(o, provenance.Computed) and o.op == "len" and o.text else None


def _other_list_counted(ctx, head, target_width) -> Optional[tuple]:
    """(span, text) when the head's width is the length of one list (``len(INPUTS)``, written where the model is
    built) and the targets have one column per entry of another (``df[TARGETS]``): that count is the mistake."""
    mine, theirs = _counted(head.args.get("out_features")), _counted(target_width)
    if mine is None or theirs is None or mine.span is None or mine.text == theirs.text or \
            (ctx.text(mine.span) or "").strip() != mine.text:
        return None
    return mine.span, theirs.text


def _one_target_per_step(ops, width: int) -> bool:
    """The targets have as many values per sample as the model's input has time steps, and a recurrent layer's
    sequence was cut to its last step (``out[:, -1]``): they are one target per step -- the input window shifted by
    one -- for a model built to predict the next value. Widening the head to the window would predict a whole window
    from the last state; whether the targets should be the next value or the model should keep every step is the
    user's call."""
    rnn = next((op for op in ops if has(op.layer, "recurrent")), None)
    x = rnn.inputs[0] if rnn is not None and rnn.inputs else None
    shape = getattr(x, "shape", None)
    if not shape or len(shape) != 3:
        return False
    steps = shape[1] if rnn.layer.args.get("batch_first") else shape[0]
    if steps != width:
        return False
    return any(op.layer.kind == "getitem" and op.inputs and getattr(op.inputs[0], "shape", None) and
               len(op.inputs[0].shape) == 3 and getattr(op.output, "shape", None) and len(op.output.shape) == 2
               for op in ops)


def decoder(ctx, d):
    f = d.facts
    if not isinstance(f, LossFacts) or f.pred.shape is None or f.target.shape is None:
        return
    ops = _run_ops(ctx, f.pred)
    found = torch_decoder(ops, tuple(f.pred.shape), tuple(f.target.shape), ctx.lines) if ops else None
    if found is None:
        return
    edits, layer = found
    span, beside = edit_site(edits, layer.origin.span)
    yield Cause("decoder-size", 80, Label(span, remedies.decoder_label(), d.file),
                remedies.decoder_note(tuple(f.pred.shape), tuple(f.target.shape)), remedies.output_padding(),
                fix=Fix("unsafe", remedies.output_padding(), edits, per_shape=True), strong=True,
                secondary=[Label(s, remedies.decoder_layer_label(), d.file) for s in beside])


def last_step(ctx, d):
    """The whole output sequence of an RNN reaches a loss with one target per sample: feed the next layer the last
    time step (``out[:, -1]``; ``out[-1]`` without batch_first)."""
    f = d.facts
    if not isinstance(f, LossFacts) or f.pred.shape is None or f.target.shape is None:
        return
    pred, tgt = tuple(f.pred.shape), tuple(f.target.shape)
    # (N, T, 1) or, squeezed, (N, T) scores against one target per sample; per-step targets want a permute
    ops = _run_ops(ctx, f.pred) if len(pred) in (2, 3) and len(tgt) == 1 else None
    if ops and len(pred) == 2 and not _time_kept(ctx, f.pred, pred):
        return
    for i, op in enumerate(ops or []):
        if not has(op.layer, "recurrent") or not isinstance(op.layer.args.get("batch_first"), bool):
            continue
        first = op.layer.args["batch_first"]
        seq = getattr(op.output, "items", (None,))[0]
        seq_shape = tuple(seq.shape) if getattr(seq, "shape", None) is not None else None
        batch = pred[0] if first else pred[1]
        if seq_shape is None or len(seq_shape) != 3 or batch != tgt[0] or \
                pred[1 if first else 0] != seq_shape[1 if first else 0]:
            continue
        user = next((o for o in ops[i + 1:] if o.inputs and o.inputs[0] is seq), None)
        spans = user.layer.extra.get("input_spans") if user is not None else None
        text = ctx.text(spans[0]) if spans else None
        if text is None:
            return
        spelled = _last_step_of(ctx, op, user, text, first)
        if spelled is None:
            return
        help_text = remedies.take_last_step(spelled) if not op.layer.args.get("bidirectional") else \
            remedies.take_each_direction_last_step(spelled)
        yield Cause("whole-sequence", 79, Label(spans[0], remedies.whole_sequence_label(seq_shape), d.file),
                    remedies.whole_sequence_note(op.layer.kind, seq_shape, tgt), help_text,
                    fix=Fix("unsafe", help_text, [Edit(spans[0], spelled)]), strong=True)
        return


def _binds_torch(ctx) -> bool:
    """Whether the file's module scope has ``torch`` bound to the torch package (a fix may write ``torch.cat``)."""
    bound = getattr(getattr(getattr(ctx, "ev", None), "module", None), "vars", {}).get("torch")
    return getattr(bound, "name", None) == "torch"


def _last_step_of(ctx, rnn, user, text: str, first: bool):
    """What a many-to-one head reads of an RNN's output sequence ``text``: its last step (``out[:, -1]``). For a
    bidirectional RNN the backward direction ends at the *first* step, so the summary Keras's ``Bidirectional``
    gives is the forward half of the last step joined to the backward half of the first --
    ``torch.cat((out[:, -1, :H], out[:, 0, H:]), dim=1)`` with ``H`` the RNN's ``hidden_size`` read from the module
    (``out[:, -1]`` alone would keep a backward state that has read one token). None when the RNN cannot be named
    from where the head reads it."""
    if not rnn.layer.args.get("bidirectional"):
        return f"{text}{'[:, -1]' if first else '[-1]'}"
    own = (user.layer.extra.get("module_path") or "") if user is not None else None
    name = rnn.layer.name or ""
    if own is None or (own and not name.startswith(own + ".")) or not _binds_torch(ctx):
        return None
    attr = name[len(own) + 1:] if own else name
    if not all(part.isidentifier() for part in attr.split(".")):
        return None
    h = f"self.{attr}.hidden_size"
    last, first_step = ("[:, -1, :{h}]", "[:, 0, {h}:]") if first else ("[-1, :, :{h}]", "[0, :, {h}:]")
    base = text if is_atom_text(text) else f"({text})"
    return f"torch.cat(({base}{last.format(h=h)}, {base}{first_step.format(h=h)}), dim=1)"


def tokens_not_pooled(ctx, d):
    """An embedding's one-vector-per-token output (N, T, E) reaching a class-index loss whose targets have one class
    per sample (N,): no layer pooled the tokens (a CBOW with no sum), so the model scores every token (N, T, C) and
    the loss reads T as the classes. The fix pools where the embeddings are used: ``self.emb(ctx).mean(dim=1)``.
    Not for a recurrent layer's sequence (last_step) nor when any op between changes the token axis."""
    f = d.facts
    if not isinstance(f, LossFacts) or not _class_index(f) or f.pred.shape is None or f.target.shape is None:
        return
    pred, tgt = tuple(f.pred.shape), tuple(f.target.shape)
    if len(pred) != 3 or len(tgt) != 1 or pred[0] != tgt[0] or not isinstance(pred[1], int) or pred[1] < 2:
        return
    ops = _run_ops(ctx, f.pred) or []
    emb = next((i for i, op in enumerate(ops) if op.layer.kind == "Embedding"), None)
    if emb is None or any(has(op.layer, "sequence_first") for op in ops):  # an RNN or attention: not a bag of words
        return
    out = ops[emb].output
    shape = tuple(out.shape) if getattr(out, "shape", None) is not None else None
    # every op after it keeps (N, T, ...): the token axis reaches the loss unchanged
    if shape is None or len(shape) != 3 or shape[:2] != pred[:2] or any(
            getattr(op.output, "shape", None) is None or len(op.output.shape) != 3 or
            tuple(op.output.shape[:2]) != pred[:2] for op in ops[emb + 1:]):
        return
    user = next((o for o in ops[emb + 1:] if o.inputs and o.inputs[0] is out), None)
    spans = user.layer.extra.get("input_spans") if user is not None else None
    text = ctx.text(spans[0]) if spans and spans[0] is not None else None
    if text is None:
        return
    pooled = f"{text}.mean(dim=1)"
    yield Cause("tokens-not-pooled", 79, Label(spans[0], remedies.tokens_kept_label(shape), d.file),
                remedies.tokens_kept_note(ops[emb].layer.kind, shape, pred, tgt), remedies.pool_the_tokens(pooled),
                fix=Fix("unsafe", remedies.pool_the_tokens(pooled), [Edit(spans[0], pooled)]), strong=True)


def _time_kept(ctx, pred, shape) -> bool:
    """The squeezed prediction still has the recurrent layer's time axis (its roles say so): ``fc(out)`` squeezed,
    not ``fc(out[:, -1])`` whose width happens to equal the sequence length."""
    run = ctx.run_returning(pred.value)
    found = roles.roles_of(run.inference, pred.value) if getattr(run, "inference", None) is not None else None
    return bool(found) and len(found) == len(shape) and roles.T in found


def view_fold(ctx, d):
    """Inputs and targets had the same batch until a reshape inside the model folded other axes into it (torch's
    ``Expected input batch_size (512) to match target batch_size (32)``): keep the batch axis there."""
    f = d.facts
    if not isinstance(f, LossFacts) or d.name != "sample-count-mismatch" or f.target.shape is None:
        return
    n = f.target.shape[0]
    found = torch_loss.batch_fold(ctx.ev, f.pred, n) if is_known(n) else None
    if found is None:
        return
    op = found[0]
    elsewhere = size_written_elsewhere(ctx, d, op)
    if elsewhere is not None:
        yield elsewhere
        return
    fix, spelled = _keep_batch_fix(ctx, op)
    before, after = op.inputs[0].shape, op.output.shape
    per = prod(before[1:])
    yield Cause("batch-merged", 90, Label(op.layer.origin.span, remedies.batch_folded_label(n, after[0], before,
                                                                                            after), d.file),
                remedies.batch_folded_note(op.layer.kind, n, after[0]),
                remedies.keep_batch_axis(spelled or "", per if is_known(per) else None), fix=fix, strong=True)


def stray_axis(ctx, d):
    """Class scores (N, 1, C) for class ids (N,): the data fed to the model had an axis of size 1 on axis 1 -- a
    dataset's ``__getitem__`` that returns each sample as (1, F), a stray ``unsqueeze(1)`` -- and every layer kept
    it. The mistake is where the data got that axis; giving the targets a shape to match trains on one class."""
    f = d.facts
    if not isinstance(f, LossFacts) or not _class_index(f) or f.pred.shape is None or f.target.shape is None:
        return
    p, t = tuple(f.pred.shape), tuple(f.target.shape)
    if len(p) != 3 or len(t) != 1 or p[1] != 1 or not is_known(p[0]) or p[0] != t[0]:
        return
    x = _fed_input(ctx, f.pred)
    shape = tuple(x.shape) if x is not None and x.shape is not None else ()
    if len(shape) != 3 or shape[1] != 1 or shape[0] != p[0] or not (getattr(x, "shaped_at", None) or x.origin):
        return
    site = getattr(x, "shaped_at", None) or x.origin
    # an axis added at 0 to each sample of a loader's dataset, or at 1 to the whole array (only those two give
    # (N, 1, F) from features of size F > 1)
    per_sample = isinstance(x.meta.get("loader_batch"), int)
    node = node_at(site, ctx.lines)
    parent = getattr(node, "_shapelint_parent", None)
    if isinstance(parent, ast.Subscript) and parent.slice is node:  # the site is the index of `feats[:, None]`
        node = parent
    axes = (0, 1) if per_sample else (1,)
    base = next((b for b in (unsqueezed_base(node, a) for a in axes) if b is not None), None) \
        if node is not None and is_known(shape[2]) and shape[2] > 1 else None
    text = ctx.text(Span.of(base)) if base is not None else None
    site = Span.of(node) if node is not None else site
    note, message = remedies.stray_axis_note(shape, p, t), remedies.stray_axis_message(p, t)
    label = Label(site, remedies.stray_axis_label(), d.file)
    if text is None:
        yield Cause("stray-axis", 78, label, note, remedies.squeeze_stray_axis(1), strong=True, message=message)
        return
    help_text = remedies.drop_stray_axis(text)
    yield Cause("stray-axis", 78, label, note, help_text, fix=Fix("unsafe", help_text, [Edit(site, text)]),
                strong=True, message=message)


def head_keeps_unit_axes(ctx, d):
    """A regression head that is a 1x1 convolution on a globally pooled map gives (N, C, 1, 1) where the targets are
    (N, C): the loss broadcasts them to (N, C, N, C) and compares every prediction with every sample's target. The
    head's output keeps the map's two 1-sized axes; flattening it where the model makes it (``self.trans(f)
    .flatten(1)``) is the fix. Giving the targets the map's axes would keep a model output in the wrong format."""
    f = d.facts
    if not isinstance(f, LossFacts) or f.pred.shape is None or f.target.shape is None:
        return
    p, t = tuple(f.pred.shape), tuple(f.target.shape)
    if len(p) < 3 or len(t) != 2 or p[:2] != t or any(x != 1 for x in p[2:]) or not is_known(p[1]) or p[1] == 1:
        return
    run = ctx.run_returning(f.pred.value)
    head = _head_of_kept_axes(run, f.pred.value) if run is not None else None
    span = head.layer.extra.get("call_span") if head is not None else None
    edit = append(ctx, span, ".flatten(1)") if span is not None else None
    if edit is None:
        return
    text = ctx.text(span)
    help_text = remedies.flatten_head_output(text)
    yield Cause("pooled-map-kept", 79, Label(span, remedies.pooled_map_kept_label(p), d.file),
                remedies.pooled_map_kept_note(p, t), help_text, fix=Fix("unsafe", help_text, [edit]), strong=True)


def _head_of_kept_axes(run, value):
    """The op that made ``value``'s channels while keeping the pooled map's 1-sized axes (a 1x1 conv head), through
    ops after it that keep the shape and work on axis 1 or on every element (a normalisation over the channels, an
    activation); None when one of them reads another axis, which flattening would change."""
    for _, op in run.inference.walk_back(value, depth=16):
        if op is None or not op.inputs:
            return None
        x = getattr(op.inputs[0], "shape", None)
        out = getattr(op.output, "shape", None)
        if x is None or out is None:
            return None
        if tuple(x) != tuple(out):
            return op if len(x) == len(out) and tuple(x[2:]) == tuple(out[2:]) else None
        dims = [op.layer.args.get(k) for k in ("dim", "axis") if op.layer.args.get(k) is not None]
        if any(dim != 1 for dim in dims):
            return None
    return None


def onehot_targets_for_class_ids(ctx, d):
    """One-hot rows (N, C) given to a loss that takes class ids (NLLLoss, CrossEntropyLoss with integer targets): the
    one-hot encoding is the mistake. Reported where it was made; the edit passes the ids at the loss
    (``.argmax(dim=1)``). Switching the loss or the head would train on something else."""
    f = d.facts
    if not isinstance(f, LossFacts) or d.name != "labels-loss-mismatch" or not _class_index(f) or \
            f.pred.shape is None or f.target.shape is None:
        return  # (CrossEntropyLoss reads one-hot rows as probabilities: a dtype question, target_dtype's)
    p, t, k = tuple(f.pred.shape), tuple(f.target.shape), f.target.meta.get("onehot")
    # where the rows were one-hot encoded: the `one_hot` call (a dataset's __getitem__ encoding each label), else
    # where the targets got their shape
    site = next((s for s in (getattr(f.target, "origin", None), getattr(f.target, "shaped_at", None))
                 if _is_one_hot_call(ctx, s)), getattr(f.target, "shaped_at", None))
    if len(p) != 2 or len(t) != 2 or not k or t[1] != k or p[1] != k or site is None:
        return
    node = f.call.node_of(1, "target")
    edit = append(ctx, Span.of(node), ".argmax(dim=1)") if node is not None else None
    title = remedies.onehot_to_ids()
    kept = _ids_before_one_hot(ctx, site)
    if kept is not None:  # the one-hot rows feed only the loss: keep the ids where they were encoded
        edit, ids = kept
        title = remedies.keep_class_ids(ids)
    yield Cause("onehot-targets", 78, Label(site, remedies.onehot_made_label(k), d.file),
                remedies.onehot_for_ids_note(f.kind), title,
                fix=Fix("unsafe", title, [edit]) if edit is not None else None, strong=True)


def _is_one_hot_call(ctx, span) -> bool:
    node = node_at(span, ctx.lines, ast.Call) if span is not None else None
    return node is not None and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) == "one_hot"


def _ids_before_one_hot(ctx, site) -> Optional[tuple]:
    """(edit, ids text) unwrapping ``targets = F.one_hot(ids, ...)`` to ``targets = ids`` when ``targets`` is read
    once in the file (the data set that feeds the loss): nothing else wants the one-hot rows."""
    node = node_at(site, ctx.lines, ast.Call)
    stmt = getattr(node, "_shapelint_parent", None)
    name = getattr(node.func, "attr", None) or getattr(node.func, "id", None) if node is not None else None
    if name != "one_hot" or not node.args or not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or \
            not isinstance(stmt.targets[0], ast.Name):
        return None
    tree = tree_of(ctx.lines)
    target = stmt.targets[0].id
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == target and isinstance(n.ctx, ast.Load)]
    ids = ctx.text(Span.of(node.args[0]))
    if len(reads) != 1 or ids is None:
        return None
    return Edit(Span.of(node), ids), ids


_ITEM_MAKERS = ("tensor", "as_tensor", "LongTensor", "array", "asarray")


def unit_axis_output_flattened_elsewhere(ctx, d):
    """(N, 1) outputs for (N,) targets at an element-wise loss (``BCELoss``, ``MSELoss``) where the script itself reads
    the same outputs as one number per sample elsewhere (``prob.view(-1) > 0.5`` in the accuracy): (N,) targets are
    the script's convention and the output's unit axis is the one to drop, at the loss call. Wrapping each label in a
    list would make the loss run and the accuracy compare (N,) with (N, 1): an (N, N) broadcast."""
    f = d.facts
    if not isinstance(f, LossFacts) or fact("torch", f.kind, "loss_target") != "same-shape" or \
            f.pred.shape is None or f.target.shape is None:
        return
    p, t = tuple(f.pred.shape), tuple(f.target.shape)
    if len(p) != 2 or p[1] != 1 or len(t) != 1 or not is_known(p[0]) or p[0] != t[0]:
        return
    node = f.call.node_of(0, "input")
    tree = tree_of(ctx.lines)
    if not isinstance(node, ast.Name) or tree is None:
        return
    scope = function_at(tree, node.lineno) or tree
    if not any(_one_per_sample(n, node.id) for n in ast.walk(scope)):
        return
    span = Span.of(node)
    help_text = remedies.squeeze_output_at_loss(f"{node.id}.squeeze(1)")
    yield Cause("unit-axis", 80, Label(span, remedies.unit_axis_output_label(p), d.file),
                remedies.unit_axis_output_note(node.id, t), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, f"{node.id}.squeeze(1)")]), strong=True)


def _one_per_sample(node, name: str) -> bool:
    """``name.view(-1)``, ``name.reshape(-1)``, ``name.flatten()``, ``name.squeeze(1)`` / ``squeeze(-1)`` /
    ``squeeze()``: the outputs read as one number per sample."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or \
            not isinstance(node.func.value, ast.Name) or node.func.value.id != name or node.keywords:
        return False
    args = [int_written(a) for a in node.args]
    attr = node.func.attr
    return attr in ("view", "reshape") and args == [-1] or attr == "flatten" and args == [] or \
        attr == "squeeze" and args in ([], [1], [-1])


def target_wrapped_per_item(ctx, d):
    """Class ids (N, 1) from a loader whose Dataset returns each label wrapped in a list --
    ``torch.tensor([self.y[idx]])`` in ``__getitem__`` -- for scores (N, C): the loss wants (N,). The mistake is the
    list around one label; squeezing at every loss call only hides it."""
    f = d.facts
    if not isinstance(f, LossFacts) or not _class_index(f) or f.pred.shape is None or f.target.shape is None:
        return
    p, t = tuple(f.pred.shape), tuple(f.target.shape)
    if len(p) != 2 or t != (p[0], 1) or not isinstance(f.target.meta.get("loader_batch"), int) or \
            f.target.origin is None:
        return
    node = node_at(f.target.origin, ctx.lines, ast.Call)
    func = getattr(node, "func", None)
    name = getattr(func, "attr", None) or getattr(func, "id", None)
    arg = node.args[0] if node is not None and node.args else None
    if name not in _ITEM_MAKERS or not isinstance(arg, ast.List) or len(arg.elts) != 1:
        return
    inner = ctx.text(Span.of(arg.elts[0]))
    if inner is None:
        return
    title = remedies.unwrap_item_label(inner)
    yield Cause("target-wrapped", 79, Label(Span.of(arg), remedies.wrapped_label_label(), d.file),
                remedies.wrapped_label_note(t), title, fix=Fix("unsafe", title, [Edit(Span.of(arg), inner)]),
                strong=True)


def batch_on_other_axis(ctx, d):
    """The targets' N samples sit on axis k > 0 of the data fed to the model (a collate_fn's
    ``torch.stack(xs, dim=1)``), so the model took axis 0 -- the sequence -- for the samples: torch raises at the loss
    (40 inputs for 16 targets). The mistake is where the samples were stacked; the model and targets are right."""
    f = d.facts
    if not isinstance(f, LossFacts) or d.name != "sample-count-mismatch" or f.pred.shape is None or \
            f.target.shape is None or not f.target.shape or not f.pred.shape:
        return
    n, rows = f.target.shape[0], f.pred.shape[0]
    if not is_known(n) or not is_known(rows) or n == rows:
        return
    x = _fed_input(ctx, f.pred)
    shape = tuple(x.shape) if x is not None and x.shape is not None else ()
    axis = x.meta.get("batch_axis") if x is not None else None
    if not isinstance(axis, int) or not 0 < axis < len(shape) or shape[axis] != n or shape[0] != rows:
        return
    site = getattr(x, "shaped_at", None) or x.origin
    node = node_at(site, ctx.lines) if site is not None else None
    note = remedies.batch_on_axis_note(shape, axis, n, rows)
    label = Label(site, remedies.batch_on_axis_label(axis), d.file) if site is not None else None
    dim = _stack_dim(node, axis)
    if dim is None:
        yield Cause("batch-on-axis", 84, label, note, remedies.move_batch_to_axis_0(axis), strong=True)
        return
    stacked = ctx.text(Span.of(node))
    dim_text = ctx.text(Span.of(dim))
    if stacked is None or dim_text is None:
        return
    start = Span.of(dim)
    help_text = remedies.stack_on_axis_0(stacked.replace(dim_text, "0", 1) if stacked.count(dim_text) == 1
                                         else "dim=0")
    yield Cause("batch-on-axis", 84, label, note, help_text, fix=Fix("unsafe", help_text, [Edit(start, "0")]),
                strong=True)


def _fed_input(ctx, pred):
    """The data fed to the model run whose output reached the loss (the call that fed it: Context.feed_of)."""
    for m in ctx.ev.models:
        for r in getattr(m, "runs", []):
            if r.output is pred.value:
                feed = ctx.feed_of(m, r)
                return feed.x if feed is not None else None
    return None


def _stack_dim(node, axis: int):
    """The ``dim`` argument node of ``torch.stack(xs, dim=axis)`` / ``np.stack(xs, axis=axis)``, or None."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or node.func.attr != "stack":
        return None
    dim = next((k.value for k in node.keywords if k.arg in ("dim", "axis")), None)
    if dim is None and len(node.args) == 2:
        dim = node.args[1]
    return dim if isinstance(dim, ast.Constant) and dim.value == axis else None


def last_sample_not_last_step(ctx, d):
    """``out[-1]`` on a batch-first RNN's (batch, steps, hidden) output: the last sample, not each sample's last
    step (the idiom of seq-first code). The loss then sees one row per step of one sample."""
    f = d.facts
    if not isinstance(f, LossFacts) or f.pred.shape is None or f.target.shape is None or not f.target.shape:
        return
    ops = _run_ops(ctx, f.pred) or []
    for op in ops:
        x = op.inputs[0] if op.layer.kind == "getitem" and op.inputs else None
        producer = next((o for o in ops if x is not None and getattr(o.output, "items", (None,))[0] is x), None)
        if producer is None or not has(producer.layer, "recurrent") or producer.layer.args.get("batch_first") is not True:
            continue
        if x.shape is None or len(x.shape) != 3 or op.output.shape is None or tuple(op.output.shape) != tuple(x.shape[1:]):
            continue
        span = op.layer.origin.span
        text = ctx.text(span)
        if text is None or text.strip() not in ("-1", "x.size(0) - 1"):
            continue
        parent = getattr(node_at(span, ctx.lines), "_shapelint_parent", None)
        value = ast.get_source_segment(ctx.source, parent.value) if isinstance(parent, ast.Subscript) else None
        help_text = remedies.take_each_last_step(f"{value or 'out'}[:, -1]")
        yield Cause("whole-sequence", 82, Label(span, remedies.last_sample_label(tuple(x.shape)), d.file),
                    remedies.last_sample_note(producer.layer.kind, tuple(x.shape)), help_text,
                    fix=Fix("unsafe", help_text, [Edit(span, ":, -1")]), strong=True)
        return


def state_indexed_on_batch(ctx, d):
    """``hidden[:, -1, :]`` on an RNN's final state: the state is (layers * directions, batch, hidden) whatever
    ``batch_first`` says, so indexing axis 1 picks one *sample* and the model returns one row per layer. The loss then
    sees fewer rows than labels. The index belongs on axis 0: ``hidden[-1]`` (every such index of the state is
    rewritten: ``torch.cat((hidden[:, -2, :], hidden[:, -1, :]), dim=1)`` has two)."""
    f = d.facts
    if not isinstance(f, LossFacts) or f.pred.shape is None:
        return
    ops = _run_ops(ctx, f.pred) or []
    found, first = [], None
    for op in ops:
        x = op.inputs[0] if op.layer.kind == "getitem" and op.inputs else None
        if x is None or x.shape is None or len(x.shape) != 3 or op.output.shape is None or \
                tuple(op.output.shape) != (x.shape[0], x.shape[2]) or x.shape[0] == x.shape[1]:
            continue
        producer = next((o for o in ops if has(o.layer, "recurrent") and _is_state(o.output, x)), None)
        rewritten = _index_layers_axis(ctx, op) if producer is not None else None
        if rewritten is not None and all(rewritten[0] != s for s, _ in found):
            found.append(rewritten)
            first = first or (producer, x)
    if not found:
        return
    producer, x = first
    (span, spelled) = found[0]
    help_text = remedies.index_the_layer_axis(spelled)
    yield Cause("batch-merged", 84, Label(span, remedies.state_batch_indexed_label(tuple(x.shape)), d.file),
                remedies.state_batch_indexed_note(producer.layer.kind, tuple(x.shape)), help_text,
                fix=Fix("unsafe", help_text, [Edit(s, text) for s, text in found]), strong=True)


def state_layers_folded(ctx, d):
    """``h_n.view(-1, hidden)`` on a multi-layer RNN's final state (layers * directions, batch, hidden): the layers
    are folded into the batch, the model returns one row per layer and sample, and the loss sees more rows than
    labels. With one layer it happened to work. The head wants the last layer's state: ``h_n[-1]`` (a wider Linear
    over ``view(batch, -1)`` would run and interleave layers with samples)."""
    f = d.facts
    if not isinstance(f, LossFacts) or f.pred.shape is None or f.target.shape is None or not f.target.shape:
        return
    n = f.target.shape[0]
    ops = _run_ops(ctx, f.pred) or []
    for op in ops:
        x = op.inputs[0] if op.layer.kind in ("view", "reshape") and op.inputs else None
        if x is None or getattr(x, "shape", None) is None or len(x.shape) != 3 or op.output.shape is None or \
                len(op.output.shape) != 2 or x.shape[1] != n or x.shape[0] == 1 or \
                op.output.shape[0] != x.shape[0] * x.shape[1] or op.output.shape[1] != x.shape[2]:
            continue
        producer = next((o for o in ops if has(o.layer, "recurrent") and _is_state(o.output, x)), None)
        if producer is None or producer.layer.args.get("bidirectional"):
            return  # both directions' last states are what a bidirectional head wants: not one index
        call = node_at(op.layer.origin.span, ctx.lines, ast.Call)
        base = receiver_text = None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            base = call.func.value
            receiver_text = ast.get_source_segment(ctx.source, base)
        if receiver_text is None:
            return
        spelled = f"{receiver_text}[-1]"
        help_text = remedies.take_last_layer_state(spelled)
        yield Cause("batch-merged", 85, Label(op.layer.origin.span, remedies.state_layers_folded_label(
                        tuple(x.shape), tuple(op.output.shape)), d.file),
                    remedies.state_layers_folded_note(producer.layer.kind, tuple(x.shape)), help_text,
                    fix=Fix("unsafe", help_text, [Edit(Span.of(call), spelled)]), strong=True)
        return


def _index_layers_axis(ctx, op) -> Optional[tuple]:
    """(span, new text) turning ``h[:, i, :]`` / ``h[:, i]`` into ``h[i]``; None for any other spelling."""
    node = node_at(op.layer.origin.span, ctx.lines)
    sub = node if isinstance(node, ast.Subscript) else getattr(node, "_shapelint_parent", None)
    if not isinstance(sub, ast.Subscript) or not isinstance(sub.slice, ast.Tuple) or len(sub.slice.elts) < 2:
        return None
    first, index = sub.slice.elts[0], sub.slice.elts[1]
    if not _whole(first) or not all(_whole(e) for e in sub.slice.elts[2:]):
        return None
    base = ast.get_source_segment(ctx.source, sub.value)
    picked = ast.get_source_segment(ctx.source, index)
    if base is None or picked is None or "\n" in base:
        return None
    return Span.of(sub), f"{base}[{picked}]"


def _whole(e) -> bool:
    return isinstance(e, ast.Slice) and e.lower is None and e.upper is None and e.step is None


def _is_state(output, value) -> bool:
    """Whether ``value`` is the final state (h_n, or h_n / c_n of an LSTM) in an RNN's ``(output, state)``."""
    items = getattr(output, "items", ())
    if len(items) < 2:
        return False
    state = items[1]
    return state is value or any(s is value for s in getattr(state, "items", ()))


def squeezed_prediction_beside_columns(ctx, d):
    """A hand-written loss compares predictions squeezed to (N,) -- ``self.value_head(h).squeeze(-1)`` -- with
    targets kept as (N, 1) columns (returns stored as the value head made them): every prediction meets every
    target. The squeeze is where the two conventions split; dropping it keeps each comparison per sample at every
    place the targets are used (squeezing the targets at one use would leave the others broadcasting)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "loss-broadcast" or len(f.op.inputs) != 2:
        return
    a, b = f.op.inputs
    for pred, target in ((a, b), (b, a)):
        op = f.inference.producer_of(pred)
        if op is None or op.layer.kind != "squeeze" or not op.inputs or pred.shape is None or \
                target.shape is None or getattr(op.inputs[0], "shape", None) is None:
            continue
        n = pred.shape[0] if len(pred.shape) == 1 else None
        if not is_known(n) or tuple(op.inputs[0].shape) != (n, 1) or tuple(target.shape) != (n, 1):
            continue
        span = op.layer.origin.span
        node = node_at(span, ctx.lines, ast.Call) if span is not None else None
        if node is None or enclosing(node, (ast.ClassDef,)) is None:
            continue  # squeezed by the script (an accuracy's `preds.squeeze(1)`): the model's convention is not
            # in question, the comparison is (the check's own fix)
        receiver = node.func.value if isinstance(node.func, ast.Attribute) and node.func.attr == "squeeze" else None
        kept = ctx.segment(receiver) if receiver is not None else None
        if not kept:
            continue
        help_text = remedies.keep_prediction_column(kept)
        yield Cause("squeezed-prediction", 82, Label(span, remedies.squeezed_prediction_label(n), d.file),
                    remedies.squeezed_prediction_note(n), help_text,
                    fix=Fix("unsafe", help_text, [Edit(span, kept)]), strong=True)
        return


_FIXED_POOLS = {"F.avg_pool2d": "adaptive_avg_pool2d", "F.max_pool2d": "adaptive_max_pool2d",
                "AvgPool2d": "AdaptiveAvgPool2d", "MaxPool2d": "AdaptiveMaxPool2d"}


def pool_sized_for_another_input(ctx, d):
    """A "global" pool written with the last map's size for the images it was designed on --
    ``F.avg_pool2d(out, 8)`` for CIFAR's 8x8 map -- then ``out.view(-1, channels)``: on 64x64 crops the map is 16x16,
    the pool leaves 2x2, and the view cuts each sample into 4 rows (32 predictions for 8 labels). The view reads one
    vector of channels per sample, so the pool was meant to be global: an adaptive pool to 1 gives that for any
    image size. Widening the head to channels * 4, or repeating the labels, would keep the wrong rows."""
    f = d.facts
    if not isinstance(f, LossFacts) or d.name != "sample-count-mismatch" or f.target.shape is None or \
            not is_known(f.target.shape[0]):
        return
    found = torch_loss.batch_fold(ctx.ev, f.pred, f.target.shape[0])
    if found is None:
        return
    fold, run = found
    before = getattr(fold.inputs[0], "shape", None)
    pool = run.inference.producer_of(fold.inputs[0])
    kind = pool.layer.kind if pool is not None else None
    if kind not in _FIXED_POOLS or before is None or len(before) != 4 or \
            not all(isinstance(v, int) and 1 < v <= 4 for v in before[2:]) or \
            tuple(getattr(fold.output, "shape", ()) or ())[1:] != (before[1],):
        return  # the view keeps one vector of channels per row: the pool was to leave one position
    k = pool.layer.args.get("kernel_size")
    k = k[0] if isinstance(k, (tuple, list)) and k and len(set(k)) == 1 else k
    if not isinstance(k, int) or k < 4:
        return  # `max_pool2d(x, 2)` halves the map: a downsampling step, not a global pool (the view is the mistake)
    call = call_at(ctx, pool.layer.extra.get("call_span") or pool.layer.origin.span)
    if call is None or not call.args or not isinstance(call.func, (ast.Attribute, ast.Name)):
        return
    prefix = ctx.segment(call.func.value) + "." if isinstance(call.func, ast.Attribute) else ""
    inputs = [ctx.segment(call.args[0])] if kind.startswith("F.") else []
    if None in inputs or prefix is None:
        return
    text = f"{prefix}{_FIXED_POOLS[kind]}({', '.join(inputs + ['1'])})"
    help_text = remedies.pool_globally(text)
    yield Cause("layer-kind", 92, Label(Span.of(call), remedies.fixed_pool_label(tuple(pool.output.shape)), d.file),
                remedies.fixed_pool_note(tuple(before), fold.layer.kind), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(call), text)]), strong=True)
