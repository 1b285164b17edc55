"""Where a fix to the data belongs: the place its layout was set (``shaped_at``), the conversion that turned a numpy
array into a torch tensor (a layout natural to numpy, wrong for torch, is fixed where it crosses over), or -- when
neither is an expression a fix can extend -- the argument that feeds it to the model."""
from __future__ import annotations

import ast
from typing import Optional

from ..core import provenance
from ..core.program import Span
from ..diagnostics.fixes.source import enclosing, function_at, module_value, node_at, size_arguments, tree_of


def whole_value(ctx, span: Optional[Span], assignment_only: bool = False) -> bool:
    """The expression at ``span`` is the whole value of an assignment (or of a ``return``), or (unless
    ``assignment_only``) a call whose result is used as is."""
    node = node_at(span, ctx.lines) if span is not None else None
    parent = getattr(node, "_shapelint_parent", None)
    # a helper's `return expr` is its value too: every caller gets what an edit there makes
    return node is not None and (isinstance(parent, (ast.Assign, ast.AnnAssign, ast.Return)) and parent.value is node
                                 or not assignment_only and isinstance(node, ast.Call))


def reads_of_assigned(ctx, stmt) -> int:
    """How many times the one name ``stmt`` (an assignment) binds is read in its scope (the function holding it, or
    the module): read once, a fix where it is used changes nothing else; read more, only a fix where it is made
    reaches every reader."""
    target = stmt.targets[0] if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 else None
    tree = tree_of(ctx.lines) if isinstance(target, ast.Name) else None
    if tree is None:
        return 0
    scope = function_at(tree, stmt.lineno) or tree
    return sum(1 for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == target.id and
               isinstance(n.ctx, ast.Load))


def assigned_value(ctx, name: str) -> Optional[Span]:
    """The value of the one module-level ``name = value`` (no other binding of ``name`` outside functions and
    classes): the place a value passed by that name was made."""
    value = module_value(tree_of(ctx.lines), name)
    return Span.of(value) if value is not None else None


def data_site(ctx, x, feed_span: Optional[Span], framework: str) -> tuple:
    """(span to label, span of the expression to extend) for a fix of the data ``x``. Data that crosses from numpy
    into torch is labelled and fixed where it crosses: numpy's own layout (images as H, W, C) is not the mistake,
    taking it into torch without putting its axes in torch's order is. Otherwise the label goes where the layout
    was written, and the edit there too (or where it is fed)."""
    shaped = getattr(x, "shaped_at", None) or x.origin
    label = shaped or feed_span
    converted = x.meta.get("converted_at") if framework == "torch" else None
    tree = tree_of(ctx.lines) if converted is not None and getattr(x, "shaped_at", None) is not None else None
    # positions compare only within one function: a helper defined above the conversion runs after it
    reshaped_after = tree is not None and function_at(tree, x.shaped_at.line) is function_at(tree, converted.line) \
        and (x.shaped_at.line, x.shaped_at.column) > (converted.line, converted.column)
    if converted is not None and not reshaped_after and node_at(converted, ctx.lines, ast.Call) is not None:
        return converted, converted  # (a layout set in torch after the conversion -- ``t.unsqueeze(0)`` -- has
        # another rank than the tensor converted: the permutation worked out for the fed data belongs there)
    if shaped is not None and whole_value(ctx, shaped):
        return label, shaped
    return label, feed_span


def written_string(ctx, node) -> Optional[ast.Constant]:
    """The string literal an argument's value was written as, when the argument names it: a module-level
    ``LOSS = "mse"`` passed as ``LOSS``, or the value of a key of a module-level config dict passed as
    ``CFG["loss"]``. None when the argument is the literal itself or its value was computed."""
    if isinstance(node, ast.Name):
        value = node_at(assigned_value(ctx, node.id), ctx.lines)
    elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and \
            isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
        key = node.slice.value
        span = assigned_value(ctx, node.value.id)
        if span is not None:
            value = _entry(node_at(span, ctx.lines), key)
        else:  # `p["loss"]` of a parameter: the one module-level config table that has that key as a string
            tree = tree_of(ctx.lines)
            hits = [_entry(stmt.value, key) for stmt in (tree.body if tree is not None else [])
                    if isinstance(stmt, ast.Assign)]
            hits = [h for h in hits if isinstance(h, ast.Constant) and isinstance(h.value, str)]
            value = hits[0] if len(hits) == 1 else None
    else:
        return None
    return value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None


def _entry(table, key: str):
    """The value written for ``key`` in a dict literal or a ``dict(key=...)`` call; None otherwise."""
    if isinstance(table, ast.Dict):
        hits = [v for k, v in zip(table.keys, table.values) if isinstance(k, ast.Constant) and k.value == key]
        return hits[0] if len(hits) == 1 else None
    if isinstance(table, ast.Call) and getattr(table.func, "id", None) == "dict":
        hits = [k.value for k in table.keywords if k.arg == key]
        return hits[0] if len(hits) == 1 else None
    return None


def unsqueezed_base(node, axis: int) -> Optional[ast.expr]:
    """The tensor an expression adds an axis of size 1 to at ``axis`` (``t.unsqueeze(0)``, ``torch.unsqueeze(t, 0)``,
    ``np.expand_dims(t, 0)``, ``t[None]``, ``t[:, np.newaxis]``), or None."""
    if isinstance(node, ast.Call):
        args = list(node.args) + [k.value for k in node.keywords if k.arg in ("dim", "axis")]
        at = args[-1] if args else None
        if not (isinstance(at, ast.Constant) and at.value == axis and len(node.keywords) <= 1):
            return None
        if isinstance(node.func, ast.Attribute) and node.func.attr == "unsqueeze" and len(args) == 1:
            return node.func.value
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("unsqueeze", "expand_dims") and \
                len(args) == 2 and isinstance(node.func.value, ast.Name):
            return args[0] if node.args and args[0] is node.args[0] else None
        return None
    if isinstance(node, ast.Subscript):
        elts = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        whole = [isinstance(e, ast.Slice) and e.lower is None and e.upper is None and e.step is None or
                 isinstance(e, ast.Constant) and e.value is Ellipsis for e in elts]
        new = [isinstance(e, ast.Constant) and e.value is None or
               isinstance(e, ast.Attribute) and e.attr == "newaxis" for e in elts]  # `None` / `np.newaxis`
        if axis < len(elts) and new[axis] and all(w for i, w in enumerate(whole) if i != axis) and \
                all(whole[:axis]) and not any(isinstance(e, ast.Constant) and e.value is Ellipsis
                                              for e in elts[:axis]):
            return node.value
    return None


def in_dataset_item(ctx, span: Optional[Span]) -> bool:
    """``span`` is in a ``__getitem__``: a Dataset's item, one sample the DataLoader will stack."""
    tree = tree_of(ctx.lines) if span is not None else None
    fn = function_at(tree, span.line) if tree is not None else None
    return fn is not None and fn.name == "__getitem__"


_CREATORS = ("randn", "rand", "zeros", "ones", "empty", "normal")


def one_sample_made(ctx, span: Optional[Span], batch_rank: int) -> bool:
    """``span`` makes ONE sample the batches are later stacked from: it is in a Dataset's ``__getitem__``, or it is a
    creation call one axis short of the batch, collected item by item (``[torch.randn(frames, n_mels) for _ in
    range(n)]``, or appended in a loop)."""
    if in_dataset_item(ctx, span):
        return True
    node = node_at(span, ctx.lines, ast.Call) if span is not None else None
    name = node.func.attr if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) else None
    if name not in _CREATORS or len(size_arguments(node)) != batch_rank - 1:
        return False
    parent = getattr(node, "_shapelint_parent", None)
    return isinstance(parent, (ast.ListComp, ast.GeneratorExp)) and parent.elt is node or \
        isinstance(parent, ast.Call) and isinstance(parent.func, ast.Attribute) and parent.func.attr == "append"


def edit_site(edits: list, layer_span: Optional[Span]) -> tuple:
    """(span to label, spans to mention) for a fix of a layer's setting: the one place the edit writes when it is
    outside the layer's own call (a helper's default, ``def up(..., output_padding=0)``), the layer beside it;
    else the layer."""
    spans = {e.span for e in edits}
    if len(spans) == 1 and layer_span is not None:
        (span,) = spans
        inside = (layer_span.line, layer_span.column) <= (span.line, span.column) and \
            (span.end_line, span.end_column) <= (layer_span.end_line, layer_span.end_column)
        if not inside:
            return span, [layer_span]
    return layer_span, []


def written_literal(ctx, size) -> tuple:
    """(the int literal a size was written as, its parent node), or (None, None) when it was not written as one."""
    o = provenance.origin_of(size)
    node = node_at(o.span, ctx.lines) if isinstance(o, provenance.Written) and o.span is not None else None
    return node, getattr(node, "_shapelint_parent", None)


def helper_calls(ctx, node) -> int:
    """How many calls of the module-level function whose one ``return`` holds ``node`` the file makes (by its name);
    0 for a method or a function with more than one ``return``. A value made there reaches every caller."""
    fn = enclosing(node, (ast.FunctionDef,))
    tree = tree_of(ctx.lines)
    if fn is None or tree is None or enclosing(fn, (ast.ClassDef,)) is not None or \
            sum(1 for n in ast.walk(fn) if isinstance(n, ast.Return)) != 1:
        return 0
    return sum(1 for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and
               n.func.id == fn.name)


def name_reads(scope, name: str) -> list:
    """The nodes reading ``name`` in ``scope`` (a function or module node)."""
    return [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]


def single_binding(scope, name: str) -> Optional[ast.expr]:
    """The value of ``name = value`` when that is the one assignment of ``name`` in ``scope`` (a function or module
    node): where a size passed by that name was written (``tgt_len = tgt.size(1)``, ``feat_dim = cfg.hidden``)."""
    binds = [n.value for n in ast.walk(scope) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
             isinstance(n.targets[0], ast.Name) and n.targets[0].id == name] if scope is not None else []
    return binds[0] if len(binds) == 1 else None


def default_relied_on_elsewhere(ctx, o) -> bool:
    """Whether a call of the function other than ``o.call`` leaves ``o.param`` to its default too."""
    node = node_at(o.span, ctx.lines)
    fn = enclosing(node, (ast.FunctionDef,)) if node is not None else None
    tree = tree_of(ctx.lines)
    if fn is None or tree is None:
        return False
    names = [a.arg for a in fn.args.posonlyargs + fn.args.args]
    if names and names[0] in ("self", "cls"):
        names = names[1:]
    index = names.index(o.param) if o.param in names else None
    callee = o.callee.split(".")[-1]
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or Span.of(call) == o.call:
            continue
        name = call.func.id if isinstance(call.func, ast.Name) else \
            call.func.attr if isinstance(call.func, ast.Attribute) else None
        if name != callee or any(k.arg == o.param or k.arg is None for k in call.keywords) or \
                any(isinstance(a, ast.Starred) for a in call.args):
            continue
        if index is None or len(call.args) <= index:
            return True
    return False


def picture_of(ctx, x):
    """The ``OneImage`` (frontends/source/datasets_api.py) ``x`` was computed from -- a picture a transform made a
    (C, H, W) tensor, ``preprocess(img).unsqueeze(0)`` -- or None. Its first axis is the picture's channels, never
    a batch."""
    pictures = ctx.ev.state.one_images
    value = getattr(x, "value", None)
    if not pictures or value is None:
        return None
    run = getattr(x, "run", None)
    for v in run.upstream([value], limit=64) if run is not None else [value]:
        if id(v) in pictures and pictures[id(v)].value is v:
            return pictures[id(v)]
    return None


def appended_item(ctx, made):
    """The one expression appended to the list the data was stacked from (``np.stack(xs)`` / ``np.array(xs)`` of a
    list filled by a single ``xs.append(item)`` in the same function), or None."""
    node = node_at(made, ctx.lines, ast.Call) if made is not None else None
    tree = tree_of(ctx.lines) if node is not None else None
    if tree is None or not (isinstance(node.func, ast.Attribute) and node.func.attr in ("stack", "array", "asarray")) \
            or len(node.args) != 1 or not isinstance(node.args[0], ast.Name):
        return None
    name = node.args[0].id
    scope = function_at(tree, node.lineno) or tree
    appended = [c.args[0] for c in ast.walk(scope) if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                and c.func.attr == "append" and isinstance(c.func.value, ast.Name) and c.func.value.id == name
                and len(c.args) == 1]
    return appended[0] if len(appended) == 1 else None


def torch_conv_dims(layer) -> Optional[int]:
    """The spatial axes of a torch convolution (``Conv3d`` -> 3, ``ConvTranspose2d`` -> 2), or None for any other
    layer."""
    kind = layer.kind
    if layer.framework != "torch" or not kind.startswith(("Conv", "LazyConv")) or not kind.endswith("d"):
        return None
    digit = kind[-2]
    return int(digit) if digit in "123" else None


def int_literal(node) -> Optional[int]:
    """The int a node writes literally -- ``2``, ``-1`` -- or None (a name, an expression, a bool)."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = int_literal(node.operand)
        return -inner if inner is not None else None
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None
