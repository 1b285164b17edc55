"""PyTorch loss calls in training loops: ``criterion(output, target)`` and ``F.cross_entropy(output, target)``.

The shape contract itself is in rules/torch/loss.py; here the call is applied with the data's facts (the range of
integer labels) in the script's own inference, and the diagnostic says where the target came from.
"""
from __future__ import annotations

from ..core import roles
from ..core.program import Layer, Origin, Program, Span
from ..core.registry import fact, has, lookup
from ..diagnostics import remedies
from ..diagnostics.fixes import set_arg_edit
from ..diagnostics.fixes.edits import wrap_edit
from ..diagnostics.model import Fix, Label
from ..core.values import Tensor
from ..frontends.source.data_api import DataVal
from ..frontends.source.objects import TensorVal
from ..frontends.source.torch_api import copy_layer
from .facts import LossFacts
from .report import emit, shape_text
from ..core.dims import is_known, prod
from ..diagnostics.fixes.calls import remove_element_edit
from ..diagnostics.fixes.source import node_at
from ..core.infer import Inference


def is_loss(kind: str) -> bool:
    from ..rules.torch.loss import LOSS_KINDS  # imported on use: loading it loads every PyTorch rule
    return kind in LOSS_KINDS


def is_functional_loss(name: str) -> bool:
    if not name.startswith("torch.nn.functional."):
        return False
    from ..rules.torch.loss import FUNCTIONAL  # deferred, as LOSS_KINDS above
    return name.rsplit(".", 1)[-1] in FUNCTIONAL


def _inference(ev):
    g = ev.state.script_run
    if g is None:
        g = Inference(Program("<script>", "torch"), ev.lines)
        ev.state.script_run = g
    return g


def _io(call):
    inp = call.get(0, "input", None)
    tgt = call.get(1, "target", None)
    return inp, tgt


def _apply(ev, layer: Layer, call, inp, tgt) -> None:
    if isinstance(tgt, TensorVal) and tgt.shape is not None and not ev.uncertain:
        # its batch size is perturbed with the data's (rootcause) -- also when the output is unknown because the
        # model failed before it: the fixed model reaches this loss, and must meet targets of the other batch size
        ev.state.fed_targets.append(tgt)
    if not (isinstance(inp, TensorVal) and isinstance(tgt, TensorVal)) or inp.shape is None or tgt.shape is None:
        return
    done = ev.state.loss_calls_checked
    if id(call.node) in done:
        return
    done.add(id(call.node))
    if ev.uncertain:
        return
    layer = copy_layer(layer)  # one op per call: a loss module called at three places points at each call
    layer.extra["target_int_range"] = tgt.meta.get("int_range")
    ev.state.loss_pairs.append((inp, tgt))  # data_input: a label column among the features
    inf = _inference(ev)
    n = len(inf.diagnostics)
    target = tgt.value
    if not isinstance(tgt, DataVal) and (tgt.run is None or tgt.run is not ev.state.script_run):
        # only data values follow casts (.float(), .long(), dtype=) faithfully -- and what the script's own ops
        # made of them (`Y[idx]` with an index tensor: a getitem of the data, its dtype kept by the rule)
        target = Tensor(target.shape, None)
    inf.apply(layer, [inp.value, target], call_span=Span.of(call.node))
    if all(d.severity == "info" for d in inf.diagnostics[n:]):
        _classes_last_by_roles(ev, layer, call, inp, tgt)
    _probabilities_into_logits_loss(ev, layer, call, inp)
    rnn = _recurrent_before(ev, inp) if len(inp.shape) >= 3 and len(tgt.shape) == 1 else None
    for d in inf.diagnostics[n:]:
        if d.severity == "info":
            continue
        d.facts = LossFacts(d.facts, call, inp, tgt, layer.kind)
        made_at = d.primary.span if d.primary is not None else None  # where the module's own copy will point
        _point_at_call(d, Span.of(call.node), ev.file)
        if rnn is not None and d.name == "labels-loss-mismatch" and _from_state(rnn, inp, tgt):
            d.help = (f"the model's output {shape_text(inp.shape)} keeps the `{rnn.layer.kind}` state's layer axis "
                      f"(num_layers * num_directions, N, hidden): feed the output layer the last layer's state, "
                      f"`h_n[-1]` (or `h_n.squeeze(0)` for one layer)")
            d.fix = None
            if rnn.layer.origin.span is not None:
                d.secondary.append(Label(rnn.layer.origin.span, "returns h_n as (layers, N, hidden)", ev.file))
        elif rnn is not None and d.name == "labels-loss-mismatch":
            d.help = (f"the model returns one output per time step {shape_text(inp.shape)} for one target per sample: "
                      f"take the last step of the `{rnn.layer.kind}` output (`out[:, -1, :]`) before the output layer")
            if rnn.layer.origin.span is not None:
                d.secondary.append(Label(rnn.layer.origin.span, "returns every time step", ev.file))
        if tgt.origin is not None and all(l.span.line != tgt.origin.line for l in d.secondary) \
                and (d.primary is None or d.primary.span.line != tgt.origin.line):
            d.secondary.append(Label(tgt.origin, f"target {shape_text(tgt.shape)} made here", ev.file))
        d.notes.append(f"output {shape_text(inp.shape)}, target {shape_text(tgt.shape)}"
                       + (f" ({tgt.value.dtype})" if tgt.value.dtype else ""))
        if made_at is not None:
            _drop_later_copies(ev, d, made_at)
        if d.name == "sample-count-mismatch":
            _blame_batch_fold(ev, d, inp, tgt) or _blame_sequence_first(ev, d, inp, tgt)


def _classes_last_by_roles(ev, layer: Layer, call, inp: TensorVal, tgt: TensorVal) -> None:
    """A tagger's (N, T, C) scores with (N, T) class ids, where the sequence length is unknown (a padded batch):
    the sizes cannot show the mismatch, but the roles do -- axis 1, which the loss reads as the classes, is the
    time (or a spatial) axis, and the classes a Linear made sit last. torch raises "Expected target size (N, C)"
    whenever T != C and silently mixes steps and classes when they happen to be equal. Only where both roles are
    known; the edit permutes the scores at the call."""
    si, st = tuple(inp.shape), tuple(tgt.shape)
    if fact("torch", layer.kind, "loss_target") != "class-index" or len(si) < 3 or len(st) != len(si) - 1 or not is_known(si[-1]) \
            or si[-1] < 2 or (all(is_known(d) for d in st[1:] + si[2:]) and st[1:] == si[2:]):
        return
    found = None
    for m in ev.models:
        for r in getattr(m, "runs", []):
            if r.output is inp.value and getattr(r, "inference", None) is not None:
                found = roles.roles_of(r.inference, inp.value)
    if found is None or len(found) != len(si) or found[1] not in (roles.T, roles.S) or found[-1] != roles.F:
        return
    k = len(si) - 2
    order = (0, k + 1) + tuple(range(1, k + 1))
    node = call.node_of(0, "input")
    span = Span.of(node) if node is not None else None
    edit = wrap_edit(span, f".permute{order}", ev.lines) if span is not None else None
    loss = layer.extra.get("loss_name", layer.kind)
    want = (si[0],) + si[2:]
    emit(ev, "labels-loss-mismatch", span or Span.of(call.node),
         f"scores {shape_text(si)}: axis 1 is the {'time steps' if found[1] == roles.T else 'spatial axis'}",
         secondary=[(tgt.origin, f"target {shape_text(st)} made here")] if tgt.origin is not None else [],
         notes=[f"output {shape_text(si)}, target {shape_text(st)}"],
         loss=loss, needs=f"class indices of shape {shape_text(want)}", labels=_labels_text(tgt),
         remedy=remedies.move_classes_to_axis_1(loss, shape_text(si), order, si[-1]),
         fix=Fix("unsafe", f"move the classes to axis 1 (`.permute{order}`)", [edit]) if edit else None,
         typed=LossFacts(None, call, inp, tgt, layer.kind))


def _labels_text(tgt: TensorVal) -> str:
    dt = tgt.value.dtype
    kind = f"integers ({dt}) " if isinstance(dt, str) and dt.startswith(("int", "uint")) else ""
    return f"{kind}of shape {shape_text(tgt.shape)}"


def _point_at_call(d, call_span, file) -> None:
    """A loss module's mistake shows where it is called (that line raises, and the targets are passed there): the
    call becomes the primary label and the ``criterion = nn.XLoss()`` line a secondary one."""
    called = next((l for l in d.secondary if l.span == call_span), None)
    if d.primary is None or called is None or d.primary.span == call_span:
        return
    d.secondary = [Label(d.primary.span, "the loss is created here", d.primary.file)] + \
        [l for l in d.secondary if l is not called]
    d.primary = called


def check_module_call(ev, obj, call) -> None:
    inp, tgt = _io(call)
    obj.layer.extra["loss_name"] = obj.layer.kind
    _apply(ev, obj.layer, call, inp, tgt)


def check_functional_call(ev, name: str, call) -> None:
    short = name.rsplit(".", 1)[-1]
    kind = "F." + short
    rule = lookup("torch", kind)
    if rule is None:
        return
    kw = {k: v for k, v in call.kwargs.items() if k not in ("input", "target")}
    args, given, problems = rule.signature.bind([], kw)
    if problems:
        return
    layer = Layer("torch", kind, name=f"F.{short}", args=args, given=set(given),
                  origin=Origin(ev.file, Span.of(call.node)), callee=call.callee_text)
    layer.extra["loss_name"] = f"F.{short}"
    inp, tgt = _io(call)
    _apply(ev, layer, call, inp, tgt)


_LOGITS_LOSSES = {"CrossEntropyLoss": ("softmax", ("Softmax", "F.softmax", "softmax")),
                  "F.cross_entropy": ("softmax", ("Softmax", "F.softmax", "softmax")),
                  "BCEWithLogitsLoss": ("sigmoid", ("Sigmoid", "F.sigmoid", "sigmoid", "torch.sigmoid")),
                  "F.binary_cross_entropy_with_logits": ("sigmoid", ("Sigmoid", "F.sigmoid", "sigmoid"))}


def producing_op(ev, value: TensorVal):
    """The op of a model run whose output is ``value`` (a model's result passed straight to the loss)."""
    return producing_run(ev, value)[1]


def producing_run(ev, value: TensorVal) -> tuple:
    """(the inference, the op) of the model run that made ``value``: a model's result in the script (the run's last
    op), or a value inside a run; (None, None) otherwise."""
    for m in ev.models:
        for r in getattr(m, "runs", []):
            if r.output is value.value and r.program.ops:
                return getattr(r, "inference", None), r.program.ops[-1]
    run = getattr(value, "run", None)
    if run is not None and hasattr(run, "producer_of"):
        return run, run.producer_of(value.value)
    return None, None


def _probabilities_into_logits_loss(ev, layer, call, inp) -> None:
    spec = _LOGITS_LOSSES.get(layer.kind)
    if spec is None:
        return
    op = producing_op(ev, inp)
    if op is None or op.layer.kind not in spec[1]:
        return
    element = node_at(op.layer.origin.span, ev.lines)  # nn.Softmax() as an element of nn.Sequential(...)
    edit = remove_element_edit(element, ev.lines) if op.layer.kind in ("Softmax", "Sigmoid") and element else None
    emit(ev, "probabilities-into-logits-loss", op.layer.origin.span, f"`{op.layer.kind}` here",
         secondary=[(Span.of(call.node), f"`{layer.kind}` applies {spec[0]} again")], loss=layer.kind,
         inner=spec[0], activation=op.layer.kind,
         remedy=f"remove the final `{op.layer.kind}` and feed the raw scores (logits) to `{layer.kind}`",
         fix=Fix("unsafe", f"remove the final `{op.layer.kind}`; the loss applies it", [edit]) if edit else None)


def _from_state(rnn, inp: TensorVal, tgt: TensorVal) -> bool:
    """Whether the 3-D output fed to the loss comes from the RNN's final state h_n (layers, N, hidden) rather than
    its output sequence: the batch sits on axis 1 with h_n's layer count before it, and the output sequence is
    not laid out that way."""
    items = getattr(rnn.output, "items", None)
    if not items or len(items) != 2:
        return False
    seq, state = items
    h = getattr(state, "items", (state,))[0]
    hs, ss, si = getattr(h, "shape", None), getattr(seq, "shape", None), tuple(inp.shape)
    if not hs or not ss or len(hs) != 3 or len(si) != 3 or not tgt.shape:
        return False
    n = tgt.shape[0]
    known = all(is_known(v) for v in (hs[0], hs[1], si[0], si[1], n))
    return known and si[0] == hs[0] and si[1] == hs[1] == n and si[0] != n and si[:2] != tuple(ss[:2])


def _recurrent_before(ev, value: TensorVal):
    """The recurrent op of the model run that produced ``value``, if there is one."""
    for m in ev.models:
        for r in getattr(m, "runs", []):
            if r.output is value.value:
                for op in r.program.ops:
                    if has(op.layer, "recurrent"):
                        return op
    return None


_RESHAPES = ("view", "reshape", "flatten")


def batch_fold(ev, value: TensorVal, n_target):
    """The reshape op in the model run that produced ``value`` which changed the batch axis from ``n_target`` (the
    labels' batch) to another size, e.g. ``x.view(-1, 64)`` on (32, 64, 4, 4) -> (512, 64)."""
    for m in ev.models:
        for r in getattr(m, "runs", []):
            if r.output is not value.value:
                continue
            for op in r.program.ops:
                if op.layer.kind not in _RESHAPES or not op.inputs:
                    continue
                a, b = op.inputs[0], op.output
                sa, sb = getattr(a, "shape", None), getattr(b, "shape", None)
                if not sa or not sb or not is_known(sa[0]) or not is_known(sb[0]):
                    continue
                if sa[0] == n_target and sb[0] != n_target:
                    return op, r
    return None




def _blame_sequence_first(ev, d, inp: TensorVal, tgt: TensorVal) -> bool:
    """The model's batch is the data's sequence length: a recurrent / attention layer left at batch_first=False
    read (batch, seq, features) data as (seq, batch, features). Point at it and set ``batch_first=True``."""
    n = tgt.shape[0]
    if not is_known(n) or not is_known(inp.shape[0]):
        return False
    for m in ev.models:
        for r in getattr(m, "runs", []):
            if r.output is not inp.value:
                continue
            for op in r.program.ops:
                x = op.inputs[0] if op.inputs else None
                shape = getattr(x, "shape", None)
                if not has(op.layer, "sequence_first") or op.layer.args.get("batch_first") is not False or \
                        not shape or len(shape) != 3 or shape[0] != n or shape[1] != inp.shape[0] or \
                        op.layer.origin.span is None:
                    continue
                kind = op.layer.kind
                if d.primary is not None:
                    d.secondary.insert(0, Label(d.primary.span, f"the loss then sees {inp.shape[0]} samples for {n} "
                                                "labels", d.primary.file))
                d.primary = Label(op.layer.origin.span, f"reads {shape_text(shape)} as (seq={shape[0]}, "
                                  f"batch={shape[1]}, ...)", ev.file)
                d.help = (f"the data is batch-first {shape_text(shape)}, but `nn.{kind}` defaults to "
                          "(seq, batch, features): pass `batch_first=True`")
                edit = set_arg_edit(op.layer, "batch_first", "True", ev.lines)
                d.fix = Fix("unsafe", "pass `batch_first=True`", [edit]) if edit is not None else None
                return True
    return False


def _blame_batch_fold(ev, d, inp: TensorVal, tgt: TensorVal) -> bool:
    """Inputs and labels had the same batch, but a reshape inside the model folded the other axes into it: the
    edit belongs to that reshape, not to the loss call."""
    n = tgt.shape[0]
    found = batch_fold(ev, inp, n) if is_known(n) else None
    op = found[0] if found else None
    if op is None or op.layer.origin.span is None:
        return False
    # the reshape's own warning (reshape-mixes-samples) says the same thing: this error now stands for both
    dup = [w for w in op.diagnostics if w.name == "reshape-mixes-samples"]
    op.diagnostics[:] = [w for w in op.diagnostics if w not in dup]
    inf = getattr(found[1], "inference", found[1])
    inf.diagnostics[:] = [w for w in inf.diagnostics if w not in dup]
    sa, sb = op.inputs[0].shape, op.output.shape
    flat = prod(sa[1:])
    if d.primary is not None:
        d.secondary.insert(0, Label(d.primary.span, "the loss then sees "
                                    f"{inp.shape[0]} samples for {n} labels", d.primary.file))
    d.primary = Label(op.layer.origin.span, f"turns the batch of {n} into {sb[0]} rows: "
                      f"{shape_text(sa)} -> {shape_text(sb)}", ev.file)
    width = f" ({flat} features)" if is_known(flat) else ""
    d.help = (f"keep the batch axis when flattening: `x.{op.layer.kind}(x.size(0), -1)`{width}, and give the "
              f"next layer that many input features" if op.layer.kind != "flatten"
              else "flatten from axis 1 to keep the batch axis: `torch.flatten(x, 1)`")
    d.fix = None
    return True


def _drop_later_copies(ev, d, span) -> None:
    """The module call itself applies the loss again after this check (the same code at the loss, its message
    differing at most in what it knows of the target's dtype): once the run ends, drop those copies so this
    diagnostic (with the target's origin, possibly moved to the op at fault) is the only one."""
    def drop(ev):
        inf = ev.state.script_run
        if inf is None:
            return
        inf.diagnostics[:] = [o for o in inf.diagnostics
                              if o is d or not (o.code == d.code and o.primary is not None
                                                and o.primary.span == span)]
    ev.state.finalizers.append(drop)
