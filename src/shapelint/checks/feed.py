"""Recording the calls that feed models, and checking them once every model has been run."""
from __future__ import annotations

import ast
import dataclasses
import math
import os
import sys
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Optional

from ..core import roles
from ..core.dims import is_known
from ..core.program import Span, unwrapped
from ..core.registry import has
from ..core.infer import PASS_THROUGH
from ..core.values import UNKNOWN, Tensor
from ..frontends.source.objects import BoundMethod, LayerObj, Opaque, QualName, TensorVal
from . import custom_loss, data_input, image_transpose, feature_axis, flatten_order, id_range, input_size, keras_loss, one_entry, planar_rows, samples_crossed, silent, softmax_by_hand, tfdata_sources, torch_loss
from ..diagnostics import remedies
from ..diagnostics.fixes import InsertAfter, InsertBefore, SetArg, WrapInput, resolve
from ..diagnostics.fixes.calls import keyword_edit, loss_edit, rename_call, string_edit
from ..diagnostics.fixes.source import node_at
from ..diagnostics.model import Edit, Fix
from .facts import LabelFacts
from .report import describe_labels, emit, replace_fix, shape_text
from ..frontends.source.api import Call

_FEED_METHODS = {"fit", "evaluate", "train_on_batch", "test_on_batch", "predict", "predict_on_batch", "__call__",
                 "compile", "forward"}


@dataclass
class Event:
    kind: str  # compile | fit | evaluate | train_on_batch | test_on_batch | predict | __call__ ...
    model: Any
    call: Any
    uncertain: bool


def _is_model(obj) -> bool:
    return hasattr(obj, "runs") and hasattr(obj, "framework") and hasattr(obj, "display_name")


def on_call(ev, func, call) -> None:
    """Evaluator hook: called with every call before it is evaluated."""
    try:
        if isinstance(func, BoundMethod) and _is_model(func.obj) and func.name in _FEED_METHODS:
            ev.state.feed_events.append(Event(func.name, func.obj, call, bool(ev.uncertain)))
        elif _is_model(func):
            ev.state.feed_events.append(Event("__call__", func, call, bool(ev.uncertain)))
        elif isinstance(func, LayerObj) and func.layer.framework == "torch" and torch_loss.is_loss(func.layer.kind):
            torch_loss.check_module_call(ev, func, call)
        elif isinstance(func, QualName) and torch_loss.is_functional_loss(func.name):
            torch_loss.check_functional_call(ev, func.name, call)
        elif isinstance(func, QualName) and func.name in one_entry.PICKS and call.args:
            one_entry.pick_over_one_entry(ev, func.name, call.args[0], call, one_entry.PICKS[func.name])
            if func.name in _BATCH_AXIS_FUNCS and isinstance(call.args[0], TensorVal):
                _over_batch_axis(ev, func.name.rsplit(".", 1)[-1], call.args[0], call, 1)
        elif isinstance(func, BoundMethod) and isinstance(func.obj, TensorVal) and func.name in _BATCH_AXIS_OPS:
            if func.name in one_entry.METHODS:
                one_entry.pick_over_one_entry(ev, func.name, func.obj, call, 0)
            _over_batch_axis(ev, func.name, func.obj, call, 0)
        elif isinstance(func, BoundMethod) and isinstance(func.obj, TensorVal) and func.name == "transpose":
            image_transpose.swapped_height_width(ev, func.obj, call)
        elif isinstance(func, QualName) and func.name in tfdata_sources.SOURCES:
            tfdata_sources.list_for_structure(ev, func.name, call)
        elif isinstance(func, QualName) and func.name in _BATCH_AXIS_FUNCS and call.args \
                and isinstance(call.args[0], TensorVal):
            _over_batch_axis(ev, func.name.rsplit(".", 1)[-1], call.args[0], call, 1)
    except Exception:  # a check must never break the evaluation
        _note_failure(ev, "call")


def finalize(ev) -> None:
    for m in list(ev.models):
        _guarded(ev, "model run", m.finalize)
    _guarded(ev, "feed", _check_events, ev)
    for m in list(ev.models):
        _guarded(ev, "silent", silent.check_model, ev, m)
        if not ev.state.notes_unread:  # the input-size note replays the run: only for a note that is shown
            _guarded(ev, "input-size", input_size.annotate, ev, m)
        _guarded(ev, "id-range", id_range.vocabulary_from_one, ev, m)
        _guarded(ev, "id-range of an uncounted vocabulary", id_range.vocabulary_from_one_unsized, ev, m)
        _guarded(ev, "lookup vocabulary", id_range.vocabulary_of_a_lookup, ev, m)
    _guarded(ev, "op checks of the script's own code", silent.script_op_checks, ev)
    _guarded(ev, "batch_first from loaders", silent.batch_first_from_loaders, ev)
    _guarded(ev, "batch axis from collate", silent.batch_axis_from_collate, ev)
    _guarded(ev, "batch folded by collate", silent.batch_folded_by_collate, ev)
    _guarded(ev, "batch size written in a model", silent.batch_size_written_in_model, ev)
    _guarded(ev, "recurrent state made for the full batch", silent.state_made_for_the_full_batch, ev)
    _guarded(ev, "last batch of one sample in training", silent.last_batch_of_one_in_training, ev)
    _guarded(ev, "squeeze of a one-sample last batch", silent.squeeze_drops_last_batch, ev)
    _guarded(ev, "batch_first from outputs", silent.batch_first_from_outputs, ev)
    _guarded(ev, "hand-written loss broadcast", silent.hand_written_loss_broadcast, ev)
    _guarded(ev, "per-sample values on the last axis", silent.per_sample_values_on_last_axis, ev)
    _guarded(ev, "samples crossed by broadcasting", samples_crossed.samples_crossed_by_broadcast, ev)
    _guarded(ev, "predictions and targets flattened in other orders", flatten_order.flattened_in_other_orders, ev)
    _guarded(ev, "predictions compared with labels", silent.predictions_compared_with_labels, ev)
    _guarded(ev, "predictions minus targets", silent.predictions_minus_targets, ev)
    _guarded(ev, "einops inverse out of order", silent.einops_inverse_out_of_order, ev)
    _guarded(ev, "batch total added per sample", silent.batch_total_added_per_sample, ev)
    _guarded(ev, "softmax written by hand over the batch", softmax_by_hand.softmax_over_the_batch_by_hand, ev)
    _guarded(ev, "column beside rows", silent.column_beside_rows, ev)
    _guarded(ev, "feature axis", feature_axis.similarity_over_other_axis, ev)
    _guarded(ev, "softmax of outputs over another axis", feature_axis.softmax_of_outputs_over_other_axis, ev)
    _guarded(ev, "named axes against the first layer", data_input.named_axes_against_first_layer, ev)
    _guarded(ev, "label column among paired features", data_input.label_among_paired_features, ev)
    _guarded(ev, "channel-planar rows reshaped", planar_rows.channel_planar_rows_reshaped, ev)
    _guarded(ev, "data origins", data_input.annotate_data_origins, ev)


def _guarded(ev, name: str, fn, *args) -> None:
    """Run one check; one that fails must not cost the others, and is not silent either: an info note says what
    is missing (once per check and file). ``SHAPELINT_DEBUG=1`` lets the exception through."""
    try:
        fn(*args)
    except Exception:  # a check must never break the evaluation
        _note_failure(ev, name)


def _note_failure(ev, name: str) -> None:
    """Called from an ``except`` block: re-raise under SHAPELINT_DEBUG, else one info note per check and file."""
    if os.environ.get("SHAPELINT_DEBUG"):
        raise
    exc = sys.exc_info()[1]
    failed = ev.state.failed_checks
    if name not in failed:
        failed.add(name)
        emit(ev, "internal-error", None, variant="check", check=name, detail=f"{type(exc).__name__}: {exc}"[:200])


# -- Keras calls -------------------------------------------------------------------------------------------------
def _check_events(ev) -> None:
    compiled: dict = {}
    for e in ev.state.feed_events:
        model = e.model
        if model.framework != "keras":
            if e.kind in ("__call__", "forward"):
                x = e.call.args[0] if e.call.args else None
                data_input.record_feed(ev, model, x, e.call)
                if isinstance(x, TensorVal) and not e.uncertain:
                    id_range.check_feed(ev, model, x, e.call)
            continue
        if e.kind == "compile":
            compiled[id(model)] = e.call
            if not e.uncertain:  # a compile in a branch that may not run says nothing for sure
                _guarded(ev, "custom loss", custom_loss.check_compile, ev, e.call)
            continue
        if e.uncertain or getattr(model, "uncertain", False):
            continue
        x, y, batch_size = _fit_args(e)
        several = e.call.get(0, "x", None)
        if isinstance(several, (list, tuple)) and several and all(isinstance(v, TensorVal) for v in several):
            id_range.check_feed(ev, model, several, e.call)  # fit([users, books], ...): one array per input
        if isinstance(several, (list, tuple, dict)) and several:
            data_input.check_keras_inputs(ev, model, several, e.call)
        if y is not None:  # its batch size is perturbed with the data's (rootcause)
            ev.state.fed_targets.extend(y.values() if isinstance(y, dict) else [y])
        if x is not None:
            data_input.record_feed(ev, model, x, e.call)
            id_range.check_feed(ev, model, x, e.call)
        if e.kind in ("fit", "evaluate", "train_on_batch", "test_on_batch"):
            if not _check_sample_count(ev, e, x, y):
                data_input.check_keras(ev, model, x, e.call, labels=y if isinstance(y, TensorVal) else None)
                if isinstance(y, TensorVal):
                    _check_labels(ev, model, compiled.get(id(model)), x, y, batch_size, e)
                else:  # no labels, or one array per output (a dict by output name, a list)
                    _check_output_labels(ev, model, compiled.get(id(model)), x, batch_size, e, y)
                    _check_unseen_labels(ev, model, compiled.get(id(model)), x, e)
            val = e.call.kwargs.get("validation_data") if e.kind == "fit" else None
            if isinstance(val, (tuple, list)):  # their batch sizes are perturbed with the data's (rootcause)
                ev.state.fed_targets.extend(v for v in val if isinstance(v, TensorVal))
            if isinstance(val, (tuple, list)) and len(val) >= 2 and isinstance(val[0], TensorVal) \
                    and isinstance(val[1], TensorVal) and val[1].shape is not None:
                vnode = e.call.kw_nodes.get("validation_data")
                vcall = _sub_call(e.call, val, vnode)
                ve = Event("evaluate", model, vcall, e.uncertain)
                if not _check_sample_count(ev, ve, val[0], val[1]):
                    data_input.check_keras(ev, model, val[0], vcall, train=x)
                    _check_labels(ev, model, compiled.get(id(model)), val[0], val[1], batch_size, ve,
                                  train_labels=y if isinstance(y, TensorVal) else None)
        else:
            data_input.check_keras(ev, model, x, e.call)


def _sub_call(call, val, vnode):
    """A Call for ``validation_data=(x_val, y_val)``: its items as the positional x and y (spans of the tuple)."""
    elts = list(getattr(vnode, "elts", []) or [])
    nodes = elts[:2] if len(elts) >= 2 else [vnode, vnode]
    return Call(vnode if vnode is not None else call.node, [val[0], val[1]], {}, nodes, {}, call.callee_text)


def _fit_args(e: Event):
    # imported here: datasets_api reports through checks.report, so a module-level import would close a cycle
    from ..frontends.source.datasets_api import first_batch
    call = e.call
    x = call.get(0, "x", call.kwargs.get("inputs"))
    y = call.get(1, "y", None) if e.kind not in ("predict", "predict_on_batch", "__call__") else None
    batch_size = call.get(2, "batch_size", None) if e.kind in ("fit", "evaluate") else None
    fb = first_batch(x)
    if fb is not None:
        x, y = fb
        batch_size = x.shape[0] if isinstance(x, TensorVal) and x.shape else None
    elif e.kind in ("fit", "evaluate") and batch_size is None and "batch_size" not in call.kwargs:
        batch_size = 32
    if e.kind in ("train_on_batch", "test_on_batch") and isinstance(x, TensorVal) and x.shape:
        batch_size = x.shape[0]
    if not isinstance(x, TensorVal):
        x = None
    if isinstance(y, dict) and y and all(isinstance(v, TensorVal) and v.shape is not None for v in y.values()):
        return x, y, batch_size  # one label array per output, by name (checked output by output)
    if not isinstance(y, TensorVal) or y.shape is None:
        y = None
    return x, y, batch_size


def _check_sample_count(ev, e, x, y) -> bool:
    if x is None or not isinstance(y, TensorVal) or not x.shape or not y.shape:
        return False
    nx, ny = x.shape[0], y.shape[0]
    if not (is_known(nx) and is_known(ny)) or nx == ny:
        return False
    call = e.call
    y_node = call.node_of(1, "y")
    emit(ev, "sample-count-mismatch", Span.of(y_node) or Span.of(call.node), f"{ny} samples",
         secondary=[(x.origin, f"{nx} samples made here"), (y.origin, f"{ny} labels made here")],
         n_x=nx, n_y=ny, model=e.model.display_name,
         remedy="pass the labels that belong to these inputs (one label per sample)")
    return True


def model_output(model, x: Optional[TensorVal]):
    """The model's output for the data ``x`` (or for its declared input)."""
    runs = [r for r in model.runs if r.output is not None]
    for r in model.runs_fed(x):
        if r.output is not None:
            return r, r.output
    for r in runs:
        if isinstance(r.output, Tensor) and r.output.shape is not None and r.key != ("?",):
            return r, r.output
    return None, None


def _ignores_a_class(value) -> bool:
    """A Keras loss object built with ``ignore_class`` (SparseCategoricalCrossentropy: those labels are skipped)."""
    if not isinstance(value, Opaque) or value.kind.rsplit(".", 1)[-1] != "SparseCategoricalCrossentropy":
        return False
    given = value.kwargs.get("ignore_class", value.args[1] if len(value.args) > 1 else None)
    return given is not None


_SUGGEST = {"cce": "sparse_categorical_crossentropy", "scce": "categorical_crossentropy"}


class _OutputRun:
    """One output of a multi-output model, seen as a run: the ops that lead to it (the last one produces it)."""

    def __init__(self, program):
        self.program = program


def output_runs(model):
    """[(name, run-like, Tensor)] for each output of a multi-output functional model, or [] when not known.
    Names are the keys of an ``outputs={...}`` dict, else the output layers' names (Keras 3 ``output_names``)."""
    outputs = getattr(model, "outputs", None)
    runs = [r for r in getattr(model, "runs", []) if r.output is not None]
    if not runs or not isinstance(outputs, (list, tuple, dict)) or len(outputs) < 2:
        return []
    vals = list(outputs.values()) if isinstance(outputs, dict) else list(outputs)
    if not all(isinstance(v, TensorVal) for v in vals):
        return []
    ops = runs[0].program.ops
    producer = {id(op.output): op for op in ops}
    found = []
    for i, v in enumerate(vals):
        op = producer.get(id(v.value))
        if op is None:
            return []
        wanted, stack = set(), [op]
        while stack:
            o = stack.pop()
            if id(o) in wanted:
                continue
            wanted.add(id(o))
            stack.extend(producer[id(t)] for t in o.inputs if id(t) in producer)
        name = list(outputs)[i] if isinstance(outputs, dict) else op.layer.name
        # one output's own ops, with the model's inputs (the finders read what the model was given)
        sub = SimpleNamespace(ops=[o for o in ops if id(o) in wanted], inputs=list(runs[0].program.inputs or []),
                              output=v.value)
        found.append((name, _OutputRun(sub), v.value))
    return found


def _check_output_labels(ev, model, compile_call, x, batch_size, e: Event, y=None) -> None:
    """A multi-output model fit with one label array per output (a list, or a dict keyed by output name) and
    one loss per output (a list, a dict keyed by output name, or one loss for every output): each pair is checked
    like a single-output model."""
    if compile_call is None:
        return
    y = e.call.get(1, "y", None) if y is None else y  # (a dataset's element gives them)
    outs = output_runs(model)
    if not outs or not isinstance(y, (list, tuple, dict)):
        return
    names = [n for n, _, _ in outs]
    if isinstance(y, dict):
        ys = [y.get(n) for n in names]
    elif len(y) == len(outs) and not isinstance(model.outputs, dict):
        ys = list(y)
    else:
        return
    loss = compile_call.get(1, "loss", None)
    if isinstance(loss, dict):
        losses = [loss.get(n) for n in names]
    elif isinstance(loss, (list, tuple)):
        if len(loss) != len(outs) or isinstance(model.outputs, dict):
            return
        losses = list(loss)
    else:
        losses = [loss] * len(outs)
    for (name, run, out), yi, li in zip(outs, ys, losses):
        if isinstance(yi, TensorVal) and yi.shape is not None and li is not None \
                and (not yi.shape or not x or not x.shape or not is_known(x.shape[0])
                     or not is_known(yi.shape[0]) or x.shape[0] == yi.shape[0]):
            _check_labels(ev, model, compile_call, x, yi, batch_size, e, loss_value=li,
                          output=(run, out, names.index(name), name))


def _unused_layer_or_new(model, run, inserted: str) -> str:
    """``self.flatten`` when the model built a layer of that kind that its call() never applies (created in
    ``__init__`` and forgotten), else a new one: ``keras.layers.Flatten()``."""
    kind = inserted.split("(", 1)[0]
    applied = {id(o.layer.extra.get("source_layer", o.layer)) for o in run.program.ops}
    applied |= {id(o.layer) for o in run.program.ops}
    for attr, v in (getattr(model, "attrs", None) or {}).items():
        if isinstance(v, LayerObj) and v.layer.kind == kind and id(v.layer) not in applied and \
                not any(o.layer.kind == kind and o.layer.origin.span == v.layer.origin.span for o in run.program.ops):
            return f"self.{attr}"
    return f"@keras.layers.{kind}@({inserted.split('(', 1)[1]}"


def _loss_item_node(node, index, name):
    """The node of one output's loss in ``loss=[...]`` / ``loss={"name": ...}``, or None."""
    if isinstance(node, (ast.List, ast.Tuple)) and index < len(node.elts):
        return node.elts[index]
    if isinstance(node, ast.Dict):
        for k, v in zip(node.keys, node.values):
            if isinstance(k, ast.Constant) and k.value == name:
                return v
    return None


def _report_single_unit(ev, model, run, p: tuple, name: str, loss_node, loss_span, secondary, typed) -> None:
    head = run.program.ops[-1].layer if run is not None and run.program.ops else None
    if head is not None:
        head.extra["single_unit_reported"] = True  # one diagnostic: no softmax-over-one-value warning too
    emit(ev, "single-unit-categorical-loss", loss_span, "", secondary=secondary, loss=name,
         pred_shape=shape_text(p), model=model.display_name,
         remedy="use `binary_crossentropy` with a sigmoid output for two classes, or one unit per class",
         fix=_replace_fix(loss_edit(loss_node, "binary_crossentropy", "BinaryCrossentropy"),
                          "use `binary_crossentropy`"),
         typed=typed)


def _yields_labels(x) -> bool:
    """A dataset / generator passed as ``x`` whose elements are (inputs, labels) pairs, as far as is known."""
    from ..frontends.source.datasets_api import first_batch  # here for the same reason as in _fit_args
    return first_batch(x) is not None


def _check_unseen_labels(ev, model, compile_call, x, e: Event) -> None:
    """Labels whose shape shapelint cannot work out (read from a file, a frame column): only what holds for any
    labels is said -- a categorical loss normalises over the output's last axis, so on one output unit every
    prediction is 1.0 and the loss is 0 whatever the labels are."""
    given = e.call.get(1, "y", None)
    if compile_call is None or output_runs(model) or isinstance(given, (list, tuple, dict)):
        return
    if given is None and not _yields_labels(e.call.get(0, "x", None)):
        return  # no labels at all
    loss_value = compile_call.get(1, "loss", None)
    name, _ = keras_loss.loss_spec(loss_value)
    if not name or keras_loss.KIND.get(name) != "cce":
        return
    run, out = model_output(model, x)
    if not isinstance(out, Tensor) or out.shape is None or len(out.shape) < 2 or out.shape[-1] != 1:
        return
    p = tuple(out.shape)
    loss_node = compile_call.node_of(1, "loss")
    unseen = TensorVal(UNKNOWN, lib="numpy", origin=None)
    typed = LabelFacts(model, run, unseen, p, name, loss_node, e.call, None)
    _report_single_unit(ev, model, run, p, name, loss_node, Span.of(loss_node) or Span.of(e.call.node),
                        [(_output_span(run), f"model output {shape_text(p)}")], typed)


def _check_labels(ev, model, compile_call, x, y: TensorVal, batch_size, e: Event, train_labels=None,
                  loss_value=None, output=None) -> None:
    """``loss_value`` and ``output`` (run, Tensor) give one output of a multi-output model and its loss."""
    if compile_call is None:
        return
    if output is None:
        _guarded(ev, "metrics", _check_metrics, ev, model, compile_call, x, y, batch_size)
        loss_value = compile_call.get(1, "loss", None)
    name, from_logits = keras_loss.loss_spec(loss_value)
    kind = keras_loss.KIND.get(name) if name else None
    if kind is None:
        return
    run, out = output[:2] if output is not None else model_output(model, x)
    if from_logits and run is not None and run.program.ops:
        _from_logits_after_activation(ev, model, run.program.ops[-1], compile_call, name)
    if not isinstance(out, Tensor) or out.shape is None or len(out.shape) < 1:
        return
    p = tuple(out.shape)
    yv = tuple(y.shape)
    b = batch_size if is_known(batch_size) else None
    n = yv[0] if yv else None
    if is_known(b) and is_known(n):
        b = min(b, n)
    pb, yb = (b,) + p[1:], (b,) + yv[1:]
    # labels equal to the loss's ignore_class are skipped (void pixels marked 255): which ids remain is not known
    int_range = None if _ignores_a_class(loss_value) else y.meta.get("int_range")
    found = keras_loss.check(kind, yb, pb, int_range)
    if not found:
        return
    whole = keras_loss.check(kind, yv, (n,) + p[1:], int_range) if is_known(n) and b != n else None
    if whole and "needs" in whole and "needs" in found:  # the headline: the whole labels vs as many outputs
        found = {**found, "needs": whole["needs"]}
    loss_node = compile_call.node_of(1, "loss")
    if output is not None:  # the loss of this output inside loss=[...] / loss={...}; no edit of a shared loss
        loss_node = _loss_item_node(loss_node, output[2], output[3])
    loss_span = Span.of(loss_node)
    code = found["code"]
    labels_txt = describe_labels(y)
    secondary = [(y.origin, f"labels {shape_text(yv)} made here"),
                 (Span.of(e.call.node), f"fit with labels {shape_text(yv)}"),
                 (_output_span(run), f"model output {shape_text(p)}")]
    is_str = isinstance(loss_value, str) and loss_span is not None
    fix = None
    typed = LabelFacts(model, run, y, p, name, loss_node, e.call, train_labels, out)
    if train_labels is not None:  # validation_data: the training labels decide the format
        secondary[1] = (Span.of(e.call.node), f"validation labels {shape_text(yv)}")
    if code == "labels-loss-mismatch":
        remedy, fix = _label_remedy(kind, y, p, loss_span if is_str else None, name, loss_node)
        head_site = None
        if kind == "bce" and len(yv) == 1 and len(p) == 2 and is_known(p[-1]) and p[-1] > 1:
            remedy, fix, head_site = _sigmoid_head_for_class_ids(run, p[-1], y, remedy, fix)
        seq = _sequence_output(run) if len(p) >= 3 and _per_sample(name, yv, p) else None
        headline = None
        if seq is not None:  # a time axis left in the output by return_sequences=True
            remedy = (f"the last `{seq.layer.kind}` returns one output per time step: set "
                      f"`return_sequences=False` on it so the model gives one output per sample")
            fix = _return_sequences_off(seq, ev.lines, run)
            if seq.layer.origin.span is not None:  # the mistake is the flag, not the loss: point there
                secondary.insert(0, (loss_span, f"`{name}`"))
                loss_span = seq.layer.origin.span
                headline = (f"the last `{seq.layer.kind}` keeps `return_sequences=True`, so the model outputs "
                            f"{shape_text(p)}, one value per time step, but the labels {shape_text(yv)} have one "
                            "value per sample")
        label = f"needs {found['needs'].split(' of shape')[0]}" if seq is None else "return_sequences=True"
        emb = _token_axis_source(run, len(p)) if seq is None and len(p) >= 3 and len(yv) < len(p) else None
        # the targets are the inputs (an autoencoder) or images of their shape (a denoiser's clean images)
        reconstructs = y is x or (x is not None and x.shape is not None and tuple(x.shape[1:]) == yv[1:])
        shrink = _uneven_shrink(run) if reconstructs and len(yv) == len(p) >= 4 else None
        head = _unpooled_head(run, p, yv, lines=ev.lines) if seq is None and emb is None else None
        if head is not None and head[0].layer.origin.span is not None:  # a conv map / Conv1D steps reach the head
            op, inserted = head
            head_label, seen = op.layer.label, shape_text(op.inputs[0].shape)
            if inserted != "GlobalAveragePooling1D()":  # a feature map: Flatten(), or the pooling the file uses
                op.layer.extra["unflattened_reported"] = True  # this error stands for the silent-bug warning too
                remedy = (f"`{head_label}` is applied to the feature map {seen} position by position, so the model "
                          f"outputs {shape_text(p)}: insert `{inserted}` before it")
                label = f"applied to {seen} without `{inserted}`"
                headline = (f"`{head_label}` is applied to the feature map {seen} without `{inserted}`, so the model "
                            f"outputs {shape_text(p)} instead of one vector per sample like the labels "
                            f"{shape_text(yv)}")
            else:
                remedy = (f"`{head_label}` is applied to the sequence {seen} step by step, so the model outputs "
                          f"{shape_text(p)}: pool the steps before it with `GlobalAveragePooling1D()` (or `Flatten()`)")
                label = f"applied to {seen}, one output per step"
                headline = (f"`{head_label}` is applied to the sequence {seen} without pooling its steps, so the model "
                            f"outputs {shape_text(p)} instead of one vector per sample like the labels {shape_text(yv)}")
            site = _pool_site(run, op) if inserted.startswith("GlobalAveragePooling") else op
            fix = resolve(InsertBefore(inserted), site.layer, None, ev.lines)
            applied_at = op.layer.extra.get("call_span")  # a subclassed model's call(): the edit goes there
            if (fix is None or not fix.edits) and applied_at is not None:
                fix = resolve(WrapInput(0, _unused_layer_or_new(model, run, inserted) + "({x})",
                                        title=f"apply `{inserted}` before `{head_label}`"), op.layer, None, ev.lines)
            secondary.insert(0, (loss_span, f"`{name}`"))
            loss_span = applied_at or op.layer.origin.span
        elif emb is not None and emb.layer.origin.span is not None:  # the token axis reaches the output
            # the pooling goes before the head: after a Transformer block that mixes the tokens, not straight after
            # the Embedding (pooled there, the block would get one vector per sample)
            head = silent.first_unflattened_dense(run.program.ops, len(p), min_rank=3)
            where = "before the head" if head is not None else "after it"
            remedy = (f"the `{emb.layer.kind}` output keeps one vector per token all the way to the output "
                      f"{shape_text(p)}: add `GlobalAveragePooling1D()` (or `Flatten()`) {where} so the model "
                      "gives one output per sample")
            fix = resolve(InsertBefore("GlobalAveragePooling1D()"), head.layer, None, ev.lines) if head is not None \
                else resolve(InsertAfter("GlobalAveragePooling1D()"), emb.layer, None, ev.lines)
            secondary.insert(0, (loss_span, f"`{name}`"))
            ops = run.program.ops
            i = next((k for k, o in enumerate(ops) if o is head), 0) if head is not None else 0
            last = ops[i - 1] if i > 0 else None  # the last layer that keeps the tokens: the pooling belongs after it
            loss_span = last.layer.origin.span if last is not None and last.layer.origin.span is not None \
                else emb.layer.origin.span
            label = f"one vector per token: {shape_text(last.output.shape if last is not None else emb.output.shape)}"
            if head is not None and head.layer.origin.span is not None:  # the edit goes before the head: point there
                secondary.insert(0, (loss_span, label))
                loss_span = head.layer.origin.span
                label = f"applied to each token's vector {shape_text(head.inputs[0].shape)}: no pooling before it"
            headline = (f"the model keeps one vector per token up to its output {shape_text(p)}, but the labels "
                        f"{shape_text(yv)} have one value per sample: the tokens are never pooled")
        elif shrink is not None and shrink[0].layer.origin.span is not None:  # an autoencoder that cannot invert
            op, a, b = shrink
            crop = {3: "Cropping1D", 4: "Cropping2D", 5: "Cropping3D"}.get(len(p), "Cropping2D")
            remedy, fix = (f"the model reconstructs {shape_text(p)} but its targets are its inputs "
                           f"{shape_text((None,) + yv[1:])}: make every downsampling divide the size evenly (pad "
                           f"or resize the inputs), or crop the decoder output back to "
                           f"{'x'.join(map(str, yv[1:-1]))} with `{crop}`"), None
            fix = _crop_output_fix(run, p, yv, crop, ev.lines) or _same_pooling_then_crop(run, op, yv, crop, ev.lines)
            secondary.insert(0, (loss_span, f"`{name}`"))
            loss_span = op.layer.origin.span
            label = f"shrinks {a} to {b}: scaling {b} back up cannot give {a}"
        if head_site is not None and seq is None and head is None and emb is None:  # the head is what is wrong
            secondary.insert(0, (loss_span, f"`{name}`"))
            loss_span, label = head_site, remedies.sigmoid_units_label(p[-1])
        if train_labels is not None and keras_loss.check(
                kind, (b,) + tuple(train_labels.shape[1:]), pb, train_labels.meta.get("int_range")) is None:
            remedy, fix = (f"give the validation labels the training labels' format "
                           f"({describe_labels(train_labels)})"), None
            loss_span, secondary = Span.of(e.call.node), secondary[:1] + [(loss_span, f"`{name}`")] + secondary[2:]
        d = emit(ev, code, loss_span or Span.of(e.call.node), label,
                 secondary=secondary, fix=fix, loss=name, needs=found["needs"], labels=labels_txt, remedy=remedy,
                 model=model.display_name, notes=[f"labels {shape_text(yb)} vs output {shape_text(pb)} in each batch"],
                 typed=typed)
        if headline:  # the model is what is wrong, not the labels: say so first
            d.message = headline
    elif code == "label-out-of-range":
        lo, hi = y.meta.get("int_range")
        classes = found["classes"]
        fix = None
        if found.get("binary"):
            remedy = ("use `sparse_categorical_crossentropy` with one output unit per class, or make the labels 0/1")
            fix = _multiclass_head_fix(run, _sparse_loss_edit(loss_node, is_str), hi)
        else:
            remedy = f"give the last layer {hi} units (one per class), or renumber the labels from 0 to {classes - 1}"
            fix = _head_units(run, hi, ev.lines)
        unit_label = "one output for 2 classes" if found.get("binary") else \
            f"{classes} output unit{'s' if classes != 1 else ''}"
        emit(ev, code, _output_span(run) or loss_span, unit_label,
             secondary=[(loss_span, f"`{name}`")] + secondary[:2], low=lo, high_incl=hi - 1, classes=classes,
             plural="s" if classes != 1 else "", pred_shape=shape_text(p), loss=name, remedy=remedy,
             model=model.display_name, fix=fix, variant="binary" if found.get("binary") else None, typed=typed)
    elif code == "single-unit-categorical-loss":
        _report_single_unit(ev, model, run, p, name, loss_node, loss_span or Span.of(e.call.node), secondary[2:],
                            typed)
    elif code == "loss-broadcast":
        seq = _sequence_output(run)
        pooled = _unpooled_head(run, p, yv, broadcast=True, lines=ev.lines) if seq is None else None
        if pooled is not None and pooled[0].layer.origin.span is not None:
            # a Conv1D stack's steps (or a conv map) reached the regression head: pool them before it
            head, inserted = pooled
            head.layer.extra["unflattened_reported"] = True
            x = head.inputs[0]
            emit(ev, "dense-on-unflattened-input", head.layer.origin.span, f"applied to {shape_text(x.shape)}",
                 secondary=[(loss_span, f"`{name}`")] + secondary[:2], kind=head.layer.label, rank=len(x.shape),
                 received_shape=shape_text(x.shape), output_shape=shape_text(p), flatten=f"layers.{inserted}",
                 model=model.display_name, fix=resolve(InsertBefore(inserted), head.layer, None, ev.lines),
                 notes=[f"`{name}` broadcasts the targets {shape_text(yv)} over the output {shape_text(p)}: it trains "
                        "without an error, on one prediction per position"], typed=typed)
        elif seq is not None and _per_step_targets(p, yv):
            # the targets have the output's steps: one value per step, and the head gives each step another width
            head = _head_layer(run)
            emit(ev, code, head.origin.span if head is not None else loss_span or Span.of(e.call.node),
                 remedies.values_per_step_label(p[-1]), secondary=secondary, loss=name,
                 pred_shape=shape_text(pb), target_shape=shape_text(yb), result_shape=shape_text(found["result"]),
                 model=model.display_name,
                 remedy=remedies.units_per_step(yv[-1]),
                 fix=_replacing_name(_head_units(run, yv[-1], ev.lines)), typed=typed)
        elif seq is not None:
            shared = _read_by_another_output(model, seq)
            emit(ev, "sequence-output-for-sample-targets", seq.layer.origin.span, "return_sequences=True",
                 secondary=[(loss_span, f"`{name}`")] + secondary[:2], kind=seq.layer.kind,
                 pred_shape=shape_text(p), target_shape=shape_text(yv), model=model.display_name,
                 remedy=remedies.pool_before_sample_head() if shared else
                 f"set `return_sequences=False` on the last `{seq.layer.kind}` (or reduce the time axis) "
                 "so there is one output per sample",
                 fix=None if shared else _return_sequences_off(seq, ev.lines, run), typed=typed)
        else:
            emit(ev, code, loss_span or Span.of(e.call.node), "", secondary=secondary, loss=name,
                 pred_shape=shape_text(pb), target_shape=shape_text(yb), result_shape=shape_text(found["result"]),
                 model=model.display_name,
                 remedy=f"make the model give one output per sample like the labels {shape_text(yv)} (reduce or "
                        f"flatten the axes it keeps before the last layer); only if each target really has "
                        f"{shape_text(p[1:])} values, give the labels the output's shape", typed=typed)


def _replace_fix(edit, title: str):
    return Fix("unsafe", title, [edit]) if edit is not None else None


def _return_sequences_off(seq, lines: list, run=None):
    """``return_sequences=False`` on the recurrent layer that leaves a time axis in the output (a Bidirectional
    wrapper's inner layer holds the argument) -- and a ``TimeDistributed(Dense(...))`` after it unwrapped to the
    ``Dense``: applied to one vector per sample, the wrapper would refuse its rank."""
    layer = seq.layer
    inner = layer.args.get("layer")
    if layer.kind == "Bidirectional" and getattr(inner, "args", None) is not None:
        fix = resolve(SetArg("return_sequences", "False", "unsafe", target="producer.layer"), layer, layer, lines)
    else:
        fix = resolve(SetArg("return_sequences", "False", "unsafe"), layer, None, lines)
    ops = run.program.ops if fix is not None and run is not None else []
    after = ops[next((i for i, op in enumerate(ops) if op is seq), len(ops)) + 1:]
    unwrapped_edits = [e for op in after if op.layer.kind == "TimeDistributed" for e in [_unwrap_call(op, lines)]]
    if None in unwrapped_edits:
        return None  # a wrapper that cannot be unwrapped here: the edit alone would not run
    return dataclasses.replace(fix, edits=list(fix.edits) + unwrapped_edits) if unwrapped_edits else fix


def _read_by_another_output(model, seq) -> bool:
    """Whether the sequence ``seq`` gives is read by more than one layer of ``model`` (a per-token tags head beside a
    per-sentence head on one encoder): the encoder must keep returning every step for the other, so the per-sample
    head pools instead."""
    return any(len([o for o in r.program.ops if any(i is seq.output for i in o.inputs)]) > 1
               for r in getattr(model, "runs", []))


def _unwrap_call(op, lines: list) -> Optional[Edit]:
    """``layers.TimeDistributed(layers.Dense(1))`` -> ``layers.Dense(1)``, where the wrapper is written."""
    span = op.layer.origin.span
    call = node_at(span, lines, ast.Call) if span is not None else None
    if call is None or len(call.args) != 1 or call.keywords or call.args[0].lineno != call.args[0].end_lineno:
        return None
    arg = call.args[0]
    text = lines[arg.lineno - 1][arg.col_offset:arg.end_col_offset]
    return Edit(Span.of(call), text)


def _replacing_name(fix):
    """The head's width written as a name that counts something else (``Dense(OUT_STEPS)`` where each step has one
    value): replacing that name there is the fix, and leaves the name's other readers as they are."""
    return dataclasses.replace(fix, replaces_name=True) if fix is not None else None


def _per_step_targets(p: tuple, yv: tuple) -> bool:
    """Targets with the output's time axis (N, T, k) for a sequence output (N, T, m): one value per step, not one
    per sample -- what differs is the width of each step."""
    return len(p) == 3 and len(yv) == 3 and is_known(p[1]) and p[1] == yv[1] and is_known(yv[2]) and \
        is_known(p[2]) and p[2] != yv[2]


def _head_layer(run):
    """The model's last layer, or the layer a ``TimeDistributed`` last layer wraps."""
    head = run.program.ops[-1].layer if run is not None and run.program.ops else None
    return unwrapped(head, ("TimeDistributed",)) if head is not None else None


def _head_units(run, units: int, lines: list):
    """The last Dense of the model (or the one a last ``TimeDistributed`` wraps) given ``units`` outputs (one per
    class the labels use)."""
    head = _head_layer(run)
    if head is None or head.kind != "Dense" or "units" not in head.arg_spans:
        return None
    return resolve(SetArg("units", str(units), "unsafe", title=f"give the last layer {units} units"), head, None,
                   lines)


def _crop_output_fix(run, out: tuple, target: tuple, crop: str, lines: list):
    """An autoencoder whose output is a few pixels larger than its targets (28 -> 14 -> 7 -> 4 -> ... -> 32): crop
    the output back, centred, with a Cropping layer after the last layer (channels last)."""
    last = run.program.ops[-1].layer if run is not None and run.program.ops else None
    spatial = list(zip(out[1:-1], target[1:-1]))
    if last is None or len(out) != len(target) or not spatial or \
            not all(is_known(a) and is_known(b) and a >= b for a, b in spatial):
        return None
    pads = [((a - b) // 2, (a - b) - (a - b) // 2) for a, b in spatial]
    arg = str(pads[0]) if len(pads) == 1 else "(" + ", ".join(str(p) for p in pads) + ")"
    fix = resolve(InsertAfter(f"{crop}({arg})", title=f"crop the output back to the targets' size with `{crop}`",
                              per_shape=True), last, None, lines)
    return fix if fix is not None and fix.edits else None


def _pools() -> tuple:
    """The Keras pooling layer kinds, as registered."""
    # deferred: loading the module loads every Keras rule, which a PyTorch-only file never needs (20 ms of its run)
    from ..rules.keras.pooling import AVG_KINDS, MAX_KINDS
    return tuple(kind for kinds in (*MAX_KINDS.values(), *AVG_KINDS.values()) for kind in kinds)


def _pooled(layer, size: int):
    """The size a Keras pooling layer gives ``size`` (pool and stride of one int), or None."""
    pool = layer.args.get("pool_size", 2)
    stride = layer.args.get("strides") or pool
    if not isinstance(pool, int) or not isinstance(stride, int) or stride < 1:
        return None
    if layer.args.get("padding", "valid") == "same":
        return math.ceil(size / stride)
    return (size - pool) // stride + 1 if size >= pool else None


def _same_pooling_then_crop(run, shrink, target: tuple, crop: str, lines: list):
    """An autoencoder whose output comes back smaller than its targets (28 -> 14 -> 7 -> 3 -> ... -> 24) because a
    'valid' pooling dropped the odd row: pool with ``padding="same"`` (7 -> 4, so ... -> 32) and crop the output back
    to the targets. The sizes are replayed through the run with that pooling rounding up; any other size change that
    is not an exact multiple leaves the fix out (re-inference checks the result)."""
    layer = shrink.layer
    pool = layer.args.get("pool_size", 2)
    stride = layer.args.get("strides") or pool
    if layer.kind not in _pools() or layer.args.get("padding", "valid") != "valid" or pool != stride or \
            not isinstance(stride, int) or not run.program.inputs or \
            getattr(run.program.inputs[0], "shape", None) is None:
        return None
    sizes = list(run.program.inputs[0].shape[1:-1])
    for op in run.program.ops:
        a = getattr(op.inputs[0], "shape", None) if op.inputs else None
        b = getattr(op.output, "shape", None)
        if not a or not b or len(a) != len(b) or len(a) != len(target):
            return None
        for i, (da, db) in enumerate(zip(a[1:-1], b[1:-1])):
            if not (is_known(da) and is_known(db) and is_known(sizes[i])):
                return None
            if op.layer.origin.span == layer.origin.span:
                sizes[i] = math.ceil(sizes[i] / stride)
            elif db > da and db % da == 0:
                sizes[i] *= db // da
            elif op.layer.kind in _pools() and db < da:  # another pool: its own rounding, at the replayed size
                sizes[i] = _pooled(op.layer, sizes[i])
                if sizes[i] is None:
                    return None
            elif db != da:
                return None
    out = (None,) + tuple(sizes) + (target[-1],)
    cropped = _crop_output_fix(run, out, target, crop, lines)
    padded = resolve(SetArg("padding", '"same"', "unsafe", title='pool with `padding="same"`'), layer, None, lines)
    if cropped is None or padded is None or not padded.edits:
        return None
    return Fix("unsafe", f'pool with `padding="same"` and crop the output back with `{crop}`',
               list(padded.edits) + list(cropped.edits))


def _sparse_loss_edit(loss_node, is_str: bool):
    """The edit that makes the compiled loss sparse categorical cross-entropy: the string, or the class of a loss
    object (``keras.losses.BinaryCrossentropy()`` -> ``...SparseCategoricalCrossentropy()``)."""
    if is_str:
        return Edit(Span.of(loss_node), '"sparse_categorical_crossentropy"')
    func = loss_node.func if isinstance(loss_node, ast.Call) else None
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if name != "BinaryCrossentropy" or loss_node.args or loss_node.keywords:
        return None
    end = Span.of(func)
    return Edit(Span(end.end_line, end.end_column - len(name), end.end_line, end.end_column),
                "SparseCategoricalCrossentropy")


def _multiclass_head_fix(run, loss_edit, classes: int):
    """Class ids 0..n-1 with a single sigmoid unit and binary_crossentropy: make it an n-class softmax head with
    sparse_categorical_crossentropy (three edits: the loss, the units, the activation)."""
    head = run.program.ops[-1].layer if run is not None and run.program.ops else None
    if loss_edit is None or head is None or head.kind != "Dense" or head.args.get("units") != 1 or \
            "units" not in head.arg_spans:
        return None
    edits = [loss_edit, Edit(head.arg_spans["units"], str(classes))]
    if head.args.get("activation") == "sigmoid" and "activation" in head.arg_spans:
        edits.append(Edit(head.arg_spans["activation"], '"softmax"'))
    return Fix("unsafe", f"make the head {classes} softmax units with `sparse_categorical_crossentropy`", edits)


def _output_span(run):
    if run is None or not run.program.ops:
        return None
    return run.program.ops[-1].layer.origin.span


def _per_sample(loss: str, yv: tuple, p: tuple) -> bool:
    """Labels with one value (or vector) per sample, not one per step: sparse labels are a rank below the output
    either way, so they are per sample only as (N,) or (N, 1)."""
    if "sparse" in loss.lower():
        return len(yv) == 1 or (len(yv) == 2 and yv[1] == 1)
    return len(yv) < len(p)


def _sequence_output(run):
    """The recurrent op whose return_sequences=True leaves a time axis in the output, if any."""
    if run is None:
        return None
    for op in reversed(run.program.ops):
        if has(op.layer, "recurrent"):
            rs = op.layer.args.get("return_sequences")
            inner = op.layer.args.get("layer")
            if rs is True or (inner is not None and getattr(inner, "args", {}).get("return_sequences") is True):
                return op
            return None
    return None


def _pool_site(run, op):
    """Where the pooling goes: before the Dense, or before the shape-keeping layers between it and the feature map
    (base -> GlobalAveragePooling2D -> Dropout -> Dense, the usual head: dropout then acts on the pooled vector)."""
    inference = getattr(run, "inference", None)
    if inference is None or not op.inputs:
        return op
    site = op
    for _, before in inference.walk_back(op.inputs[0], depth=8):
        if before is None or before.layer.kind not in PASS_THROUGH or len(before.inputs) != 1 or \
                getattr(before.inputs[0], "shape", None) != getattr(before.output, "shape", None) or \
                before.layer.origin.span is None:
            return site
        site = before
    return site


def _from_pretrained_base(run, op) -> bool:
    """The feature map comes from a ``keras.applications`` base built without its top (``include_top=False``): its
    head is pooled (``GlobalAveragePooling2D``, as ``pooling="avg"`` would), not flattened -- flattening ties the
    head to one input size and multiplies its weights."""
    inference = getattr(run, "inference", None)
    source = inference.source_of(op.inputs[0]) if inference is not None and op is not None and op.inputs else None
    return source is not None and source.layer.args.get("include_top") is False


def _unpooled_head(run, p: tuple, yv: tuple, broadcast: bool = False, lines: tuple = ()):
    """(head Dense, the layer that belongs before it) when the model keeps spatial positions up to its output and
    the labels have one value per sample: a conv feature map (rank >= 4: ``Flatten()``) or a Conv1D stack's steps
    (``GlobalAveragePooling1D()``). ``broadcast``: (N, 1) regression targets a loss spreads over a map count too."""
    if run is None:
        return None
    fewer = len(yv) < len(p)
    if len(p) >= 4 and (fewer or broadcast and len(yv) == len(p) and yv[-1] == 1):
        op = silent.first_unflattened_dense(run.program.ops, len(p))
        # a file that already pools its maps this way (a builder's `pooling="avg"` branch) means it there too --
        # not for the input images themselves (an MLP's first Dense): averaging their pixels is no feature map
        pool = f"GlobalAveragePooling{len(p) - 2}D"
        raw = op is not None and op.inputs and any(op.inputs[0] is x for x in run.program.inputs)
        pooled = (any(pool in line for line in lines) or _from_pretrained_base(run, op)) and not raw
        return (op, f"{pool}()" if pooled else "Flatten()") if op is not None else None
    op = _dense_on_steps(run, p, yv)
    if op is not None:
        return op, "GlobalAveragePooling1D()"
    if len(p) == 3 and fewer:  # an MLP on raw windows (N, steps, 1): each step alone, the window never combined
        op = silent.first_unflattened_dense(run.program.ops, 3, min_rank=3)
        raw = op is not None and op.inputs and any(op.inputs[0] is x for x in run.program.inputs)
        return (op, "Flatten()") if raw else None
    return None


def _dense_on_steps(run, p: tuple, yv: tuple):
    """The head Dense that receives (N, steps, channels) from a Conv1D / pooling stack (the roles say axis 1 is
    spatial) while the labels have one value per sample: the steps were never pooled."""
    if len(p) != 3 or len(yv) >= len(p):
        return None
    op = silent.first_unflattened_dense(run.program.ops, 3, min_rank=3)
    x = op.inputs[0] if op is not None and op.inputs else None
    r = roles.roles_of(run.inference, x) if x is not None and hasattr(run, "inference") else None
    return op if r is not None and r[1] == roles.S else None


def _token_axis_source(run, rank: int):
    """The ``Embedding`` whose token axis every later op keeps, up to an output of ``rank`` dims, if any."""
    if run is None:
        return None
    for op in reversed(run.program.ops):
        shape = getattr(op.output, "shape", None)
        if shape is None or len(shape) != rank:
            return None
        if op.layer.kind == "Embedding":
            return op
    return None


def _uneven_shrink(run):
    """(op, size before, size after) for the first op of ``run`` that shrinks a spatial axis (channels last) to a
    size that does not divide it (7 -> 4, 28 -> 26): no integer upsampling can restore the size after it."""
    if run is None:
        return None
    for op in run.program.ops:
        a = getattr(op.inputs[0], "shape", None) if op.inputs else None
        b = getattr(op.output, "shape", None)
        if not a or not b or len(a) != len(b) or len(a) < 3:
            continue
        for da, db in zip(a[1:-1], b[1:-1]):
            if is_known(da) and is_known(db) and 0 < db < da and da % db:
                return op, da, db
    return None


_LOSS_CLASS = {"sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
               "categorical_crossentropy": "CategoricalCrossentropy"}


def _sigmoid_head_for_class_ids(run, classes, y, remedy, fix):
    """0/1 labels (N,) against ``Dense(2) + sigmoid`` with ``binary_crossentropy``: the head was written one unit per
    class, but sigmoids are independent probabilities. Switching the loss to sparse categorical cross-entropy would
    run on the two sigmoids (renormalised, not a softmax) and predict two numbers per image; for two classes the
    expert head is one sigmoid unit (``Dense(1)``). Only for labels known to be 0/1; more classes with a sigmoid get
    the remedy alone (softmax with the sparse loss is a change of model the user decides)."""
    ops = run.program.ops if run is not None else []
    last = ops[-1] if ops else None
    if last is None or last.layer.args.get("activation") != "sigmoid":
        return remedy, fix, None
    dense = last if last.layer.kind == "Dense" else run.inference.producer_of(last.inputs[0]) \
        if last.layer.kind == "Activation" and last.inputs else None
    if dense is None or dense.layer.kind != "Dense" or dense.layer.args.get("units") != classes:
        return remedy, fix, None
    binary = y.value.dtype == "bool" or tuple(y.meta.get("int_range") or ()) == (0, 2)
    if classes != 2 or not binary:
        return remedies.softmax_for_class_ids(), None, None
    span = dense.layer.arg_spans.get("units")
    return remedies.one_sigmoid_unit(), (Fix("unsafe", remedies.one_sigmoid_unit_title(), [Edit(span, "1")])
                                         if span is not None else None), span or dense.layer.origin.span


def _label_remedy(kind, y: TensorVal, p: tuple, loss_span, name, loss_node=None):
    """(remedy, fix) for labels the loss cannot take: the loss that fits them, as a string or a loss object."""
    remedy, switch = _label_remedy_text(kind, y, p, name)
    if switch is None:
        return remedy, None
    if loss_span is not None:
        return remedy, replace_fix(loss_span, f'"{switch}"', f"use `{switch}`")
    old = {"sparse_categorical_crossentropy": "CategoricalCrossentropy",
           "categorical_crossentropy": "SparseCategoricalCrossentropy"}[switch]
    return remedy, _replace_fix(rename_call(loss_node, {old: _LOSS_CLASS[switch]}) if loss_node is not None else None,
                                f"use `{_LOSS_CLASS[switch]}`")


def _label_remedy_text(kind, y: TensorVal, p: tuple, name):
    """(remedy, the loss the labels fit or None)."""
    classes = p[-1] if p else None
    if kind == "cce":
        yv = tuple(y.shape)
        int_like = (y.value.dtype or "").startswith(("int", "uint")) or y.meta.get("int_range") \
            or y.meta.get("num_classes")
        if len(yv) == 1 or (len(yv) == 2 and yv[-1] == 1) and int_like:
            c = classes if is_known(classes) else "num_classes"
            return (f"use loss='sparse_categorical_crossentropy', or one-hot encode the labels with "
                    f"`keras.utils.to_categorical(y, {c})`"), "sparse_categorical_crossentropy"
        low, width = y.meta.get("onehot_unused_below"), yv[-1] if yv else None
        if low and is_known(width) and is_known(classes) and width == classes + low:
            return (f"the class ids start at {low}, so `to_categorical` made {width} columns, the first {low} never used: "
                    f"shift them to start at 0 (`to_categorical(y - {low})`), or give the last layer {width} "
                    "units"), None
        return f"give the labels the output's shape {shape_text(p)}", None
    if kind == "scce":
        if y.meta.get("onehot") or (len(y.shape) == len(p) and y.shape[-1] == p[-1]):
            return ("use loss='categorical_crossentropy' for one-hot labels, or pass class ids "
                    "(`y.argmax(axis=-1)`)"), "categorical_crossentropy"
        return f"pass one integer class id per sample, shape {shape_text(p[:-1])}", None
    if kind == "bce":
        if is_known(classes) and classes > 1 and len(y.shape) == 1:
            return ("use `sparse_categorical_crossentropy` for class ids with one output unit per class, or a "
                    "single sigmoid unit for two classes"), "sparse_categorical_crossentropy"
        return f"give the targets the output's shape {shape_text(p)}", None
    return f"give the targets the output's shape {shape_text(p)}, or change the last layer to match them", None


_SPARSE_METRICS = {"sparse_categorical_accuracy", "SparseCategoricalAccuracy", "sparse_top_k_categorical_accuracy",
                   "SparseTopKCategoricalAccuracy"}
_ONEHOT_METRICS = {"categorical_accuracy", "CategoricalAccuracy", "top_k_categorical_accuracy",
                   "TopKCategoricalAccuracy"}


def _metric_name(value):
    if isinstance(value, str):
        return value
    if isinstance(value, Opaque) and value.kind.startswith("keras.metrics."):
        return value.kind.rsplit(".", 1)[-1]
    if isinstance(value, QualName) and value.name.startswith("keras.metrics."):
        return value.name.rsplit(".", 1)[-1]
    return None


def _check_metrics(ev, model, compile_call, x, y: TensorVal, batch_size) -> None:
    """Keras 3: sparse_categorical_accuracy on one-hot labels fails (broadcasting (B, C) against (B,)) unless C is
    the batch size; categorical_accuracy on class ids runs and reports nonsense."""
    metrics = compile_call.kwargs.get("metrics")
    if not isinstance(metrics, (list, tuple)):
        return
    run, out = model_output(model, x)
    if not isinstance(out, Tensor) or out.shape is None or len(out.shape) != 2:
        return
    classes = out.shape[-1]
    yv = tuple(y.shape)
    b = batch_size if is_known(batch_size) else None
    if is_known(b) and yv and is_known(yv[0]):
        b = min(b, yv[0])
    nodes = compile_call.kw_nodes.get("metrics")
    elts = getattr(nodes, "elts", None) or []
    for i, m in enumerate(metrics):
        name = _metric_name(m)
        span = Span.of(elts[i]) if i < len(elts) else Span.of(nodes)
        swap = _metric_swap(elts[i]) if i < len(elts) else None
        if name in _SPARSE_METRICS and len(yv) == 2 and is_known(classes) and classes > 1 and yv[-1] == classes \
                and is_known(b) and b != classes and b != 1:
            emit(ev, "metric-labels-mismatch", span, "needs class ids", metric=name,
                 needs=f"integer class ids of shape {shape_text(yv[:1])}", labels=describe_labels(y),
                 secondary=[(y.origin, f"labels {shape_text(yv)} made here")], model=model.display_name,
                 remedy="use `categorical_accuracy` (or 'accuracy') with one-hot labels", fix=swap)
        elif name in _ONEHOT_METRICS and is_known(classes) and classes > 1 and \
                (len(yv) == 1 or (len(yv) == 2 and yv[-1] == 1)) and \
                ((y.value.dtype or "").startswith(("int", "uint")) or y.meta.get("int_range")):
            emit(ev, "metric-label-format", span, "needs one-hot labels", metric=name,
                 needs=f"one-hot labels of shape {shape_text((yv[0], classes))}", labels=describe_labels(y),
                 secondary=[(y.origin, f"labels {shape_text(yv)} made here")], model=model.display_name,
                 remedy="use `sparse_categorical_accuracy` (or 'accuracy') with class ids", fix=swap)


_SPARSE_SWAP = {"CategoricalAccuracy": "SparseCategoricalAccuracy", "SparseCategoricalAccuracy": "CategoricalAccuracy",
                "sparse_categorical_accuracy": "categorical_accuracy",
                "categorical_accuracy": "sparse_categorical_accuracy"}


def _metric_swap(node):
    """The metric of the other label format, in the spelling the file used (a string or a metric object)."""
    if isinstance(node, ast.Constant) and node.value in _SPARSE_SWAP:
        return _replace_fix(string_edit(node, _SPARSE_SWAP[node.value]), f"use `{_SPARSE_SWAP[node.value]}`")
    edit = rename_call(node, _SPARSE_SWAP)
    return _replace_fix(edit, f"use `{edit.text}`") if edit is not None else None


def _from_logits_after_activation(ev, model, op, compile_call, loss_name) -> None:
    act = op.layer.args.get("activation")
    if op.layer.kind in ("Softmax",) or (op.layer.kind == "Activation" and act == "softmax"):
        act = "softmax"
    if act not in ("softmax", "sigmoid"):
        return
    span = op.layer.arg_spans.get("activation") or op.layer.origin.span
    loss_node = compile_call.node_of(1, "loss")
    edit = keyword_edit(loss_node, "from_logits", "False") if isinstance(loss_node, ast.Call) else None
    emit(ev, "probabilities-into-logits-loss", span, f"`{act}` here",
         secondary=[(Span.of(loss_node), "`from_logits=True`")], loss=loss_name,
         inner=act, activation=act, model=model.display_name,
         remedy=f"drop `activation='{act}'` from the last layer, or set `from_logits=False`",
         fix=_replace_fix(edit, "set `from_logits=False`"))


_BATCH_AXIS_OPS = {"argmax", "softmax", "log_softmax", "argmin"}
_BATCH_AXIS_FUNCS = {"torch.argmax", "torch.argmin", "torch.softmax", "torch.log_softmax",
                     "torch.nn.functional.softmax", "torch.nn.functional.log_softmax"}


def _without_dim(ev, name, x: TensorVal, call) -> None:
    """``torch.argmax(logits)`` on a model's (N, C) output without ``dim``: one index into the flattened batch, not
    one class per sample; compared with the labels it broadcasts and the accuracy means nothing. One sample (N = 1)
    is the usual inference idiom and is left alone."""
    if x.shape is None or len(x.shape) != 2 or not isinstance(x.shape[0], int) or x.shape[0] < 2 or ev.uncertain or \
            torch_loss.producing_op(ev, x) is None:
        return
    done = ev.state.batch_axis_checked
    if id(call.node) in done:
        return
    done.add(id(call.node))
    node = call.node
    end = Span(node.end_lineno, node.end_col_offset, node.end_lineno, node.end_col_offset)  # the `)` (1-based cols)
    edit = Edit(end, ", dim=1" if (node.args or node.keywords) else "dim=1")
    emit(ev, "reduction-over-batch-axis", Span.of(node), "no `dim`: the whole batch", variant="no-dim", op=name,
         axis="none", received_shape=shape_text(x.shape),
         remedy="pass `dim=1` (the class axis) for one prediction per sample",
         fix=_replace_fix(edit, "reduce over the class axis"))


_PAIRWISE = {"matmul", "mm", "bmm", "einsum", "torch.matmul", "torch.mm", "torch.bmm", "torch.einsum", "cdist",
             "torch.cdist"}


def _over_batch_axis(ev, name, x: TensorVal, call, pos: int) -> None:
    """``out.argmax(0)`` / ``torch.softmax(out, dim=0)`` on a model's (N, C) output: the batch axis, not classes."""
    dim = call.get(pos, "dim", None)
    if dim is None and name in ("argmax", "argmin") and "dim" not in call.kwargs and len(call.args) <= pos:
        _without_dim(ev, name, x, call)
        return
    if dim is None or isinstance(dim, bool) or not isinstance(dim, int) or x.shape is None or len(x.shape) != 2:
        return
    if dim not in (0, -2) or ev.uncertain:
        return
    inference, made_by = torch_loss.producing_run(ev, x)
    if made_by is None:
        return  # only a model's output is known to have the batch on axis 0
    if made_by.layer.kind in _PAIRWISE:
        return  # samples against samples (a contrastive loss's similarities): both axes are the batch
    axis_roles = roles.roles_of(inference, x.value) if inference is not None else None
    if not axis_roles or axis_roles[0] != roles.N:
        return  # axis 0 is the batch only where the layers say so: (S, B) attention scores are time-major
    done = ev.state.batch_axis_checked
    if id(call.node) in done:
        return
    done.add(id(call.node))
    node = call.node_of(pos, "dim")
    edit = Edit(Span.of(node), "1") if isinstance(node, (ast.Constant, ast.UnaryOp)) else None
    emit(ev, "reduction-over-batch-axis", Span.of(call.node), "axis 0 is the batch", op=name, axis=0,
         received_shape=shape_text(x.shape), remedy="use `dim=1` (the class axis) for per-sample predictions",
         fix=_replace_fix(edit, "reduce over the class axis"))
