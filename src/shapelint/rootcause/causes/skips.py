"""Causes at a skip connection: an encoder-decoder (U-Net) whose skip and upsampled maps differ by a few pixels
because one conv, written once in a block the model repeats, was left at valid padding while the others keep the
size (``padding="same"``, ``padding=1``). Every block then trims kernel - 1 pixels, the halvings stop being exact, and
the concatenation fails far from the conv. Cropping or resizing the skip would paper over it."""
from __future__ import annotations

import ast

from typing import Optional

from ...core import provenance
from ...core.facts import RuleFacts
from ...core.registry import has
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes.edits import set_arg_edit
from ...core.program import Span
from ...diagnostics.fixes.source import enclosing, node_at, spell, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from .numbers import _inside

_MERGES = ("Concatenate", "concatenate", "cat", "concat", "Add", "add")


def _kernel(layer) -> Optional[tuple]:
    k = layer.args.get("kernel_size")
    k = (k,) if isinstance(k, int) else tuple(k) if isinstance(k, (tuple, list)) else None
    return k if k and all(isinstance(v, int) for v in k) else None


def _ones(v) -> bool:
    return v in (1, None) or isinstance(v, (tuple, list)) and all(x == 1 for x in v)


def _keeps_size(layer) -> Optional[bool]:
    """Whether a stride-1 conv keeps its input's size: True ("same", or torch padding = kernel // 2), False (valid
    padding with a kernel > 1), None (anything else: strided, dilated, unknown)."""
    k = _kernel(layer)
    if k is None or not _ones(layer.args.get("strides", layer.args.get("stride", 1))) or \
            not _ones(layer.args.get("dilation_rate", layer.args.get("dilation", 1))):
        return None
    p = layer.args.get("padding")
    if layer.framework == "keras":
        return True if p == "same" else False if p == "valid" and any(v > 1 for v in k) else None
    if p == "same":
        return True
    p = (p,) * len(k) if isinstance(p, int) else tuple(p) if isinstance(p, (tuple, list)) else None
    if p is None or len(p) != len(k) or not all(isinstance(v, int) for v in p):
        return None
    if all(2 * pv == kv - 1 for pv, kv in zip(p, k)):
        return True
    return False if all(pv == 0 for pv in p) and any(kv > 1 for kv in k) else None


def valid_conv_in_block(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _MERGES or f.mismatch.code != "merge-shape-mismatch":
        return
    shapes = [tuple(x.shape) for x in f.op.inputs if isinstance(x, Tensor) and x.shape is not None]
    if len(shapes) < 2 or len({len(s) for s in shapes}) != 1 or len(shapes[0]) < 3:
        return
    sites: dict = {}
    for op in f.inference.program.ops:
        if has(op.layer, "conv_rank") and op.layer.origin.span is not None:
            sites.setdefault(op.layer.origin.span, []).append(op.layer)
    kinds = {span: {_keeps_size(l) for l in layers} for span, layers in sites.items()}
    valid = [span for span, k in kinds.items() if k == {False}]
    same = [span for span, k in kinds.items() if k == {True}]
    # one site left at valid padding, built more than once (a block), among convs that keep the size
    if len(valid) != 1 or not same or len(sites[valid[0]]) < 2:
        return
    layer = sites[valid[0]][0]
    k = _kernel(layer)
    value = '"same"' if layer.framework == "keras" else str(k[0] // 2) if len(set(k)) == 1 and k[0] % 2 else None
    edit = set_arg_edit(layer, "padding", value, ctx.lines) if value is not None else None
    help_text = remedies.pad_block_conv(f"padding={value}") if value else remedies.pad_block_conv("")
    yield Cause("valid-conv-in-block", 80, Label(valid[0], remedies.valid_conv_label(k), d.file),
                remedies.valid_conv_note(layer.kind, k, len(sites[valid[0]])), help_text,
                fix=Fix("unsafe", help_text, [edit]) if edit is not None else None, strong=True)


def identity_shortcut_condition(ctx, d):
    """A residual block that builds its 1x1 projection shortcut only ``if stride != 1:``: a block that changes the
    width at stride 1 keeps ``nn.Identity()``, and ``out + self.shortcut(x)`` adds maps of different channel counts.
    The condition must also test the widths (the names the projection conv is built with)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in ("add", "__add__", "radd") or \
            f.op.layer.framework != "torch" or f.mismatch.code != "merge-shape-mismatch" or \
            f.mismatch.facts.get("axis") != 1:
        return
    if not any(o is not None and o.layer.kind == "Identity" for o in map(f.inference.producer_of, f.op.inputs)):
        return
    tree = tree_of(ctx.lines)
    span = f.op.layer.origin.span
    if tree is None or span is None:
        return
    cls = next((c for c in ast.walk(tree) if isinstance(c, ast.ClassDef)
                and c.lineno <= span.line <= (c.end_lineno or c.lineno)), None)
    init = next((m for m in cls.body if isinstance(m, ast.FunctionDef) and m.name == "__init__"), None) \
        if cls is not None else None
    for node in ast.walk(init) if init is not None else ():
        if not isinstance(node, ast.If) or "stride" not in ast.unparse(node.test):
            continue
        convs = [c for c in ast.walk(ast.Module(body=node.body, type_ignores=[])) if isinstance(c, ast.Call)
                 and ast.unparse(c.func).endswith(("Conv2d", "Conv1d", "Conv3d")) and len(c.args) >= 2
                 and all(isinstance(a, ast.Name) for a in c.args[:2])]
        if not convs:
            continue
        a, b = convs[0].args[0].id, convs[0].args[1].id
        if a in ast.unparse(node.test) and b in ast.unparse(node.test):
            return
        test = Span.of(node.test)
        spelled = f"if {ast.unparse(node.test)} or {a} != {b}:"
        help_text = remedies.project_when_width_changes(spelled)
        yield Cause("formula", 87, Label(test, remedies.shortcut_condition_label(), d.file),
                    remedies.shortcut_condition_note(a, b), help_text,
                    fix=Fix("unsafe", help_text, [Edit(Span(test.end_line, test.end_column, test.end_line,
                                                            test.end_column), f" or {a} != {b}")]), strong=True)
        return


def unpadded_convs_for_formula(ctx, d):
    """A Linear sized by a formula that counts only the poolings (``seq_len // 2 ** len(channels)``) after convs
    left at valid padding, all built at one site (a loop): padding them by kernel_size // 2 makes the formula hold.
    Offered only when the re-check confirms it (not strong): the formula may be the thing to change."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind != "Linear" or f.mismatch.code != "feature-count-mismatch":
        return
    expected, layer_span = f.mismatch.expected, f.op.layer.origin.span
    away = [v for v in [expected, *provenance.operands_deep(expected)]
            if isinstance(provenance.origin_of(v), provenance.Computed) and provenance.origin_of(v).span is not None
            and not _inside(provenance.origin_of(v).span, layer_span)]
    if not away:  # `nn.Linear(16 * 16 * 16, 10)` written at the layer: its own number is the first suspect
        return
    sites: dict = {}
    for op in f.inference.program.ops[:f.op.index]:
        if op.layer.framework == "torch" and has(op.layer, "conv_rank") and op.layer.origin.span is not None:
            sites.setdefault(op.layer.origin.span, []).append(op.layer)
    if not sites or len(sites) > 4:  # the convs of a block, each built at one site (a helper, a loop)
        return
    if {_keeps_size(l) for built in sites.values() for l in built} != {False}:
        return
    kernels = {_kernel(built[0]) for built in sites.values()}
    k = next(iter(kernels))
    if len(kernels) != 1 or len(set(k)) != 1 or k[0] % 2 == 0:
        return
    edits, values = [], set()
    for built in sites.values():
        layer = built[0]
        text = ctx.text(layer.arg_spans.get("kernel_size")) if layer.arg_spans.get("kernel_size") else None
        value = f"{text} // 2" if text and not text.isdigit() else str(k[0] // 2)
        edit = set_arg_edit(layer, "padding", value, ctx.lines)
        if edit is None:
            return
        edits.append(edit)
        values.add(value)
    help_text = remedies.pad_the_convs(f"padding={values.pop()}" if len(values) == 1 else "padding=kernel_size // 2")
    yield Cause("formula", 72, Label(next(iter(sites)), remedies.unpadded_convs_label(k[0] - 1), d.file),
                remedies.unpadded_convs_note(int(f.mismatch.expected), int(f.mismatch.received)), help_text,
                fix=Fix("unsafe", help_text, edits))



def unpadded_by_default(ctx, d):
    """Every conv of an encoder-decoder is built by one helper whose padding parameter defaults to 0
    (``def double_conv(cin, cout, k=3, pad=0)``): each conv trims kernel - 1 pixels, so the upsampled maps come out
    smaller than the skips they are joined with. The default is where the mistake was written; padding the
    upsampled maps by the difference (or cropping the skips) works for one input size only."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _MERGES or f.mismatch.code != "merge-shape-mismatch":
        return
    convs = [op.layer for op in f.inference.program.ops[:f.op.index]
             if has(op.layer, "conv_rank") and op.layer.framework == "torch" and (_kernel(op.layer) or (1,))[0] > 1]
    if not convs or any(_keeps_size(layer) is not False for layer in convs):
        return
    origins = {getattr(o, "span", None) if isinstance(o, provenance.Default) else id(o): o
               for o in (provenance.origin_of(layer.args.get("padding")) for layer in convs)}
    kernels = {_kernel(layer) for layer in convs}
    if len(origins) != 1 or len(kernels) != 1:
        return
    o = next(iter(origins.values()))
    k = next(iter(kernels))
    if not isinstance(o, provenance.Default) or o.span is None or len(set(k)) != 1 or k[0] % 2 == 0:
        return
    value = str(k[0] // 2)
    help_text = remedies.pad_by_default(o.param, value)
    yield Cause("valid-conv-in-block", 81, Label(o.span, remedies.default_label(o.param, 0), d.file),
                remedies.unpadded_by_default_note(o.param, k[0] - 1), help_text,
                fix=Fix("unsafe", help_text, [Edit(o.span, value)]), strong=True)


def _spatial(layer, rank: int) -> range:
    """The spatial axes of a ``rank``-D map: after the batch in Keras (channels last), after the channels in torch."""
    return range(1, rank - 1) if layer.framework == "keras" else range(2, rank)


def _nearest_multiple(size: int, step: int) -> int:
    lower = size - size % step
    return lower if lower > 0 and size - lower < lower + step - size else lower + step


def input_not_halving(ctx, d):
    """An encoder-decoder (U-Net) whose skip and upsampled maps differ by one pixel because the input's size is not a
    multiple of 2 ** (number of halvings): each pooling rounds an odd size down (100 -> 50 -> 25 -> 12), and the map
    upsampled from 12 is 24 where its skip kept 25. The concatenation fails far from where the size was written; the
    network is fine, the size fed to it is not. Only when every halving of the run is exact but for odd sizes (a conv
    that trims pixels is valid_conv_in_block's)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _MERGES or f.mismatch.code != "merge-shape-mismatch":
        return
    shapes = [tuple(x.shape) for x in f.op.inputs if isinstance(x, Tensor) and x.shape is not None]
    if len(shapes) != 2 or len(shapes[0]) != len(shapes[1]) or len(shapes[0]) < 3:
        return
    axes = _spatial(f.op.layer, len(shapes[0]))
    a, b = shapes
    if not all(isinstance(a[i], int) and isinstance(b[i], int) for i in axes) or \
            max(abs(a[i] - b[i]) for i in axes) != 1:
        return
    program = f.inference.program  # the model's run, a functional model's too (engine._in_its_model)
    first = program.inputs[0] if program.inputs else None
    if not isinstance(first, Tensor) or first.shape is None or len(first.shape) != len(a):
        return
    halvings, odd = 0, False
    for op in program.ops:
        x, y = (op.inputs[0] if op.inputs else None), op.output
        if not isinstance(x, Tensor) or not isinstance(y, Tensor) or x.shape is None or y.shape is None or \
                len(x.shape) != len(a) or len(y.shape) != len(a) or \
                not all(isinstance(x.shape[i], int) and isinstance(y.shape[i], int) for i in axes):
            continue
        if all(x.shape[i] > 1 and y.shape[i] == x.shape[i] // 2 for i in axes):
            halvings += 1
            odd = odd or any(x.shape[i] % 2 for i in axes)
    step = 2 ** halvings
    bad = [first.shape[i] for i in axes if isinstance(first.shape[i], int) and first.shape[i] % step]
    span = provenance.root_span(bad[0]) if bad and odd and halvings >= 2 else None
    if span is None:
        return
    size = int(bad[0])
    lower, upper = size - size % step, size - size % step + step
    chain, v = [str(size)], size
    for _ in range(halvings):
        v //= 2
        chain.append(str(v))
    padded = _pad_to_skip(ctx, f, a, b) if f.op.layer.framework == "torch" else None
    if padded is not None:  # the crops are the data's size: the block pads its upsampled map to the skip's
        edit, spelled, joined = padded
        help_text = remedies.pad_to_skip(spelled)
        yield Cause("input-not-halving", 76, Label(joined, remedies.joined_unpadded_label(), d.file),
                    remedies.size_not_halving_pad_note(" -> ".join(chain),
                                                       *sorted(next((a[i], b[i]) for i in axes if a[i] != b[i]))),
                    help_text, fix=Fix("unsafe", help_text, [edit]), strong=True,
                    secondary=[Label(span, remedies.size_not_halving_label(size, step, halvings), d.file)],
                    alternative=remedies.size_multiple_of(step, lower, upper))
        return
    help_text = remedies.size_multiple_of(step, lower, upper)
    spans = {provenance.root_span(v) for v in bad}  # each size written (IMG once for both axes, or 30, 30)
    fix = Fix("unsafe", help_text, [Edit(s, str(_nearest_multiple(int(ctx.text(s)), step))) for s in spans],
              resizes_all_readers=True) if all((ctx.text(s) or "").strip().isdigit() for s in spans) else None
    small, large = sorted(next((a[i], b[i]) for i in axes if a[i] != b[i]))
    yield Cause("input-not-halving", 75, Label(span, remedies.size_not_halving_label(size, step, halvings), d.file),
                remedies.size_not_halving_note(" -> ".join(chain), small, large), help_text, fix=fix, strong=True)


def _pad_to_skip(ctx, f, a: tuple, b: tuple):
    """(edit, text) inserting, before ``torch.cat([skip, x], dim=1)`` in a block's ``forward``, the padding of the
    smaller (upsampled) map to the skip's height and width -- the reference U-Net's ``F.pad`` by the size
    difference -- so the network takes any input size, the data's own included. Only for 4-D maps joined by a cat
    of two plain names in a method."""
    call = f.op.layer.extra.get("call_span") or f.op.layer.origin.span
    node = node_at(call, ctx.lines, ast.Call) if call is not None else None
    elts = node.args[0].elts if node is not None and node.args and isinstance(node.args[0], (ast.List, ast.Tuple)) \
        else []
    stmt = enclosing(node, (ast.stmt,)) if node is not None else None
    pad = spell("torch.nn.functional.pad", ctx.lines)
    if len(elts) != 2 or not all(isinstance(e, ast.Name) for e in elts) or len(a) != 4 or stmt is None or \
            pad is None or not isinstance(enclosing(stmt, (ast.FunctionDef,)), ast.FunctionDef):
        return None
    (small, _), (big, _) = sorted(((elts[0].id, a), (elts[1].id, b)), key=lambda t: t[1][2] * t[1][3])
    indent = ctx.lines[stmt.lineno - 1][:stmt.col_offset]
    text = (f"{indent}dy, dx = {big}.size(2) - {small}.size(2), {big}.size(3) - {small}.size(3)\n"
            f"{indent}{small} = {pad}({small}, [dx // 2, dx - dx // 2, dy // 2, dy - dy // 2])\n")
    return Edit(Span(stmt.lineno, 1, stmt.lineno, 1), text), f"{small} = {pad}({small}, [dx // 2, ...])", \
        Span.of(node)


_HALVERS = ("MaxPool2d", "AvgPool2d", "MaxPooling2D", "AveragePooling2D", "MaxPool1d", "MaxPooling1D")


def stage_per_entry_too_many(ctx, d):
    """A downsampling stage built once per entry of a written list (``for cin, cout in zip(widths, widths[1:])``,
    ``[stage(w) for w in cfg["widths"]]``) and a pool that has nothing left to halve: the list has more entries than
    the input has halvings. The list is where the number of stages was chosen -- the pool and the helper are right
    for each stage they build."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "non-positive-output-size" or \
            f.op.layer.kind not in _HALVERS:
        return
    call = f.op.layer.extra.get("helper_call")
    tree = tree_of(ctx.lines)
    node = node_at(call, ctx.lines, ast.Call) if call is not None and tree is not None else None
    loop = enclosing(node, (ast.For, ast.ListComp, ast.GeneratorExp)) if node is not None else None
    listed = _written_list(ctx, tree, loop.iter if isinstance(loop, ast.For) else
                           loop.generators[0].iter if loop is not None else None)
    if listed is None:
        return
    x = f.inference.program.inputs[0] if f.inference.program.inputs else None
    sides = [int(v) for v in (getattr(x, "shape", None) or ())[2:] if isinstance(v, int)]
    halvings = min(s.bit_length() - 1 for s in sides) if sides else None
    yield Cause("stage-count", 70, Label(Span.of(listed), remedies.stages_label(len(listed.elts)), d.file),
                remedies.stages_note(len(listed.elts), halvings), remedies.fewer_stages(halvings), strong=True,
                secondary=[Label(call, remedies.stage_built_here(), d.file)])


def _written_list(ctx, tree, it):
    """The list literal a loop's iterable reads: ``cfg["widths"]``, ``zip(widths[:-1], widths[1:])``,
    ``enumerate(WIDTHS)`` -- through a module-level dict entry or name. None when it is not one written list."""
    if it is None:
        return None
    names = [n for n in ast.walk(it) if isinstance(n, (ast.Subscript, ast.Name))]
    for n in names:
        key = n.slice.value if isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) else None
        name = n.id if isinstance(n, ast.Name) else None
        for stmt in tree.body:
            if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
                continue
            value = stmt.value
            if isinstance(value, ast.Dict) and key is not None:
                value = next((v for k, v in zip(value.keys, value.values)
                              if isinstance(k, ast.Constant) and k.value == key), None)
            elif name is None or not isinstance(stmt.targets[0], ast.Name) or stmt.targets[0].id != name:
                continue
            if isinstance(value, ast.List) and len(value.elts) >= 2:
                return value
    return None


def stride_twice_in_block(ctx, d):
    """A residual block whose main path is strided twice -- both 3x3 convs given the block's ``stride`` -- while its
    projection shortcut is strided once: ``out + self.shortcut(x)`` adds maps of sizes H/4 and H/2. The block's
    stride belongs on its first conv with a kernel wider than 1 (ResNet's convention); the others take stride 1.
    Striding the shortcut twice too would run and throw away resolution the network was designed to keep."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _MERGES + ("ops.add",) or \
            f.mismatch.code != "merge-shape-mismatch" or len(f.op.inputs) != 2:
        return
    last = f.op.layer.framework == "keras"  # channels last: the spatial axes are 1..-2
    a, b = f.op.inputs
    if not all(isinstance(x, Tensor) and x.shape is not None and len(x.shape) >= 3 for x in (a, b)) or \
            len(a.shape) != len(b.shape):
        return
    small, large = (a, b) if _spatial_sizes(a, last) < _spatial_sizes(b, last) else (b, a)
    factor = _one_factor(_spatial_sizes(large, last), _spatial_sizes(small, last))
    if factor is None or (small.shape[0], small.shape[-1 if last else 1]) != (large.shape[0], large.shape[-1 if last else 1]):
        return
    main = _convs_back(f.inference, small, stop={id(v) for v in f.inference.upstream([large], limit=64)})
    short = _convs_back(f.inference, large, stop={id(v) for v in f.inference.upstream([small], limit=64)})
    strided = [op for op in main if _stride(op.layer) == factor]
    if len(strided) < 2 or [_stride(op.layer) for op in short if _stride(op.layer) != 1] != [factor]:
        return
    keep = next((op for op in strided if any(k > 1 for k in (_kernel(op.layer) or ()))), strided[0])
    extra = [op for op in strided if op is not keep]
    spans = [op.layer.arg_spans.get("strides" if last else "stride") for op in extra]
    if not spans or any(s is None for s in spans) or keep.layer.origin.span is None:
        return
    help_text = remedies.stride_once_in_block("strides" if last else "stride")
    yield Cause("stride-twice", 86, Label(spans[0], remedies.stride_twice_label(factor), d.file),
                remedies.stride_twice_note(factor, len(strided)), help_text,
                fix=Fix("unsafe", help_text, [Edit(s, "1") for s in spans], replaces_name=True),
                secondary=[Label(keep.layer.origin.span, remedies.stride_kept_label(), d.file)], strong=True)


def _spatial_sizes(x, channels_last: bool = False) -> tuple:
    return tuple(x.shape[1:-1]) if channels_last else tuple(x.shape[2:])


def _one_factor(large: tuple, small: tuple) -> Optional[int]:
    """The one integer factor every spatial size shrank by, or None."""
    if not all(isinstance(n, int) and isinstance(m, int) and m > 0 for n, m in zip(large, small)):
        return None
    if not all(n % m == 0 and n != m for n, m in zip(large, small)):
        return None
    factors = {n // m for n, m in zip(large, small)}
    return factors.pop() if len(factors) == 1 else None


def _stride(layer):
    if not has(layer, "conv_rank"):
        return None
    s = layer.args.get("strides" if layer.framework == "keras" else "stride", 1)
    s = tuple(s) if isinstance(s, (tuple, list)) else (s,)
    return s[0] if len(set(s)) == 1 and isinstance(s[0], int) else None


def _convs_back(inference, value, stop: set, limit: int = 32) -> list:
    """The convolutions on the path that made ``value``, back to where it meets ``stop`` (the other branch's
    history), in forward order."""
    convs = []
    for v, op in inference.walk_back(value, depth=limit):
        if id(v) in stop or op is None or not op.inputs:
            break
        if has(op.layer, "conv_rank"):
            convs.append(op)
    return convs[::-1]


def conv_padding_not_keeping_size(ctx, d):
    """Maps joined where a stride-1 conv on one side was padded to keep its input's length and does not: a TextCNN's
    ``padding=k // 2`` (TensorFlow's ``'same'`` written by hand) with an even kernel adds one position (60 -> 61); a
    residual block ported from Keras's ``Conv2D(32, (4, 1), padding="same")`` as ``padding=(1, 0)`` loses one row
    per conv (100 -> 98) against its shortcut. The padding is the mistake; ``padding="same"`` keeps the length for
    every kernel (stride 1). Offered for the convs on the side that changed the size, when each one's padding is
    written as a formula of the kernel, or the join is a residual sum (which needs the length kept); cropping or
    padding the maps would run for one kernel or one input size only."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _MERGES or f.mismatch.code != "merge-shape-mismatch":
        return
    xs = [x for x in f.op.inputs if isinstance(x, Tensor) and x.shape]
    if len(xs) < 2 or len({len(x.shape) for x in xs}) != 1:
        return
    axes = [a for a in range(1, len(xs[0].shape)) if len({x.shape[a] for x in xs}) > 1]
    if len(axes) != 1:
        return
    axis = axes[0]
    for x in xs:
        others = [o for o in xs if o is not x]
        convs = _size_changing_convs(f.inference, x, axis, others)
        if not convs:
            continue
        residual = any(f.inference.derives_from(x, o, limit=64) for o in others)
        edits = []
        for op in convs:
            span = op.layer.arg_spans.get("padding")
            text = (ctx.text(span) or "") if span is not None else ""
            formula = any(c.isalpha() for c in text) and "//" in text
            if span is None or not (formula or residual):
                return
            edits.append(Edit(span, '"same"'))
        help_text = remedies.same_padding_for_even_kernel()
        first = convs[-1]
        yield Cause("layer-number", 80, Label(first.layer.arg_spans["padding"],
                                              remedies.padding_not_keeping_label(_kernel(first.layer)), d.file),
                    remedies.padding_not_keeping_note(), help_text, fix=Fix("unsafe", help_text, edits))
        return


def _size_changing_convs(inference, value, axis: int, stop: list, depth: int = 12) -> list:
    """The stride-1 torch convs with a kernel > 1 that changed ``value``'s size on ``axis`` on its way from the other
    sides of the join (``stop``: reached, or left unknown), through ops that keep that size; [] when anything else
    changed it."""
    found = []
    for value, op in inference.walk_back(value, depth=depth):
        if any(value is s for s in stop) or found and all(value.shape[axis] == s.shape[axis] for s in stop):
            return found  # back at the other sides' size: what changed it is found
        if op is None or not op.inputs or not isinstance(op.inputs[0], Tensor) or not op.inputs[0].shape or \
                len(op.inputs[0].shape) != len(value.shape):
            return found
        x = op.inputs[0]
        if x.shape[axis] != value.shape[axis]:
            k = _kernel(op.layer)
            if not has(op.layer, "conv_rank") or op.layer.framework != "torch" or k is None or \
                    not _ones(op.layer.args.get("stride", 1)) or not _ones(op.layer.args.get("dilation", 1)):
                return []
            found.append(op)
    return found
