"""Causes in the data fed to a model: axes in another order than the model's input declares (channels-first images
into a channels-last model, (N, features, steps) into an RNN), a label column left among the features."""
from __future__ import annotations

import ast
import re
from itertools import permutations
from typing import Optional

from ...checks.facts import DataFacts, ModelCallFacts
from ...core import provenance, roles
from ...core.dims import is_known, prod
from ...core.facts import RuleFacts
from ...core.registry import has
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import keyword_edit
from ...diagnostics.fixes.source import function_at, module_value, node_at, size_arguments, spell, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ...diagnostics.fixes.source import declared_shape_node
from ...checks.data_input import declared_span, swap_elements
from ...core.names import compatible, element_roles
from ..sites import written_literal
from ..spelling import call_at, edited_text, module_spelling
from .layout import data_order_cause


def _order(xs: tuple, decl: tuple) -> Optional[tuple]:
    """The axis order that turns data ``xs`` into the declared ``decl`` (batch axis first in both), when the data's
    per-sample sizes are the declared ones in another order; equal sizes keep their relative order."""
    if len(xs) != len(decl) or len(xs) < 3:
        return None
    rest_x, rest_d = xs[1:], decl[1:]
    if not all(isinstance(v, int) for v in rest_x + rest_d) or tuple(rest_x) == tuple(rest_d):
        return None
    for p in permutations(range(len(rest_x))):
        if all(rest_x[p[i]] == rest_d[i] for i in range(len(p))) and \
                all(p[i] < p[j] for i in range(len(p)) for j in range(i + 1, len(p)) if rest_d[i] == rest_d[j]):
            return (0,) + tuple(1 + i for i in p)
    return None


def _declaration_is_right(ctx, f: DataFacts, consumer: Optional[tuple]) -> Optional[bool]:
    """True when the declared input agrees with the layer that reads it (by the names it is written with, or by the
    images' channel convention), False when it contradicts it, None when nothing tells."""
    if consumer is None:
        return None
    named = element_roles(declared_shape_node(f.declared_span, ctx.lines))
    if named is not None and len(named) == len(consumer) - 1:
        verdicts = [compatible(a, b) for a, b in zip(named, consumer[1:])]
        if False in verdicts:
            return False
        if True in verdicts:
            return True
    per = tuple(f.declared[1:])
    if roles.C in consumer and len(per) >= 3 and all(isinstance(v, int) for v in per):
        small = [i for i, v in enumerate(per) if v in (1, 3, 4) and all(w >= 8 for j, w in enumerate(per) if j != i)]
        if len(small) == 1:
            return consumer[1 + small[0]] == roles.C
    return None


def keras_data_layout(ctx, d):
    """The data holds the declared sizes in another order. Which side is wrong is read off the names the declaration
    is written with (``shape=(steps, features)`` for an LSTM is right, so the data is not) or the images' channel
    convention; with no evidence either way both are offered and the declaration is blamed first (real data's
    shape is fixed by the dataset)."""
    f = d.facts
    if not isinstance(f, DataFacts) or f.x.shape is None:
        return
    order = _order(tuple(f.x.shape), tuple(f.declared))
    if order is None:
        return
    first = _first_reader(f.model)
    consumer = roles.reads(first.layer, len(f.declared)) if first is not None else None
    right = _declaration_is_right(ctx, f, consumer)
    if right is not False and (yield from _reshaped_in_another_order(ctx, d, f, order)):
        return
    if right is not False:
        yield from _data_cause(ctx, d, f, order, strong=right is True)
    if right is not True:
        yield from _declaration_cause(ctx, d, f, order, strong=right is False)


def _reshaped_in_another_order(ctx, d, f, order) -> bool:
    """The data's layout was set by a reshape with the sizes written out (``x.reshape(-1, 1, 28, 28)``,
    ``tf.reshape(image, (1, IMG, IMG))`` in a ``map`` function) and the declared order differs only in where the
    axes of size 1 go: the values are the same in either order, so the reshape writes the declared order itself.
    (Moving an axis of real size by rewriting a reshape would scramble the values: that needs a transpose.)"""
    x = f.x
    shape = tuple(x.shape)
    wanted = tuple(shape[i] for i in order)
    if [v for v in shape[1:] if v != 1] != [v for v in wanted[1:] if v != 1]:
        return False
    site = getattr(x, "shaped_at", None)
    call = node_at(site, ctx.lines) if site is not None else None
    elts = _reshape_sizes(call)
    found = _reordered(ctx, call, order) if elts is not None and len(elts) in (len(shape), len(shape) - 1) else None
    spelled = ctx.text(site) if found is not None else None
    if spelled is None:
        return False
    edit, old, new = found
    spelled = spelled.replace(old, new, 1) if old in spelled else new
    # the validation or test split reshaped by the same statement for another name goes the same way
    twins = [t[0] for twin in _twin_reshapes(ctx, call) for t in [_reordered(ctx, twin, order)] if t is not None]
    yield Cause("data-layout", 84, Label(site, remedies.reshaped_order_label(shape, wanted), d.file),
                remedies.reshaped_order_note(shape, wanted), remedies.reshape_to(spelled),
                fix=Fix("unsafe", remedies.reshape_to(spelled), [edit] + twins), strong=True,
                secondary=[Label(f.declared_span, remedies.declared_as(f.declared), d.file)]
                if f.declared_span is not None else [])
    return True


def _reshaped_base(call) -> Optional[str]:
    """The name a reshape call reshapes: ``x`` of ``x.reshape(...)`` / ``np.reshape(x, ...)``."""
    func = call.func
    if isinstance(func.value, ast.Name) and func.value.id in ("np", "numpy", "tf", "torch"):
        return call.args[0].id if call.args and isinstance(call.args[0], ast.Name) else None
    return func.value.id if isinstance(func.value, ast.Name) else None


def _twin_reshapes(ctx, call) -> list:
    """The other reshape calls of the file written like ``call`` for another name -- ``np.reshape(testX,
    (testX.shape[0], 1, testX.shape[1]))`` beside the same statement for ``trainX``."""
    base = _reshaped_base(call) if _reshape_sizes(call) is not None else None
    tree = tree_of(ctx.lines) if base is not None else None
    if tree is None:
        return []

    def shape_of(node, name):
        return ast.dump(node).replace(f"id='{name}'", "id='_'")

    mine = shape_of(call, base)
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n is not call and _reshape_sizes(n) is not None
            and _reshaped_base(n) not in (None, base) and shape_of(n, _reshaped_base(n)) == mine]


def _reordered(ctx, call, order) -> Optional[tuple]:
    """(edit, old text, new text): a reshape's per-sample sizes written in ``order`` -- the reshape of the fed data,
    or its twin for another split."""
    elts = _reshape_sizes(call)
    per = elts[-(len(order) - 1):] if elts is not None and len(elts) >= len(order) - 1 else None
    texts = [ctx.text(Span.of(e)) for e in per] if per else None
    if not texts or any(t is None for t in texts) or Span.of(per[0]).line != Span.of(per[-1]).line:
        return None
    first, last = Span.of(per[0]), Span.of(per[-1])
    new = ", ".join(texts[order[i] - 1] for i in range(1, len(order)))
    return Edit(Span(first.line, first.column, last.end_line, last.end_column), new), ", ".join(texts), new


def _reshape_sizes(node) -> Optional[list]:
    """The size expressions of a reshape call: ``x.reshape(a, b)``, ``x.reshape((a, b))``, ``np.reshape(x, (a, b))``,
    ``tf.reshape(x, [a, b])`` (None for anything else, or a single size)."""
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute) or node.func.attr != "reshape":
        return None
    sizes = size_arguments(node)
    return sizes if len(sizes) > 1 else None


def _data_made(d, x) -> list:
    """The label on where the data got the layout it is fed with: the reshape that set it, else where it was
    made."""
    site = getattr(x, "shaped_at", None) or x.origin
    return [Label(site, remedies.data_made(tuple(x.shape)), d.file)] if site is not None else []


def _first_reader(model):
    """The first op of the model's run on its declared input, which reads the input's layout."""
    for r in getattr(model, "runs", []):
        if r.program.ops and r.program.inputs and r.program.ops[0].inputs[:1] == r.program.inputs[:1]:
            return r.program.ops[0]
    return None


def _data_cause(ctx, d, f, order, strong: bool):
    if f.x.lib not in ("numpy", "torch"):
        return
    feed = f.call.node_of(0, "x")
    secondary = [Label(f.declared_span, remedies.declared_as(f.declared), d.file)] \
        if f.declared_span is not None else []
    yield from data_order_cause(ctx, d, f.x, Span.of(feed) if feed is not None else None, order, strong, "keras",
                                declared=f.declared, secondary=secondary)


def _declaration_cause(ctx, d, f, order, strong: bool):
    """Declare the input in the data's order by reordering the declaration's own elements."""
    node = declared_shape_node(f.declared_span, ctx.lines)
    if not isinstance(node, (ast.Tuple, ast.List)) or len(node.elts) != len(order) - 1:
        return
    texts = [ast.get_source_segment(ctx.source, e) for e in node.elts]
    if any(t is None for t in texts):
        return
    # data axis order[i] holds declared axis i: the data's axis k is declared axis order.index(k)
    new = [texts[order.index(k) - 1] for k in range(1, len(order))]
    spelled = "(" + ", ".join(new) + ("," if len(new) == 1 else "") + ")"
    edit = Edit(Span.of(node), spelled)
    yield Cause("declared-layout", 83, Label(Span.of(node), remedies.declared_order_label(f.x.shape), d.file),
                remedies.declared_order_note(f.declared, f.x.shape), remedies.declare_as(spelled),
                fix=Fix("unsafe", remedies.declare_as(spelled), [edit]),
                secondary=_data_made(d, f.x),
                strong=strong, alternative=remedies.or_declare_as(spelled))


def label_column(ctx, d):
    """The features are columns a..b of a table whose column j, inside that range, is the labels."""
    f = d.facts
    if not isinstance(f, DataFacts) or f.labels is None or f.x.shape is None or len(f.x.shape) != 2:
        return
    cols, col = f.x.meta.get("columns"), f.labels.meta.get("column")
    if not cols or not col or cols[0] is not col[0]:
        return
    table, a, b, where = cols
    j = col[1]
    if not a <= j < b or len(f.declared) != 2 or f.declared[1] != b - a - 1 or j not in (a, b - 1):
        return
    index = node_at(where, ctx.lines) if where is not None else None
    sl = index.elts[1] if isinstance(index, ast.Tuple) and len(index.elts) == 2 else None
    if not isinstance(sl, ast.Slice):
        return
    edit = None
    if j == b - 1 and sl.upper is not None:
        edit = Edit(Span.of(sl.upper), str(b - 1))
    elif j == b - 1:
        end = Span.of(sl)
        edit = Edit(Span(end.end_line, end.end_column, end.end_line, end.end_column), str(b - 1))
    elif j == a and sl.lower is not None:
        edit = Edit(Span.of(sl.lower), str(a + 1))
    elif j == a:
        start = Span.of(sl)
        edit = Edit(Span(start.line, start.column, start.line, start.column), str(a + 1))
    if edit is None:
        return
    sub = getattr(index, "_shapelint_parent", None)
    at = Span.of(sub) if isinstance(sub, ast.Subscript) else where
    spelled = edited_text(ctx, at, edit) or ctx.text(at)
    yield Cause("label-column", 88, Label(at, remedies.label_column_label(j, b - a), d.file),
                remedies.label_column_note(j, b - a, f.declared[1]), remedies.slice_features(spelled),
                fix=Fix("unsafe", remedies.slice_features(spelled), [edit]),
                secondary=[Label(col[2], f"labels: column {j}", d.file)] if col[2] is not None else [],
                strong=True)


def _whole_table_fed(ctx, d, received: int):
    """The features are the whole table -- ``X = torch.tensor(table)`` -- and its first or last column was also taken
    alone, as the labels (``y = table[:, -1]``). Labelled where the features are made from the table, and fixed there
    by leaving that column out (``table[:, :-1]``); a column in the middle gets the help only."""
    values = _values_in_reach(ctx)
    tables = {id(t): t for t in _tables_of(values)
              if t.meta.get("single_columns") and getattr(t, "shape", None) is not None and len(t.shape) == 2 and
              t.shape[1] == received}
    if len(tables) != 1:
        return
    table = next(iter(tables.values()))
    names = {name for name, v in ctx.ev.module.vars.items() if v is table}
    taken = table.meta["single_columns"]
    if len(taken) != 1:
        return
    j = next(iter(taken))
    rows = table.shape[0]
    sites = []
    for v in values:
        if v is table or getattr(v, "shape", None) is None or tuple(v.shape) != (rows, received):
            continue
        at = v.meta.get("converted_at") or getattr(v, "origin", None)  # torch.tensor(table) keeps the table's origin
        call = node_at(at, ctx.lines, ast.Call) if at is not None else None
        # the table by its module name, or, inside a Dataset's __init__, the one argument converted from that data
        same_data = getattr(v, "origin", None) is not None and getattr(v, "origin", None) == table.origin
        args = [a for a in (call.args if call is not None else []) if isinstance(a, ast.Name) and
                (a.id in names or same_data and len(call.args) == 1)]
        if len(args) == 1 and (at, args[0]) not in sites:
            sites.append((at, args[0]))
    if len(sites) != 1:
        return
    where, arg = sites[0]
    name = arg.id
    new = f"{name}[:, :-1]" if j == received - 1 else f"{name}[:, 1:]" if j == 0 else None
    fix = Fix("unsafe", remedies.slice_features(new), [Edit(Span.of(arg), new)]) if new else None
    yield Cause("label-column", 88, Label(where, remedies.label_column_label(j, received), d.file),
                remedies.label_column_note(j, received, d.facts.mismatch.expected),
                remedies.slice_features(new) if new else remedies.leave_out_column(j), fix=fix,
                secondary=[Label(taken[j], f"labels: column {j}", d.file)] if taken[j] else [], strong=True)


def _values_in_reach(ctx) -> list:
    """The module's variables and the attributes of its objects (a Dataset's ``self.x`` / ``self.y``)."""
    out = []
    for v in list(ctx.ev.module.vars.values()):
        out.append(v)
        v = getattr(v, "source", None) or v  # a split of a user Dataset: the Dataset object itself
        attrs = getattr(v, "attrs", None)
        if isinstance(attrs, dict):
            out.extend(a for a in attrs.values() if isinstance(getattr(a, "meta", None), dict))
    return [v for v in out if isinstance(getattr(v, "meta", None), dict)]


def _tables_of(values) -> list:
    """The tables the values are, or were cut from (``y = table[:, -1:]`` keeps its table)."""
    out = []
    for v in values:
        out.append(v)
        for key in ("columns", "column"):
            cut = v.meta.get(key)
            if cut and isinstance(getattr(cut[0], "meta", None), dict):
                out.append(cut[0])
    return out


def batch_in_declaration(ctx, d):
    """The input declaration counts the batch: ``Input(shape=(BATCH_SIZE, features))`` for data (N, features). Keras
    adds its own batch axis, so the model expects one axis more than the data has. The evidence that the extra
    declared axis is the batch: its size is the ``batch_size`` the data is fed with (or is written with the same
    name), or the number of samples. The fix drops it from the declaration; adding an axis to the data instead would
    bend the data to a model that treats the batch as a sequence."""
    f = d.facts
    if not isinstance(f, DataFacts) or f.x.shape is None or f.declared_span is None:
        return
    xs, decl = tuple(f.x.shape), tuple(f.declared)
    if len(decl) != len(xs) + 1 or len(decl) < 3 or tuple(decl[2:]) != xs[1:] or not isinstance(decl[1], int):
        return
    node = declared_shape_node(f.declared_span, ctx.lines) or node_at(f.declared_span, ctx.lines)
    module_vars = getattr(getattr(getattr(ctx, "ev", None), "module", None), "vars", {})
    named = module_vars.get(node.value.id) if isinstance(node, ast.Attribute) and \
        isinstance(node.value, ast.Name) else None
    rows = named.shape[0] if getattr(named, "shape", None) else None
    if isinstance(node, ast.Attribute) and node.attr == "shape" and isinstance(node.value, ast.Name) and \
            decl[1] in (xs[0], rows):  # `input_shape=X_train.shape`: the whole array's shape, its sample count first
        span = Span.of(node)
        spelled = f"{node.value.id}.shape[1:]"
        yield Cause("batch-declared", 86, Label(span, remedies.batch_declared_label(decl[1]), d.file),
                    remedies.batch_declared_note(decl[1], xs), remedies.declare_per_sample(spelled),
                    fix=Fix("unsafe", remedies.declare_per_sample(spelled),
                            [Edit(Span(span.end_line, span.end_column, span.end_line, span.end_column), "[1:]")]),
                    secondary=_data_made(d, f.x),
                    strong=True)
        return
    if not isinstance(node, (ast.Tuple, ast.List)) or len(node.elts) != len(decl) - 1:
        return
    extra = node.elts[0]
    if not _is_batch_size(ctx, f, decl[1], extra):
        return
    texts = [ast.get_source_segment(ctx.source, e) for e in node.elts[1:]]
    if any(t is None for t in texts):
        return
    spelled = "(" + ", ".join(texts) + ("," if len(texts) == 1 else "") + ")"
    yield Cause("batch-declared", 86, Label(Span.of(extra), remedies.batch_declared_label(decl[1]), d.file),
                remedies.batch_declared_note(decl[1], xs), remedies.declare_per_sample(spelled),
                fix=Fix("unsafe", remedies.declare_per_sample(spelled), [Edit(Span.of(node), spelled)]),
                secondary=_data_made(d, f.x),
                strong=True)


def declared_name_for_another_axis(ctx, d):
    """``Input(shape=(img_width, img_width, 1))`` for images made ``(N, img_width, img_height, 1)``: the declaration
    names the same constant twice where the data names another on that axis. The name the data was made with is the
    one meant; the fix writes it in the declaration (every size computed from it, a Reshape's target, then agrees).
    Declaring the literal size, or reshaping the data, would hide which constant was meant."""
    f = d.facts
    if not isinstance(f, DataFacts) or f.x.shape is None or f.declared_span is None:
        return
    xs, decl = tuple(f.x.shape), tuple(f.declared)
    node = declared_shape_node(f.declared_span, ctx.lines)
    if len(decl) != len(xs) or not isinstance(node, (ast.Tuple, ast.List)) or len(node.elts) != len(decl) - 1:
        return
    wrong = [i for i in range(1, len(xs)) if is_known(xs[i]) and is_known(decl[i]) and xs[i] != decl[i]]
    if len(wrong) != 1:
        return
    i = wrong[0]
    declared = node.elts[i - 1]
    made = _module_name_written(ctx, xs[i])
    names = [e.id for e in node.elts if isinstance(e, ast.Name)]
    if not isinstance(declared, ast.Name) or made is None or made == declared.id or names.count(declared.id) < 2:
        return
    help_text = remedies.declare_with_name(made)
    yield Cause("declared-name", 87, Label(Span.of(declared), remedies.declared_name_label(declared.id, made), d.file),
                remedies.declared_name_note(declared.id, made, i), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(declared), made)], replaces_name=True),
                secondary=_data_made(d, f.x), strong=True)


def declared_count_written_by_hand(ctx, d):
    """An input declared with a count written by hand in a config (``"num_tags": 12``) while the data has one
    column per entry of a list the file defines (``len(TAG_VOCAB)``, 10): the config entry is where the number went
    wrong, and counting the list keeps it right when the list changes. Declaring 10, or cutting the data, would fix
    this run only."""
    f = d.facts
    if not isinstance(f, DataFacts) or f.x.shape is None or len(f.x.shape) != len(f.declared):
        return
    xs, decl = tuple(f.x.shape), tuple(f.declared)
    wrong = [i for i in range(1, len(xs)) if is_known(xs[i]) and is_known(decl[i]) and xs[i] != decl[i]]
    if len(wrong) != 1:
        return
    i = wrong[0]
    made, declared = provenance.origin_of(xs[i]), provenance.origin_of(decl[i])
    counted = re.fullmatch(r"len\((\w+)\)", made.text or "") if isinstance(made, provenance.Computed) and \
        made.op == "len" else None
    if counted is None or not isinstance(declared, provenance.Written) or declared.span is None:
        return
    name = counted.group(1)
    tree = tree_of(ctx.lines)
    defined = module_value(tree, name)
    literal = node_at(declared.span, ctx.lines)
    if defined is None or not isinstance(literal, ast.Constant) or defined.lineno >= declared.span.line or \
            function_at(tree, declared.span.line) is not None:
        return  # the list must be defined before the (module-level) entry that would count it
    spelled = f"len({name})"
    help_text = remedies.count_the_list(ctx.text(declared.span), spelled)
    yield Cause("declared-count", 84, Label(declared.span, remedies.count_by_hand_label(int(decl[i])), d.file),
                remedies.count_by_hand_note(int(decl[i]), name, int(xs[i])), help_text,
                fix=Fix("unsafe", help_text, [Edit(declared.span, spelled)]),
                secondary=_data_made(d, f.x), strong=True)


_SLIDING_1D = ("Conv1D", "SeparableConv1D", "MaxPooling1D", "AveragePooling1D")


def one_step_of_many_features(ctx, d):
    """Keras: a signal of F values reshaped (N, 1, F) and declared ``Input(shape=(1, F))`` -- "[samples, time steps,
    features]" with one step -- into a Conv1D that slides along the steps: with one step its kernel cannot fit. The
    F values are the sequence: (N, F, 1), one channel per step, in the data and in the declaration. ``padding="same"``
    would run and convolve a single step -- a Dense layer in disguise."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "keras" or f.op.layer.kind not in _SLIDING_1D or \
            f.mismatch.code != "non-positive-output-size" or not f.op.inputs:
        return
    inputs = f.inference.program.inputs
    x = f.op.inputs[0]
    shape = getattr(x, "shape", None)
    if not inputs or x is not inputs[0] or shape is None or len(shape) != 3 or shape[1] != 1 or \
            not isinstance(shape[2], int) or shape[2] < 2:
        return
    model, _ = ctx.run_of(f.inference)
    declared = declared_shape_node(declared_span(model), ctx.lines) if model is not None else None
    if not isinstance(declared, (ast.Tuple, ast.List)) or len(declared.elts) != 2:
        return
    edits = [swap_elements(ctx.ev, list(declared.elts), 0, 1)]
    for feed in ctx.feeds():
        if feed.model is not model:
            continue
        site = getattr(feed.x, "shaped_at", None) or feed.x.origin
        sizes = _reshape_sizes(node_at(site, ctx.lines, ast.Call)) if site is not None else None
        if sizes is None or len(sizes) != 3:
            return  # data whose layout was not written by a reshape here: the declaration alone would not do
        edit = swap_elements(ctx.ev, sizes, 1, 2)
        if edit is None or all(e is None or e.span != edit.span for e in edits):  # (fit and evaluate: one reshape)
            edits.append(edit)
    if len(edits) < 2 or None in edits:
        return
    help_text = remedies.steps_not_channels(int(shape[2]))
    yield Cause("steps-as-channels", 85, Label(Span.of(declared), remedies.one_step_label(int(shape[2])), d.file),
                remedies.one_step_note(f.op.layer.kind, int(shape[2])), help_text,
                fix=Fix("unsafe", help_text, edits), strong=True)


def _module_name_written(ctx, size) -> Optional[str]:
    """The module-level name a data size was written with (``img_height`` in ``size=(32, img_width, img_height)``)."""
    node, parent = written_literal(ctx, size)  # the constant that literal is the value of: `img_height = 50`
    if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1 and \
            isinstance(parent.targets[0], ast.Name) and isinstance(getattr(parent, "_shapelint_parent", None),
                                                                   ast.Module):
        return parent.targets[0].id
    return None



def _is_batch_size(ctx, f, size: int, node) -> bool:
    """Only the batch size the data is fed with is evidence: a size that merely equals the number of samples is
    not (one 28x28 image fed to a model declared (28, 28) has 28 rows, and is missing its batch axis instead)."""
    if f.call is None:
        return False
    given, given_node = f.call.get(None, "batch_size"), f.call.kw_nodes.get("batch_size")
    if given_node is not None and isinstance(node, ast.Name) and isinstance(given_node, ast.Name):
        return node.id == given_node.id
    return isinstance(given, int) and not isinstance(given, bool) and given == size


def validation_not_reshaped(ctx, d):
    """The training data was reshaped for the model and the validation data fed beside it was not: the mistake is
    the reshape written for one of them only. The diagnosis goes to that reshape; the fix gives the validation data
    the same shape where it is fed."""
    f = d.facts
    if not isinstance(f, DataFacts) or f.x.shape is None or d.fix is None or not d.fix.edits:
        return
    train = f.train
    if train is None or train is f.x or train.shape is None or train.shaped_at is None:
        return
    if tuple(train.shape[1:]) != tuple(f.declared[1:]) or prod(train.shape[1:]) != prod(f.x.shape[1:]):
        return
    helper = _helper_setting_left_out(ctx, f) if f.call is not None else None
    if helper is not None:  # `prepare(val_frame)` beside `prepare(train_frame, as_sequence=False)`
        call, edits, spelled = helper
        help_text = remedies.prepare_like_training(spelled)
        yield Cause("validation-not-reshaped", 82, Label(Span.of(call), remedies.helper_setting_left_out_label(),
                                                         d.file),
                    remedies.train_reshaped_note(f.x.shape), help_text, fix=Fix("unsafe", help_text, edits),
                    strong=True)
        return
    beside = _reshape_beside(ctx, train.shaped_at, f.call.node_of(0, "x") if f.call is not None else None)
    fix, help_text = d.fix, d.help
    if beside is not None:  # the same reshape, on the line after the training data's
        edit, spelled = beside
        help_text = remedies.reshape_beside(spelled)
        fix = Fix("unsafe", help_text, [edit])
    yield Cause("validation-not-reshaped", 80, Label(train.shaped_at, remedies.train_reshaped_label(train.shape),
                                                     d.file),
                remedies.train_reshaped_note(f.x.shape), help_text, fix=fix, strong=True)


def _helper_setting_left_out(ctx, f) -> Optional[tuple]:
    """(validation call, edits, its new text) when the training and validation arrays come from two calls of one
    helper and the training call passes keyword settings the validation call leaves to their defaults."""
    val_node = f.call.node_of(0, "x")  # validation data: a call made of the (x, y) tuple given to fit
    train_node = next((feed.call.node_of(0, "x") for feed in ctx.feeds() if feed.model is f.model and
                       feed.x is f.train), None)
    made = [_made_by_call(ctx, n.id) if isinstance(n, ast.Name) else None for n in (train_node, val_node)]
    if None in made:
        return None
    train_call, val_call = made
    if ast.unparse(train_call.func) != ast.unparse(val_call.func):
        return None
    given = {k.arg for k in val_call.keywords}
    missing = [k for k in train_call.keywords if k.arg is not None and k.arg not in given]
    if not missing:
        return None
    edits = []
    for k in missing:
        edit = keyword_edit(val_call, k.arg, ast.get_source_segment(ctx.source, k.value) or ast.unparse(k.value))
        if edit is None:
            return None
        edits.append(edit)
    new = edited_text(ctx, Span.of(val_call), edits[0]) if len(edits) == 1 else None
    return val_call, edits, new or ast.unparse(val_call)


def _made_by_call(ctx, name: str) -> Optional[ast.Call]:
    """The call whose result ``name`` was assigned at module level (``X_val, y_val = prepare(val_frame)``), when
    it is assigned once."""
    tree = tree_of(ctx.lines)
    found = []
    for stmt in getattr(tree, "body", []):
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, ast.Call):
            t = stmt.targets[0]
            names = [t] if isinstance(t, ast.Name) else list(t.elts) if isinstance(t, ast.Tuple) else []
            if any(isinstance(n, ast.Name) and n.id == name for n in names):
                found.append(stmt.value)
    return found[0] if len(found) == 1 else None


def _reshape_beside(ctx, shaped_at, fed) -> Optional[tuple]:
    """(edit, the new line) that gives the validation data the training data's reshape on the line after it:
    ``x_train = x_train.reshape(-1, 28, 28, 1)`` -> ``x_val = x_val.reshape(-1, 28, 28, 1)``, when both are
    plain names and the reshape is a one-line statement of its own."""
    node = node_at(shaped_at, ctx.lines) if shaped_at is not None else None
    stmt = getattr(node, "_shapelint_parent", None)
    if not isinstance(fed, ast.Name) or not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or \
            not isinstance(stmt.targets[0], ast.Name) or stmt.lineno != stmt.end_lineno or \
            not isinstance(stmt.value, ast.Call) or getattr(stmt.value.func, "attr", None) != "reshape" or \
            not isinstance(stmt.value.func.value, ast.Name) or stmt.value.func.value.id != stmt.targets[0].id:
        return None
    train, val = stmt.targets[0].id, fed.id
    line = ctx.lines[stmt.lineno - 1]
    text = line[stmt.col_offset:].rstrip() if line[stmt.col_offset:].strip() else None
    if text is None or ";" in text or "#" in text:
        return None
    spelled = re.sub(rf"\b{re.escape(train)}\b", val, text)
    end = Span(stmt.lineno, len(line.encode()) + 1, stmt.lineno, len(line.encode()) + 1)
    return Edit(end, "\n" + line[:stmt.col_offset] + spelled), spelled


def label_column_in_table(ctx, d):
    """The model's first layer gets one feature more than it declares, and the data is a column selection of a
    table whose extra column was also taken on its own -- the labels. Widening the layer would train on the label
    (target leakage); the features must leave it out. Which spelling is right depends on how the columns were
    chosen, so the help says what to do and no edit is made."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "feature-count-mismatch" or not f.op.inputs:
        return
    inputs = f.inference.program.inputs
    if not inputs or f.op.inputs[0] is not inputs[0]:
        return
    expected, received = f.mismatch.expected, f.mismatch.received
    if not isinstance(expected, int) or not isinstance(received, int) or received != expected + 1:
        return
    # the data reaches the model through loaders and datasets that do not keep which columns it holds: look for the
    # module-level feature selection of that width whose table also gave one of its columns alone
    found = []
    for value in list(ctx.ev.module.vars.values()):
        meta = getattr(value, "meta", None)
        if not isinstance(meta, dict):
            continue
        chosen = meta.get("column_set")
        if chosen is None and meta.get("columns"):
            table, a, b, where = meta["columns"]
            chosen = (table, frozenset(range(a, b)), where)
        if chosen is None or len(chosen[1]) != received:
            continue
        taken = getattr(chosen[0], "meta", {}).get("single_columns", {})
        labels = [j for j in taken if j in chosen[1]]
        if len(labels) == 1:
            found.append((chosen, taken, labels[0]))
    if not found:
        yield from _whole_table_fed(ctx, d, received)
        return
    if len({id(c[0][2]) for c in found}) != 1:
        return
    (table, cols, where), taken, j = found[0]
    yield Cause("label-column", 88, Label(where, remedies.label_column_label(j, len(cols)), d.file),
                remedies.label_column_note(j, len(cols), f.mismatch.expected), remedies.leave_out_column(j),
                fix=None, secondary=[Label(taken[j], f"labels: column {j}", d.file)] if taken[j] else [],
                strong=True)


def adapted_on_other_data(ctx, d):
    """A Keras ``Normalization`` adapted on another array than the one the model feeds it -- the whole table with
    its label column (14 columns) while the model reads the 13 features: the statistics were learned where
    ``adapt`` was called, so that call is the mistake; adapting on the fed features fixes it."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "feature-count-mismatch" or \
            "adapted_at" not in f.op.layer.extra:
        return
    at = f.op.layer.extra["adapted_at"]
    call = call_at(ctx, at)
    model, _ = ctx.run_of(f.inference)
    trained = [node for fd in ctx.feeds() if fd.model is model and fd.call.callee_text.endswith(".fit")
               for node in [fd.call.node_of(0, "x")] if isinstance(node, ast.Name)]
    fed = trained[0] if len({n.id for n in trained}) == 1 else None  # the one array it is trained on
    text = ctx.segment(fed) if fed is not None and isinstance(fed, ast.Name) else None
    edit = Edit(Span.of(call.args[0]), text) if call is not None and call.args and text else None
    help_text = remedies.adapt_on_fed_data(text) if text else remedies.adapt_on_what_the_layer_reads(
        int(f.mismatch.expected), int(f.mismatch.received))
    yield Cause("adapted-data", 86, Label(at, remedies.adapted_label(int(f.mismatch.expected)), d.file),
                remedies.adapted_note(int(f.mismatch.expected), int(f.mismatch.received)), help_text,
                fix=Fix("unsafe", help_text, [edit]) if edit is not None else None, strong=True)


def ids_joined_to_features(ctx, d):
    """``torch.cat([states, actions], 1)`` with states (N, S) and actions (N,) class ids drawn below K, fed to a
    model built for S + K features (a GAIL discriminator, a Q-network over state-action pairs): the ids were meant
    one-hot, as the model's width -- and the expert data beside them -- say. Giving the ids an axis would run into a
    width of S + 1, or bend the model to it."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "torch" or not has(f.op.layer, "joins") or \
            f.mismatch.code != "merge-shape-mismatch" or len(f.op.inputs) != 2:
        return
    xs = [getattr(x, "shape", None) for x in f.op.inputs]
    if any(s is None for s in xs) or sorted(len(s) for s in xs) != [1, 2]:
        return
    k = 0 if len(xs[0]) == 1 else 1
    ids, features = f.op.inputs[k], f.op.inputs[1 - k]
    span = (f.op.layer.extra.get("input_spans") or [None, None])[k]
    made = ctx.ev.module.vars.get(ctx.text(span) or "") if span is not None else None  # the ids, by the name joined
    rng = made.meta.get("int_range") if getattr(made, "shape", None) == ids.shape else None
    if not rng or rng[0] != 0 or not isinstance(rng[1], int) or ids.dtype not in ("int64", "int32") or span is None \
            or ids.shape[0] != features.shape[0]:
        return
    width = _model_width(ctx, f.op)
    if width is None or int(features.shape[1]) + int(rng[1]) != width:
        return
    one_hot = spell("torch.nn.functional.one_hot", ctx.lines)
    count = module_spelling(ctx, rng[1])
    text = ctx.text(span)
    if one_hot is None or not text:
        return
    spelled = f"{one_hot}({text}, {count[0] if count else int(rng[1])}).float()"
    help_text = remedies.one_hot_ids(spelled)
    yield Cause("ids-one-hot", 85, Label(span, remedies.ids_for_one_hot_label(int(rng[1])), d.file),
                remedies.ids_for_one_hot_note(int(features.shape[1]), int(rng[1]), width), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, spelled)]), strong=True)


def _model_width(ctx, op) -> Optional[int]:
    """The input width of the model the joined tensor is given to (``discrim_net(torch.cat(...))``), as another
    call of it shows (its run on the expert data)."""
    node = node_at(op.layer.origin.span, ctx.lines, ast.Call) if op.layer.origin.span is not None else None
    parent = getattr(node, "_shapelint_parent", None)
    if not isinstance(parent, ast.Call) or not isinstance(parent.func, ast.Name) or node not in parent.args:
        return None
    model = ctx.ev.module.vars.get(parent.func.id)
    widths = {int(r.program.inputs[0].shape[-1]) for r in getattr(model, "runs", [])
              if r.program.inputs and getattr(r.program.inputs[0], "shape", None)
              and len(r.program.inputs[0].shape) == 2 and isinstance(r.program.inputs[0].shape[-1], int)}
    return widths.pop() if len(widths) == 1 else None


def helper_given_other_columns(ctx, d):
    """The data for prediction made by the same helper as the training data, but given another column list: the
    training windows come from ``rolling_block(games, STAT_COLS, ROLL)``, the new ones from ``rolling_block(upcoming,
    all_cols, ROLL)`` with ``all_cols`` every column of the frame -- the label among them -- so the model declared
    for 6 features gets 7. The call is the mistake; the fix passes the training call's columns. Only arguments that
    are lists of names or numbers are candidates (the data argument differs on purpose); the fix contract keeps the
    edit only if the script then runs."""
    f = d.facts
    if not isinstance(f, DataFacts) or f.x is None or f.x.shape is None:
        return
    scope = getattr(getattr(ctx.ev, "module", None), "vars", None) or {}
    names = [n for n, v in scope.items() if v is f.x]
    tree = tree_of(ctx.lines)
    value = module_value(tree, names[0]) if len(names) == 1 and tree is not None else None
    if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Name) or value.keywords:
        return
    siblings = [c for c in ast.walk(tree) if isinstance(c, ast.Call) and c is not value and
                isinstance(c.func, ast.Name) and c.func.id == value.func.id and len(c.args) == len(value.args) and
                not c.keywords]
    for sibling in siblings:
        for mine, theirs in zip(value.args, sibling.args):
            if not isinstance(mine, ast.Name) or not isinstance(theirs, ast.Name) or mine.id == theirs.id or \
                    not _names_or_numbers(scope.get(mine.id)) or not _names_or_numbers(scope.get(theirs.id)):
                continue
            help_text = remedies.pass_training_columns(theirs.id, ast.unparse(sibling))
            yield Cause("label-column", 83, Label(Span.of(mine), remedies.other_columns_label(mine.id), d.file),
                        remedies.other_columns_note(value.func.id, mine.id, theirs.id), help_text,
                        fix=Fix("unsafe", help_text, [Edit(Span.of(mine), theirs.id)]))
            return


def _names_or_numbers(v) -> bool:
    """A list or tuple of column names or numbers (a selection of columns), not data."""
    return isinstance(v, (list, tuple)) and bool(v) and all(isinstance(i, (str, int)) and not isinstance(i, bool)
                                                            for i in v)


def output_shape_declared_with_batch(ctx, d):
    """A model's input declared from another model's ``output_shape`` -- ``keras.Input(shape=base.output_shape)``,
    or through a helper's parameter -- which holds the batch axis too: (None, 4) makes inputs of (None, None, 4), and
    the model refuses the (None, 4) it is called on. Where ``output_shape`` is read is the mistake; the fix takes
    the shape of one sample, ``output_shape[1:]``. Adding an axis to the tensors would bend them to it."""
    f = d.facts
    if not isinstance(f, ModelCallFacts):
        return
    declared, given = getattr(f.declared, "shape", None), getattr(f.given, "shape", None)
    if declared is None or given is None or len(declared) != len(given) + 1 or len(declared) < 3 or \
            declared[1] is not None or tuple(declared[2:]) != tuple(given[1:]):
        return
    tree = tree_of(ctx.lines)
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "output_shape" and
             isinstance(n.ctx, ast.Load) and not isinstance(getattr(n, "_shapelint_parent", None), ast.Subscript)] \
        if tree is not None else []
    for read in reads:
        span = Span.of(read)
        spelled = f"{ctx.segment(read)}[1:]"
        help_text = remedies.declare_per_sample(spelled)
        yield Cause("batch-declared", 86, Label(span, remedies.output_shape_with_batch_label(), d.file),
                    remedies.output_shape_with_batch_note(tuple(declared), tuple(given)), help_text,
                    fix=Fix("unsafe", help_text, [Edit(Span(span.end_line, span.end_column, span.end_line,
                                                            span.end_column), "[1:]")]))
