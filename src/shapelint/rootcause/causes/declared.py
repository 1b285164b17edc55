"""Causes in a Keras input declaration written from the data: ``Input(shape=x_train.shape)`` declares the number of
samples as an axis of each sample (``x_train.shape[1:]`` is the per-sample shape). The first layer then receives one
axis too many; the mistake is where ``.shape`` was read."""
from __future__ import annotations

import ast

from ...checks.data_input import declared_span
from ...core import roles
from ...core.facts import RuleFacts
from ...core.registry import has
from ...core.program import Span
from ...diagnostics import remedies
from ...diagnostics.fixes.source import declared_shape_node, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause


def whole_shape_declared(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts):
        return
    model, run = ctx.run_of(f.inference)  # a functional model's run too (engine._in_its_model)
    if run is None or not run.program.ops or run.program.ops[0] is not f.op:  # not op.index: a graph's ops are
        # numbered across the file
        return
    inputs = run.program.inputs if run is not None else None
    if model is None or not inputs or getattr(inputs[0], "shape", None) is None:
        return
    per_sample = tuple(inputs[0].shape[1:])
    names = {node.id for feed in ctx.feeds() if feed.model is model and feed.x.shape is not None
             and tuple(feed.x.shape) == per_sample
             for node in [feed.call.node_of(0, "x")] if isinstance(node, ast.Name)}
    tree = tree_of(ctx.lines) if names else None
    if tree is None:
        return
    reads = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr == "shape"
             and isinstance(n.value, ast.Name) and n.value.id in names
             and not isinstance(getattr(n, "_shapelint_parent", None), ast.Subscript)]
    if len(reads) != 1:
        return
    span = Span.of(reads[0])
    end = Span(span.end_line, span.end_column, span.end_line, span.end_column)
    spelled = f"{reads[0].value.id}.shape[1:]"
    help_text = remedies.declare_per_sample(spelled)
    yield Cause("whole-shape-declared", 86, Label(span, remedies.whole_shape_label(per_sample), d.file),
                remedies.whole_shape_note(per_sample), help_text, fix=Fix("unsafe", help_text, [Edit(end, "[1:]")]),
                strong=True)


_PER_IMAGE = ("Resizing", "Rescaling", "RandomFlip", "RandomRotation", "RandomZoom", "RandomContrast",
              "RandomTranslation", "RandomCrop", "CenterCrop", "Normalization", "Dropout", "GaussianNoise")


def image_without_channels(ctx, d):
    """A Keras image model declared ``Input(shape=(28, 28))`` for grayscale images: the 2-D conv gets a 3-D tensor
    (after a ``Resizing`` that took the batch for one image). The declaration lacks the channel axis of size 1."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "keras" or f.mismatch.code != "rank-mismatch" or \
            roles.reads(f.op.layer, 4) != (roles.N, roles.S, roles.S, roles.C):  # reads channels-last images
        return
    model, run = ctx.run_of(f.inference)
    inputs = run.program.inputs if run is not None else None
    shape = tuple(inputs[0].shape) if inputs and getattr(inputs[0], "shape", None) is not None else ()
    if model is None or len(shape) != 3 or not all(isinstance(v, int) and v > 1 for v in shape[1:]) or \
            any(op.layer.kind not in _PER_IMAGE for op in run.program.ops[:f.op.index]):
        return
    node = declared_shape_node(declared_span(model), ctx.lines)
    if not isinstance(node, (ast.Tuple, ast.List)) or len(node.elts) != 2:
        return
    last = Span.of(node.elts[-1])
    edit = Edit(Span(last.end_line, last.end_column, last.end_line, last.end_column), ", 1")
    text = ctx.text(Span.of(node))
    spelled = f"{text[:-1]}, 1{text[-1]}" if text else "(H, W, 1)"
    help_text = remedies.declare_channel(spelled)
    yield Cause("declared-layout", 85, Label(Span.of(node), remedies.no_channel_axis_label(shape), d.file),
                remedies.no_channel_axis_note(f.op.layer.kind, shape), help_text, fix=Fix("unsafe", help_text, [edit]),
                strong=True)


def series_without_features(ctx, d):
    """A Keras recurrent model declared ``Input(shape=(LOOK_BACK,))`` for windows of a univariate series: the
    recurrent layer gets (batch, steps). The declaration lacks the features axis of size 1 -- it is where the mistake
    was written; a ``Reshape((8, 1))`` in front of the layer works around it with the number copied."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "keras" or f.mismatch.code != "rank-mismatch" or \
            not has(f.op.layer, "recurrent") or not f.op.inputs:
        return
    model, run = ctx.run_of(f.inference)
    inputs = run.program.inputs if run is not None else None
    shape = tuple(inputs[0].shape) if inputs and getattr(inputs[0], "shape", None) is not None else ()
    x = f.op.inputs[0]
    if model is None or len(shape) != 2 or not isinstance(shape[1], int) or shape[1] < 2 or \
            x is not inputs[0] and any(op.layer.kind not in _PER_STEP for op in run.program.ops[:f.op.index]):
        return
    node = declared_shape_node(declared_span(model), ctx.lines)
    if not isinstance(node, (ast.Tuple, ast.List)) or len(node.elts) != 1:
        return
    last = Span.of(node.elts[-1])
    text = ctx.text(last)
    if text is None:
        return
    edit = Edit(Span.of(node), f"({text}, 1)")
    help_text = remedies.declare_feature_axis(f"({text}, 1)")
    yield Cause("declared-layout", 85, Label(Span.of(node), remedies.no_feature_axis_label(shape), d.file),
                remedies.no_feature_axis_note(f.op.layer.kind, shape[1]), help_text,
                fix=Fix("unsafe", help_text, [edit]), strong=True)


_PER_STEP = ("Dropout", "GaussianNoise", "Normalization", "Rescaling")


def channels_first_declared(ctx, d):
    """A Keras image model declared ``Input(shape=(1, 28, 28))`` -- channels first, as PyTorch writes it -- while its
    convs read (batch, height, width, channels): the 1 is read as the height and the first conv or pooling has no
    room. The evidence that the declaration is what is wrong: the data fed to the model is (n, 28, 28, 1), the same
    sizes with the channels last. ``padding="same"`` would make it run on a 1-pixel-high image."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "keras" or \
            roles.reads(f.op.layer, 4) != (roles.N, roles.S, roles.S, roles.C):
        return
    model, run = ctx.run_of(f.inference)
    inputs = run.program.inputs if run is not None else None
    shape = tuple(inputs[0].shape) if inputs and getattr(inputs[0], "shape", None) is not None else ()
    if model is None or len(shape) != 4 or any(op.layer.kind not in _PER_IMAGE and not has(op.layer, "conv_rank")
                                               and "Pooling" not in op.layer.kind
                                               for op in run.program.ops[:f.op.index]):
        return
    c, h, w = shape[1:]
    want = (h, w, c)
    fed = [feed for feed in ctx.feeds() if feed.model is model and feed.x.shape is not None]
    if not all(isinstance(v, int) for v in want) or c == h or \
            not any(tuple(feed.x.shape[1:]) == want for feed in fed):
        return
    node = declared_shape_node(declared_span(model), ctx.lines)
    if not isinstance(node, (ast.Tuple, ast.List)) or len(node.elts) != 3:
        return
    texts = [ctx.text(Span.of(e)) for e in node.elts]
    if any(t is None for t in texts):
        return
    spelled = f"({texts[1]}, {texts[2]}, {texts[0]})"
    help_text = remedies.declare_channels_last(spelled)
    yield Cause("declared-layout", 86, Label(Span.of(node), remedies.channels_first_declared_label(shape[1:]),
                                             d.file),
                remedies.channels_first_declared_note(shape[1:], want), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(node), spelled)]), strong=True)


def declared_unlike_the_data(ctx, d):
    """A Keras model declared for another per-sample shape than every dataset it is given -- ``Dense(5,
    input_shape=(1,))`` in front of an LSTM, fitted on windows (N, 20, 1) -- fails where it is built. The data says
    what one sample is; the declaration is the number written wrong, and becomes the data's per-sample shape by the
    data's name (``trainX.shape[1:]``). Adding a time axis inside the model (``RepeatVector``) would run on a model
    the data never meets."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.framework != "keras":
        return
    model, run = ctx.run_of(f.inference)
    inputs = run.program.inputs if run is not None else None
    if model is None or not inputs or getattr(inputs[0], "shape", None) is None:
        return
    declared = tuple(inputs[0].shape[1:])
    feeds = [fd for fd in ctx.feeds() if fd.model is model and getattr(fd.x, "shape", None) is not None]
    samples = {tuple(fd.x.shape[1:]) for fd in feeds}
    if len(samples) != 1:
        return
    per_sample = next(iter(samples))
    if per_sample == declared or not all(isinstance(v, int) for v in per_sample):
        return
    span = declared_span(model)
    node = declared_shape_node(span, ctx.lines) if span is not None else None
    tree = tree_of(ctx.lines) or ast.Module(body=[])
    entry = _config_entry_of(tree, node) if declared[1:] == per_sample else None
    if entry is not None:  # `"input_shape": train_images.shape` in the config: one sample is `.shape[1:]` there
        spelled = f"{ast.unparse(entry)}[1:]"
        help_text = remedies.declare_as_fed(spelled)
        yield Cause("whole-shape-declared", 72, Label(Span.of(entry), remedies.declared_unlike_label(declared),
                                                      d.file),
                    remedies.declared_unlike_note(declared, per_sample), help_text,
                    fix=Fix("unsafe", help_text, [Edit(Span.of(entry), spelled)]),
                    secondary=[Label(Span.of(node), remedies.declared_from_entry_label(), d.file)])
        return
    if node is None or isinstance(node, ast.Name):
        return  # `Input(shape=input_shape)`: what it was given is written elsewhere (a caller's `X.shape`)
    names = {n.id for n in (fd.call.node_of(0, "x") for fd in feeds) if isinstance(n, ast.Name)}
    named = sorted(name for name in names if any(  # a module-level name bound before the declaration
        isinstance(n, ast.Assign) and n.col_offset == 0 and n.lineno < node.lineno and
        any(isinstance(t, ast.Name) and t.id == name for t in n.targets) for n in tree.body))
    spelled = f"{named[0]}.shape[1:]" if named else str(per_sample)
    help_text = remedies.declare_as_fed(spelled)
    yield Cause("whole-shape-declared", 70, Label(Span.of(node), remedies.declared_unlike_label(declared), d.file),
                remedies.declared_unlike_note(declared, per_sample), help_text,
                fix=Fix("unsafe", help_text, [Edit(Span.of(node), spelled)]))


def _config_entry_of(tree, node):
    """The value written for ``cfg["input_shape"]`` in the file's one module-level dict with that key, when it is
    an array's whole ``.shape`` (``"input_shape": train_images.shape``); else None."""
    if not isinstance(node, ast.Subscript) or not isinstance(node.slice, ast.Constant) or \
            not isinstance(node.slice.value, str):
        return None
    key = node.slice.value
    found = [v for stmt in tree.body if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Dict)
             for k, v in zip(stmt.value.keys, stmt.value.values)
             if isinstance(k, ast.Constant) and k.value == key]
    if len(found) != 1 or not isinstance(found[0], ast.Attribute) or found[0].attr != "shape":
        return None
    return found[0]
