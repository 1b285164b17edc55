"""Causes about the order of axes: the size a layer is built for sits on another axis of what it receives
(``nn.LayerNorm(C)`` on an NCHW map, channels-last images into ``nn.Conv2d``). Inside a model the fix moves the axis
around the layer; when the tensor is the data fed to the model, the data is permuted where it is passed."""
from __future__ import annotations

import ast
from typing import Optional

from ...core import roles
from ...core.facts import RuleFacts
from ...core.program import Span
from ...core.registry import has
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import keyword_edit
from ...diagnostics.fixes.edits import insert_layer_edit, wrap_call_edit
from ...diagnostics.fixes.intents import WrapCall
from ...diagnostics.fixes.source import _prefix, function_at, node_at, self_assignment_line, spell, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ...rules._einops import ELL, parse_side
from ..cause import Cause
from ..sites import appended_item, data_site, one_sample_made, whole_value
from ..spelling import append

# code -> the axis the layer reads its size from, per framework
_CHECKED_AXIS = {("feature-count-mismatch", "torch"): -1, ("feature-count-mismatch", "keras"): -1,
                 ("channel-count-mismatch", "torch"): 1, ("channel-count-mismatch", "keras"): -1}


def _other_axis(x: Tensor, expected, checked: int) -> Optional[tuple]:
    """(axis, identical) of the one axis besides ``checked`` and axis 0 that holds ``expected``: the same Sized
    object (the conv's own ``channels``) is proof; an equal value counts only when it is the only one."""
    r = len(x.shape)
    c = checked % r
    same = [j for j in range(1, r) if j != c and x.shape[j] is expected]
    if len(same) == 1:
        return same[0], True
    equal = [j for j in range(1, r) if j != c and isinstance(x.shape[j], int) and x.shape[j] == expected]
    if len(equal) == 1 and x.shape[c] != expected:
        return equal[0], False
    return None


def expected_on_another_axis(d) -> bool:
    """The size a layer expects on the axis it reads is found on another axis of its input."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not f.op.inputs:
        return False
    checked = _CHECKED_AXIS.get((f.mismatch.code, f.op.layer.framework))
    x = f.op.inputs[0]
    return checked is not None and isinstance(x, Tensor) and bool(x.shape) and len(x.shape) >= 3 and \
        isinstance(f.mismatch.expected, int) and _other_axis(x, f.mismatch.expected, checked) is not None


def _move(r: int, j: int, c: int) -> tuple:
    """(permutation moving axis j to position c, its inverse)."""
    order = [i for i in range(r) if i != j]
    order.insert(c, j)
    inverse = [order.index(i) for i in range(r)]
    return tuple(order), tuple(inverse)


def _spell(order: tuple) -> str:
    r = len(order)
    swapped = [i for i in range(r) if order[i] != i]
    if len(swapped) == 2 and order[swapped[0]] == swapped[1]:
        return f".transpose({swapped[0]}, {swapped[1]})"
    return ".permute(" + ", ".join(map(str, order)) + ")"


_DATA_READERS = ("Conv", "LazyConv", "LSTM", "GRU", "RNN")  # whose input layout is the data's own


def other_axis(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or not f.op.inputs:
        return
    m, op = f.mismatch, f.op
    checked = _CHECKED_AXIS.get((m.code, op.layer.framework))
    x = op.inputs[0]
    if checked is None or not isinstance(x, Tensor) or not x.shape or len(x.shape) < 3 or \
            not isinstance(m.expected, int):
        return
    found = _other_axis(x, m.expected, checked)
    if found is None:
        return
    j, identical = found
    r = len(x.shape)
    c = checked % r
    if r == 3 and x.shape[c] == 1 and op.layer.kind.startswith(("Conv1d", "LazyConv1d")):
        return  # (N, 1, L): one channel made on purpose, not a signal of one step -- the conv's number is wrong
    order, inverse = _move(r, j, c)
    inputs = f.inference.program.inputs
    if inputs and x is inputs[0]:
        # the data itself: which axis is what is the question, so roles (read off this very layer) cannot tell;
        # the size being the layer's own argument (identity) is the evidence
        if op.layer.kind.startswith(_DATA_READERS):
            yield from _data_cause(ctx, d, f, x, order, identical)
        return
    axis_roles = roles.roles_of(f.inference, x)
    if axis_roles is not None and axis_roles[j] not in (roles.C, roles.F, None):
        return  # the size sits on the time or spatial axis by coincidence: the layer's number is what is wrong
    if op.layer.kind == "Linear" and axis_roles == (roles.N, roles.C, roles.S, roles.S) and j == 1:
        yield from _pool_before_head(ctx, d, op, x)  # a head on a feature map: one row per sample, not per pixel
        return
    identical = identical and axis_roles is not None and axis_roles[j] in (roles.C, roles.F)
    if op.layer.framework != "torch":
        return
    intent = WrapCall(_spell(order), _spell(inverse))
    edit = wrap_call_edit(intent, op.layer, ctx.lines)
    call = op.layer.extra.get("call_span")
    spelled = None
    if edit is not None:
        spelled = edit.text
    label_span = call or op.layer.origin.span
    yield Cause("layout", 80, Label(label_span, remedies.other_axis_label(int(m.expected), j), d.file),
                remedies.other_axis_note(op.layer.kind, int(m.expected), j, checked, x.shape),
                remedies.permute_around(spelled or f"x{_spell(order)} ... {_spell(inverse)}"),
                fix=Fix("unsafe", remedies.permute_around(spelled or ""), [edit]) if edit else None,
                strong=identical)


def _data_cause(ctx, d, f, x, order, identical):
    """The data itself is in the other order: permute it where its layout was set (or where it is fed)."""
    feed = ctx.feed_into(f.inference)
    node = feed.call.node_of(0, "input") if feed is not None else None
    feed_span = Span.of(node) if node is not None else None
    if feed is None or feed.x.lib not in ("torch", "numpy"):
        return
    yield from data_order_cause(ctx, d, feed.x, feed_span, order, identical, f.op.layer.framework)


_KEEPS_SHAPE = ("astype", "float", "double", "copy", "contiguous", "to", "type", "numpy", "clone")


def _data_move_undone(ctx, made, order) -> Optional[tuple]:
    """(span, text, statement, whole) when the data's layout was set by an axis move, ``np.transpose(x, perm)`` /
    ``x.transpose(perm)`` / ``x.permute(perm)`` -- alone in ``x = ...`` (``whole``: the statement goes) or inside a
    chain of casts, ``X.reshape(n, 3, 32, 32).transpose(0, 2, 3, 1).astype("float32")`` in a loader (the move goes)
    -- and moving the axes into ``order`` would just undo it: the move is what put them in the wrong order, and
    taking it out is the fix (not a second move after it)."""
    call = node_at(made, ctx.lines, ast.Call) if made is not None else None
    line = self_assignment_line(made, ctx.lines) if call is not None else None
    whole = line is not None
    while isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in _KEEPS_SHAPE:
        call, whole = call.func.value, False  # a cast after the move keeps its layout
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) or \
            call.func.attr not in ("transpose", "permute"):
        return None
    module = isinstance(call.func.value, ast.Name) and call.func.value.id in ("np", "numpy", "torch")
    args = call.args[1:] if module else call.args
    if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)):
        args = args[0].elts
    perm = [a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, int)]
    if len(perm) != len(args) or len(perm) != len(order) or sorted(perm) != list(range(len(order))):
        return None
    if [perm[i] for i in order] != list(range(len(order))):
        return None
    if whole:
        return Span(line, 1, line + 1, 1), "", ctx.lines[line - 1].strip(), True
    if module or call.lineno != call.end_lineno:
        return None
    receiver = call.func.value  # `X.reshape(...).transpose(0, 2, 3, 1)`: the move's text after its receiver goes
    span = Span(call.lineno, receiver.end_col_offset + 1, call.end_lineno, call.end_col_offset + 1)
    return span, "", ctx.text(span), False


def data_order_cause(ctx, d, x, feed_span, order, strong: bool, framework: str, declared=None, secondary=()):
    """Permute the data ``x`` into ``order`` at its site (sites.py) -- or, when each sample was transposed as it
    was collected (``xs.append(block.T)`` before ``np.stack(xs)``), drop that transpose."""
    made = getattr(x, "shaped_at", None) or x.origin
    item = appended_item(ctx, made)
    per_item = _item_transposed(ctx, item) if item is not None and \
        tuple(order[-2:]) == (len(order) - 1, len(order) - 2) and \
        tuple(order[:-2]) == tuple(range(len(order) - 2)) else None
    stacked = _item_stacked_first(item) if item is not None and len(order) >= 3 and \
        tuple(order) == (0,) + tuple(range(2, len(order))) + (1,) else None
    if stacked is not None:
        edit = keyword_edit(stacked, "axis", "-1")
        wanted = tuple(x.shape[i] for i in order)
        help_text = remedies.stack_item_last()
        yield Cause("data-layout", 85, Label(Span.of(stacked), remedies.item_stacked_first_label(), d.file),
                    remedies.data_layout_note(x.shape, declared if declared is not None else wanted), help_text,
                    fix=Fix("unsafe", help_text, [edit]) if edit is not None else None,
                    secondary=[Label(made, remedies.data_made(x.shape), d.file)], strong=strong)
        return
    if per_item is not None:
        span, kept = per_item
        wanted = tuple(x.shape[i] for i in order)
        help_text = remedies.keep_item_order(kept)
        yield Cause("data-layout", 84, Label(span, remedies.item_transposed_label(), d.file),
                    remedies.data_layout_note(x.shape, declared if declared is not None else wanted), help_text,
                    fix=Fix("unsafe", help_text, [Edit(span, kept)]),
                    secondary=[Label(made, remedies.data_made(x.shape), d.file)], strong=strong)
        return
    undone = _data_move_undone(ctx, made, order)
    if undone is not None:  # `x = np.transpose(x, (0, 3, 1, 2))` moved the axes away from the order wanted: drop it
        span, text, moved_by, whole = undone
        wanted = tuple(x.shape[i] for i in order)
        help_text = remedies.delete_axis_move(moved_by) if whole else remedies.drop_axis_move_in_chain(moved_by)
        yield Cause("data-layout", 84, Label(made, remedies.axes_moved_away_label(x.shape), d.file),
                    remedies.data_layout_note(x.shape, declared if declared is not None else wanted), help_text,
                    fix=Fix("unsafe", help_text, [Edit(span, text)]), secondary=list(secondary), strong=strong)
        return
    label_span, site = data_site(ctx, x, feed_span, framework)
    lib = "torch" if framework == "torch" and (x.lib == "torch" or x.meta.get("converted_at")) else x.lib
    if lib == "torch" and _numpy_at(ctx, site):
        lib = "numpy"  # the layout was set before the array became a tensor: numpy's `.transpose` there
    moved = tuple(order)
    if one_sample_made(ctx, site, len(order)) and moved and moved[0] == 0:
        moved = tuple(i - 1 for i in moved[1:])  # a Dataset's __getitem__ makes one sample: no batch axis there
    suffix = (".permute" if lib == "torch" else ".transpose") + str(moved)
    edit = append(ctx, site, suffix)
    text = ctx.text(site)
    wanted = tuple(x.shape[i] for i in order)
    secondary = list(secondary)
    made = getattr(x, "shaped_at", None) or x.origin
    if made is not None and label_span is not None and made.line != label_span.line and \
            (d.primary is None or d.primary.span.line != made.line):  # the rule's own label may be there already
        secondary.append(Label(made, remedies.data_made(x.shape), d.file))
    if feed_span is not None and label_span is not None and feed_span.line != label_span.line:
        secondary.append(Label(feed_span, remedies.fed_here(), d.file))
    yield Cause("data-layout", 82, Label(label_span or site, remedies.data_layout_label(x.shape, wanted), d.file),
                remedies.data_layout_note(x.shape, declared if declared is not None else wanted),
                remedies.transpose_data(f"{text}{suffix}" if text else suffix),
                fix=Fix("unsafe", remedies.transpose_data(suffix), [edit]) if edit else None,
                secondary=secondary, strong=strong, alternative=remedies.or_transpose_data(suffix))


_NUMPY_ROOTS = ("np", "numpy", "rng", "pd", "pandas")
_NUMPY_ATTRS = ("astype", "to_numpy", "values", "normal", "standard_normal", "integers", "uniform")


def _numpy_at(ctx, site) -> bool:
    """Whether the expression at ``site`` is numpy (or pandas) code -- ``rng.normal(size=...)``, ``np.stack(xs)``,
    ``df.values`` -- where torch's ``.permute`` does not exist. Read off the code: no ``torch`` in it, and a numpy
    name or array attribute."""
    node = node_at(site, ctx.lines) if site is not None else None
    if node is None:
        return False
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    attrs = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
    return "torch" not in names and bool(names & set(_NUMPY_ROOTS) or attrs & set(_NUMPY_ATTRS))


def _item_transposed(ctx, item) -> Optional[tuple]:
    """(span of ``block.T``, ``block``) when each sample was transposed as it was appended (``xs.append(block.T)``,
    ``.transpose()``, ``np.transpose(block)``)."""
    if isinstance(item, ast.Attribute) and item.attr == "T":
        inner = item.value
    elif isinstance(item, ast.Call) and not item.keywords and isinstance(item.func, ast.Attribute) and \
            item.func.attr == "transpose" and not item.args:
        inner = item.func.value
    elif isinstance(item, ast.Call) and not item.keywords and isinstance(item.func, ast.Attribute) and \
            item.func.attr == "transpose" and len(item.args) == 1 and isinstance(item.func.value, ast.Name) and \
            item.func.value.id in ("np", "numpy"):
        inner = item.args[0]
    else:
        return None
    text = ast.get_source_segment(ctx.source, inner)
    return (Span.of(item), text) if text else None


def _item_stacked_first(item) -> Optional[ast.Call]:
    """``np.stack([...])`` appended with its default axis 0: each sample stacks its parts (features, channels) on
    its first axis."""
    if not (isinstance(item, ast.Call) and isinstance(item.func, ast.Attribute) and item.func.attr == "stack" and
            isinstance(item.func.value, ast.Name) and item.func.value.id in ("np", "numpy") and len(item.args) == 1):
        return None
    axis = next((k.value for k in item.keywords if k.arg == "axis"), None)
    if axis is not None and not (isinstance(axis, ast.Constant) and axis.value == 0):
        return None
    return item


def channels_last_data(ctx, d):
    """SHP109: channels-last images or signals fed to a model whose first conv reads channels first."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "channels-last-input" or not f.op.inputs:
        return
    order = f.mismatch.facts.get("order")
    inputs = f.inference.program.inputs
    if not order or not inputs:
        return
    if f.op.inputs[0] is not inputs[0]:
        yield from _made_inside(ctx, d, f, order)
        return
    yield from _data_cause(ctx, d, f, f.op.inputs[0], order, True)


def einops_channels_last_data(ctx, d):
    """Channels-last images (N, H, W, C) -- CIFAR arrays as numpy keeps them -- fed to an einops patchify written for
    channels-first, ``"b c (h p1) (w p2) -> ..."``: einops reads the height as channels and fails to split the 3
    channels into patches. The pattern and the patch size are right; the data is in the other order, so it is
    permuted where it was made (a reshape to (N, C, H, W) would run and scramble the pixels)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "torch" or f.mismatch.arg != "pattern" or \
            not f.op.inputs or f.op.inputs[0] is not (f.inference.program.inputs or [None])[0]:
        return
    x, pattern = f.op.inputs[0], f.op.layer.args.get("pattern")
    shape = getattr(x, "shape", None)
    if not isinstance(pattern, str) or "->" not in pattern or shape is None or len(shape) != 4 or \
            not all(isinstance(v, int) for v in shape[1:]) or not shape[3] <= 4 < shape[1] or shape[1] != shape[2]:
        return
    left = parse_side(pattern.split("->", 1)[0])
    if left is None or len(left) != 4 or any(g == ELL for g in left) or len(left[1]) != 1 or \
            len(left[2]) < 2 or len(left[3]) < 2:
        return  # a channels-first patchify: one channel axis, then height and width split into patches
    yield from _data_cause(ctx, d, f, x, (0, 3, 1, 2), True)


def _made_inside(ctx, d, f, order):
    """The channels-last tensor is made inside the model (an Embedding's (N, L, E) into a Conv1d): the permute is
    missing where it is made, and belongs there when that is the whole value of an assignment (every use of it
    then gets the conv's order)."""
    producer = f.inference.producer_of(f.op.inputs[0])
    span = value_span(producer)
    if span is None or span.line == getattr(d.primary.span, "line", None) or \
            not whole_value(ctx, span, assignment_only=True):
        return
    suffix = f".permute{tuple(order)}"
    edit = append(ctx, span, suffix)
    text = ctx.text(span)
    if edit is None or text is None:
        return
    shape = tuple(f.op.inputs[0].shape)
    wanted = tuple(shape[i] for i in order)
    undone = _axis_move_undone(ctx, producer, span, wanted)
    if undone is not None:  # `feats.transpose(1, 2)` of features already in the conv's order: the move is the mistake
        help_text = remedies.drop_axis_move(text, undone)
        yield Cause("data-layout", 83, Label(span, remedies.axis_move_label(shape), d.file),
                    remedies.axis_move_note(producer.layer.kind, wanted), help_text,
                    fix=Fix("unsafe", help_text, [Edit(span, undone)]), strong=True)
        return
    yield Cause("data-layout", 82, Label(span, remedies.data_layout_label(shape, wanted), d.file),
                remedies.made_inside_note(producer.layer.kind, shape, wanted), remedies.transpose_data(text + suffix),
                fix=Fix("unsafe", remedies.transpose_data(text + suffix), [edit]), strong=True)


_AXIS_MOVES = ("transpose", "permute", "swapaxes", "swapdims", "movedim")


def _axis_move_undone(ctx, producer, span, wanted: tuple):
    """The text of the tensor before ``producer``, an axis move written as a method (``feats.transpose(1, 2)``),
    when that tensor already has the order the layer wants: removing the move is the fix, not moving back."""
    if producer is None or producer.layer.kind not in _AXIS_MOVES or not producer.inputs:
        return None
    before = getattr(producer.inputs[0], "shape", None)
    call = node_at(span, ctx.lines, ast.Call)
    if before is None or tuple(before) != wanted or call is None or not isinstance(call.func, ast.Attribute) or \
            call.func.attr not in _AXIS_MOVES:
        return None
    return ctx.segment(call.func.value)


_JOINS = ("cat", "concat", "concatenate", "add", "__add__", "radd", "__radd__", "sub")


def value_span(op):
    """Where an op's output appears as a value in the code -- its own call, or the call of the Sequential it ends
    (``self.frontend(x)``) -- so an edit can append to it; never a layer's constructor inside a Sequential
    (``nn.GELU().transpose(1, 2)`` is no tensor). None when the output has no expression of its own."""
    if op is None:
        return None
    extra = op.layer.extra
    return extra.get("call_span") or extra.get("output_span") or \
        (op.layer.origin.span if not extra.get("in_sequential") else None)


def channels_as_tokens(ctx, d):
    """A conv map flattened to (N, C, H*W) -- ``x.flatten(2)`` without ``.transpose(1, 2)`` -- joined with tokens
    (N, T, C) (a class token, a position embedding): the roles say axis 1 holds the channels and axis 2 the positions,
    and the other operand's last axis is that channel count. The transpose belongs where the map was flattened."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _JOINS or f.op.layer.framework != "torch" or \
            len(f.op.inputs) != 2:
        return
    for x, other in (f.op.inputs, reversed(f.op.inputs)):
        if not isinstance(x, Tensor) or not isinstance(other, Tensor) or x.shape is None or other.shape is None or \
                len(x.shape) != 3 or len(other.shape) != 3:
            continue
        r = roles.roles_of(f.inference, x)
        if r is None or r[1] != roles.C or not r[2] or roles.S not in r[2].split("*") or \
                other.shape[2] != x.shape[1] or other.shape[2] == x.shape[2]:
            continue
        span = value_span(f.inference.producer_of(x))
        edit = append(ctx, span, ".transpose(1, 2)") if span is not None else None
        text = ctx.text(span) if span is not None else None
        if edit is None or text is None:
            return
        help_text = remedies.tokens_last(f"{text}.transpose(1, 2)")
        yield Cause("layout", 84, Label(span, remedies.channels_as_tokens_label(x.shape), d.file),
                    remedies.channels_as_tokens_note(x.shape, other.shape), help_text,
                    fix=Fix("unsafe", help_text, [edit]), strong=True)
        return


def pooled_map_not_flattened(ctx, d):
    """``torch.cat([img_feat, meta], dim=1)`` with ``img_feat`` (N, C, 1, 1) from a global pooling and ``meta`` (N, F):
    the pooled map was never flattened. The flatten belongs where the features are made (or where they are joined)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "torch" or f.op.layer.kind not in ("cat", "concat",
                                                                                                "concatenate"):
        return
    xs = [x for x in f.op.inputs if isinstance(x, Tensor) and x.shape is not None]
    if len(xs) != len(f.op.inputs) or len(xs) < 2:
        return
    flat = [x for x in xs if len(x.shape) == 2]
    maps = [i for i, x in enumerate(xs) if len(x.shape) >= 3 and all(v == 1 for v in x.shape[2:])]
    if len(maps) != 1 or not flat or any(len(x.shape) not in (2,) for i, x in enumerate(xs) if i != maps[0]):
        return
    x = xs[maps[0]]
    if x.shape[0] != flat[0].shape[0]:
        return
    producer = f.inference.producer_of(x)
    span = value_span(producer)
    if span is not None and whole_value(ctx, span, assignment_only=True):
        edit, text = append(ctx, span, ".flatten(1)"), ctx.text(span)
        spelled = f"{text}.flatten(1)" if text else None
    else:
        spans = f.op.layer.extra.get("input_spans") or []
        span = spans[maps[0]] if maps[0] < len(spans) else None
        text = ctx.text(span) if span is not None else None
        spelled = f"torch.flatten({text}, 1)" if text else None
        edit = Edit(span, spelled) if spelled else None
    if edit is None or spelled is None:
        return
    help_text = remedies.flatten_pooled(spelled)
    made = producer.layer.origin.span if producer is not None and producer.layer.origin.span is not None else span
    yield Cause("batch-merged", 83, Label(made, remedies.pooled_map_label(tuple(x.shape)), d.file),
                remedies.pooled_map_note(tuple(x.shape), tuple(flat[0].shape)), help_text,
                fix=Fix("unsafe", help_text, [edit]), strong=True)


_PER_POSITION = ("Dense", "Dropout", "Activation", "BatchNormalization", "LayerNormalization", "ReLU", "LeakyReLU")
_MAP_MAKERS = ("Conv2D", "SeparableConv2D", "DepthwiseConv2D", "MaxPooling2D", "AveragePooling2D", "Conv3D",
               "MaxPooling3D", "AveragePooling3D")


def dense_on_unflattened_map(ctx, d):
    """Keras: a CNN branch ends ``Conv2D -> MaxPooling2D -> Dense(16) -> Dense(4)`` and is joined to a vector
    branch: the Dense layers ran on every pixel of the (N, 8, 8, C) map -- the ``Flatten()`` the design needs is
    missing before the first of them. Flattening at the join would run, with the Dense layers still per pixel (256
    features where one 4-number image summary was meant)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "keras" or \
            f.op.layer.kind not in ("Concatenate", "concatenate"):
        return
    xs = [x for x in f.op.inputs if isinstance(x, Tensor) and x.shape is not None]
    maps = [x for x in xs if len(x.shape) >= 4]
    if len(xs) != len(f.op.inputs) or len(maps) != 1 or not any(len(x.shape) == 2 for x in xs):
        return
    first = op = None  # the first Dense of the per-position run, the op before the run
    for _, op in f.inference.walk_back(maps[0], _per_position_input, depth=13):
        if op is not None and op.layer.kind == "Dense":
            first = op
    spans = first.layer.extra.get("input_spans") if first is not None else None
    if op is None or op.layer.kind not in _MAP_MAKERS or not spans or spans[0] is None:
        return
    flatten = spell("keras.layers.Flatten", ctx.lines)
    text = ctx.text(spans[0])
    if flatten is None or not text:
        return
    spelled = f"{flatten}()({text})"
    help_text = remedies.flatten_before_dense(spelled)
    yield Cause("batch-merged", 84, Label(first.layer.origin.span, remedies.dense_on_map_label(
        tuple(first.inputs[0].shape)), d.file), remedies.dense_on_map_note(), help_text,
                fix=Fix("unsafe", help_text, [Edit(spans[0], spelled)]), strong=True)


def _per_position_input(op, value):
    """The input of a layer that works on each position of a map alone (``_PER_POSITION``)."""
    return op.inputs[0] if op.layer.kind in _PER_POSITION and op.inputs else None


def _module_input(op, value):
    """The input of a module between a backbone's last stage and its head that keeps it as it is."""
    return op.inputs[0] if op.layer.kind in ("Dropout", "ReLU", "Identity") and op.inputs else None


def children_without_flatten(ctx, d):
    """A torchvision-style backbone rebuilt as ``nn.Sequential(*list(backbone.children())[:-1])``: the modules are
    kept, the ``torch.flatten(x, 1)`` its ``forward`` did between the pooling and ``fc`` is not, so the features come
    out (N, C, 1, 1) and the new head's Linear reads the last size-1 axis. The mistake is the rebuilt Sequential: it
    needs an ``nn.Flatten()`` of its own. Resizing the Linear to 1 would run and never see the C features together."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "torch" or f.op.layer.kind != "Linear" or \
            f.mismatch.arg != "in_features" or not f.op.inputs:
        return
    x = f.op.inputs[0]
    if not isinstance(x, Tensor) or x.shape is None or len(x.shape) < 3 or any(v != 1 for v in x.shape[2:]) or \
            x.shape[1] != f.mismatch.expected:
        return
    producer = f.inference.walk_end(x, _module_input)
    name = getattr(producer.layer, "name", None) if producer is not None else None
    if not name or "." not in name:
        return
    site = _children_sequential(ctx, name.split(".")[0])
    flatten = spell("torch.nn.Flatten", ctx.lines)
    if site is None or flatten is None:
        return
    starred = Span.of(site.args[-1])
    help_text = remedies.flatten_in_rebuilt_backbone(f"{flatten}()")
    edit = Edit(Span(starred.end_line, starred.end_column, starred.end_line, starred.end_column), f", {flatten}()")
    # kind batch-merged, as for a pooled map never flattened: a structural mistake a resized layer would only hide
    yield Cause("batch-merged", 84, Label(Span.of(site), remedies.children_without_flatten_label(tuple(x.shape)),
                                          d.file),
                remedies.children_without_flatten_note(), help_text, fix=Fix("unsafe", help_text, [edit]), strong=True)


def _pool_before_head(ctx, d, op, x):
    """``nn.Linear(512, ...)`` given a conv feature map (N, 512, 7, 7): the head is built for the channels, so the
    map needs a global pooling before it (one 512-vector per image). Moving the channels last around the Linear
    would run and classify every pixel; resizing the Linear to 7 would read one image column."""
    pooled = all(v == 1 for v in x.shape[2:])  # (N, C, 1, 1): pooled already, only the flatten is missing
    edit = wrap_call_edit(WrapCall(".flatten(1)" if pooled else ".mean((2, 3))", ""), op.layer, ctx.lines)
    spelled = edit.text if edit is not None else None
    if edit is None:  # the head inside an nn.Sequential: the pooling goes in before it
        prefix = _prefix(op.layer) or "nn."
        layers = f"{prefix}Flatten()" if pooled else f"{prefix}AdaptiveAvgPool2d(1), {prefix}Flatten()"
        edit = insert_layer_edit(op.layer, layers[len(prefix):], ctx.lines)
        spelled = layers if edit is not None else None
    help_text = remedies.pool_before_head(spelled, pooled)
    label = op.layer.extra.get("call_span") or op.layer.origin.span
    # below the causes that name the line that lost the pooling or the flatten (a rebuilt backbone)
    yield Cause("batch-merged", 82, Label(label, remedies.head_on_map_label(tuple(x.shape)), d.file),
                remedies.head_on_map_note(int(x.shape[1])), help_text,
                fix=Fix("unsafe", help_text, [edit]) if edit is not None else None, strong=True)


def children_cut_before_pooling(ctx, d):
    """``nn.Sequential(*list(resnet.children())[:-2])``: the cut keeps the trunk and drops the global pooling, so
    the features come out (N, 512, 7, 7) and the new head's ``Linear(512, ...)`` reads the last axis, 7. The
    mistake is the cut: ``[:-1]`` keeps the pooling, and an ``nn.Flatten()`` does what the model's ``forward`` did
    after it. Resizing the Linear to 7 (or to 512 * 7 * 7) would run and tie the head to one image size."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "torch" or f.op.layer.kind != "Linear" or \
            f.mismatch.arg != "in_features" or not f.op.inputs:
        return
    x = f.op.inputs[0]
    if not isinstance(x, Tensor) or x.shape is None or len(x.shape) != 4 or x.shape[1] != f.mismatch.expected or \
            all(v == 1 for v in x.shape[2:]):
        return
    producer = f.inference.walk_end(x, _module_input)
    name = getattr(producer.layer, "name", None) if producer is not None else None
    site = _children_sequential(ctx, name.split(".")[0]) if name and "." in name else None
    cut = _minus_two_slice(site) if site is not None else None
    flatten = spell("torch.nn.Flatten", ctx.lines)
    if cut is None or flatten is None:
        return
    starred = Span.of(site.args[-1])
    edits = [Edit(Span.of(cut), "-1"),
             Edit(Span(starred.end_line, starred.end_column, starred.end_line, starred.end_column), f", {flatten}()")]
    help_text = remedies.keep_backbone_pooling(f"{flatten}()")
    yield Cause("batch-merged", 86, Label(Span.of(site), remedies.children_cut_label(tuple(x.shape)), d.file),
                remedies.children_cut_note(), help_text, fix=Fix("unsafe", help_text, edits), strong=True)


def _minus_two_slice(call):
    """The ``-2`` of ``[:-2]`` in ``nn.Sequential(*list(m.children())[:-2])``, or None."""
    for node in ast.walk(call.args[0]):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice) and node.slice.lower is None and \
                node.slice.step is None and isinstance(node.slice.upper, ast.UnaryOp) and \
                isinstance(node.slice.upper.op, ast.USub) and getattr(node.slice.upper.operand, "value", None) == 2:
            return node.slice.upper
    return None


def _children_sequential(ctx, attr: str):
    """The ``nn.Sequential(*list(m.children())[...])`` call assigned to ``self.<attr>``, the one in the file."""
    tree = tree_of(ctx.lines)
    found = []
    for node in ast.walk(tree) if tree is not None else ():
        if not isinstance(node, ast.Assign) or len(node.targets) != 1 or \
                getattr(node.targets[0], "attr", None) != attr or not isinstance(node.value, ast.Call):
            continue
        call = node.value
        if getattr(call.func, "attr", getattr(call.func, "id", None)) != "Sequential" or len(call.args) != 1 or \
                call.keywords or not isinstance(call.args[0], ast.Starred):
            continue
        if any(isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "children" for n in ast.walk(call.args[0])):
            found.append(call)
    return found[0] if len(found) == 1 else None


def flatten_merges_steps(ctx, d):
    """A Keras ``Flatten()`` after a ``TimeDistributed`` frame encoder, before a recurrent layer: it flattens the
    frames together with each frame's features, (None, 8, 8, 8, 32) -> (None, 16384), and the RNN gets no time
    axis. The mistake is the Flatten, which must work per frame: ``TimeDistributed(Flatten())``. Adding a time
    axis back after it (``Reshape((1, -1))``, ``RepeatVector``) runs and leaves the RNN one step of everything."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "rank-mismatch" or f.op.layer.framework != "keras" or \
            not has(f.op.layer, "recurrent") or not f.op.inputs:
        return
    flat = f.inference.producer_of(f.op.inputs[0])
    if flat is None or flat.layer.kind != "Flatten" or not flat.inputs:
        return
    frames = flat.inputs[0]
    encoder = f.inference.producer_of(frames)
    if not isinstance(frames, Tensor) or frames.shape is None or len(frames.shape) < 4 or encoder is None or \
            encoder.layer.kind != "TimeDistributed":
        return
    span = flat.layer.origin.span
    text = ctx.text(span) if span is not None else None
    wrapper = spell("keras.layers.TimeDistributed", ctx.lines)
    if not text or wrapper is None or "\n" in text:
        return
    spelled = f"{wrapper}({text})"
    help_text = remedies.flatten_per_step(spelled)
    yield Cause("flatten-merges-steps", 85, Label(span, remedies.flatten_merges_steps_label(frames.shape[1]), d.file),
                remedies.flatten_merges_steps_note(tuple(frames.shape)), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, spelled)]), strong=True)


def id_embedding_joined_to_vectors(ctx, d):
    """A categorical id fed as (batch, 1) through an ``Embedding`` gives (batch, 1, dim), one axis more than the
    vectors it is joined to: the embedding is where the extra axis was made (its input has a length-1 axis), and
    flattening its output is the fix -- reshaping the other branch up to rank 3 would build and keep the length-1
    axis through the whole head. The rule's own fix (flatten it at the join) is kept; the label moves to the
    embedding."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch":
        return
    shapes = [getattr(x, "shape", None) for x in f.op.inputs]
    if any(s is None for s in shapes) or sorted({len(s) for s in shapes}) != [2, 3]:
        return
    for x in f.op.inputs:
        if len(x.shape) != 3 or x.shape[1] != 1:
            continue
        op = f.inference.producer_of(x)
        if op is None or op.layer.kind != "Embedding" or op.layer.origin.span is None:
            continue
        fix = d.fix or _flatten_where_made(ctx, op)  # the joined tensors come from a list: flatten at the Embedding
        yield Cause("id-embedding", 70, Label(op.layer.origin.span, remedies.id_embedding_label(tuple(x.shape)),
                                              d.file),
                    remedies.id_embedding_note(tuple(x.shape)), d.help if d.fix else remedies.flatten_embedding(),
                    fix=fix, strong=True)
        return


def _flatten_where_made(ctx, op):
    """``layers.Embedding(...)(inp)`` -> ``layers.Flatten()(layers.Embedding(...)(inp))``, where it is applied."""
    span = op.layer.extra.get("call_span")
    node = node_at(span, ctx.lines, ast.Call) if span is not None else None
    if node is None or not isinstance(node.func, ast.Call):
        return None
    whole = Span.of(node)
    text = remedies.flatten_embedding()
    prefix = _prefix(op.layer)  # spelled as the file spells its layers (`layers.`, `keras.layers.`)
    if not prefix:
        return None  # `Embedding` imported by itself: `Flatten` may not be
    flatten = f"{prefix}Flatten()("
    return Fix("unsafe", text, [Edit(Span(whole.line, whole.column, whole.line, whole.column), flatten),
                                Edit(Span(whole.end_line, whole.end_column, whole.end_line, whole.end_column), ")")])


def data_moved_before_the_model(ctx, d):
    """The data's axes moved by a transpose just before the model is called (``clouds = clouds.transpose(2, 1)``
    making (B, N, 3) points into the Conv1d layout (B, 3, N) for a model that samples points as (B, N, 3)), and an
    error inside it: taking the move out is a candidate fix. It is kept only where the contract verifies it -- the
    error gone and nothing new -- so a move the model needs is never blamed."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "torch":
        return
    feed = ctx.feed_into(f.inference)
    x = feed.x if feed is not None else None
    if x is None or x.lib not in ("torch", "numpy") or not x.shape or len(x.shape) < 3:
        return
    made = getattr(x, "shaped_at", None) or _moved_by_name(ctx, feed.call.node_of(0, "input"))
    if made is None:
        return
    call = node_at(made, ctx.lines, ast.Call)
    order = _move_of(call, len(x.shape)) if call is not None else None
    if order is None:
        return
    line = self_assignment_line(made, ctx.lines)
    if line is None:
        return  # only a move written as its own statement, `x = x.transpose(...)`: a chained one may be needed
    span, text, moved_by = Span(line, 1, line + 1, 1), "", ctx.lines[line - 1].strip()
    help_text = remedies.delete_axis_move(moved_by)
    # above the numbers a verified removal competes with: a literal rewritten to the moved size bends the model
    yield Cause("data-layout", 86, Label(made, remedies.axes_moved_away_label(x.shape), d.file),
                remedies.moved_before_the_model_note(moved_by), help_text,
                fix=Fix("unsafe", help_text, [Edit(span, text)]), strong=False)


def _moved_by_name(ctx, arg) -> Optional[Span]:
    """The span of ``x.transpose(...)`` / ``x.permute(...)`` in the last ``x = x.transpose(...)`` of the same scope
    before the call that passes ``x`` (a tensor whose layout the evaluator does not track)."""
    if not isinstance(arg, ast.Name):
        return None
    tree = tree_of(ctx.lines)
    if tree is None:
        return None
    scope = function_at(tree, arg.lineno) or tree
    moves = [n.value for n in ast.walk(scope) if isinstance(n, ast.Assign) and n.lineno < arg.lineno and
             len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) and n.targets[0].id == arg.id]
    last = max(moves, key=lambda v: v.lineno, default=None)
    if not isinstance(last, ast.Call) or not isinstance(last.func, ast.Attribute) or \
            last.func.attr not in ("transpose", "permute") or not isinstance(last.func.value, ast.Name) or \
            last.func.value.id != arg.id:
        return None
    return Span.of(last)


def _move_of(call, rank: int) -> Optional[tuple]:
    """The permutation ``x.transpose(a, b)`` / ``x.permute(...)`` applies to a tensor of ``rank`` axes, or None."""
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) or call.keywords:
        return None
    args = call.args[0].elts if len(call.args) == 1 and isinstance(call.args[0], (ast.Tuple, ast.List)) \
        else call.args
    ints = [a.value for a in args if isinstance(a, ast.Constant) and type(a.value) is int]
    if len(ints) != len(args):
        return None
    ints = [i % rank if -rank <= i < rank else None for i in ints]
    if None in ints:
        return None
    if call.func.attr == "transpose" and len(ints) == 2 and ints[0] != ints[1]:
        order = list(range(rank))
        order[ints[0]], order[ints[1]] = order[ints[1]], order[ints[0]]
        return tuple(order)
    if call.func.attr == "permute" and sorted(ints) == list(range(rank)):
        return tuple(ints)
    return None
