"""Data fed to a model vs the input the model was built for.

Keras 3 (``Functional._adjust_input_rank``): data whose rank is one more than the declared input and ends in a
size-1 axis is squeezed; data one rank short of a declared input ending in 1 gets that axis added; any other rank
difference raises. Sizes are NOT compared at the model's input: the data flows through the layers, which were built
for the declared input, so a layer whose weights depend on a size that changed (Dense's input features, a conv's
channels) raises, while size-agnostic models (conv + global pooling) run fine. We replay exactly that: run the layers
on the declared input and on the data, and report the first layer that fails only on the data or whose weights
would differ (its parameter count changes).

PyTorch models have no declared input; their layers check the data directly. Here we only add where the data came
from to the diagnostics of the run it fed, and move a channels-last error to the data it is about.
"""
from __future__ import annotations

import ast
import copy
from typing import Optional

from ..core import provenance, roles
from ..core.dims import dim_ne, fmt_shape, is_known, prod
from ..core.names import compatible, element_roles, role_of_name
from ..core.infer import Inference
from ..core.program import Program, Span
from ..core.registry import has
from ..core.values import Tensor
from ..diagnostics import remedies
from ..diagnostics.fixes.source import declared_shape_node, enclosing, module_value, node_at, size_arguments, tree_of
from ..diagnostics.model import Edit, Fix, Label
from ..frontends.source.objects import LayerObj, TensorVal  # noqa: F401
from . import feature_axis
from .facts import DataFacts
from .report import emit, first_time, replace_fix, shape_text, span_text
from ..diagnostics.fixes.source import function_at, self_assignment_line
from ..diagnostics.fixes.calls import keyword_edit
from ..diagnostics.fixes.edits import append_edit


def adjust_rank(x: tuple, ref: tuple):
    """Keras' _adjust_input_rank on shapes: the adjusted data shape, or None when Keras raises."""
    if len(x) == len(ref):
        return x
    if len(x) == len(ref) + 1 and x[-1] == 1:
        return x[:-1]
    if len(x) == len(ref) - 1 and ref[-1] == 1:
        return x + (1,)
    return None


def _declared(model):
    """(declared input shape with batch axis, the run on it) of a Sequential or single-input Functional model."""
    decl = getattr(model, "input_shape", None)
    if decl is None:
        ins = getattr(model, "inputs", None)
        if isinstance(ins, (list, tuple)) and len(ins) == 1:
            ins = ins[0]
        if isinstance(ins, TensorVal) and ins.shape is not None:
            decl = tuple(ins.shape)
    if decl is None:
        return None, None
    for r in model.runs:
        if r.key != ("?",) and r.program.inputs and isinstance(r.program.inputs[0], Tensor) \
                and r.program.inputs[0].shape is not None and tuple(r.program.inputs[0].shape) == tuple(decl):
            return tuple(decl), r
    return tuple(decl), None


def _replay(ev, run, shape):
    """Replay the ops of ``run`` on an input of ``shape`` (following producers, so functional DAGs replay too):
    per op (op, params on the new input, errors) until the first failure; None if the replay cannot follow."""
    inf = Inference(Program("<data>", run.program.framework), ev.lines)
    mapping = {id(run.program.inputs[0]): Tensor(tuple(shape))}
    out = []
    for op in run.program.ops:
        new_inputs = []
        for v in op.inputs:
            if id(v) not in mapping:
                return None
            new_inputs.append(mapping[id(v)])
        layer = op.layer
        saved = (layer.params, dict(layer.extra), list(layer.warnings))
        layer.params = None
        n = len(inf.diagnostics)
        try:
            res = inf.apply(layer, new_inputs)
            params = layer.params
        finally:
            layer.params, layer.extra, layer.warnings = saved
        errs = [d for d in inf.diagnostics[n:] if d.severity == "error"]
        out.append((op, params, errs, new_inputs))
        if errs:
            break
        mapping[id(op.output)] = res
    return out


def check_keras(ev, model, x, call, labels=None, train=None) -> None:
    """Data ``x`` fed by ``call`` (predict / fit / model(x)) to a Keras model with a declared input; ``labels`` are
    the labels fit() got with it (for the root-cause analysis: a label column left among the features); ``train``
    the training data fit() got beside ``x`` when ``x`` is its validation data."""
    if not isinstance(x, TensorVal) or x.shape is None or getattr(model, "uncertain", False):
        return
    if x.lib == "keras":
        return  # a model used as a layer on a symbolic tensor: keras_api checks it as Keras does (SHP151)
    decl, run = _declared(model)
    if decl is None:
        return
    xs = tuple(x.shape)
    origin = (x.origin.line, x.origin.column) if x.origin is not None else None
    if not first_time(ev, (id(model), xs[1:], tuple(decl), origin)):  # fit(X) then predict(X[:3])
        return
    data_node = call.node_of(0, "x")
    data_span = Span.of(data_node) or Span.of(call.node)
    decl_span = declared_span(model)
    secondary = [(x.origin, f"data {shape_text(xs)} made here"), (decl_span, f"input declared as {shape_text(decl)}")]
    typed = DataFacts(model, x, call, tuple(decl), decl_span, labels, train)
    adjusted = adjust_rank(xs, decl)
    if adjusted is None:
        planes = _colour_planes(ev, model, call, xs, decl)
        emit(ev, "data-input-mismatch", data_span, f"shape {shape_text(xs)}", secondary=secondary,
             model=model.display_name, expected_shape=shape_text(decl), received_shape=shape_text(xs),
             detail=f"has {len(xs)} axes where the model expects {len(decl)}",
             remedy=planes[0] if planes else _rank_remedy(xs, decl),
             fix=planes[1] if planes else _data_fix(ev, call, x, decl, decl_span), typed=typed)
        return
    if _length_per_batch(ev, model, x, xs, decl, decl_span, data_span, call, secondary, typed):
        return
    if not any(dim_ne(a, b) for a, b in zip(adjusted[1:], decl[1:])):
        if run is not None:
            _channels_first_images(ev, model, x, run, decl_span)
            _signals_as_steps(ev, model, x, run, call)
            _named_axes_against_reader(ev, model, x, run)
        _label_among_features(ev, model, x, labels)
        return
    if getattr(model, "input_shape", None) is None:
        # keras.Model(inputs, outputs) checks its InputSpec (a trailing size-1 axis aside): every known size must
        # match. A Sequential calls its layers directly, so only the layers' own contracts apply (below).
        bad = [i + 1 for i, (a, b) in enumerate(zip(adjusted[1:], decl[1:])) if dim_ne(a, b)]
        planes = _colour_planes(ev, model, call, xs, decl)
        emit(ev, "data-input-mismatch", data_span, f"shape {shape_text(xs)}", secondary=secondary,
             model=model.display_name, expected_shape=shape_text(decl), received_shape=shape_text(xs),
             detail=f"differs on axis {', '.join(str(i) for i in bad)}, and a functional model checks its input "
                    "shape", remedy=planes[0] if planes else _size_remedy(xs, decl),
             fix=planes[1] if planes else _data_fix(ev, call, x, decl, decl_span), typed=typed)
        return
    if run is None:
        return
    if any(op.status == "error" for op in run.program.ops):
        return  # the model fails on its own declared input: its rules report that
    replay = _replay(ev, run, (xs[0],) + tuple(adjusted[1:]))
    if replay is None:
        return
    for op, params, errs, new_inputs in replay:
        layer = op.layer
        built = op.inputs[0] if op.inputs else None
        if errs:
            detail = f"fails in `{layer.label}`: {errs[0].message}"
        elif is_known(params) and is_known(layer.params) and params != layer.params:
            detail = (f"reaches `{layer.label}` as {shape_text(new_inputs[0])}, which its weights, built for "
                      f"{shape_text(built)}, do not fit")
        else:
            continue
        emit(ev, "data-input-mismatch", data_span, f"shape {shape_text(xs)}",
             secondary=secondary + [(layer.origin.span, f"built for {shape_text(built)}")],
             model=model.display_name, expected_shape=shape_text(decl), received_shape=shape_text(xs),
             detail=detail, remedy=_size_remedy(xs, decl), fix=_data_fix(ev, call, x, decl, decl_span),
             typed=typed)
        return


def _length_per_batch(ev, model, x, xs, decl, decl_span, data_span, call, secondary, typed) -> bool:
    """Token ids from a ``TextVectorization`` without ``output_sequence_length``: each batch is padded to its longest
    text, so its length changes from batch to batch, while the model declares a fixed length (an Embedding ->
    Flatten -> Dense head needs one): a batch whose longest text is not exactly that long fails. The vectorizer is
    the mistake; the fix gives it the declared length."""
    layer = x.meta.get("length_per_batch")
    if layer is None or len(xs) != 2 or len(decl) != 2 or xs[1] is not None or not isinstance(decl[1], int):
        return False
    shape = declared_shape_node(decl_span, ev.lines)
    elts = getattr(shape, "elts", None)
    spelled = span_text(ev, Span.of(elts[0])) if elts and len(elts) == 1 else None
    ctor = node_at(layer.origin.span, ev.lines, ast.Call) if layer.origin.span is not None else None
    edit = keyword_edit(ctor, "output_sequence_length", spelled or str(decl[1]), ev.lines) \
        if isinstance(ctor, ast.Call) else None
    fix = Fix("unsafe", remedies.fixed_sequence_length(spelled or str(decl[1])), [edit]) if edit else None
    emit(ev, "data-input-mismatch", layer.origin.span, "pads each batch to its longest text",
         secondary=[(data_span, "token ids of varying length fed here"), (decl_span, f"input declared as "
                    f"{shape_text(decl)}")], model=model.display_name, expected_shape=shape_text(decl),
         received_shape=shape_text(xs), detail=f"has as many tokens as the longest text of each batch, where the "
         f"model expects exactly {decl[1]}", remedy=remedies.fixed_sequence_length(spelled or str(decl[1])),
         fix=fix, typed=typed)
    return True


def check_keras_inputs(ev, model, given, call) -> None:
    """fit / evaluate / predict given one array per input of a multi-input functional model -- a dict keyed by the
    Inputs' names, or a list in their order: Keras checks each array against its Input's declared shape."""
    inputs = [i for i in _flat(getattr(model, "inputs", None)) if isinstance(i, TensorVal) and i.shape is not None]
    node = call.node_of(0, "x")
    if len(inputs) < 2 or getattr(model, "uncertain", False):
        return
    pairs = []  # (array, its Input, the node that passes it)
    if isinstance(given, dict):
        keys = {k.value: v for k, v in zip(getattr(node, "keys", []) or [], getattr(node, "values", []) or [])
                if isinstance(k, ast.Constant)}
        for inp in inputs:
            name = inp.meta.get("input_name")
            if name in given:
                pairs.append((given[name], inp, keys.get(name)))
    elif isinstance(given, (list, tuple)) and len(given) == len(inputs):
        elts = list(getattr(node, "elts", []) or [None] * len(given))
        pairs = list(zip(given, inputs, elts if len(elts) == len(given) else [None] * len(given)))
    for x, inp, at in pairs:
        if not isinstance(x, TensorVal) or x.shape is None or x.lib == "keras":
            continue
        xs, decl = tuple(x.shape), tuple(inp.shape)
        adjusted = adjust_rank(xs, decl)
        if adjusted is not None and not any(dim_ne(a, b) for a, b in zip(adjusted[1:], decl[1:])):
            continue
        name = inp.meta.get("input_name") or f"input {inputs.index(inp)}"
        if not first_time(ev, (id(model), name, xs[1:], tuple(decl))):
            continue
        decl_span = Span.of(inp.meta.get("node"))
        bad = [i + 1 for i, (a, b) in enumerate(zip(adjusted[1:], decl[1:])) if dim_ne(a, b)] if adjusted else []
        detail = f"differs on axis {', '.join(str(i) for i in bad)}" if bad else \
            f"has {len(xs)} axes where the input expects {len(decl)}"
        emit(ev, "data-input-mismatch", Span.of(at) or Span.of(call.node), f"`{name}`: shape {shape_text(xs)}",
             secondary=[(x.origin, f"data {shape_text(xs)} made here"),
                        (decl_span, f"`{name}` declared as {shape_text(decl)}")],
             model=model.display_name, expected_shape=shape_text(decl), received_shape=shape_text(xs),
             detail=f"{detail} (the array for `{name}`)", remedy=_size_remedy(xs, decl),
             typed=DataFacts(model, x, call, decl, decl_span))


def _flat(v) -> list:
    if isinstance(v, (list, tuple)):
        return [x for i in v for x in _flat(i)]
    if isinstance(v, dict):
        return [x for i in v.values() for x in _flat(i)]
    return [v]


def _first_reader(run):
    """The run's first op when it reads the run's input (the layer whose layout the data must have), else None."""
    ops, inputs = run.program.ops, run.program.inputs
    return ops[0] if ops and inputs and ops[0].inputs[:1] == [inputs[0]] else None


def declared_span(model) -> Optional[Span]:
    node = getattr(model, "node", None)
    if node is not None:  # keras.Input(shape=...) written in the Sequential([...]) list
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call):
                f = sub.func
                name = f.attr if isinstance(f, ast.Attribute) else (f.id if isinstance(f, ast.Name) else "")
                if name in ("Input", "InputLayer"):
                    return Span.of(sub)
    note_node = None
    for item in getattr(model, "layers", [])[:1]:
        if isinstance(item, LayerObj):
            for k in ("input_shape", "input_dim", "batch_input_shape"):
                if k in item.layer.arg_spans:
                    return item.layer.arg_spans[k]
            note_node = item.layer.origin.span
    ins = getattr(model, "inputs", None) or getattr(model, "added_input", None)
    if isinstance(ins, (list, tuple)) and len(ins) == 1:
        ins = ins[0]
    if isinstance(ins, TensorVal) and ins.meta.get("node") is not None:
        return Span.of(ins.meta["node"])
    return note_node


_CHANNELS_LAST_READERS = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D", "Conv2DTranspose")
_COLOUR_PLANES = (1, 3, 4)  # grey, RGB, RGBA
_MIN_SIDE = 16


def _channels_first_images(ev, model, x, run, decl_span) -> None:
    """Images laid out (N, 3, 48, 48) and a model declared for exactly that, whose first conv reads channels last
    (Keras' default): it takes the 48 columns as channels and convolves 3x48 "images". It runs (``padding="same"``
    keeps it going) and learns nothing useful. Reported only for the unmistakable layout -- 1, 3 or 4 planes of at
    least 16x16 -- where the data's layout was set, with the axis move undone when that is what set it."""
    xs = tuple(x.shape)
    if len(xs) != 4 or not all(_plain_int(v) for v in xs[1:]):
        return
    c, h, w = xs[1:]
    if c not in _COLOUR_PLANES or h < _MIN_SIDE or w < _MIN_SIDE:
        return
    first = next((op for op in run.program.ops if op.layer.kind in _CHANNELS_LAST_READERS), None)
    if first is None or first.layer.args.get("data_format") == "channels_first" or not first.inputs or \
            getattr(first.inputs[0], "shape", None) is None or tuple(first.inputs[0].shape[1:]) != (c, h, w):
        return
    if not first_time(ev, ("channels_first_images", id(model))):
        return
    where = x.shaped_at or x.origin
    fix = _undo_axis_move(ev, where) or _channels_last_at(ev, where, c)
    returned = _returned_by_loader(ev, where) if fix is None else None
    handed = []  # where the fix moves the axes, when that is not where the layout was written
    if returned is not None:  # made inside a loader and worked on there: move the axes as it hands them over
        at, name = returned
        fix = replace_fix(at, f"{name}.transpose(0, 2, 3, 1)", "move the planes last where the loader returns "
                          "them: `.transpose(0, 2, 3, 1)`")
        handed = [(at, "handed over channels-first here")] if where is not None and at.line != where.line else []
        where = where if handed else at
    declared = _declared_planes_last(ev, decl_span)
    if fix is not None and fix.edits and declared is not None:  # the model was declared for the planes first too
        fix = Fix(fix.applicability, f"{fix.title}, and declare the input channels-last", fix.edits + [declared])
    emit(ev, "channels-first-images", where, f"images laid out {shape_text(xs)} here",
         secondary=handed + [(first.layer.origin.span, f"reads (batch, height={c}, width={h}, channels={w})"),
                             (decl_span, f"input declared as {shape_text((None, c, h, w))}")],
         model=model.display_name, received_shape=shape_text(xs), layer=first.layer.label, planes=f"{c} plane{'s' if c > 1 else ''}", rows=c, side=h,
         channels=w, received_json=list(xs),
         remedy=(f"keep the images channels-last: {fix.title}" if fix is not None else
                 "make the images channels-last before the model: `x.transpose(0, 2, 3, 1)`"),
         fix=fix)


def _declared_planes_last(ev, decl_span) -> Optional[Edit]:
    """The input declared as the images are, (C, H, W) written as a tuple (``keras.Input(shape=(1, 28, 28))``, or a
    module-level ``input_shape = (1, 28, 28)`` it names), rewritten (H, W, C): moving the data's planes last alone
    would leave the model declared for the old layout."""
    node = declared_shape_node(decl_span, ev.lines)
    if isinstance(node, ast.Name):
        node = module_value(tree_of(ev.lines), node.id)
    if not isinstance(node, (ast.Tuple, ast.List)) or len(node.elts) != 3:
        return None
    texts = [ast.get_source_segment(ev.source, e) for e in node.elts]
    if None in texts:
        return None
    opened, closed = ("(", ")") if isinstance(node, ast.Tuple) else ("[", "]")
    return Edit(Span.of(node), f"{opened}{texts[1]}, {texts[2]}, {texts[0]}{closed}")


def _returned_by_loader(ev, made):
    """(span, name) of ``tiles`` in the one ``return tiles, labels`` of the function where the images were made
    (``tiles = ...`` at ``made``): the loader's own code keeps its (N, C, H, W) indexing, its callers get them
    channels-last."""
    node = node_at(made, ev.lines) if made is not None else None
    stmt = enclosing(node, (ast.Assign,)) if node is not None else None
    fn = enclosing(stmt, (ast.FunctionDef,)) if stmt is not None else None
    if fn is None or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
        return None
    name = stmt.targets[0].id
    returns = [n for n in ast.walk(fn) if isinstance(n, ast.Return) and n.value is not None]
    if len(returns) != 1:
        return None
    value = returns[0].value
    items = value.elts if isinstance(value, ast.Tuple) else [value]
    hit = [v for v in items if isinstance(v, ast.Name) and v.id == name]
    return (Span.of(hit[0]), name) if len(hit) == 1 else None


def _channels_last_at(ev, span, planes: int):
    """Where a whole (N, C, H, W) array is made by a reshape: one plane is moved last in the reshape itself
    (``reshape(n, 1, 28, 28)`` -> ``reshape(n, 28, 28, 1)``: the same values); several planes are stored one after
    the other, so the reshape stays and the axes are moved after it (``.transpose(0, 2, 3, 1)``)."""
    call = node_at(span, ev.lines, ast.Call) if span is not None else None
    if call is None or not isinstance(call.func, ast.Attribute) or call.func.attr != "reshape" or call.keywords:
        return None
    dims = call.args[0].elts if len(call.args) == 1 and isinstance(call.args[0], (ast.Tuple, ast.List)) \
        else call.args
    if len(dims) != 4 or _is_module(call.func.value) or span.line != span.end_line:
        return None
    if planes == 1:  # the test images reshaped the same way beside the training images move with them
        first = _plane_last(ev, dims)
        if first is None:
            return None
        others = [_plane_last(ev, size_arguments(other)) for other in _same_reshapes(ev, call)]
        return Fix("unsafe", "put the plane last in the reshape", [first] + [e for e in others if e is not None])
    text = span_text(ev, span)
    return replace_fix(span, f"{text}.transpose(0, 2, 3, 1)", "move the planes last with `.transpose(0, 2, 3, 1)`")


def _plane_last(ev, dims) -> Optional[Edit]:
    """``(n, 1, ROWS, COLS)`` -> ``(n, ROWS, COLS, 1)`` (written on one line), or None."""
    texts = [ast.get_source_segment(ev.source, d) for d in dims] if len(dims) == 4 else [None]
    if None in texts:
        return None
    first, last = Span.of(dims[0]), Span.of(dims[-1])
    if first.line != last.end_line:
        return None
    return Edit(Span(first.line, first.column, last.end_line, last.end_column),
                f"{texts[0]}, {texts[2]}, {texts[3]}, {texts[1]}")


def label_among_paired_features(ev) -> None:
    """``TensorDataset(X, y)``: features and labels paired for training, the labels a column of the table the
    features were sliced from -- the same leak as a Keras fit(), found without following the loader to a loss."""
    for x, labels in ev.state.paired_data:
        _label_among_features(ev, None, x, labels)
    for out, labels in ev.state.loss_pairs:  # loss(model(X_train), y_train): the same pairing
        value = getattr(out, "value", None)
        for model, x, call in ev.state.fed_data:
            if any(r.output is value for r in model.runs_fed(x)):
                _label_among_features(ev, model, x, labels)


def _cloud_points(ev, dims, xs, named) -> list:
    """A point cloud laid (n, 3, NUM_POINTS) or (n, NUM_POINTS, 3): the axis named for the points is the length
    (the set a shared per-point layer runs over) -- but only beside an axis of 2 or 3 coordinates. "points" alone is
    no length word (``n_points`` samples, 42 hand-landmark coordinates per frame)."""
    coords = [k for k in range(1, len(xs)) if xs[k] in (2, 3)]
    points = [k for k in range(1, len(xs)) if named[k] is None and k < len(dims) and
              "point" in ev.text(dims[k]).lower()]
    if len(coords) != 1 or len(points) != 1 or len(xs) != 3:
        return named
    out = list(named)
    out[points[0]] = roles.T
    return out


def _label_among_features(ev, model, x, labels) -> None:
    """``X = rows[:, 1:]`` and ``y = rows[:, -1]``: the label column is among the features, and a model declared from
    the data (``Input(shape=(X.shape[1],))``) takes it without complaint -- target leakage. Reported at the features'
    slice, fixed by moving the bound that lets the label in."""
    if _label_in_frame_columns(ev, model, x, labels):
        return
    cols = x.meta.get("columns")
    col = labels.meta.get("column") if isinstance(labels, TensorVal) else None
    if col is None and isinstance(labels, TensorVal) and labels.meta.get("columns"):
        table, a, b, where = labels.meta["columns"]
        col = (table, a, where) if b == a + 1 else None  # `y = data[:, -1:]`: one column, its axis kept
    if cols is None and col and col[0] is x and x.shape is not None and len(x.shape) == 2:
        cols = (x, 0, x.shape[1], x.origin)  # the whole table as the features
    if not cols or not col or cols[0] is not col[0]:
        return
    _, a, b, where = cols
    j = col[1]
    if not a <= j < b or j not in (a, b - 1) or b - a < 2:
        return
    if not first_time(ev, ("label_among_features", id(model), where)):
        return
    index = node_at(where, ev.lines) if where is not None else None
    sl = index.elts[1] if isinstance(index, ast.Tuple) and len(index.elts) == 2 else None
    edit = None
    if isinstance(sl, ast.Slice) and j == b - 1:
        edit = Edit(Span.of(sl.upper), "-1") if sl.upper is not None else \
            Edit(Span(Span.of(sl).end_line, Span.of(sl).end_column, Span.of(sl).end_line, Span.of(sl).end_column),
                 "-1")
    elif isinstance(sl, ast.Slice) and j == a:
        edit = Edit(Span.of(sl.lower), str(a + 1)) if sl.lower is not None else \
            Edit(Span(Span.of(sl).line, Span.of(sl).column, Span.of(sl).line, Span.of(sl).column), str(a + 1))
    sub = getattr(index, "_shapelint_parent", None)
    at = Span.of(sub) if isinstance(sub, ast.Subscript) else where
    secondary = [(col[2], f"labels: column {j}")]
    width = _shared_width(ev, sl.upper) if isinstance(sl, ast.Slice) and j == b - 1 else None
    if width is not None:  # `N_FEATURES = raw.shape[1]` also sizes the first layer: it is what counts the label
        secondary.insert(0, (at, f"features: columns {a}..{b - 1}"))
        at, edit = Span.of(width), Edit(Span.of(width), f"{ast.get_source_segment(ev.source, width)} - 1")
    emit(ev, "label-among-features", at, f"columns {a}..{b - 1}, with the labels' column {j}",
         secondary=secondary, model=getattr(model, "display_name", None), column=j,
         first=a, last=b - 1,
         received_json=[a, b, j], remedy="leave the label column out of the features",
         fix=Fix("unsafe", "leave the label column out of the features", [edit]) if edit is not None else None)


def _shared_width(ev, bound):
    """The value of ``N_FEATURES = raw.shape[1]`` when the features' slice ends at ``N_FEATURES`` and the name is
    read elsewhere too (``nn.Linear(N_FEATURES, 32)``): leaving the label out of the slice alone would leave the
    layer one input too wide, so the count is fixed where it is made. None for a literal bound or a name read once."""
    if not isinstance(bound, ast.Name):
        return None
    tree = tree_of(ev.lines)
    value = module_value(tree, bound.id)
    if value is None or not isinstance(value, (ast.Attribute, ast.Subscript, ast.Call, ast.Name, ast.BinOp)) or \
            ast.get_source_segment(ev.source, value) is None:
        return None
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == bound.id and isinstance(n.ctx, ast.Load)]
    # another slice by the same count (`raw[:, N_FEATURES - 1:]` for the labels) would move with it: no edit then
    sliced = [n for n in reads if n is not bound and enclosing(n, (ast.Subscript,)) is not None]
    return value if len(reads) > 1 and not sliced else None


def _label_in_frame_columns(ev, model, x, labels) -> bool:
    """``X = df.drop(columns=["customer_id"]).values`` and ``y = df[TARGET].values``: the label column was not
    dropped with the id, and a model declared from ``X.shape[1]`` reads its own target. Reported where the features
    are taken; fixed by dropping the label column there too."""
    frame_cols = x.meta.get("frame_columns")
    label = labels.meta.get("frame_column") if isinstance(labels, TensorVal) else None
    if not frame_cols or not label or frame_cols[0] is not label[0] or label[1] not in frame_cols[1] or \
            len(frame_cols[1]) < 2 or not x.shape or len(x.shape) != 2 or x.shape[1] != len(frame_cols[1]):
        return False  # a slice of the table (`data[:, :-1]`) no longer holds those columns
    taken = frame_cols[2]
    if not first_time(ev, ("label_in_frame", id(model), taken)):
        return True
    node = node_at(taken, ev.lines) if taken is not None else None
    node = enclosing(node, (ast.stmt,)) if node is not None else None  # the statement that takes the features
    drop = next((n for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and
                 n.func.attr == "drop"), None) if node is not None else None
    dropped = next((k.value for k in drop.keywords if k.arg == "columns"), None) if drop is not None else None
    made = node_at(labels.origin, ev.lines) if labels.origin is not None else None
    key = next((n.slice for n in ast.walk(made) if isinstance(n, ast.Subscript)), None) if made is not None else None
    key_text = ev.text(key) if key is not None else None
    fix = None
    if isinstance(dropped, ast.List) and dropped.elts and key_text:
        end = Span.of(dropped.elts[-1])
        remedy = f"drop the label column with the others: `{key_text}`"
        fix = Fix("unsafe", remedy, [Edit(Span(end.end_line, end.end_column, end.end_line, end.end_column),
                                          f", {key_text}")])
    iloc = next((n for n in ast.walk(node) if isinstance(n, ast.Subscript) and isinstance(n.value, ast.Attribute)
                 and n.value.attr == "iloc"), None) if node is not None and drop is None else None
    frame_text = ev.text(iloc.value.value) if iloc is not None else None
    key_text = key_text or (f'"{label[1]}"' if isinstance(label[1], str) else None)
    if iloc is not None and frame_text and key_text and _all_rows(iloc):
        if _all_but_last(iloc):  # `df.iloc[:, :-1]` assumed the label was last: select the features by name
            new = f"{frame_text}.drop(columns=[{key_text}])"
        else:  # columns the user left out on purpose (an id, a hash) stay out: only the label is dropped too
            new = f"{ev.text(iloc)}.drop(columns=[{key_text}])"
        remedy = remedies.select_without_label(new)
        fix = Fix("unsafe", remedy, [Edit(Span.of(iloc), new)])
    names = ", ".join(f"`{c}`" for c in frame_cols[1])
    emit(ev, "label-among-features", taken, f"the features keep the column `{label[1]}`", variant="named",
         secondary=[(labels.origin, f"labels: the column `{label[1]}`")], model=getattr(model, "display_name", None),
         names=names, column=label[1], received_json=list(frame_cols[1]),
         remedy=fix.title if fix is not None else f"leave `{label[1]}` out of the features", fix=fix)
    return True


def _all_but_last(iloc) -> bool:
    """``df.iloc[:, :-1]`` or ``df.iloc[:, :]``: every column but the last, or every column."""
    cols = iloc.slice.elts[1]
    upper = cols.upper if isinstance(cols, ast.Slice) else None
    return isinstance(cols, ast.Slice) and cols.lower is None and cols.step is None and (
        upper is None or isinstance(upper, ast.UnaryOp) and isinstance(upper.op, ast.USub) and
        isinstance(upper.operand, ast.Constant) and upper.operand.value == 1)


def _all_rows(iloc) -> bool:
    """``df.iloc[:, cols]``: every row, columns by position."""
    parts = iloc.slice.elts if isinstance(iloc.slice, ast.Tuple) else []
    return len(parts) == 2 and isinstance(parts[0], ast.Slice) and parts[0].lower is None and \
        parts[0].upper is None and parts[0].step is None


_STEP_READERS = ("LSTM", "GRU", "SimpleRNN", "Bidirectional", "Conv1D", "SeparableConv1D", "ConvLSTM1D")


def _signals_as_steps(ev, model, x, run, call) -> None:
    """Separate signals (N, T) stacked on axis 1 -- ``np.stack([acc_x, acc_y, acc_z], axis=1)`` is (N, 3, T) -- fed
    to a model whose first layer reads (batch, steps, features): an RNN or a channels-last Conv1D. It runs over 3
    "steps" of T "features". Reported at the stack; the fix stacks on the last axis."""
    k = x.meta.get("stacked_signals")
    xs = tuple(x.shape)
    if not isinstance(k, int) or len(xs) != 3 or xs[1] != k or not _plain_int(xs[2]) or xs[2] <= k:
        return
    first = next((op for op in run.program.ops if op.layer.kind in _STEP_READERS), None)
    if first is None or first.index != 0 or first.layer.args.get("data_format") == "channels_first":
        return
    if not first_time(ev, ("signals_as_steps", id(model))):
        return
    where = x.shaped_at or x.origin
    emit(ev, "signals-stacked-as-steps", where, f"{k} signals stacked on axis 1", typed=None,
         secondary=[(first.layer.origin.span, f"reads (batch, steps={k}, features={xs[2]})")],
         model=model.display_name, received_shape=shape_text(xs), signals=k, steps=xs[2], layer=first.layer.label,
         received_json=list(xs), remedy=f"stack the signals on the last axis (`axis=-1`): ({xs[0]}, {xs[2]}, {k})",
         fix=_stack_last_fix(ev, where))


_ROLE_WORDS = {roles.C: "channels", roles.F: "features", roles.T: "steps", roles.S: "steps"}


def _named_axes_against_reader(ev, model, x, run) -> None:
    """The data is made with named sizes -- ``np.random.randn(n, N_CHANNELS, N_STEPS)`` -- in another order than the
    first layer reads: a channels-last ``Conv1D`` (batch, steps, channels) given (batch, channels, steps) slides
    over the 9 channels and takes the 128 steps for channels. A model declared from the data
    (``Input(shape=x.shape[1:])``) runs. Only when the names of two axes say they are each other's (a name says
    nothing of an axis named ``n`` or ``dim2``); reported at the data, fixed by a transpose there."""
    site = getattr(x, "shaped_at", None)
    call = node_at(site, ev.lines, ast.Call) if site is not None else None
    xs = tuple(x.shape)
    if site is None or len(xs) < 3 or getattr(model, "uncertain", False):
        return
    dims = size_arguments(call) if call is not None else []
    named = element_roles(ast.Tuple(elts=dims)) if len(dims) == len(xs) else None
    if named is not None:  # `(trainX.shape[0], 1, trainX.shape[1])` says nothing; the windows' LOOK_BACK does
        named = [r if r is not None else _constant_role(ev, d) for r, d in zip(named, xs)]
        named = _cloud_points(ev, dims, xs, named)
    by_declaration = _declared_names(ev, model, xs) if named is None or not any(named[1:]) else None
    if by_declaration is not None:  # data made without names (a signal computed), a model declared with them
        named, site = by_declaration[0], x.origin or site
    first = _first_reader(run)
    read = roles.reads(first.layer, len(xs)) if first is not None else None
    if named is None or read is None or len(read) != len(xs) or read.count(roles.S) >= 2:
        return  # (a 2-D conv reads images: channels-first planes are _channels_first_images' to say)
    # a pair of axes named as each other's roles; or one axis named channels (an EEG's electrodes) read as steps,
    # where the other axis's name says nothing -- features read as steps is a common, deliberate Conv1D over columns
    # -- or a length read as channels beside an axis of one step: ``x.reshape(n, 1, SEQ_LEN)`` for a Conv1D / RNN,
    # every window one step of SEQ_LEN features (or beside an unnamed axis read as the steps)
    # -- or named features that a batch norm takes for a length: ``nn.BatchNorm1d(NUM_REGIONS)`` on (batch,
    # regions, features) keeps statistics per region, over the features; nobody normalises a feature vector that way
    per_channel = has(first.layer, "statistics_per_channel")
    if per_channel and feature_axis.norm_over_steps_owned(run, first):
        return  # BatchNorm1d on (batch, steps, features) that the layer after it reads as such: SHP203 says it
    pairs = [(i, j) for i in range(1, len(xs)) for j in range(1, len(xs))
             if i != j and compatible(named[i], read[j]) and compatible(named[i], read[i]) is False and
             xs[i] != xs[j] and
             ((xs[j] != 1 and (compatible(named[j], read[i]) or (named[j] is None and named[i] == roles.C))) or
              (xs[j] == 1 and named[j] is None and named[i] == roles.T and read[i] in (roles.C, roles.F)) or
              # a cloud's points (``NUM_POINTS``) read as channels while its coordinates are read as the steps: a
              # channels-first (n, 3, NUM_POINTS) cloud into a channels-last Conv1D slides over the 3 coordinates
              (xs[j] in (2, 3) and named[j] is None and named[i] == roles.T and read[i] in (roles.C, roles.F) and
               read[j] in (roles.T, roles.S)) or
              (xs[j] != 1 and named[j] is None and named[i] == roles.F and read[i] == roles.S and per_channel))]
    pairs = sorted({tuple(sorted(p)) for p in pairs})
    if len(pairs) != 1 or any(compatible(named[k], read[k]) is False for k in range(1, len(xs)) if k not in pairs[0]):
        return
    i, j = pairs[0]
    if named[i] is None:
        i, j = j, i
    order = list(range(len(xs)))
    order[i], order[j] = j, i
    if not first_time(ev, ("named_axes", id(model))):
        return
    if per_channel and named[i] == roles.F and read[i] == roles.S and named[j] is None:
        _norm_over_positions(ev, model, first, site, xs, i, j)
        return
    laid = list(named)
    laid[j] = laid[j] or read[i]  # the unnamed axis holds what the channels' axis is read as
    layout = ", ".join(["batch"] + [_ROLE_WORDS.get(r, "?") for r in laid[1:]])
    reads = ", ".join(["batch"] + [_ROLE_WORDS.get(r, "?") for r in read[1:]])
    text = span_text(ev, site)
    suffix = f".transpose{tuple(order)}" if x.lib == "numpy" else f".permute{tuple(order)}"
    fix = replace_fix(site, f"{text}{suffix}", f"move the axes to ({reads}) with `{suffix[1:]}`") \
        if text is not None else None
    remedy = f"move the axes of the data to ({reads}): `{suffix[1:]}` where it is made"
    if 1 in (xs[i], xs[j]) and _is_reshape(call) and len(dims) == len(xs):  # moving an axis of one: reorder
        edit = swap_elements(ev, dims, i, j)
        if edit is not None:
            remedy = f"reshape in the order the layer reads ({reads}): `{edit.text}`"
            edits = [edit] + _same_reshape_elsewhere(ev, call, i, j)
            declared = _declaredswap_elements(ev, model, i, j) if model.framework == "keras" else None
            if declared is not None:  # `Input(shape=(1, LOOK_BACK))` was written for the same misread layout
                edits.append(declared)
                remedy += f", and declare the input in that order: `({declared.text})`"
            size_span = first.layer.arg_spans.get("input_size") if model.framework == "torch" else None
            resized = size_span is not None and first.layer.args.get("input_size") == xs[i] and xs[j] == 1
            if resized:  # `nn.LSTM(input_size=LOOK_BACK)`: the length passed where the features go, not LOOK_BACK
                edits.append(Edit(size_span, "1"))
                remedy += f", and give `{first.layer.label}` the one feature per step: `input_size=1`"
            fix = Fix("unsafe", remedy, edits, replaces_name=resized)
    failing = any(d.severity == "error" for op in run.program.ops for d in op.diagnostics)
    label, secondary = f"({layout}) by its names", [(first.layer.origin.span, f"reads ({reads})")]
    if by_declaration is not None:  # the names are the declaration's: it and the data are moved together
        swapped = _declaredswap_elements(ev, model, i, j)
        if swapped is None or fix is None or not fix.edits:
            return
        remedy = f"{remedy}, and declare the input in that order: `({swapped.text})`"
        fix = Fix("unsafe", remedy, list(fix.edits) + [swapped])
        secondary = [(site, f"data {shape_text(xs)} handed over here")] + secondary
        site, label = by_declaration[1], f"declared ({layout}) by its names"
    if xs[j] == 1 and named[i] == roles.T:
        label = f"each window made one step of {xs[i]} {_ROLE_WORDS[read[i]]}"
    bent = _count_bent_to_data(ev, first, xs[i], xs[j], order) if read[i] == roles.C else None
    if bent is not None:  # the layer's channel count was written to fit the misread axis: blame that number
        (span, arg), fix, remedy = bent
        secondary = [(site, label)] + secondary
        site, label = span, remedies.count_is_the_steps(arg, xs[i], _ROLE_WORDS[named[i]])
    one_step = xs[j] == 1 and named[i] == roles.T and bent is None
    variant = "one_step" if one_step else "declared" if by_declaration is not None and bent is None else "named"
    emit(ev, "signals-stacked-as-steps", site, label, variant=variant,
         severity="error" if failing else None,
         secondary=secondary, model=model.display_name,
         received_shape=shape_text(xs), layout=layout, reads=reads, layer=first.layer.label,
         what=_ROLE_WORDS[named[i]], size=xs[i], other=_ROLE_WORDS[read[i]], other_size=xs[j],
         held=_ROLE_WORDS.get(laid[j], "values"), received_json=list(xs), remedy=remedy, fix=fix)


def _norm_over_positions(ev, model, first, site, xs, features: int, other: int) -> None:
    """A batch norm that keeps its statistics per entry of axis 1 of data whose features sit on another axis by
    their name: ``nn.BatchNorm1d(NUM_REGIONS)`` on (batch, regions, features). It runs, and normalises each region
    slot over the features mixed together. The fix moves the features to axis 1 around the norm only (the layers
    after it read them last), so it is shown, not applied."""
    layer = first.layer
    remedy = remedies.norm_the_features(layer.kind, xs[features], f"transpose{(other, features)}")
    emit(ev, "reduction-over-batch-axis", layer.origin.span, remedies.norm_per_position_label(xs[other]),
         variant="norm-positions", secondary=[(site, remedies.features_by_name_label(features))],
         op=layer.label, received_shape=shape_text(xs), axis=other, size=xs[other], features=xs[features],
         features_axis=features, severity="warning", model=model.display_name, remedy=remedy,
         fix=Fix("display-only", remedy, []))


_CHANNEL_COUNT = ("in_channels", "num_features")


def _count_bent_to_data(ev, first, misread: int, held: int, order: list):
    """The first layer's channel count (``nn.Conv1d(in_channels=96)``) equals the size of the axis it misreads as
    channels (96 steps): the number was written to make the data fit, and a transpose alone would now fail there.
    Returns ((span of the number, argument), fix, remedy): the number set to the axis that holds the channels, the
    axes moved where the layer takes its input (a model reads its own layout; the data keeps the loader's)."""
    layer = first.layer
    arg = next((a for a in _CHANNEL_COUNT if isinstance(layer.args.get(a), int)), None)
    if arg is None or int(layer.args[arg]) != misread:
        return None
    root = provenance.root_span(layer.args[arg])
    spans = layer.extra.get("input_spans") or []
    text = span_text(ev, root) if root is not None else None
    fed = spans[0] if spans else None
    fed_text = span_text(ev, fed) if fed is not None else None
    if text != str(misread) or fed_text is None or not fed_text.isidentifier():
        return None
    permute = f".permute{tuple(order)}"
    remedy = remedies.count_and_axes(arg, held, permute[1:], layer.label)
    return (root, arg), Fix("unsafe", remedy, [Edit(root, str(held)), Edit(fed, fed_text + permute)]), remedy


def swap_elements(ev, elts: list, i: int, j: int) -> Optional[Edit]:
    """The size expressions ``elts[i]`` and ``elts[j]`` exchanged (written on one line), or None."""
    lo, hi = sorted((i, j))
    if hi >= len(elts):
        return None
    first, last = Span.of(elts[lo]), Span.of(elts[hi])
    texts = [span_text(ev, Span.of(e)) for e in elts[lo:hi + 1]]
    if first.line != last.line or not all(texts):
        return None
    texts[0], texts[-1] = texts[-1], texts[0]
    return Edit(Span(first.line, first.column, last.end_line, last.end_column), ", ".join(texts))


def _same_reshape_elsewhere(ev, call, i: int, j: int) -> list:
    """The same misreading reshape written for the other data (``testX`` beside ``trainX``, spelled alike but for
    the array's name): each gets the same reorder, or the model would be trained and used on different layouts.
    Read from the source: the other data may be fed further down than the evaluation has reached."""
    return [e for e in (swap_elements(ev, size_arguments(other), i, j) for other in _same_reshapes(ev, call))
            if e is not None]


def _same_reshapes(ev, call) -> list:
    """The other reshape calls in the same scope spelled like ``call`` but for the reshaped array's name, and
    reading their sizes from that array (``testX.reshape(testX.shape[0], 1, testX.shape[1])`` beside trainX's):
    the same preparation of other data. Sizes written out alone (``(-1, 1, 28, 28)``) say nothing of that."""
    tree = tree_of(ev.lines)
    pattern = _reshape_pattern(call)
    if tree is None or pattern is None or not any("\x00" in p for p in pattern):
        return []
    scope = function_at(tree, call.lineno)
    return [other for other in ast.walk(scope or tree) if isinstance(other, ast.Call) and other is not call and
            _is_reshape(other) and function_at(tree, other.lineno) is scope and _reshape_pattern(other) == pattern]


def _reshape_pattern(call) -> Optional[tuple]:
    """A reshape's size expressions with the reshaped array's name (a plain name) blanked out."""
    func = call.func
    module = isinstance(func.value, ast.Name) and func.value.id in ("np", "numpy", "tf", "torch", "ops")
    subject = (call.args[0] if call.args else None) if module else func.value
    if not isinstance(subject, ast.Name):
        return None
    return tuple(_blanked(d, subject.id) for d in size_arguments(call))


def _blanked(node, name: str) -> str:
    """``node``'s text with every ``Name`` node ``name`` (only those: not ``max_x`` for ``x``) written as a blank."""
    tree = copy.deepcopy(node)
    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and n.id == name:
            n.id = "\x00"
    return ast.unparse(tree)


def _declared_names(ev, model, xs: tuple) -> Optional[tuple]:
    """([None] + the roles the names of a Keras model's declared per-sample shape state, the declaration's span) --
    ``Input(shape=(N_CHANNELS, WINDOW))`` -> channels, time -- when it names every axis of data of that shape."""
    if getattr(model, "framework", None) != "keras":
        return None
    span = declared_span(model)
    node = declared_shape_node(span, ev.lines) if span is not None else None
    named = element_roles(node) if node is not None else None
    if named is None or len(named) != len(xs) - 1 or None in named:
        return None
    return [None] + named, Span.of(node)


def _declaredswap_elements(ev, model, i: int, j: int) -> Optional[Edit]:
    """The Keras input declaration's per-sample sizes ``(1, LOOK_BACK)`` with axes ``i`` and ``j`` (batch axis
    counted) exchanged."""
    node = declared_shape_node(declared_span(model), ev.lines)
    if not isinstance(node, (ast.Tuple, ast.List)) or min(i, j) < 1:
        return None
    if any(isinstance(n, ast.Attribute) and n.attr == "shape" for n in ast.walk(node)):
        return None  # `(trainX.shape[1], trainX.shape[2])` reads the data: it follows the data's own reorder
    edit = swap_elements(ev, list(node.elts), i - 1, j - 1)
    return edit if edit is not None and len(node.elts) >= max(i, j) else None


def _constant_role(ev, dim) -> Optional[str]:
    """The role the name of the one module constant a size was computed from states: the windows cut with
    ``series[i:i + look_back]`` from ``LOOK_BACK = 20`` are 20 steps long, whatever the reshape calls them."""
    found = [leaf for leaf in provenance.leaves(dim) if isinstance(provenance.origin_of(leaf), provenance.Written)]
    if len(found) != 1 or int(found[0]) != int(dim):
        return None
    node = node_at(provenance.origin_of(found[0]).span, ev.lines, ast.Constant)
    stmt = getattr(node, "_shapelint_parent", None)
    if not isinstance(stmt, ast.Assign) or stmt.value is not node or len(stmt.targets) != 1 or \
            not isinstance(stmt.targets[0], ast.Name) or \
            not isinstance(getattr(stmt, "_shapelint_parent", None), ast.Module):
        return None
    return role_of_name(stmt.targets[0].id)


def _is_reshape(call) -> bool:
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in ("reshape", "view")


def _stack_last_fix(ev, span):
    """``np.stack([...], axis=1)`` -> ``np.stack([...], axis=-1)``."""
    call = node_at(span, ev.lines, ast.Call) if span is not None else None
    if call is None:
        return None
    axis = next((k.value for k in call.keywords if k.arg == "axis"), call.args[1] if len(call.args) > 1 else None)
    if not isinstance(axis, ast.Constant) or axis.value != 1:
        return None
    return replace_fix(Span.of(axis), "-1", "stack on the last axis")


def _plain_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


_AXIS_MOVES = ("rollaxis", "moveaxis", "transpose", "swapaxes")


def _undo_axis_move(ev, span):
    """``img = np.rollaxis(img, -1)`` (a statement that only moves the axes of a name into the same name): delete it.
    Any other site: no edit."""
    call = node_at(span, ev.lines, ast.Call) if span is not None else None
    if call is None or not isinstance(call.func, ast.Attribute) or call.func.attr not in _AXIS_MOVES:
        return None
    line = self_assignment_line(span, ev.lines)
    if line is None:
        return None
    return replace_fix(Span(line, 1, line + 1, 1), "", f"delete `{ev.lines[line - 1].strip()}`")


def _is_module(node) -> bool:
    return isinstance(node, ast.Name) and node.id in ("np", "numpy", "tf", "torch")


def _one_sample(xs, decl) -> bool:
    """The data is one sample of the declared shape, without its batch axis (``model.predict(x_test[0])``)."""
    return len(xs) + 1 == len(decl) and all(is_known(a) and a == b for a, b in zip(xs, decl[1:]))


_ONE_SAMPLE = ("the data is a single sample without the batch axis: add it with `np.expand_dims(x, 0)` (or "
               "`x[None]`; slice `x_test[:1]` instead of indexing `x_test[0]`)")


def _one_sample_as_column(xs, decl) -> bool:
    """(784, 1) for a model of (None, 784): one sample written as a column; declaring the input as (None, 1) would
    make 784 samples of one value each."""
    return len(xs) == 2 == len(decl) and is_known(xs[0]) and xs[0] == decl[1] and xs[1] == 1 and xs[0] != 1


_ONE_SAMPLE_AS_COLUMN = ("the data is a single sample written as a column: make it one row, `x.reshape(1, -1)` where "
                         "it is reshaped (not the model's input declared as one feature)")


def _batch_axis_fix(ev, node, xs, decl):
    """``model.predict(img)`` -> ``model.predict(img[None])`` for one sample fed without its batch axis."""
    span = Span.of(node)
    if not _one_sample(xs, decl) or span is None or span.line != span.end_line:
        return None
    text = ev.lines[span.line - 1][span.column - 1:span.end_column - 1]
    atom = isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call))
    return replace_fix(span, (text if atom else f"({text})") + "[None]", "add the batch axis with `[None]`")


def _array_fed(call) -> bool:
    """The data was passed as an array, which a fix can index or reshape -- not a dataset or a loader, whose
    elements were checked (``train_ds[None]`` is no fix)."""
    return isinstance(call.get(0, "x", call.get(0, "input", None)), TensorVal)


def _data_fix(ev, call, x, decl, decl_span):
    """The edit for data that does not fit the declared input: the batch axis for one sample, a reshape where the
    data holds the declared values in another arrangement (images flattened to (N, 784) for Input(28, 28, 1)),
    else the input declared as the data is. (Axes in another order, a label column among the features: the
    root-cause analysis outranks these with the data's own fix.)"""
    from ..diagnostics.fixes.edits import wrap_edit  # deferred: the edit machinery, only when a fix is made
    if not _array_fed(call):
        return None
    node = call.node_of(0, "x")
    xs = tuple(x.shape)
    one = _batch_axis_fix(ev, node, xs, decl)
    if one is not None or node is None:
        return one
    if _one_sample_as_column(xs, decl):
        return None  # one sample as a column, or as many samples as it has features: a person tells which
    per_x, per_d = xs[1:], tuple(decl[1:])
    known = all(is_known(v) for v in per_x + per_d)
    if known and prod(per_x) == prod(per_d) and sorted(per_x) != sorted(per_d) and x.lib in ("numpy", "torch"):
        suffix = ".reshape(-1, " + ", ".join(str(int(v)) for v in per_d) + ")"
        edit = wrap_edit(Span.of(node), suffix, ev.lines)
        return Fix("unsafe", f"reshape the data with `{suffix[1:]}`", [edit]) if edit is not None else None
    shape = declared_shape_node(decl_span, ev.lines)
    if len(per_x) + 1 == len(per_d) and per_d[-1] == 1 and x.lib in ("numpy", "torch"):
        # grayscale images without their channel axis: add it; a functional model also checks the sizes
        edits = [wrap_edit(Span.of(node), "[..., None]", ev.lines)]
        if known and tuple(per_x) != tuple(per_d[:-1]) and isinstance(shape, (ast.Tuple, ast.List)) and \
                len(shape.elts) == len(per_d):
            edits.append(Edit(Span.of(shape), "(" + ", ".join(str(int(v)) for v in per_x) + ", 1)"))
        if all(e is not None for e in edits):
            return Fix("unsafe", "add the channel axis to the data with `[..., None]`", edits)
    if known and len(per_x) == 1 and isinstance(shape, ast.Constant) and isinstance(shape.value, int):
        return Fix("unsafe", f"declare the input as {int(per_x[0])} features", [Edit(Span.of(shape), str(per_x[0]))])
    if known and isinstance(shape, (ast.Tuple, ast.List)) and len(shape.elts) == len(per_x) and sorted(per_x) != \
            sorted(per_d):
        new = "(" + ", ".join(str(int(v)) for v in per_x) + ("," if len(per_x) == 1 else "") + ")"
        return Fix("unsafe", f"declare the input as {new}", [Edit(Span.of(shape), new)])
    return None


def _rank_remedy(xs, decl) -> str:
    if _one_sample(xs, decl):
        return _ONE_SAMPLE
    counts = (_per_sample_count(xs), _per_sample_count(decl))
    per_sample = None in counts or counts[0] == counts[1]  # unknown: the reshape may keep the samples
    if len(xs) + 1 == len(decl) and per_sample:
        return (f"add the missing axis to the data (e.g. `x.reshape(-1, {', '.join(str(d) for d in decl[1:])})` "
                f"or `np.expand_dims(x, -1)`)")
    if len(xs) == 2 and len(decl) > 2 and per_sample:
        return f"reshape the data to {fmt_shape((xs[0],) + tuple(decl[1:]))} before feeding it"
    if len(xs) < len(decl) and not per_sample:  # a reshape to the declared sizes would mix samples
        return remedies.fewer_values_per_sample(fmt_shape(xs), fmt_shape(decl))
    if len(decl) == 2 and len(xs) > 2:
        return "flatten the data (`x.reshape(len(x), -1)`) or add a `Flatten` layer first"
    return f"give the data the declared shape {fmt_shape(decl)} or declare the input the data has"


def _per_sample_count(shape):
    """How many values one sample holds, when every per-sample size is known."""
    n = 1
    for v in tuple(shape)[1:]:
        if not isinstance(v, int) or isinstance(v, bool):
            return None
        n *= v
    return n


def _colour_planes(ev, model, call, xs, decl) -> Optional[tuple]:
    """(remedy, fix) when one image of another colour mode is fed to a model trained on the declared one: an RGB
    photo (1, H, W, 3) to a model declared and fitted on (H, W, 1) grayscale images, or the reverse. The training
    data agrees with the declaration, so the model is right and the image is converted where it is fed (the mean
    of its planes, or its one plane repeated three times) -- declaring 3 channels would untrain the model."""
    single = len(xs) == 2 and len(decl) == 4 and tuple(xs) == tuple(decl[1:3]) and decl[3] in (1, 3)
    if not single and (len(xs) != 4 or len(decl) != 4 or tuple(xs[1:3]) != tuple(decl[1:3]) or
                       {xs[3], decl[3]} != {1, 3}):
        return None
    trained = [e for e in ev.state.feed_events if e.kind == "fit" and e.model is model]
    fitted = [e.call.get(0, "x", None) for e in trained]
    if not any(isinstance(v, TensorVal) and v.shape is not None and tuple(v.shape[1:]) == tuple(decl[1:])
               for v in fitted):
        return None
    node = call.node_of(0, "x")
    if node is None:
        return None
    text = ast.get_source_segment(ev.source, node)
    np_name = next((n for n in ("np", "numpy") if n in ev.module.vars), None)
    if single:  # one (H, W) grayscale image: the batch and channel axes added, the plane repeated for RGB
        if not text or "\n" in text or not np_name:
            return None
        one = f"{text}[None, ..., None]" if isinstance(node, (ast.Name, ast.Attribute)) else f"({text})[None, ..., None]"
        new = one if decl[3] == 1 else f"{np_name}.repeat({one}, 3, axis=-1)"
        edit = Edit(Span.of(node), new)
        spelled = "x[None, ..., None]" if decl[3] == 1 else f"{np_name}.repeat(x[None, ..., None], 3, axis=-1)"
        remedy = remedies.convert_one_gray_image(int(decl[3]), spelled)
        return remedy, Fix("unsafe", remedy, [edit])
    if decl[3] == 1:
        edit = append_edit(Span.of(node), ".mean(axis=-1, keepdims=True)", ev.lines)
        spelled = "x.mean(axis=-1, keepdims=True)"
    elif text and "\n" not in text and np_name:
        edit = Edit(Span.of(node), f"{np_name}.repeat({text}, 3, axis=-1)")
        spelled = f"{np_name}.repeat(x, 3, axis=-1)"
    else:
        return None
    remedy = remedies.convert_colour_planes(int(xs[3]), int(decl[3]), spelled)
    return remedy, (Fix("unsafe", remedy, [edit]) if edit is not None else None)


def _size_remedy(xs, decl) -> str:
    if _one_sample(xs, decl):
        return _ONE_SAMPLE
    if _one_sample_as_column(xs, decl):
        return _ONE_SAMPLE_AS_COLUMN
    if len(xs) == 4 and len(decl) == 4 and xs[1] == decl[3] and xs[3] == decl[1] and xs[1] != xs[3]:
        return "the data is channels-first: transpose it with `x.transpose(0, 2, 3, 1)`"
    return f"declare the input as {fmt_shape((None,) + tuple(xs[1:]))}, or resize the data to {fmt_shape(decl)}"


# -- where the data came from (both frameworks) ---------------------------------------------------------------------
def record_feed(ev, model, x, call) -> None:
    """Remember data fed to a model: to say where it came from in the diagnostics of the run it fed, and for the
    root-cause analysis (a sample without its batch axis, data in another axis order)."""
    if isinstance(x, TensorVal) and x.shape is not None:
        ev.state.fed_data.append((model, x, call))


def named_axes_against_first_layer(ev) -> None:
    """Data fed to a PyTorch model directly (``model(x)``) whose names say its axes are in another order than the
    model's first layer reads them: ``torch.randn(B, seq_len, n_vars)`` into an ``nn.Conv1d`` that reads (batch,
    channels, steps). Keras data is checked where it is fitted (check_keras)."""
    for model, x, call in ev.state.fed_data:
        if x.lib == "keras" or getattr(model, "framework", None) != "torch" or x.shape is None:
            continue
        run = next(iter(model.runs_fed(x)), None)
        if run is not None:
            _named_axes_against_reader(ev, model, x, run)
            _unit_axis_last_into_conv(ev, model, x, run)


def _unit_axis_last_into_conv(ev, model, x, run) -> None:
    """A series laid (batch, steps, 1) -- the trailing axis of one feature added with ``unsqueeze(-1)``, as Keras
    and RNNs want it -- fed to an ``nn.Conv1d`` that reads (batch, channels, steps) and was built with the steps as
    its channels (``Conv1d(WINDOW, ...)``): the kernel slides over one step, so no convolution over time happens.
    It runs (padding keeps the length). Reported where the unit axis was added; the fix touches the data, the
    conv and what the layers after it are sized for, so it is described, not applied."""
    xs = tuple(x.shape)
    first = _first_reader(run)
    if first is None or first.layer.kind != "Conv1d" or len(xs) != 3 or xs[2] != 1 or not isinstance(xs[1], int) \
            or xs[1] < 2 or first.diagnostics:
        return
    kernel = first.layer.args.get("kernel_size")
    kernel = kernel[0] if isinstance(kernel, (tuple, list)) and kernel else kernel
    site = getattr(x, "shaped_at", None)
    call = node_at(site, ev.lines, ast.Call) if site is not None else None
    if not isinstance(kernel, int) or kernel < 2 or call is None or not _adds_last_unit_axis(call):
        return
    if not first_time(ev, ("unit_last", id(model))):
        return
    remedy = remedies.one_channel_first(xs[1], first.layer.label)
    emit(ev, "signals-stacked-as-steps", site, remedies.unit_axis_last_label(xs[1]), variant="unit_last",
         secondary=[(first.layer.origin.span, "reads (batch, channels, steps)")], model=model.display_name,
         received_shape=shape_text(xs), layer=first.layer.label, steps=xs[1], kernel=kernel,
         received_json=list(xs), remedy=remedy, fix=Fix("display-only", remedy, []))


def _adds_last_unit_axis(call) -> bool:
    """``x.unsqueeze(-1)`` / ``x.unsqueeze(2)``, ``x.reshape(n, steps, 1)`` / ``x.view(-1, steps, 1)``."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr == "unsqueeze" and len(call.args) == 1:
        arg = call.args[0]
        value = arg.value if isinstance(arg, ast.Constant) else -arg.operand.value if isinstance(arg, ast.UnaryOp) \
            and isinstance(arg.op, ast.USub) and isinstance(arg.operand, ast.Constant) else None
        return value in (-1, 2)
    if func.attr in ("reshape", "view") and call.args:
        last = call.args[-1]
        return isinstance(last, ast.Constant) and last.value == 1 and len(call.args) == 3
    return False


def annotate_data_origins(ev) -> None:
    """Notes saying where a model's input came from, on the errors of the run it fed; a channels-last error on a
    model's first layer is moved to the data (the data is what needs changing)."""
    for model, x, call in ev.state.fed_data:
        for r in model.runs_fed(x):
            for d in r.inference.diagnostics:
                if d.severity not in ("error", "warning"):
                    continue
                src = _origin_text(ev, x)
                note = f"the input {shape_text(x.shape)} is {src}" if src else None
                if note and note not in d.notes:
                    d.notes.append(note)
                if d.name == "channels-last-input" and d.layer == 0 and x.origin is not None \
                        and d.primary is not None and d.primary.span.line != x.origin.line:
                    old = d.primary
                    d.secondary.insert(0, Label(old.span, old.text or "expects channels first", old.file))
                    d.primary = Label(x.origin, f"channels-last data {shape_text(x.shape)}", old.file)
                    call_span = Span.of(call.node)
                    if call_span is not None and all(l.span.line != call_span.line for l in d.secondary):
                        d.secondary.append(Label(call_span, "fed to the model here", old.file))
                    if d.fix is None or not d.fix.edits:
                        d.fix = _permute_fed_data(ev, d, call)


def _permute_fed_data(ev, d, call):
    """Channels-last data fed to a model whose first conv reads channels first: permute it where it is passed, in
    the axis order the conv rule worked out (``Mismatch.facts["order"]``)."""
    from ..diagnostics.fixes.edits import wrap_edit  # deferred: the edit machinery, only when a fix is made
    order = getattr(getattr(d.facts, "mismatch", None), "facts", {}).get("order")
    node = call.node_of(0, "input")
    edit = wrap_edit(Span.of(node), f".permute{tuple(order)}", ev.lines) if order and node is not None else None
    return Fix("unsafe", f"permute the data to channels-first with `.permute{tuple(order)}`", [edit]) \
        if edit is not None else d.fix


def _origin_text(ev, x: TensorVal) -> Optional[str]:
    if x.origin is None:
        return None
    text = x.note or ""
    if len(text) > 60:
        text = text[:57] + "..."
    return f"`{text}` from line {x.origin.line}" if text else f"made at line {x.origin.line}"


__all__ = ["check_keras", "adjust_rank", "annotate_data_origins", "record_feed", "copy"]
