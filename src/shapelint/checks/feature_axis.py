"""Similarities and L2 normalisations taken over an axis that is not the features.

``F.cosine_similarity(z, h, dim=1)`` on (batch, tokens, features) compares each feature's profile across the tokens,
and ``F.normalize(z, dim=0)`` on (batch, features) scales each feature across the samples: PyTorch runs both and the
loss trains on something else than per-sample similarities. The axis roles (core/roles.py) say which axis is which;
the check speaks only when the reduced axis is known to be the batch or the time/tokens/spatial axis *and* the
features are known to sit on another axis -- an unknown role says nothing.
"""
from __future__ import annotations

import ast
from typing import Optional

from ..core import provenance, roles
from ..core.errors import Mismatch
from ..core.program import Span
from ..core.values import Tensor
from ..core.registry import fact
from ..diagnostics import remedies
from ..diagnostics.fixes import SetArg
from ..diagnostics.fixes.edits import set_arg_edit, wrap_call_edit
from ..diagnostics.fixes.intents import WrapCall
from ..diagnostics.fixes.source import node_at
from ..diagnostics.model import Edit, Fix
from .report import emit, replace_fix, shape_text, span_text

# op kind -> (the argument naming the axis, its default): the ops whose axis must be the features
_FEATURE_AXIS_OPS = {"F.cosine_similarity": ("dim", 1), "CosineSimilarity": ("dim", 1), "F.normalize": ("dim", 1)}
_EFFECTS = {"F.cosine_similarity": "compares each feature's values",
            "CosineSimilarity": "compares each feature's values", "F.normalize": "scales each feature"}
_ROLE_NAMES = {roles.N: "batch", roles.T: "time / tokens", roles.S: "spatial", roles.F: "features",
               roles.C: "channels"}


def similarity_over_other_axis(ev) -> None:
    """Every run of the file -- the script's own ops (a loss written in a function) and each model's -- checked for a
    feature-wise op over an axis whose role is not the features."""
    script = ev.state.script_run
    runs = [r for m in getattr(ev, "models", []) for r in m.runs if getattr(r, "inference", None) is not None]
    known: dict = {}  # id(value) -> roles, from every model run: the script's losses read model outputs
    for r in runs:
        known.update(roles.run_roles(r.inference))
    inferences = [r.inference for r in runs] + ([script] if script is not None else [])
    seen = set()
    for inf in inferences:
        own = roles.run_roles(inf)
        for op in inf.program.ops:
            if op.layer.kind not in _FEATURE_AXIS_OPS or op.diagnostics or id(op) in seen:
                continue
            seen.add(id(op))
            _check_op(inf, op, lambda v: own.get(id(v)) or known.get(id(v)))


def _check_op(inf, op, roles_of) -> None:
    arg, default = _FEATURE_AXIS_OPS[op.layer.kind]
    dim = op.layer.args.get(arg, default)
    if not isinstance(dim, int) or isinstance(dim, bool):
        return
    for x in op.inputs[:2]:
        found = _wrong_axis(x, dim, roles_of(x))
        if found is None:
            continue
        role, features = found
        rank = len(x.shape)
        fixed = "-1" if features == rank - 1 else str(features)
        inf.report(Mismatch(
            "reduction-over-batch-axis", variant="not-features", op=op.layer.kind, axis=dim,
            received_shape=shape_text(x.shape), role=_ROLE_NAMES[role], features_axis=features,
            effect=_EFFECTS[op.layer.kind],
            remedy=f"take it over the feature axis: `{arg}={fixed}`",
            fix=SetArg(arg, fixed, "unsafe", title=f"take it over the feature axis (`{arg}={fixed}`)")), op)
        return


def _wrong_axis(x, dim: int, axis_roles: Optional[tuple]) -> Optional[tuple]:
    """(the reduced axis's role, the features' axis) when the op reduces a known non-feature axis of ``x`` while its
    features are known to sit elsewhere; None otherwise."""
    if not isinstance(x, Tensor) or x.shape is None or axis_roles is None or len(axis_roles) != len(x.shape):
        return None
    rank = len(x.shape)
    if not -rank <= dim < rank:
        return None
    dim %= rank
    role = axis_roles[dim]
    features = [i for i, r in enumerate(axis_roles) if r in (roles.F, roles.C)]
    if role not in _ROLE_NAMES or len(features) != 1 or features[0] == dim or x.shape[features[0]] == 1:
        return None
    return role, features[0]


def _axis_site(op, arg: str, axis):
    """Where an op's axis was written: a config entry or constant it came from (provenance), else the argument in
    the call, else the call itself."""
    written = provenance.root_span(axis)
    call = op.layer.arg_spans.get(arg)
    span = written if written is not None and call is not None and not call.contains(written) else call
    return span or op.layer.origin.span


def _axis_fix(ev, op, span: Optional[Span], arg: str, value: str, title: str) -> Optional[Fix]:
    """The fix that sets an op's axis to ``value`` at ``span`` (from :func:`_axis_site`): the written argument or the
    config entry it came from is replaced; an axis left at its default (``span`` is the whole call) is added as a
    keyword -- never written over the call."""
    if span is None:
        return None
    if span != op.layer.origin.span or arg in op.layer.arg_spans:
        return replace_fix(span, value, title)
    edit = set_arg_edit(op.layer, arg, value, ev.lines)
    return Fix("unsafe", title, [edit]) if edit is not None else Fix("display-only", title, [])


def _model_name(model):
    return getattr(model, "display_name", None) or getattr(model, "name", None)


_OUTPUT_SOFTMAX = {"Softmax": "axis", "LogSoftmax": "dim", "F.softmax": "dim", "F.log_softmax": "dim",
                   "softmax": "dim", "log_softmax": "dim"}


def softmax_over_other_axis(ev, model, run) -> None:
    """The model's output is a softmax (or log-softmax) over an axis whose role is the batch, the time steps or a
    spatial axis, while its last axis holds the class scores (a Dense / Linear made it): a tagger's
    ``Softmax(axis=1)`` normalises each tag over the 35 steps, a time-major CTC model's ``log_softmax(dim=1)`` over
    the batch. The loss still runs. Reported where the axis was written -- a config entry, when it came from one."""
    op = next((o for o in run.program.ops if o.output is run.program.output), None)
    if op is None or op.layer.kind not in _OUTPUT_SOFTMAX or not op.inputs or op.diagnostics:
        return
    arg = "axis" if op.layer.framework == "keras" else _OUTPUT_SOFTMAX[op.layer.kind]
    dim = op.layer.args.get(arg)
    x = op.inputs[0]
    if not isinstance(dim, int) or isinstance(dim, bool) or not isinstance(x, Tensor) or x.shape is None or \
            len(x.shape) < 3 or not -len(x.shape) <= dim < len(x.shape):
        return
    axis_roles = roles.roles_of(run.inference, x)
    rank = len(x.shape)
    classes = _class_axis(axis_roles, rank)
    if classes is None or axis_roles[dim % rank] not in _ROLE_NAMES or dim % rank == classes or \
            x.shape[classes] in (1, None):
        return
    span = _axis_site(op, arg, dim)
    spelled = "-1" if classes == rank - 1 else str(classes)
    fix = _axis_fix(ev, op, span, arg, spelled, remedies.normalise_over_classes_title(arg, spelled))
    emit(ev, "reduction-over-batch-axis", span, f"the {_ROLE_NAMES[axis_roles[dim % rank]]} axis of "
         f"{shape_text(x.shape)}", variant="not-features", op=op.layer.kind, axis=dim,
         received_shape=shape_text(x.shape), role=_ROLE_NAMES[axis_roles[dim % rank]], features_axis=classes,
         effect="normalises each class's scores", remedy=remedies.normalise_over_classes(arg, spelled),
         secondary=[(op.layer.origin.span, "the model's output")] if span != op.layer.origin.span else [],
         severity="warning", model=_model_name(model), fix=fix)


_SCRIPT_SOFTMAX = {"F.softmax", "F.log_softmax", "softmax", "log_softmax", "torch.softmax", "torch.log_softmax",
                   "Softmax", "LogSoftmax"}  # an nn.Softmax(dim=...) made in the script and called on the outputs


def softmax_of_outputs_over_other_axis(ev) -> None:
    """The script's own code -- a loss, a prediction or a discriminator's input written around the model -- takes a
    softmax of the model's class scores over the batch or over one spatial axis: ``F.log_softmax(preds, dim=1)`` on
    (heads, batch, classes), ``F.softmax(seg_logits, dim=-1)`` on (N, classes, H, W). It runs, and no row is a
    distribution over the classes. Only when the roles carried from the model say which axis holds the classes
    and which one is normalised; an axis of unknown role says nothing."""
    script = ev.state.script_run
    if script is None:
        return
    done = None
    for op in script.program.ops:
        if op.layer.kind not in _SCRIPT_SOFTMAX or op.diagnostics or not op.inputs:
            continue
        dim, x = op.layer.args.get("dim"), op.inputs[0]
        if not isinstance(dim, int) or isinstance(dim, bool) or not isinstance(x, Tensor) or x.shape is None or \
                len(x.shape) < 2 or not -len(x.shape) <= dim < len(x.shape):
            continue
        rank = len(x.shape)
        axis_roles = roles.roles_of(script, x)
        classes = _class_axis(axis_roles, rank)
        role = axis_roles[dim % rank] if classes is not None else None
        if role not in (roles.N, roles.S) or dim % rank == classes or x.shape[classes] in (1, None) or \
                (role == roles.S and axis_roles[classes] != roles.C):
            continue
        span = _axis_site(op, "dim", dim)
        if done is None:  # (read once, and only when there is a candidate)
            done = {(d.primary.span.line, d.name) for d in ev.diagnostics if d.primary is not None}
        if span is None or (span.line, "reduction-over-batch-axis") in done:
            continue  # the model's output softmaxed over axis 0 is reported by the prediction check (checks/feed)
        spelled = "-1" if classes == rank - 1 else str(classes)
        emit(ev, "reduction-over-batch-axis", span, f"the {_ROLE_NAMES[role]} axis of {shape_text(x.shape)}",
             variant="not-classes", op=op.layer.kind, axis=dim, received_shape=shape_text(x.shape),
             role=_ROLE_NAMES[role], classes_axis=classes,
             remedy=remedies.normalise_over_classes("dim", spelled), severity="warning",
             fix=_axis_fix(ev, op, span, "dim", spelled, remedies.normalise_over_classes_title("dim", spelled)))


def _class_axis(axis_roles, rank: int):
    """The axis that holds the class scores: the last one when a Dense / Linear made it (features), or the one
    channels axis of a convolution's 2-D (or 3-D) map (a segmentation head: classes per pixel); None when the roles
    do not say."""
    if axis_roles is None or len(axis_roles) != rank:
        return None
    if axis_roles[-1] == roles.F:
        return rank - 1
    channels = [i for i, r in enumerate(axis_roles) if r == roles.C]
    # a map of two or more spatial axes: a softmax over one of them alone (rows, not the image) is never a
    # distribution anyone means. A 1-D map's positions may be what is scored (a span or pointer head)
    spatial = sum(1 for r in axis_roles if r == roles.S)
    return channels[0] if len(channels) == 1 and spatial >= 2 else None


_POOLS = {"ops.mean": "axis", "ops.sum": "axis", "ops.max": "axis", "mean": "dim", "sum": "dim", "amax": "dim",
          "reduce_mean": "axis", "reduce_sum": "axis", "reduce_max": "axis"}
_HEADS = ("Dense", "Linear")
_PASS = ("Dropout", "ReLU", "Activation", "relu", "F.relu", "gelu", "tanh")


def pooled_over_features(ev, model, run) -> None:
    """A sequence summarised by a reduction over its feature axis instead of its steps: ``ops.mean(h, axis=-1)`` on
    an encoder's (batch, steps, features) leaves one value per step, and the Dense head after it reads the steps as
    its features (its kernel is built for exactly that many steps). It runs. Only when the roles say the reduced
    axis is the features and the one left is time, and a Dense / Linear reads the result."""
    if any(op.layer.extra.get("tokens_as_channels") for op in run.program.ops):
        return
    consumers: dict = {}
    for op in run.program.ops:
        for v in op.inputs:
            consumers.setdefault(id(v), []).append(op)
    for op in run.program.ops:
        arg = _POOLS.get(op.layer.kind)
        x = op.inputs[0] if op.inputs else None
        if arg is None or op.diagnostics or not isinstance(x, Tensor) or x.shape is None or len(x.shape) != 3:
            continue
        axis = op.layer.args.get(arg)
        if not isinstance(axis, int) or isinstance(axis, bool) or axis % 3 != 2 or op.layer.args.get("keepdims") \
                or op.layer.args.get("keepdim") or not isinstance(x.shape[1], int) or x.shape[1] < 2:
            continue
        axis_roles = roles.roles_of(run.inference, x)
        if axis_roles is None or tuple(axis_roles) != (roles.N, roles.T, roles.F):
            continue
        head = _head_after(op, consumers)
        if head is None:
            continue
        span = _axis_site(op, arg, axis)
        fix = _axis_fix(ev, op, span, arg, "1", f"pool over the steps (`{arg}=1`)")
        emit(ev, "reduction-over-batch-axis", span, f"the features axis of {shape_text(x.shape)}",
             variant="pooled-features", op=op.layer.kind, axis=axis, received_shape=shape_text(x.shape),
             steps=x.shape[1], features=x.shape[2], head=head.layer.label, arg=arg,
             remedy=f"pool over the steps: `{arg}=1`",
             secondary=[(head.layer.origin.span, f"reads the {x.shape[1]} steps as its features")],
             severity="warning", model=_model_name(model), fix=fix)


def pooled_over_channels(ev, model, run) -> None:
    """A pooling meant per channel -- a squeeze-and-excitation block's ``ops.mean(x, axis=(2, 3))`` ported from
    PyTorch's (N, C, H, W) to Keras's (N, H, W, C) -- that reduces the channels with one spatial axis and keeps the
    other: each row gets one value from its width and channels, everything broadcasts back and it trains without
    channel attention. Only when the roles say which axes are spatial and which holds the channels, and as many
    axes are reduced as there are spatial ones."""
    for op in run.program.ops:
        arg = _POOLS.get(op.layer.kind)
        x = op.inputs[0] if op.inputs else None
        if arg is None or op.diagnostics or not isinstance(x, Tensor) or x.shape is None or len(x.shape) < 3:
            continue
        axes = op.layer.args.get(arg)
        rank = len(x.shape)
        kept = op.layer.args.get("keepdims") is True or op.layer.args.get("keepdim") is True
        if not kept or not isinstance(axes, (tuple, list)) or not axes or \
                not all(isinstance(a, int) and not isinstance(a, bool) and -rank <= a < rank for a in axes):
            continue
        axis_roles = roles.roles_of(run.inference, x)
        if axis_roles is None or len(axis_roles) != rank:
            continue
        reduced = sorted({a % rank for a in axes})
        spatial = [i for i, r in enumerate(axis_roles) if r == roles.S]
        channels = [i for i, r in enumerate(axis_roles) if r == roles.C]
        # a map of two or more spatial axes, pooled over as many axes as it has spatial ones, among them the
        # channels and some but not all of the spatial axes (averaging only the channels at each step -- CBAM's
        # spatial attention -- is meant)
        pooled_space = [a for a in reduced if a in spatial]
        if len(channels) != 1 or channels[0] not in reduced or len(spatial) < 2 or len(reduced) != len(spatial) \
                or not pooled_space or len(pooled_space) == len(spatial) or x.shape[channels[0]] in (1, None):
            continue
        span = op.layer.arg_spans.get(arg)  # the whole tuple of axes as written
        spelled = "(" + ", ".join(str(i) for i in spatial) + ("," if len(spatial) == 1 else "") + ")"
        fix = replace_fix(span, spelled, remedies.pool_over_spatial_title(arg, spelled)) if span is not None \
            else None
        emit(ev, "reduction-over-batch-axis", span or op.layer.origin.span,
             remedies.pooled_channels_label(channels[0], x.shape), variant="pooled-channels",
             op=op.layer.kind, axes=tuple(reduced), received_shape=shape_text(x.shape), channels_axis=channels[0],
             spatial=spelled, remedy=remedies.pool_over_spatial(arg, spelled), severity="warning",
             model=_model_name(model), fix=fix)


def _head_after(op, consumers: dict, depth: int = 3):
    """The Dense / Linear that reads ``op``'s output, through a few shape-keeping ops (dropout, an activation)."""
    for user in consumers.get(id(op.output), []):
        if user.layer.kind in _HEADS:
            return user
        if user.layer.kind in _PASS and depth:
            found = _head_after(user, consumers, depth - 1)
            if found is not None:
                return found
    return None


def batch_norm_over_space(ev, model, run) -> None:
    """Keras ``BatchNormalization(axis=1)`` on channels-last images (batch, H, W, C): one mean and variance per row of
    the image instead of per feature map (gamma has H entries). Keras runs it. Only where the roles say the axis is
    spatial and the channels sit on another axis; reported where the axis was written (a config entry included)."""
    for op in run.program.ops:
        if op.layer.framework != "keras" or op.layer.kind != "BatchNormalization" or not op.inputs or op.diagnostics:
            continue
        axis, x = op.layer.args.get("axis"), op.inputs[0]
        if not isinstance(axis, int) or isinstance(axis, bool) or not isinstance(x, Tensor) or x.shape is None or \
                not -len(x.shape) <= axis < len(x.shape):
            continue
        axis_roles = roles.roles_of(run.inference, x)
        rank = len(x.shape)
        if axis_roles is None or len(axis_roles) != rank or axis_roles[axis % rank] != roles.S:
            continue
        channels = [i for i, r in enumerate(axis_roles) if r == roles.C]
        if len(channels) != 1 or x.shape[channels[0]] in (1, None):
            continue
        span = _axis_site(op, "axis", axis)
        fixed = "-1" if channels[0] == rank - 1 else str(channels[0])
        emit(ev, "reduction-over-batch-axis", span, f"a spatial axis of {shape_text(x.shape)}", variant="norm-axis",
             op=op.layer.kind, axis=axis, received_shape=shape_text(x.shape), features_axis=channels[0],
             remedy=f"normalise per feature map: `axis={fixed}`",
             secondary=[(op.layer.origin.span, "the normalisation")] if span != op.layer.origin.span else [],
             severity="warning", model=_model_name(model),
             fix=_axis_fix(ev, op, span, "axis", fixed, f"normalise per feature map (`axis={fixed}`)"))




def layer_norm_over_width(ev, model, run) -> None:
    """``nn.LayerNorm(C)`` on a convolution's (N, C, H, W) map whose width happens to be C too (a 32-channel stem on
    32x32 CIFAR images): LayerNorm normalises the last axis, so it runs and normalises each row of pixels instead of
    each pixel's channels. Only where the roles say the map is channels-first with two spatial axes, and the one size
    the layer is built for is both the channels and the width. Fixed by moving the channels last around the layer
    (what an error at any other width would have asked for, rootcause/causes/layout.py)."""
    for op in run.program.ops:
        if op.layer.framework != "torch" or op.layer.kind != "LayerNorm" or not op.inputs or op.diagnostics:
            continue
        size, x = op.layer.args.get("normalized_shape"), op.inputs[0]
        size = size[0] if isinstance(size, (tuple, list)) and len(size) == 1 else size
        if not isinstance(size, int) or isinstance(size, bool) or size < 2 or not isinstance(x, Tensor) or \
                x.shape is None or len(x.shape) != 4 or x.shape[1] != size or x.shape[3] != size:
            continue
        if roles.roles_of(run.inference, x) != (roles.N, roles.C, roles.S, roles.S):
            continue
        edit = wrap_call_edit(WrapCall(".permute(0, 2, 3, 1)", ".permute(0, 3, 1, 2)"), op.layer, ev.lines)
        remedy = remedies.permute_around(edit.text if edit is not None else "x.permute(0, 2, 3, 1) ... "
                                                                             ".permute(0, 3, 1, 2)")
        span = op.layer.extra.get("call_span") or op.layer.origin.span
        emit(ev, "reduction-over-batch-axis", span, f"the width axis of {shape_text(x.shape)}", variant="norm-width",
             op=op.layer.kind, axis=3, received_shape=shape_text(x.shape), features_axis=1, remedy=remedy,
             secondary=[(op.layer.origin.span, remedies.built_for_channels_label(size))], severity="warning",
             model=_model_name(model), fix=Fix("unsafe", remedy, [edit]) if edit is not None else None)


def concat_over_space(ev, model, run) -> None:
    """Feature maps joined along a spatial axis -- a U-Net skip ``concatenate([x, skip], axis=1)`` on channels-last
    maps -- stack the images on top of each other instead of adding channels: the map gets taller and the model
    still builds (Keras fails only in fit, on the labels). Only image-like maps (rank 4 or 5) whose roles are known
    on both inputs and say the axis is spatial and the channels sit elsewhere: 1-D maps joined on time are ordinary
    (halves put back in order, mirror padding, a past and a future window), whatever the shapes say."""
    for op in run.program.ops:
        arg = fact(op.layer.framework, op.layer.kind, "joins")  # the name of its axis argument
        if arg is None or len(op.inputs) < 2 or op.diagnostics:
            continue
        axis = op.layer.args.get(arg)
        xs = [x for x in op.inputs if isinstance(x, Tensor) and x.shape is not None]
        if not isinstance(axis, int) or isinstance(axis, bool) or len(xs) != len(op.inputs) or \
                len({len(x.shape) for x in xs}) != 1 or len(xs[0].shape) not in (4, 5):
            continue  # (signals joined on time -- halves put back in order, mirror padding -- are ordinary)
        rank = len(xs[0].shape)
        if not -rank <= axis < rank:
            continue
        found = [roles.roles_of(run.inference, x) for x in xs]
        if any(r is None or len(r) != rank or r[axis % rank] != roles.S for r in found):
            continue
        channels = {i for r in found for i, role in enumerate(r) if role == roles.C}
        if len(channels) != 1:
            continue
        c = channels.pop()
        fixed = "-1" if c == rank - 1 else str(c)
        span = _axis_site(op, arg, axis)
        emit(ev, "reduction-over-batch-axis", span, f"a spatial axis of {shape_text(xs[0].shape)}", variant="join-axis",
             op=op.layer.kind, axis=axis, received_shape=", ".join(shape_text(x.shape) for x in xs),
             features_axis=c, remedy=f"join the feature maps on the channels: `{arg}={fixed}`",
             severity="warning", model=_model_name(model),
             fix=_axis_fix(ev, op, span, arg, fixed, f"join on the channels (`{arg}={fixed}`)"))


def conv_over_features(ev, model, run) -> None:
    """A PyTorch ``Conv1d`` given an embedded sequence (batch, tokens, features) as it comes out of ``Embedding``:
    Conv1d reads (batch, channels, length), so with ``in_channels`` set to the sequence length it runs -- the token
    positions become channels and the filters slide along the embedding, so no filter ever sees two neighbouring
    words. Only where the roles say axis 1 is the tokens and the last axis the features; fixed by moving the features
    to axis 1 where the conv is called and declaring them as its channels."""
    for op, x, axis_roles in _sequences_into(run, "Conv1d"):
        if tuple(axis_roles) != (roles.N, roles.T, roles.F):
            continue
        features, steps = x.shape[2], x.shape[1]
        op.layer.extra["tokens_as_channels"] = True  # the reductions after it read axes it already mixed up
        width = _features_spelled(ev, run, features)
        edits = []
        call, arg = op.layer.extra.get("call_span"), op.layer.arg_spans.get("in_channels")
        node = _first_argument(ev, call)
        if node is not None and arg is not None and width is not None:
            end = Span.of(node)
            edits = [Edit(Span(end.end_line, end.end_column, end.end_line, end.end_column), ".permute(0, 2, 1)"),
                     Edit(arg, width)]
        emit(ev, "data-format-against-layout", arg or op.layer.origin.span,
             f"{steps} channels: the token positions", variant="conv1d-tokens", kind=op.layer.kind,
             received_shape=shape_text(x.shape), steps=steps, features=features,
             remedy=f"move the features to the channel axis where the conv is called (`x.permute(0, 2, 1)`) and "
                    f"declare them: `in_channels={width or features}`",
             secondary=[(call, f"called with {shape_text(x.shape)}")] if call is not None else [],
             severity="warning", model=_model_name(model),
             fix=Fix("unsafe", "permute the embedded sequence and read its features as channels", edits)
             if edits else None)
        return


def _features_spelled(ev, run, features) -> Optional[str]:
    """How the file writes the feature width: the Embedding's ``embedding_dim`` argument that made it."""
    for op in run.program.ops:
        if op.layer.kind == "Embedding" and op.layer.args.get("embedding_dim") == features:
            span = op.layer.arg_spans.get("embedding_dim")
            text = span_text(ev, span) if span is not None else None
            if text:
                return text.strip()
    return None


def _first_argument(ev, call_span):
    node = node_at(call_span, ev.lines, ast.Call) if call_span is not None else None
    return node.args[0] if node is not None and len(node.args) == 1 and not node.keywords else None


def batch_norm1d_over_steps(ev, model, run) -> None:
    """PyTorch ``BatchNorm1d`` on (batch, steps, features) -- region features (B, 36, 256), a sequence from an
    encoder -- normalises axis 1 as channels: one mean and variance per step or region, not per feature. It runs
    whenever ``num_features`` is the number of steps. Only where the roles say axis 1 is time / tokens / space and
    the last axis the features; the remedy moves the features to axis 1 around the norm."""
    for op, x, axis_roles in _sequences_into(run, "BatchNorm1d"):
        reader = None
        if tuple(axis_roles) == roles.reads(op.layer, 3) and run.inference.producer_of(x) is None:
            # the norm itself named the axes of data it is the first to read: ask the next reader (after a Conv1d the
            # conv's own reading stands -- its channels are axis 1)
            reader, axis_roles = _read_after(run, op) or (None, axis_roles)
        if axis_roles[1] not in (roles.T, roles.S) or axis_roles[2] != roles.F:
            continue
        span = op.layer.arg_spans.get("num_features") or op.layer.origin.span
        secondary = [(reader.layer.origin.span, remedies.reads_tensor_as(_layout_words(axis_roles)))] \
            if reader is not None else []
        emit(ev, "reduction-over-batch-axis", span, f"axis 1 of {shape_text(x.shape)}: {x.shape[1]} "
             f"{_ROLE_NAMES[axis_roles[1]]} entries", variant="norm-steps", op=op.layer.kind, axis=1,
             received_shape=shape_text(x.shape), features_axis=2, role=_ROLE_NAMES[axis_roles[1]],
             remedy=f"normalise the {x.shape[2]} features: transpose to (batch, features, steps) around the "
                    f"`BatchNorm1d({x.shape[2]})` (`x.transpose(1, 2)` before and after), or use `LayerNorm`",
             secondary=secondary, severity="warning", model=_model_name(model),
             fix=_features_norm_fix(ev, op, x, reader))


def norm_over_steps_owned(run, op) -> bool:
    """Whether ``batch_norm1d_over_steps`` judges ``op``: a BatchNorm1d that the layer after it says normalises
    (batch, steps, features) data -- the one place that reports it (the names check stands down)."""
    found = _read_after(run, op) if op.layer.kind == "BatchNorm1d" else None
    return found is not None and tuple(found[1][1:]) in ((roles.T, roles.F), (roles.S, roles.F))


def _read_after(run, op) -> Optional[tuple]:
    """(the layer, the roles it reads) of the first layer after ``op`` that reads a layout from ``op``'s output,
    through ops that keep the shape (an activation, a dropout): what the tensor is, said by a layer other than the
    one being checked. ``BatchNorm1d`` reads its input as (batch, channels, length) whatever it holds; the
    ``LSTM(batch_first=True)`` after it says axis 1 is time."""
    v, ops = op.output, run.program.ops
    start = next((i for i, o in enumerate(ops) if o is op), None)
    if start is None or not isinstance(v, Tensor) or v.shape is None:
        return None
    for later in ops[start + 1:]:
        if not any(i is v for i in later.inputs):
            continue
        if later.inputs[0] is not v:
            return None
        read = roles.reads(later.layer, len(v.shape))
        if read is not None:
            return later, read
        out = later.output
        if not isinstance(out, Tensor) or out.shape != v.shape or later.layer.kind in _MOVES_AXES:
            return None
        v = out
    return None


_MOVES_AXES = ("view", "reshape", "transpose", "permute", "movedim", "swapaxes", "flatten", "unflatten")


def _layout_words(axis_roles) -> tuple:
    return tuple(_ROLE_NAMES.get(r, "?") for r in axis_roles)


def _features_norm_fix(ev, op, x, reader) -> Optional[Fix]:
    """``BatchNorm1d(features)`` called on ``x.transpose(1, 2)`` and transposed back: the norm's size as the next
    reader spells the features (``nn.LSTM(N_INPUT, ...)`` -> ``N_INPUT``), else the number."""
    call, arg = op.layer.extra.get("call_span"), op.layer.arg_spans.get("num_features")
    node = _first_argument(ev, call)
    if node is None or arg is None or reader is None:
        return None
    width = next((span_text(ev, s) for name, s in reader.layer.arg_spans.items()
                  if name in ("input_size", "in_features", "normalized_shape")
                  and reader.layer.args.get(name) == x.shape[2]), None) or str(x.shape[2])
    end, whole = Span.of(node), call
    return Fix("unsafe", remedies.norm_features_between_transposes(width.strip()), [
        Edit(arg, width.strip()),
        Edit(Span(end.end_line, end.end_column, end.end_line, end.end_column), ".transpose(1, 2)"),
        Edit(Span(whole.end_line, whole.end_column, whole.end_line, whole.end_column), ".transpose(1, 2)")])


def _sequences_into(run, kind: str):
    """(op, input, its roles) for each PyTorch ``kind`` layer given a 3-D tensor whose two last sizes differ and
    whose axis roles are known: the layers that read axis 1 as channels."""
    for op in run.program.ops:
        if op.layer.framework != "torch" or op.layer.kind != kind or not op.inputs or op.diagnostics:
            continue
        x = op.inputs[0]
        if not isinstance(x, Tensor) or x.shape is None or len(x.shape) != 3 or x.shape[1] == x.shape[2]:
            continue
        axis_roles = roles.roles_of(run.inference, x)
        if axis_roles is not None and len(axis_roles) == 3:
            yield op, x, axis_roles
