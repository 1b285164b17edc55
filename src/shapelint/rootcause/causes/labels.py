"""Causes where Keras labels meet the model's output: validation labels in another format than the training
labels, regression targets wider or narrower than the head, a decoder that misses the target size."""
from __future__ import annotations

import ast
from itertools import permutations

from ...checks.facts import LabelFacts
from ...checks.feed import output_runs
from ...core import provenance
from ...core.facts import RuleFacts
from ...core.program import Span, unwrapped
from ...core.dims import is_known
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import keyword_edit, wrap_in_call
from ...diagnostics.fixes.edits import set_arg_edit
from ...diagnostics.fixes.source import node_at, spell, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from .. import spelling
from ..spelling import spell_size
from ..sites import appended_item, assigned_value, edit_site, written_string
from .decoders import keras_decoder

_REGRESSION = ("mse", "mae", "mean_squared_error", "mean_absolute_error", "huber", "logcosh", "log_cosh",
               "MeanSquaredError", "MeanAbsoluteError", "Huber", "LogCosh", "mean_squared_logarithmic_error",
               "msle", "MeanSquaredLogarithmicError")


def validation_one_hot(ctx, d):
    f = d.facts
    if not isinstance(f, LabelFacts) or f.train_labels is None or d.name != "labels-loss-mismatch":
        return
    classes = f.train_labels.meta.get("onehot") or (f.train_labels.shape[-1] if f.train_labels.shape else None)
    node = f.call.node_of(1, "y")
    encode = spell("keras.utils.to_categorical", ctx.lines)
    if not f.train_labels.meta.get("onehot") or not is_known(classes) or node is None or encode is None:
        return
    edit = wrap_in_call(node, encode, f", {int(classes)}", ctx.lines)
    if edit is None:
        return
    yield Cause("validation-format", 70, d.primary, "", remedies.one_hot_validation(encode.rsplit(".", 1)[-1]),
                fix=Fix("unsafe", remedies.one_hot_validation(encode.rsplit(".", 1)[-1]), [edit]))


def regression_head(ctx, d):
    f = d.facts
    if not isinstance(f, LabelFacts) or f.loss not in _REGRESSION or f.y.shape is None or f.run is None:
        return
    p, t = tuple(f.pred), tuple(f.y.shape)
    if len(p) != 2:
        return
    width = int(t[1]) if len(t) == 2 and is_known(t[1]) and t[1] != p[1] else \
        (1 if len(t) == 1 and is_known(p[1]) and p[1] != 1 else None)
    head = f.run.program.ops[-1].layer if f.run.program.ops else None
    if width is None or head is None or head.kind != "Dense" or "units" not in head.arg_spans:
        return
    cut = _column_cuts(ctx, int(p[1])) if width == 1 else []
    texts = [_rows_only(ctx, sub) for sub in cut]
    if cut and None not in texts:  # `next_pos[:1000, 0]` for a head of 2: the column index dropped the others
        edits = [Edit(Span.of(sub), text) for sub, text in zip(cut, texts)]
        help_text = remedies.keep_every_target_column(int(p[1]))
        yield Cause("targets-cut", 64, Label(Span.of(cut[0]), remedies.target_column_cut_label(int(p[1])), d.file),
                    remedies.target_column_cut_note(head.label, int(p[1])), help_text,
                    fix=Fix("unsafe", help_text, edits), strong=True)
        return
    inputs = f.run.program.inputs
    features = getattr(inputs[0], "shape", None) if inputs else None
    if width == 1 and int(p[1]) > 1 and features and len(features) == 3 and features[-1] == p[1]:
        # a forecaster of a multivariate series whose head gives every feature, (N, F), trained on one column: the
        # targets may have been cut to one column, or the head meant one series -- the user's to say; shrinking the
        # head would silently drop a forecast the code (an inverse scaler of F columns) may still expect
        item = appended_item(ctx, getattr(f.y, "shaped_at", None) or getattr(f.y, "origin", None))
        label = Label(Span.of(item), remedies.one_target_column_label(), d.file) if item is not None else None
        yield Cause("targets-one-column", 62, label, remedies.targets_one_column_note(int(p[1]), head.label),
                    remedies.keep_every_feature_target(int(p[1])), strong=True)
        return
    if int(p[1]) == 1 and width > 1 and features and features[-1] == width:
        # the targets are whole rows of the data (every feature) for a head of one output: which column the model
        # forecasts is the user's to say -- widening the head would forecast every feature instead
        yield Cause("targets-all-columns", 62, None, remedies.targets_all_columns_note(width, head.label),
                    remedies.pick_target_column(width), strong=True)
        return
    edit = set_arg_edit(head, "units", _spelled(ctx, head, width, t[-1]), ctx.lines)
    # regression targets are data, the head's width is code: the number written there is the mistake
    yield Cause("head-width", 60, Label(head.arg_spans["units"], remedies.head_width_label(width), d.file),
                remedies.head_width_note(head.label, width), remedies.give_head(head.label, width),
                fix=Fix("unsafe", remedies.give_head(head.label, width), [edit]))


_SPARSE = ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")
_PER_STEP = ("Dense", "Dropout", "Activation", "BatchNormalization", "LayerNormalization", "TimeDistributed")


def per_token_labels_for_last_state(ctx, d):
    """A tagger: one label per token, (N, T), and a model whose RNN returns only its last state, so the head gives
    one prediction per sample (N, C) -- or a regression with one target per step of the series, (N, T) for (N, T, F)
    inputs, and a head of one unit (widening the head to T would make the sequence length a layer size). The labels are what the task is; the RNN left at ``return_sequences=False``
    (the default) is the mistake. With ``return_sequences=True`` the Dense head is applied to every step (Keras's
    Dense acts on the last axis). Pooling the labels to one per sample would run and change the task."""
    f = d.facts
    if not isinstance(f, LabelFacts) or f.loss not in _SPARSE + _REGRESSION or f.y.shape is None or f.run is None:
        return
    p, t = tuple(f.pred), tuple(f.y.shape)
    ops = f.run.program.ops
    inputs = f.run.program.inputs
    steps = getattr(inputs[0], "shape", None) if inputs else None
    if steps is not None and len(steps) > 1 and steps[1] is None:  # declared `Input((None, F))`: the data says
        fed = {tuple(g.x.shape[1:]) for g in ctx.feeds() if g.model is f.model and g.x is not None and
               g.x.shape is not None and len(g.x.shape) == len(steps)}
        steps = (None,) + fed.pop() if len(fed) == 1 else steps  # every call feeds series of one length
    regression = f.loss in _REGRESSION  # one value per step, (N, T), for a series (N, T, F) and a head of one unit
    if len(p) != 2 or len(t) != 2 or not ops or steps is None or len(steps) != (3 if regression else 2):
        return
    if regression and not (p[1] == 1 and is_known(t[1]) and t[1] == steps[1] and t[1] != 1):
        return
    # one label per token: as many as the input has steps (both unknown: padded batches of any length); a width of
    # the classes (one-hot rows) or of 1 (a column of ids) is another mistake
    if not regression and not (t[1] is None and steps[1] is None or
                               is_known(t[1]) and t[1] == steps[1] and t[1] not in (1, p[1])):
        return
    last = next((i for i in range(len(ops) - 1, -1, -1) if _inner(ops[i].layer).kind in _RNNS), None)
    if last is None or any(op.layer.kind not in _PER_STEP for op in ops[last + 1:]):
        return
    rnn = _inner(ops[last].layer)
    if rnn.args.get("return_sequences") is not False:
        return
    edit = set_arg_edit(rnn, "return_sequences", "True", ctx.lines)
    if edit is None or rnn.origin.span is None:
        return
    help_text = remedies.return_every_step(rnn.kind, regression)
    note = remedies.per_step_targets_note(rnn.kind, t, p) if regression else remedies.per_token_labels_note(rnn.kind, t, p)
    yield Cause("last-state-for-tags", 70, Label(rnn.origin.span, remedies.last_state_only_label(), d.file), note,
                help_text,
                fix=Fix("unsafe", help_text, [edit]), strong=True,
                excludes=("head-width",))


_RNNS = ("LSTM", "GRU", "SimpleRNN")


def _inner(layer):
    """The layer a Bidirectional wraps, or the layer itself."""
    return unwrapped(layer, ("Bidirectional",))


def _rows_only(ctx, sub: ast.Subscript) -> str:
    """``a[:1000, 0]`` -> ``a[:1000]``; ``a[:, 0]`` -> ``a``; None when the text cannot be read."""
    rows, base = sub.slice.elts[0], ctx.segment(sub.value)
    whole = isinstance(rows, ast.Slice) and rows.lower is None and rows.upper is None and rows.step is None
    if base is None or whole:
        return base
    kept = ctx.segment(rows)
    return f"{base}[{kept}]" if kept is not None else None


def _column_cuts(ctx, width: int) -> list:
    """The targets cut to one column of an array that has ``width`` (``next_pos[:1000, 0]`` of a (N, 2) array),
    where they are put in a dataset or given to fit: the subscripts, when every one of them is such a cut."""
    tree = tree_of(ctx.lines)
    scope = getattr(getattr(ctx.ev, "module", None), "vars", {})
    found = []
    for call in ast.walk(tree) if tree is not None else ():
        name = getattr(call.func, "attr", None) or getattr(call.func, "id", None) if isinstance(call, ast.Call) \
            else None
        if name not in ("from_tensor_slices", "fit", "timeseries_dataset_from_array"):
            continue
        for arg in list(call.args) + [k.value for k in call.keywords]:
            items = arg.elts[1:] if isinstance(arg, ast.Tuple) and name == "from_tensor_slices" else [arg]
            for sub in items:
                if isinstance(sub, ast.Subscript) and isinstance(sub.value, ast.Name) and \
                        isinstance(sub.slice, ast.Tuple) and len(sub.slice.elts) == 2 and \
                        isinstance(sub.slice.elts[1], ast.Constant) and isinstance(sub.slice.elts[1].value, int):
                    shape = getattr(scope.get(sub.value.id), "shape", None)
                    if shape is not None and len(shape) == 2 and shape[1] == width:
                        found.append(sub)
    return found


def decoder(ctx, d):
    f = d.facts
    if not isinstance(f, LabelFacts) or f.y.shape is None or f.run is None:
        return
    found = keras_decoder(f.run.program.ops, tuple(f.pred), tuple(f.y.shape), ctx.lines)
    if found is None:
        return
    edits, layer = found
    span, beside = edit_site(edits, layer.origin.span)
    yield Cause("decoder-size", 80, Label(span, remedies.decoder_label(), d.file),
                remedies.decoder_note(tuple(f.pred), tuple(f.y.shape)), remedies.padding_same(),
                fix=Fix("unsafe", remedies.padding_same(), edits, per_shape=True), strong=True,
                secondary=[Label(s, remedies.decoder_layer_label(), d.file) for s in beside])


_BINARY = ("binary_crossentropy", "BinaryCrossentropy", "binary_focal_crossentropy", "BinaryFocalCrossentropy")
_CATEGORICAL = ("categorical_crossentropy", "CategoricalCrossentropy", "categorical_focal_crossentropy",
                "CategoricalFocalCrossentropy")
_ENCODERS = ("to_categorical", "one_hot")


def onehot_for_one_unit(ctx, d):
    """Two-class one-hot labels for one sigmoid unit with binary cross-entropy: the labels were encoded for a
    softmax head. The 0/1 labels before ``to_categorical`` are what the unit predicts; giving the head two units
    instead would bend the model to the encoding (two independent sigmoids)."""
    f = d.facts
    if not isinstance(f, LabelFacts) or f.loss not in _BINARY or f.y.shape is None or f.y.origin is None:
        return
    p, t = tuple(f.pred), tuple(f.y.shape)
    if len(p) != 2 or p[1] != 1 or len(t) != 2 or t[1] != 2 or f.y.meta.get("onehot") != 2:
        return
    call = node_at(f.y.origin, ctx.lines)
    if not isinstance(call, ast.Call) or not call.args or _callee(call.func) not in _ENCODERS:
        return
    raw = ast.get_source_segment(ctx.source, call.args[0])
    if raw is None:
        return
    help_text = remedies.raw_binary_labels(raw)
    yield Cause("onehot-for-one-unit", 77, Label(f.y.origin, remedies.onehot_two_classes_label(), d.file),
                remedies.onehot_for_one_unit_note(), help_text, fix=Fix("unsafe", help_text, [Edit(Span.of(call), raw)]),
                strong=True)


def class_count_head(ctx, d):
    """One-hot labels of k classes (counted from 0 in the data) against a softmax head of another width: the
    number of classes is the data's, the head's ``units`` is the number written wrong."""
    f = d.facts
    if not isinstance(f, LabelFacts) or f.loss not in _CATEGORICAL or f.y.shape is None or f.run is None:
        return
    p, t, k = tuple(f.pred), tuple(f.y.shape), f.y.meta.get("onehot")
    if len(p) != 2 or len(t) != 2 or not isinstance(k, int) or t[1] != k or p[1] == k or \
            f.y.meta.get("onehot_unused_below") or \
            not hasattr(getattr(f.run.program, "output", f.output), "shape"):
        return
    head = f.run.program.ops[-1].layer if f.run.program.ops else None  # (of one output: its own ops, head last)
    if head is None or head.kind != "Dense" or "units" not in head.arg_spans:
        return
    edit = set_arg_edit(head, "units", str(k), ctx.lines)
    if edit is None:
        return
    yield Cause("class-count", 65, Label(head.arg_spans["units"], remedies.class_count_label(k), d.file),
                remedies.class_count_note(k), remedies.give_head(head.label, k),
                fix=Fix("unsafe", remedies.give_head(head.label, k), [edit]))


def _callee(func) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def loss_written_elsewhere(ctx, d):
    """The loss is passed by name (``loss=TRAIN_CFG["loss"]``, ``loss=LOSS``) and was written as a string where the
    name was set: the wrong loss is that string, and the rule's fix of the ``compile`` argument belongs there."""
    f = d.facts
    if not isinstance(f, LabelFacts) or f.loss_node is None or d.fix is None or len(d.fix.edits) != 1:
        return
    edit = d.fix.edits[0]
    if edit.span != Span.of(f.loss_node):
        return
    site = written_string(ctx, f.loss_node)
    if site is None:
        return
    yield Cause("loss-written", 75, Label(Span.of(site), remedies.loss_written_label(f.loss), d.file), "", d.help,
                fix=Fix(d.fix.applicability, d.fix.title, [Edit(Span.of(site), edit.text)]), strong=True)


def setting_written_elsewhere(ctx, d):
    """A layer setting passed by name (``activation=hp["output_activation"]``) whose rule fix writes a string over
    that name: the wrong value is the string where the name was set, and the fix belongs there (writing it at the
    layer would leave the config saying the opposite, silently ignored)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or d.fix is None or len(d.fix.edits) != 1:
        return
    edit = d.fix.edits[0]
    node = node_at(edit.span, ctx.lines)
    if not isinstance(node, (ast.Name, ast.Subscript)) or not edit.text[:1] in ("'", '"'):
        return
    site = written_string(ctx, node)
    if site is None or _reads_of_setting(ctx, node) != 1:
        return  # a setting several layers share (`PAD = "valid"`) is fixed at the failing layer, not for all
    yield Cause("setting-written", 75, Label(Span.of(site), remedies.setting_written_label(), d.file), "", d.help,
                fix=Fix(d.fix.applicability, d.fix.title, [Edit(Span.of(site), edit.text)]), strong=True,
                secondary=[Label(edit.span, remedies.setting_used_here(), d.file)])


def _reads_of_setting(ctx, node) -> int:
    """How many times the file reads the setting ``node`` names: the name ``PAD``, or the entry ``HP["key"]`` (by
    the same table name and key)."""
    tree = tree_of(ctx.lines)
    if tree is None:
        return 0
    if isinstance(node, ast.Name):
        return sum(1 for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == node.id and
                   isinstance(n.ctx, ast.Load))
    key, table = getattr(node.slice, "value", None), getattr(node.value, "id", None)
    return sum(1 for n in ast.walk(tree) if isinstance(n, ast.Subscript) and isinstance(n.ctx, ast.Load) and
               getattr(n.value, "id", None) == table and getattr(n.slice, "value", None) == key)


def _spelled(ctx, head, width: int, target_size=None) -> str:
    """The head's new width as the file already writes it: ``cfg["horizon"]`` where ``cfg["horizon"] // 2`` was
    written and the targets have ``cfg["horizon"]`` values, or where the targets were made with the config's
    ``"horizon"`` (spelled as the function building the head reads the config); else the number."""
    value, span = head.args.get("units"), head.arg_spans.get("units")
    origin = provenance.origin_of(value)
    node = node_at(span, ctx.lines) if span is not None else None
    if isinstance(origin, provenance.Computed) and isinstance(node, ast.BinOp) and len(origin.operands) == 2:
        for child, operand in zip((node.left, node.right), origin.operands):
            if isinstance(operand, int) and int(operand) == width and not isinstance(child, ast.Constant):
                text = ast.get_source_segment(ctx.source, child)
                if text:
                    return text
    spelled = spelling.module_spelling(ctx, target_size) if isinstance(target_size, int) and \
        int(target_size) == width else None
    call = node_at(head.origin.span, ctx.lines, ast.Call) if spelled is not None and head.origin.span else None
    if spelled is not None and call is not None:
        return spelling.spelled_in_scope(ctx, call, *spelled)
    return str(width)


def onehot_from_one(ctx, d):
    """Class ids 1..C one-hot encoded without a shift: ``to_categorical`` makes C + 1 columns, column 0 never set,
    against a softmax head of C units. The ids are shifted where they are encoded (the validation labels too); a
    head of C + 1 units would train a class that never occurs."""
    f = d.facts
    if not isinstance(f, LabelFacts) or f.loss not in _CATEGORICAL or f.y.shape is None or f.train_labels is not None:
        return
    p, t, low = tuple(f.pred), tuple(f.y.shape), f.y.meta.get("onehot_unused_below")
    if low != 1 or len(p) != 2 or len(t) != 2 or not is_known(p[1]) or t[1] != p[1] + 1:
        return
    labels = [f.y] + [v for v in _validation_labels(f.call) if v.meta.get("onehot_unused_below") == 1]
    edits = []
    for y in labels:
        call = node_at(y.origin, ctx.lines) if y.origin is not None else None
        if not isinstance(call, ast.Call) or len(call.args) != 1 or call.keywords or \
                _callee(call.func) != "to_categorical":
            continue
        raw = ast.get_source_segment(ctx.source, call.args[0])
        if raw is None:
            continue
        edits.append(Edit(Span.of(call.args[0]), f"{raw} - 1" if raw.isidentifier() else f"({raw}) - 1"))
    if not edits or f.y.origin is None:
        return
    first = ctx.text(f.y.origin)
    help_text = remedies.shift_ids(first.replace(ctx.text(edits[0].span), edits[0].text, 1) if first else "y - 1")
    yield Cause("ids-from-one", 79, Label(f.y.origin, remedies.ids_from_one_label(int(p[1])), d.file),
                remedies.ids_from_one_note(int(p[1])), help_text, fix=Fix("unsafe", help_text, edits), strong=True)


def _validation_labels(call) -> list:
    val = call.kwargs.get("validation_data") if call is not None else None
    return [val[1]] if isinstance(val, (tuple, list)) and len(val) >= 2 and hasattr(val[1], "meta") else []


def _fits(target, output) -> bool:
    """Whether a target can be what an output is trained on: the same per-sample shape, or integer class ids (one
    per sample) for a head with several class scores."""
    if tuple(target.shape[1:]) == tuple(output.shape[1:]):
        return True
    dtype = str(getattr(target, "dtype", None) or getattr(getattr(target, "value", None), "dtype", None) or "")
    return len(target.shape) == 1 and dtype.startswith(("int", "uint")) and len(output.shape) == 2 and \
        isinstance(output.shape[1], int) and output.shape[1] > 1


def targets_out_of_order(ctx, d):
    """A multi-output model fit with a list of targets in another order than its outputs (``Model(x, [segment,
    spend])`` fit with ``[y_spend, y_segment]``): no head fits its target, and each target fits another head exactly.
    The list is the mistake; it is reordered where it is written."""
    f = d.facts
    if not isinstance(f, LabelFacts) or f.call is None:
        return
    y = f.call.get(1, "y", None)
    outs = output_runs(f.model)
    if not isinstance(y, (list, tuple)) or len(y) < 2 or len(y) != len(outs) or len(y) > 4 or \
            not all(getattr(v, "shape", None) is not None and getattr(o, "shape", None) is not None
                    for v, (_, _, o) in zip(y, outs)):
        return
    fits = [[_fits(v, o) for v in y] for _, _, o in outs]
    if all(fits[i][i] for i in range(len(y))):
        return
    orders = [p for p in permutations(range(len(y))) if all(fits[i][p[i]] for i in range(len(y)))]
    if len(orders) != 1:
        return
    node = f.call.node_of(1, "y")
    site = assigned_value(ctx, node.id) if isinstance(node, ast.Name) else Span.of(node) if node is not None else None
    listed = node_at(site, ctx.lines) if site is not None else None
    if not isinstance(listed, (ast.List, ast.Tuple)) or len(listed.elts) != len(y):
        return
    texts = [ast.get_source_segment(ctx.source, e) for e in listed.elts]
    if any(t is None for t in texts):
        return
    first, last = Span.of(listed.elts[0]), Span.of(listed.elts[-1])
    new = ", ".join(texts[j] for j in orders[0])
    spelled = ("[" if isinstance(listed, ast.List) else "(") + new + ("]" if isinstance(listed, ast.List) else ")")
    help_text = remedies.list_targets_as_outputs(spelled)
    outputs = "[" + ", ".join(f"{n} {tuple(o.shape)}" for n, _, o in outs) + "]"
    targets = "[" + ", ".join(f"{t} {tuple(v.shape)}" for t, v in zip(texts, y)) + "]"
    yield Cause("targets-order", 88, Label(site, remedies.targets_order_label(), d.file), remedies.targets_order_note(),
                help_text, fix=Fix("unsafe", help_text,
                                   [Edit(Span(first.line, first.column, last.end_line, last.end_column), new)]),
                strong=True, message=remedies.targets_order_message(outputs, targets))


def repeat_length(ctx, d):
    """An encoder-decoder whose ``RepeatVector(n)`` sets the decoder's number of steps: the sequence labels have
    another length, so ``n`` is what is wrong (the source length written where the target length belongs)."""
    f = d.facts
    if not isinstance(f, LabelFacts) or f.run is None or f.y.shape is None or d.name != "labels-loss-mismatch":
        return
    p, t = tuple(f.pred), tuple(f.y.shape)
    sparse = "sparse" in f.loss.lower()
    if len(p) != 3 or len(t) != (2 if sparse else 3) or not is_known(t[1]) or not is_known(p[1]) or t[1] == p[1]:
        return
    ops = f.run.program.ops
    at = next((i for i, o in enumerate(ops) if o.layer.kind == "RepeatVector"), None)
    if at is None or "n" not in ops[at].layer.arg_spans:
        return
    # the repeated steps must reach the output unchanged: every later op keeps (N, steps, ...)
    if any(getattr(o.output, "shape", None) is None or len(o.output.shape) < 3 or o.output.shape[1] != p[1]
           for o in ops[at:]):
        return
    layer = ops[at].layer
    spelling = spell_size(ctx, t[1], ctx.text(layer.arg_spans["n"]), layer)
    edit = set_arg_edit(layer, "n", spelling, ctx.lines)
    if edit is None:
        return
    yield Cause("repeat-length", 82, Label(layer.arg_spans["n"], remedies.repeat_length_label(p[1]), d.file),
                remedies.repeat_length_note(p[1], t[1]), remedies.repeat_target_length(spelling),
                fix=Fix("unsafe", remedies.repeat_target_length(spelling), [edit]), strong=True)


def ids_shifted_by_lookup_oov(ctx, d):
    """Labels made from class names by a ``StringLookup(vocabulary=CLASSES)``: it keeps index 0 for unknown names
    (``num_oov_indices=1``), so the C classes become ids 1..C, and the last one is out of range for a head of C units
    (sparse cross-entropy fails). The lookup is the mistake: labels need no OOV slot, ``num_oov_indices=0`` maps the
    classes to 0..C-1. A head of C + 1 units would run and keep a class no sample has."""
    f = d.facts
    if not isinstance(f, LabelFacts) or d.name != "label-out-of-range" or f.y is None:
        return
    lookup = f.y.meta.get("ids_from_lookup")
    ids = f.y.meta.get("int_range")
    oov = lookup.args.get("num_oov_indices", 1) if lookup is not None else None
    if lookup is None or not ids or not isinstance(oov, int) or oov < 1 or lookup.args.get("mask_token") or \
            not is_known(f.pred[-1]) or ids[1] - oov != f.pred[-1]:
        return
    call = node_at(lookup.origin.span, ctx.lines, ast.Call) if lookup.origin.span is not None else None
    edit = keyword_edit(call, "num_oov_indices", "0", ctx.lines) if isinstance(call, ast.Call) else None
    if edit is None:
        return
    help_text = remedies.lookup_without_oov(lookup.kind)
    yield Cause("ids-from-one", 84, Label(lookup.origin.span, remedies.lookup_oov_label(oov), d.file),
                remedies.lookup_oov_note(lookup.kind, int(f.pred[-1])), help_text,
                fix=Fix("unsafe", help_text, [edit]), strong=True)
