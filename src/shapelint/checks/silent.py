"""Silent shape bugs in a model: the framework runs, but computes something else than intended.

* Dense / Linear applied to an image-like tensor (rank >= 4) whose result is the model's output: both frameworks
  apply the layer to the last axis only, so the model outputs a score map (the seed's example 1: (1, 5, 5, 10)
  instead of (1, 10)). Rank-3 outputs are left alone: a per-time-step classifier is a correct model.
* softmax / log_softmax over axis 0 of a batched tensor -- including PyTorch's implicit dim for 3-D inputs -- which
  normalises across the samples of the batch.
"""
from __future__ import annotations

import ast
import re

from ..core.dims import broadcast_shapes, is_known
from ..core.errors import Mismatch
from ..core.program import Span
from ..core import roles
from ..core.infer import PASS_THROUGH
from ..core.names import element_roles
from ..core.registry import fact_of, has
from ..core.values import Tensor, TensorTuple
from ..diagnostics import remedies
from ..diagnostics.fixes import InsertBefore, ReplaceText, SetArg, WrapInput, _prefix
from ..diagnostics.fixes.calls import keyword_edit, rename_call
from ..diagnostics.fixes.edits import append_edit, set_arg_edit
from ..diagnostics.fixes.source import enclosing, function_at, node_at, parent_of, tree_of
from ..diagnostics.model import Edit, Fix
from ..frontends.source.objects import TensorVal
from ..rules._einops import ELL, parse_side
from . import feature_axis, keras_loss, mask_heads, mask_polarity, model_rows
from .report import emit, ops_of_every_run, replace_fix, shape_text, span_text

_DENSE = {"Dense", "Linear"}
_SOFTMAX = {"Softmax", "LogSoftmax", "F.softmax", "F.log_softmax", "softmax", "log_softmax", "ops.softmax",
            "ops.log_softmax"}


def _main_run(model):
    for r in model.runs:
        if r.key != ("?",) and isinstance(r.output, Tensor) and r.output.shape is not None:
            return r
    return None


def check_model(ev, model) -> None:
    if getattr(model, "uncertain", False) or not getattr(model, "reported", True):
        return
    run = _main_run(model)
    if run is None:  # a model returning a tuple: the checks that read only its ops still apply
        run = next((r for r in model.runs if r.key != ("?",) and r.program.ops), None)
        if run is not None and not any(op.status == "error" for op in run.program.ops):
            _softmax_over_batch(run, run.program.ops)
            _softmax_over_one_value(run, run.program.ops, _binary_loss(ev, model))  # (logits, attention weights)
            _op_checks(ev, run, run.program.ops)
        return
    ops = run.program.ops
    out = run.output
    if any(op.status == "error" for op in ops):
        return
    _dense_on_unflattened(ev, model, run, ops, out)
    _softmax_over_batch(run, ops)
    if ev is not None:
        masked_mean_over_the_batch(ev, run)
    for other in _other_runs(model, run):  # a policy net run on one state (right) and on a batch (over the batch)
        _softmax_over_batch(other, other.program.ops, model.runs)
    if ev is not None:
        feature_axis.conv_over_features(ev, model, run)  # first: what it finds also misleads the pooling check
        feature_axis.softmax_over_other_axis(ev, model, run)
        feature_axis.batch_norm_over_space(ev, model, run)
        feature_axis.layer_norm_over_width(ev, model, run)
        feature_axis.batch_norm1d_over_steps(ev, model, run)
        feature_axis.concat_over_space(ev, model, run)
        feature_axis.pooled_over_features(ev, model, run)
        model_rows.output_lost_batch(ev, model, run)
    _softmax_over_one_value(run, ops, _binary_loss(ev, model))
    _op_checks(ev, run, ops)
    if ev is not None:
        _table_sliced_by_batch(ev, run, ops)


def _op_checks(ev, run, ops) -> None:
    """The checks that read only the ops of a run, not what the model outputs."""
    _data_format_against_layout(run, ops)
    _attention_softmax_axis(run, ops)
    _einsum_weights_softmax_axis(run, ops)
    _layer_norm_over_steps(run, ops)
    if ev is not None:
        _mask_over_queries(ev, run, ops)
        mask_polarity.inverted_padding_masks(ev, run, ops)
        mask_heads.per_sample_mask_tiled(ev, run, ops)
        _heads_left_before_the_sequence(ev, run, ops)
        feature_axis.pooled_over_channels(ev, None, run)


class _ScriptRun:
    """The script's own code (attention written at the top level of a notebook, outside any model) as a run the op
    checks read: its inference."""
    def __init__(self, inference):
        self.inference = inference
        self.program = inference.program


def script_op_checks(ev) -> None:
    """The checks that read only ops -- a softmax over the queries, a padding mask on the query axis -- on the ops
    the script runs itself, where no model holds them; not where one of those ops failed."""
    script = ev.state.script_run
    if script is None or not script.program.ops or any(op.status == "error" for op in script.program.ops):
        return
    _op_checks(ev, _ScriptRun(script), script.program.ops)


def first_unflattened_dense(ops, rank: int, min_rank: int = 4):
    """The first Dense/Linear of the classifier head that receives a feature map (rank >= ``min_rank``) and whose
    rank reaches the output: in ``Conv -> Pool -> Dense(128) -> Dense(10)`` it is ``Dense(128)``, where ``Flatten``
    belongs."""
    found = None
    for op in reversed(ops):
        shape = getattr(op.output, "shape", None)
        if shape is None or len(shape) != rank:
            break
        x = op.inputs[0] if op.inputs else None
        if op.layer.kind in _DENSE:
            if not isinstance(x, Tensor) or x.shape is None or len(x.shape) < min_rank:
                break
            found = op
        elif op.layer.kind not in PASS_THROUGH:
            break
    return found


def _dense_on_unflattened(ev, model, run, ops, out) -> None:
    if len(out.shape) < 3:
        return
    op = first_unflattened_dense(ops, len(out.shape))
    if op is None or op.layer.extra.get("unflattened_reported"):  # the label check already blamed this layer
        return
    if _targets_per_position(ev, out):
        return  # a target of the output's own shape: one prediction per position is what the model is for
    x, layer = op.inputs[0], op.layer
    if layer.framework == "keras" and "container" not in layer.extra and _in_list(model, layer):
        layer.extra["container"] = "list"
    prefix = _prefix(layer) or ("nn." if layer.framework == "torch" else "layers.")
    run.inference.report(Mismatch(
        "dense-on-unflattened-input", rank=len(x.shape), received_shape=shape_text(x.shape),
        output_shape=shape_text(out.shape), flatten=f"{prefix}Flatten()",
        fix=InsertBefore("Flatten()"),
        notes=[f"`{layer.label}` maps {shape_text(x.shape)} to {shape_text(op.output.shape)}: one "
               f"{op.output.shape[-1]}-vector per position, not per sample"]), op)


def _targets_per_position(ev, out) -> bool:
    """A loss or fit() compares the output with targets of its own shape past the batch axis ((B, S, S, 1) against
    a (B, S, S, 1) field): a Linear acting on the last axis at every position is the model's design (a neural
    operator's projection, a per-pixel head), not a missing Flatten."""
    want = tuple(out.shape[1:])
    return ev is not None and any(
        getattr(t, "shape", None) is not None and len(t.shape) == len(out.shape) and tuple(t.shape[1:]) == want
        for t in ev.state.fed_targets)


def _in_list(model, layer) -> bool:
    items = getattr(model, "layers", None)
    if not isinstance(items, list):
        return False
    return any(getattr(it, "layer", None) is layer for it in items)


def _other_runs(model, run) -> list:
    """The model's other runs on known inputs of another rank than ``run``'s, with no error: the checks of one op
    that read only that run's shapes apply to each."""
    first = run.program.inputs[0] if run.program.inputs else None
    rank = len(first.shape) if getattr(first, "shape", None) is not None else None
    out = []
    for r in model.runs:
        x = r.program.inputs[0] if r.program.inputs else None
        if r is run or r.key == ("?",) or not isinstance(x, Tensor) or x.shape is None or len(x.shape) == rank or \
                any(op.status == "error" for op in r.program.ops) or \
                any(len(o.program.inputs[0].shape) == len(x.shape) for o in out):
            continue
        out.append(r)
    return out


def _unbatched_elsewhere(runs, op) -> bool:
    """Whether the same softmax layer reads a 1-D input in another run of its model (one sample without a batch
    axis): its axis must then be named from the end, where both runs have their classes."""
    for r in runs or ():
        for o in r.program.ops:
            x = o.inputs[0] if o.inputs else None
            if o.layer.origin.span == op.layer.origin.span and o.layer.kind == op.layer.kind and \
                    isinstance(x, Tensor) and x.shape is not None and len(x.shape) == 1:
                return True
    return False


def _softmax_over_batch(run, ops, runs=()) -> None:
    for op in ops:
        if op.layer.kind not in _SOFTMAX:
            continue
        x = op.inputs[0] if op.inputs else None
        if not isinstance(x, Tensor) or x.shape is None or len(x.shape) < 2:
            continue
        args = op.layer.args
        dim = args.get("dim", args.get("axis", "absent"))
        implicit = False
        if dim is None and op.layer.framework == "torch":
            dim = 0 if len(x.shape) in (0, 1, 3) else 1  # torch's legacy _get_softmax_dim
            implicit = True
        if not isinstance(dim, int) or isinstance(dim, bool):
            continue
        if dim not in (0, -len(x.shape)):
            continue
        axis_roles = roles.roles_of(run.inference, x)
        if not axis_roles or axis_roles[0] != roles.N:
            continue  # axis 0 is the batch only where the layers say so: (S, B) attention scores are time-major
        name = op.layer.kind
        remedy = "pass `dim=1` (the class axis)" if op.layer.framework == "torch" else "use `axis=-1`"
        if implicit:
            remedy = f"pass the class axis explicitly, e.g. `dim={len(x.shape) - 1}`"
        fixed = str(len(x.shape) - 1) if implicit else ("1" if op.layer.framework == "torch" else "-1")
        if op.layer.framework == "torch" and _unbatched_elsewhere(runs, op):
            fixed, remedy = "-1", remedies.softmax_last_axis_for_both()
        arg = "dim" if op.layer.framework == "torch" else "axis"
        run.inference.report(Mismatch("reduction-over-batch-axis", op=name, axis=0, received_shape=shape_text(x.shape),
                                      remedy=remedy, fix=SetArg(arg, fixed, "unsafe",
                                                                title="reduce over the class axis")), op)


def _softmax_over_one_value(run, ops, binary=None) -> None:
    """``Dense(1, activation="softmax")`` (or a softmax over an axis of size 1): every output is exactly 1.0, so the
    model predicts the same thing for every input and learns nothing. Keras and PyTorch run it."""
    for op in ops:
        layer, shape = op.layer, getattr(op.output, "shape", None)
        if not shape:
            continue
        if layer.extra.get("single_unit_reported"):  # the loss check already said it (single-unit-categorical-loss)
            continue
        steps = len(shape) >= 3 and isinstance(shape[1], int) and shape[1] > 1  # (N, T, 1): one score per step
        if layer.kind == "Dense" and layer.args.get("activation") == "softmax" and shape[-1] == 1:
            if steps:  # attention pooling: the weights are to be normalised over the steps, not made gates
                fix, remedy = None, remedies.softmax_over_steps_dense()
            else:
                # a sigmoid is right for two classes only: not applied when the model is compiled with another loss
                # (one-hot labels of C classes want C units with the softmax kept)
                fix = SetArg("activation", '"sigmoid"', "unsafe", title='use activation="sigmoid" for one output') \
                    if binary is None or binary(layer) else None
                remedy = 'use `activation="sigmoid"` for one output (two classes), or one unit per class with softmax'
        elif layer.kind in _SOFTMAX or (layer.kind == "Activation" and layer.args.get("activation") == "softmax"):
            args = layer.args
            dim = args.get("dim", args.get("axis", -1 if layer.framework == "keras" else None))
            if not isinstance(dim, int) or isinstance(dim, bool) or not -len(shape) <= dim < len(shape) or \
                    shape[dim] != 1:
                continue
            fix, remedy = None, "use a sigmoid for one output (two classes), or give the layer before one output per class"
            if steps and layer.kind in _SOFTMAX:
                arg = "axis" if layer.framework == "keras" else "dim"
                fix = SetArg(arg, "1", "unsafe", title=f"normalise over the steps (`{arg}=1`)")
                remedy = f"normalise the per-step scores over the steps: `{arg}=1`"
        else:
            continue
        run.inference.report(Mismatch("softmax-over-one-value", kind=layer.kind, received_shape=shape_text(shape),
                                      remedy=remedy, fix=fix), op)


def _binary_loss(ev, model):
    """A test of whether the loss ``model`` is compiled with, for a given output layer, is binary cross-entropy (a
    string, or a dict keyed by output name); None when the file compiles no such model."""
    if ev is None:
        return None
    losses = [e.call.get(1, "loss", None) for e in ev.state.feed_events
              if e.kind == "compile" and e.model is model]
    if not losses:
        return None

    def is_binary(layer) -> bool:
        return all(keras_loss.KIND.get(keras_loss.loss_spec(loss.get(layer.name) if isinstance(loss, dict) else loss)[0])
                   == "bce" for loss in losses)
    return is_binary


def _data_format_against_layout(run, ops) -> None:
    """A Keras layer given ``data_format="channels_first"`` in a model whose tensors are channels-last: the
    features of a ``Dense`` / attention block, or the channels of a channels-last conv, sit on the last axis (their
    roles, core/roles.py). ``GlobalAveragePooling1D(data_format="channels_first")`` on (batch, steps, features) then
    averages each step's features and keeps one value per step; both frameworks run it. Only where the last
    axis's role is known and axis 1 is not known to be channels."""
    for op in ops:
        layer = op.layer
        if layer.framework != "keras" or layer.args.get("data_format") != "channels_first" or \
                not layer.kind.startswith(("Global", "Conv", "MaxPool", "AveragePool", "AvgPool")):
            continue
        x = op.inputs[0] if op.inputs else None
        if not isinstance(x, Tensor) or x.shape is None or len(x.shape) < 3:
            continue
        r = roles.roles_of(run.inference, x)
        if r is None or r[-1] not in (roles.F, roles.C) or r[1] == roles.C:
            continue
        held = "features" if r[-1] == roles.F else "channels"
        glob = layer.kind.startswith("Global")
        effect = (f"averages over the {held} and keeps one value per position, {shape_text(op.output.shape)}"
                  if glob else f"convolves across the {held} and treats the positions as channels")
        run.inference.report(Mismatch(
            "data-format-against-layout", kind=layer.kind, received_shape=shape_text(x.shape), channels=x.shape[1],
            held=held, effect=effect,
            remedy='drop `data_format="channels_first"`: the tensors here are channels-last (the default)',
            fix=SetArg("data_format", '"channels_last"', "unsafe", title='use data_format="channels_last"')), op)


_SCORE_STEPS = ("masked_fill", "masked_fill_", "div", "mul", "add", "sub", "__truediv__", "truediv", "Dropout",
                "F.dropout", "dropout", "ops.add", "ops.subtract", "ops.multiply", "ops.divide")
_MATMULS = ("matmul", "bmm", "F.matmul", "einsum_qk", "ops.matmul")


def _swaps_last_two(op) -> bool:
    """A transpose / permute that swaps the last two axes (``k.transpose(1, 2)`` on (B, T, d), ``.mT``)."""
    x, out = (op.inputs[0] if op.inputs else None), op.output
    if not isinstance(x, Tensor) or x.shape is None or not isinstance(out, Tensor) or out.shape is None:
        return False
    rank, kind, args = len(x.shape), op.layer.kind, op.layer.args
    if rank < 3:
        return False
    if kind in ("transpose", "swapaxes"):
        axes = {a % rank for a in (args.get("dim0"), args.get("dim1")) if isinstance(a, int)}
        return axes == {rank - 2, rank - 1}
    if kind == "ops.transpose":  # keras.ops / tf.transpose: the full permutation, batch axis included
        axes = args.get("axes")
        want = tuple(range(rank - 2)) + (rank - 1, rank - 2)
        return isinstance(axes, (tuple, list)) and tuple(a % rank for a in axes if isinstance(a, int)) == want
    if kind == "Permute":  # keras layer: 1-based, without the batch axis
        dims = args.get("dims")
        want = tuple(range(1, rank - 2)) + (rank - 1, rank - 2)
        return isinstance(dims, (tuple, list)) and tuple(dims) == want
    if kind == "permute":
        dims = args.get("dims")
        dims = tuple(dims[0]) if isinstance(dims, tuple) and len(dims) == 1 and isinstance(dims[0], (tuple, list)) \
            else dims
        want = tuple(range(rank - 2)) + (rank - 1, rank - 2)
        return isinstance(dims, (tuple, list)) and tuple(d % rank for d in dims if isinstance(d, int)) == want
    return kind in ("mT", "t")


def _attention_softmax_axis(run, ops) -> None:
    """``F.softmax(q @ k.transpose(1, 2), dim=1)``: attention scores are (..., queries, keys), and each query's
    weights must sum to 1 over the keys, the last axis. A softmax over another axis normalises each key over the
    queries instead; both frameworks run it. Only for a product whose right operand is a transpose of the last two
    axes (the unmistakable Q Kᵀ), through masking and scaling."""
    inf = run.inference
    for op in ops:
        layer = op.layer
        if layer.kind not in _SOFTMAX or not op.inputs:
            continue
        scores = op.inputs[0]
        if not isinstance(scores, Tensor) or scores.shape is None or len(scores.shape) < 3:
            continue
        rank = len(scores.shape)
        name = "dim" if layer.framework == "torch" else "axis"
        dim = layer.args.get(name)
        if not isinstance(dim, int) or isinstance(dim, bool) or not -rank <= dim < rank or dim % rank == rank - 1:
            continue
        if dim % rank == 0:
            continue  # over the batch axis: SHP203 says that
        if _attention_scores(inf, scores) is None:
            continue
        inf.report(Mismatch(
            "attention-softmax-axis", kind=layer.kind, received_shape=shape_text(scores.shape), axis=dim,
            keys=scores.shape[-1], queries=scores.shape[-2],
            remedy=f"normalise over the keys, the last axis: `{name}=-1`",
            fix=SetArg(name, "-1", "unsafe", title=f"normalise over the keys ({name}=-1)")), op)


def _einsum_weights_softmax_axis(run, ops) -> None:
    """Self-attention written with einsum: ``attn = einsum("bihd,bjhd->bijh", q, k).softmax(dim=1)`` then
    ``einsum("bijh,bjhd->bihd", attn, v)``, with q and k cut from one projection of the same tokens. The second
    einsum sums over ``j`` (the keys), so each query's weights must be normalised over ``j``; the softmax over ``i``
    normalises each key over the queries instead, and nothing raises. Only self-attention is read this way: where
    queries and keys come from different tensors (slot attention, whose slots compete for the inputs on purpose) or
    the weights are not a product of two such operands (a mixture-of-experts gate), the axis is a design choice."""
    inf = run.inference
    softmaxes = {id(op.output): op for op in ops if op.layer.kind in _SOFTMAX and op.layer.framework == "torch"}
    for op in ops:
        eq = op.layer.args.get("equation") if op.layer.kind == "einsum" else None
        terms, rhs = _einsum_terms(eq, len(op.inputs))
        if terms is None:
            continue
        for term, x in zip(terms, op.inputs):
            sm = softmaxes.get(id(x))
            dim = sm.layer.args.get("dim") if sm is not None else None
            if sm is None or sm.diagnostics or not isinstance(dim, int) or isinstance(dim, bool) or \
                    not -len(term) <= dim < len(term):
                continue
            others = "".join(t for t in terms if t is not term)
            summed = [k for k, c in enumerate(term) if c not in rhs and c in others]
            if len(summed) != 1 or term[dim % len(term)] not in rhs or \
                    not _self_attention_scores(inf, sm, term[dim % len(term)], term[summed[0]]):
                continue
            axis = summed[0]
            inf.report(Mismatch(
                "attention-softmax-axis", kind=sm.layer.kind, received_shape=shape_text(x.shape), axis=dim,
                keys=x.shape[axis], queries=x.shape[dim % len(term)],
                remedy=remedies.normalise_over_summed_axis(term[axis], eq, axis),
                fix=SetArg("dim", str(axis), "unsafe", title=remedies.normalise_over_summed_axis_title(axis))), sm)


def _einsum_terms(eq, n: int):
    """(operand subscripts, output subscripts) of an explicit einsum equation over ``n`` operands, else (None, None)."""
    if not isinstance(eq, str) or "->" not in eq or "..." in eq:
        return None, None
    lhs, rhs = eq.replace(" ", "").split("->")
    terms = lhs.split(",")
    return (terms, rhs) if len(terms) == n else (None, None)


def _self_attention_scores(inf, softmax_op, query: str, key: str) -> bool:
    """The softmax's input is (through scaling and masking) ``einsum(.., q, k)`` whose output letter ``query`` comes
    from q and ``key`` from k, and q and k were cut from one tensor (``chunk`` / ``split`` of a qkv projection) or
    projected from the same input: self-attention, where every query attends over the keys."""
    made = _scores_product(inf, softmax_op.inputs[0]) if softmax_op.inputs else None
    terms, _ = _einsum_terms(made.layer.args.get("equation") if made is not None and made.layer.kind == "einsum"
                             else None, 2 if made is not None else 0)
    if terms is None or query not in terms[0] or key not in terms[1] or query in terms[1] or key in terms[0]:
        return False
    q_op, k_op = (inf.producer_of(v) for v in made.inputs[:2])
    if q_op is None or k_op is None:
        return False
    if q_op is k_op:  # q, k, v = qkv.chunk(3, dim=-1)
        return True
    q_in, k_in = (getattr(o, "inputs", None) or [None] for o in (q_op, k_op))
    return q_in[0] is not None and q_in[0] is k_in[0]  # self.q(x), self.k(x)


_MASK_STEPS = ("eq", "ne", "logical_not", "__invert__", "bitwise_not", "bool", "float", "int", "long", "to",
               "sub", "rsub", "mul", "neg", "type_as", "logical_and", "logical_or")
_MASKING = ("masked_fill", "masked_fill_", "add", "sub")


def _scores_product(inf, value):
    """The op that made the attention scores ``value``, looking through scaling, masking and dropout (steps that keep
    the scores' shape), or None."""
    shape = getattr(value, "shape", None)
    return inf.walk_end(value, lambda op, _: op.inputs[0] if op.layer.kind in _SCORE_STEPS and op.inputs and
                        getattr(op.inputs[0], "shape", None) == shape else None, depth=9)


def _attention_scores(inf, value):
    """The Q Kᵀ product ``value`` is (through scaling), or None."""
    p = _scores_product(inf, value)
    if p is None or p.layer.kind not in _MATMULS or len(p.inputs) != 2:
        return None
    if p.layer.args.get("transpose_b") is True:  # tf.matmul(q, k, transpose_b=True)
        return p
    right = inf.producer_of(p.inputs[1])
    return p if right is not None and _swaps_last_two(right) else None


def _mask_over_queries(ev, run, ops) -> None:
    """A padding mask applied to self-attention scores (batch, ..., queries, keys) with its padding flags on the
    query axis -- (B, 1, T, 1) from ``mask.unsqueeze(1).unsqueeze(3)``, (B, T, 1) from ``expand_dims(mask, -1)`` --
    where keys need (B, 1, 1, T): it blanks whole query rows of padded positions and leaves every padded key visible.
    With queries and keys of one length it broadcasts, so it runs. Reported where the mask got its layout (the op
    that made it, or the data passed in)."""
    inf = run.inference
    for op in ops:
        found = _scores_and_mask(op)
        if found is None:
            continue
        scores, mask = found
        if not isinstance(scores, Tensor) or not isinstance(mask, Tensor) or scores.shape is None or \
                mask.shape is None or len(scores.shape) < 3 or len(mask.shape) < 2 or \
                len(mask.shape) > len(scores.shape):
            continue
        tq, tk = scores.shape[-2], scores.shape[-1]
        if not isinstance(tq, int) or tq < 2 or tq != tk or mask.shape[-1] != 1 or mask.shape[-2] != tq:
            continue
        if op.layer.kind in _MASKING and _attention_scores(inf, scores) is None:
            continue
        for root, p in inf.walk_back(mask, lambda op, _: op.inputs[0] if op.layer.kind in _MASK_STEPS and op.inputs
                                     and getattr(op.inputs[0], "shape", None) == mask.shape else None):
            pass  # root: where the mask was made, p: the op that made it (None: no op of the run)
        facts = dict(received_shape=shape_text(mask.shape), scores_shape=shape_text(scores.shape), positions=tq,
                     remedy=remedies.mask_on_keys(len(scores.shape)))
        if p is not None:
            inf.report(Mismatch("mask-over-queries", fix=_index_keys_fix(ev, p), **facts), p)
            continue
        same = [x for x in run.program.inputs if isinstance(x, Tensor) and x.shape == root.shape]
        if not any(x is root for x in same) and len(same) == 1:
            root = same[0]  # ``mask == 0`` on the mask passed in: elementwise, recorded without an op
        made = next((v for v in ev.module.vars.values() if isinstance(v, TensorVal) and v.value is root), None)
        site = (made.shaped_at or made.origin) if made is not None else None
        if made is not None and site is None and made.run is not None:  # made by torch ops in the script
            maker = made.run.producer_of(made.value)
            site = maker.layer.origin.span if maker is not None else None
        if site is not None:
            emit(ev, "mask-over-queries", site, f"mask {shape_text(mask.shape)} made here",
                 severity="warning", received_json=list(mask.shape), fix=_mask_keys_fix(ev, site, len(mask.shape)),
                 **facts)
        else:
            inf.report(Mismatch("mask-over-queries", **facts), op)


def _scores_and_mask(op):
    """(the attention scores, the mask applied to them) of a masking op: ``scores.masked_fill(mask, ...)``, or
    ``F.scaled_dot_product_attention(q, k, v, attn_mask=mask)`` whose scores are (*, L, S); None otherwise."""
    if op.layer.framework != "torch":
        return None
    if op.layer.kind in _MASKING and len(op.inputs) == 2:
        return op.inputs[0], op.inputs[1]
    if op.layer.kind == "F.scaled_dot_product_attention" and len(op.inputs) >= 4:
        q, k = op.inputs[0], op.inputs[1]
        mask = op.layer.input_named(op.inputs, "attn_mask", 3)
        if isinstance(q, Tensor) and isinstance(k, Tensor) and q.shape and k.shape and len(k.shape) >= 2:
            return Tensor(tuple(q.shape[:-1]) + (k.shape[-2],), None), mask
    return None


def _index_keys_fix(ev, op):
    """``keep[:, None, :, None]`` -> ``keep[:, None, None, :]``: the positions moved to the key axis."""
    node = node_at(op.layer.origin.span, ev.lines) if op.layer.kind == "getitem" else None
    node = node if isinstance(node, ast.Subscript) else enclosing(node, (ast.Subscript,)) if node is not None else None
    elts = node.slice.elts if node is not None and isinstance(node.slice, ast.Tuple) else None
    if not elts or len(elts) < 3 or not (isinstance(elts[-1], ast.Constant) and elts[-1].value is None) or \
            not (isinstance(elts[-2], ast.Slice) and elts[-2].lower is None and elts[-2].upper is None):
        return None
    a, b = Span.of(elts[-2]), Span.of(elts[-1])
    return ReplaceText(Span(a.line, a.column, b.end_line, b.end_column), "None, :",
                       title="put the mask's positions on the key axis")


def _mask_keys_fix(ev, span, rank: int):
    """The mask's last ``unsqueeze`` put the positions on the query axis: ``.unsqueeze(1).unsqueeze(3)`` ->
    ``.unsqueeze(1).unsqueeze(2)`` (the new size-1 axis goes before the positions); any other expression gets
    ``.transpose(-2, -1)``."""
    text = span_text(ev, span)
    if text is None:
        return None
    m = re.search(rf"\.unsqueeze\((-1|{rank - 1})\)$", text)
    new = text[:m.start()] + f".unsqueeze({rank - 2})" if m else f"({text}).transpose(-2, -1)"
    return replace_fix(span, new, "put the mask's positions on the key axis")


_TOKEN_MIXERS = ("MultiHeadAttention", "LSTM", "GRU", "SimpleRNN", "Bidirectional")


def _layer_norm_over_steps(run, ops) -> None:
    """Normalisations of (batch, steps, features) in a Keras sequence model (attention or recurrent layers read
    that layout) over the wrong axes; both run.

    * ``LayerNormalization(axis=[1, 2])``: each token is normalised together with every other step, so one token's
      value depends on the whole sequence and gamma/beta are tied to the sequence length. A token is normalised
      over its features, the last axis (the default).
    * ``Normalization(axis=1)``: the axis a Keras ``Normalization`` is given is the one it *keeps*, so it learns one
      mean and variance per time step, pooled over the features -- features on scales of 1 and 1000 come out on
      scales of 1 and 1000 still. Standardising each feature keeps the last axis (the default). Keeping the steps
      *and* the features (``axis=(1, 2)``, one statistic per step and feature) is a choice, left alone."""
    if not any(op.layer.framework == "keras" and op.layer.kind in _TOKEN_MIXERS for op in ops):
        return
    for op, x, axis, axes in _sequence_normalisations(ops):
        if op.layer.kind == "LayerNormalization" and 1 in axes:
            run.inference.report(Mismatch(
                "norm-over-steps", kind=op.layer.kind, axis=axis, received_shape=shape_text(x.shape),
                steps=x.shape[1], remedy="normalise each token over its features: `axis=-1` (the default)",
                fix=SetArg("axis", "-1", "unsafe", title="normalise over the features (axis=-1)")), op)
        elif op.layer.kind == "Normalization" and axes == {1}:
            run.inference.report(Mismatch(
                "norm-over-steps", variant="kept", kind=op.layer.kind, axis=axis, received_shape=shape_text(x.shape),
                steps=x.shape[1], features=x.shape[2],
                remedy="standardise each feature over the samples and steps: `axis=-1` (the default)",
                fix=SetArg("axis", "-1", "unsafe", title="one mean and variance per feature (axis=-1)")), op)


def _sequence_normalisations(ops):
    """(op, input, axis as written, its axes counted from 0) of each Keras LayerNormalization / Normalization of a
    3-D tensor whose axis argument is ints the rank allows."""
    for op in ops:
        x = op.inputs[0] if op.inputs else None
        if op.layer.framework != "keras" or op.layer.kind not in ("LayerNormalization", "Normalization") or \
                not isinstance(x, Tensor) or x.shape is None or len(x.shape) != 3:
            continue
        axis = op.layer.args.get("axis", -1)
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        if all(isinstance(a, int) and not isinstance(a, bool) and -3 <= a < 3 for a in axes):
            yield op, x, axis, {a % 3 for a in axes}


_ELEMENTWISE = ("add", "sub", "mul", "__add__", "__radd__", "__mul__", "iadd")


def _table_sliced_by_batch(ev, run, ops) -> None:
    """The PyTorch tutorial's seq-first ``PositionalEncoding`` in a batch-first model: the (max_len, 1, d) table is
    sliced with ``x.size(0)`` -- the batch size here -- and added to (batch, seq, d) data, so it broadcasts over the
    sequence: every position of a sample gets the same vector, and each sample a different one. It runs. Reported
    at the slice when axis 0 is the batch (the model gives one output row per sample of its input's axis 0, and its
    recurrent / attention layers are all batch-first), the sliced tensor is a table of another length (a buffer or parameter, not computed from the input), and the other
    operand has more than one position on axis 1."""
    x0 = run.program.inputs[0] if run.program.inputs else None
    out = run.program.output
    if not isinstance(x0, Tensor) or not x0.shape or not isinstance(out, Tensor) or not out.shape:
        return
    batch = x0.shape[0]
    if not isinstance(batch, int) or out.shape[0] != batch:
        return
    # axis 0 is the batch only if the model's sequence layers say so: a seq-first language model also gives one
    # output row per entry of axis 0 (one per position), and there pe[:x.size(0)] is right
    firsts = {roles.batch_first(op.layer) for op in ops if has(op.layer, "sequence_first")}
    if firsts != {True}:
        return
    inputs = {id(v) for v in run.program.inputs}
    for op in ops:
        if op.layer.kind != "getitem" or not op.inputs or not isinstance(op.output, Tensor):
            continue
        table, sliced = op.inputs[0], op.output.shape
        if not isinstance(table, Tensor) or table.shape is None or len(table.shape) != 3 or id(table) in inputs or \
                run.inference.producer_of(table) is not None or sliced is None or len(sliced) != 3:
            continue
        if table.shape[0] == batch or sliced[0] != batch or sliced[1] != 1 or table.shape[1] != 1:
            continue
        user = next((u for u in ops if u.layer.kind in _ELEMENTWISE and any(v is op.output for v in u.inputs)), None)
        other = next((v for v in (user.inputs if user else ()) if v is not op.output), None)
        if not isinstance(other, Tensor) or other.shape is None or len(other.shape) != 3 or \
                other.shape[0] != batch or not isinstance(other.shape[1], int) or other.shape[1] < 2:
            continue
        span = op.layer.origin.span
        run.inference.report(Mismatch(
            "table-sliced-by-batch", table_shape=shape_text(table.shape), received_shape=shape_text(other.shape),
            rows=batch, positions=other.shape[1], remedy=remedies.slice_table_by_positions(),
            fix=_table_fix(ev, span)), op)


def _table_fix(ev, span):
    """``self.pe[:x.size(0)]`` -> ``self.pe[:x.size(1)].transpose(0, 1)``: as many rows as positions, moved to
    (1, seq, d) so they broadcast over the batch."""
    node = node_at(span, ev.lines)  # the op is recorded at the slice: the subscript is its parent
    node = node if isinstance(node, ast.Subscript) else getattr(node, "_shapelint_parent", None)
    if not isinstance(node, ast.Subscript) or node.lineno != node.end_lineno:
        return None
    span = Span.of(node)
    text = ev.text(node)
    fixed = re.sub(r"\.size\(0\)", ".size(1)", re.sub(r"\.shape\[0\]", ".shape[1]", text))
    if fixed == text:
        return None
    return ReplaceText(span, f"{fixed}.transpose(0, 1)", "unsafe",
                       title="slice the table by the sequence length and put it on the sequence axis")




def _report_batch_first(ev, run, op, m: Mismatch) -> None:
    """A ``TransformerEncoder`` / ``Decoder`` takes ``batch_first`` from the layer it was built from: the diagnostic
    and the edit go to that layer's constructor (``nn.TransformerEncoderLayer(..., batch_first=True)``)."""
    inner = roles.batch_first_owner(op.layer)
    span = getattr(getattr(inner, "origin", None), "span", None)
    if inner is op.layer or span is None:
        run.inference.report(m, op)
        return
    edit = set_arg_edit(inner, "batch_first", "True", ev.lines)
    emit(ev, m.code, span, f"built without batch_first; `{op.layer.label}` takes it from here", severity="warning",
         model=getattr(run.program, "name", None), kind=inner.kind, notes=m.facts.get("notes", []),
         received_json=[op.layer.label], fix=Fix("unsafe", f"pass `batch_first=True` to `{inner.kind}`", [edit])
         if edit is not None else None,
         **{k: v for k, v in m.facts.items() if k not in ("notes", "kind")})


_DIFFS = ("sub", "add", "mul", "div", "rsub", "true_divide", "subtract", "eq", "ne")
_CLASS_PICKS = ("argmax", "argmin")
_SAME_ROWS = ("sigmoid", "softmax", "gt", "ge", "lt", "le", "float", "round", "long", "int", "detach", "cpu",
              "squeeze_", "relu", "tanh", "exp")  # per-element: predictions derived from the output keep its rows
_PER_ELEMENT = ("pow", "abs", "square", "mul", "div", "exp", "log", "sqrt", "neg", "__pow__", "clamp", "relu", "where",
                "lt", "gt", "le", "ge", "eq", "ne", "float", "sigmoid", "tanh")
_REDUCTIONS = ("mean", "sum", "nanmean", "nansum")
_PAIRWISE_EXTREMES = ("max", "min", "maximum", "minimum", "fmax", "fmin")  # given two tensors: per element


def hand_written_loss_broadcast(ev) -> None:
    """A loss written by hand, ``((pred - target) ** 2).mean()``, with the model's (N, 1) output and (N,) targets:
    the difference broadcasts to (N, N) -- every prediction minus every target -- and the mean is taken over all
    pairs. Nothing raises (unlike nn.MSELoss, not even a warning). Reported at the operation that broadcasts, when
    one side is a model's output, the other has the same N, and the (N, N) result is reduced."""
    outputs = {id(r.output): m for m in getattr(ev, "models", []) for r in m.runs
               if isinstance(r.output, Tensor)}
    # a model that returns several tensors (a siamese pair of embeddings): each is one of its outputs
    outputs.update({id(t): m for m in getattr(ev, "models", []) for r in m.runs if isinstance(r.output, TensorTuple)
                    for t in r.output.items if isinstance(t, Tensor)})
    inf = ev.state.script_run
    if inf is not None:
        _loss_broadcast_in(ev, inf, dict(outputs))
    for m in getattr(ev, "models", []):  # a loss written as an nn.Module: its run takes another model's outputs
        for r in m.runs:
            inputs = r.program.inputs or []
            if getattr(r, "inference", None) is not None and any(id(x) in outputs and outputs[id(x)] is not m
                                                                 for x in inputs):
                _loss_broadcast_in(ev, r.inference, {**outputs, **{id(x): m for x in inputs if id(x) in outputs}})


def _loss_broadcast_in(ev, inf, outputs: dict) -> None:
    ops = inf.program.ops
    users: dict = {}
    per_sample_losses: set = set()
    for op in ops:
        for v in op.inputs:
            users.setdefault(id(v), []).append(op)
            source = inf.elementwise_source(v)  # `(preds == y).float().sum()`: the sum reads the `eq` through casts
            for _ in range(8):
                if source is None:
                    break
                users.setdefault(id(source), []).append(op)
                source = inf.elementwise_source(source)
        x = op.inputs[0] if op.inputs else None
        origin = _elementwise_origin(inf, x) if x is not None else None
        if origin is not None and id(origin) in outputs and _picks_per_row(op, x):
            for item in op.output.items:  # `values, classes = logits.max(1)`: both one per row
                outputs[id(item)] = outputs[id(origin)]
        if origin is not None and id(origin) in outputs and _keeps_rows(op, x):
            outputs[id(op.output)] = outputs[id(origin)]
        elif origin is not None and id(origin) in outputs and _head_on_rows(op, x):
            outputs[id(op.output)] = outputs[id(origin)]  # `self.value_head(h)` on the backbone's features
        elif origin is not None and id(origin) in outputs and _rows_joined(op, inf, outputs):
            outputs[id(op.output)] = outputs[id(origin)]  # `torch.cat(values)`: a rollout's values, step after step
            if has(op.layer, "loss_target"):
                per_sample_losses.add(id(op.output))
    seen = set()
    for op in ops:
        if op.layer.kind not in _DIFFS or len(op.inputs) != 2 or op.diagnostics:
            continue
        for v in op.inputs:  # `(probs > 0.5).float()` recorded no op: follow it back to the predictions
            source = _elementwise_origin(inf, v)
            if id(v) not in outputs and id(source) in outputs:
                outputs[id(v)] = outputs[id(source)]
        a, b = op.inputs
        pred, target = (a, b) if id(a) in outputs else (b, a) if id(b) in outputs else (None, None)
        if pred is None or pred.shape is None or target.shape is None or \
                len(pred.shape) + len(target.shape) < 3 or abs(len(pred.shape) - len(target.shape)) != 1:
            continue
        # the side with the extra axis of 1 after the batch: (N, 1) against (N,), or a one-channel map (N, 1, H, W)
        # against masks (N, H, W) -- model output, or targets / weights. Not (N, 1, D) against (N, D): that is how
        # all-pairs scores and distances are written (a query per sample against a bank of keys), on purpose
        column, flat = (pred, target) if len(pred.shape) > len(target.shape) else (target, pred)
        if column.shape[1] != 1 or not isinstance(pred.shape[0], int) or pred.shape[0] < 2 or \
                target.shape[0] != pred.shape[0] or tuple(column.shape[2:]) != tuple(flat.shape[1:]) or \
                not all(is_known(d) and d != 1 for d in flat.shape[1:]) or len(column.shape) == 3:
            continue
        if not _reduced_later(op, users, ev.lines, whole=len(column.shape) > 2) or op.layer.origin.span in seen:
            continue
        seen.add(op.layer.origin.span)
        n = pred.shape[0]
        index = 0 if target is a else 1
        # a result kept under a name (`advantages = returns - values`) is used again with the other per-sample values,
        # which have the targets' rank: the prediction loses its axis of 1 (the target given one would broadcast
        # there instead: `log_probs * advantages`, (T,) by (T, 1))
        squeeze_pred = column is pred and _assigned_whole(ev, op)
        # the targets' batch size is perturbed with the data's when the fix is checked at another batch size
        made = [v for v in getattr(getattr(ev, "module", None), "vars", {}).values()
                if isinstance(v, TensorVal) and v.value is target]
        ev.state.fed_targets.extend(made[:1])
        inf.report(Mismatch(
            "loss-broadcast", loss=span_text(ev, op.layer.origin.span) or op.layer.kind,
            variant="comparison" if op.layer.kind in ("eq", "ne") else "per-sample" if id(pred) in per_sample_losses
            else None,
            pred_shape=shape_text(pred.shape), target_shape=shape_text(target.shape),
            result_shape=shape_text((n, n) + tuple(flat.shape[1:])),
            remedy=remedies.squeeze_prediction_first() if squeeze_pred else remedies.target_like_prediction()
            if column is pred else remedies.target_one_value_per_sample(),
            fix=WrapInput(1 - index, "{x}.squeeze(1)", title=remedies.squeeze_prediction_title()) if squeeze_pred
            else WrapInput(index, "{x}.unsqueeze(1)", title=remedies.target_trailing_axis_title())
            if column is pred else WrapInput(index, "{x}.squeeze(1)", title=remedies.target_extra_axis_title())), op)


def _assigned_whole(ev, op) -> bool:
    """Whether the op's expression is the whole value of an assignment to one name (``advantages = returns -
    values``), so its result is read again elsewhere."""
    node = node_at(op.layer.origin.span, ev.lines) if op.layer.origin.span is not None else None
    parent = parent_of(node)
    return isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1 and \
        isinstance(parent.targets[0], ast.Name)


def predictions_compared_with_labels(ev) -> None:
    """NumPy after ``model.predict``: ``(probs > 0.5).astype(int) == y_test`` with the (N, 1) predictions of a
    one-unit head and (N,) labels (or argmax predictions (N,) against an (N, 1) label column) broadcasts to (N, N):
    every prediction against every label, and the "accuracy" is about the class balance. Reported at the
    comparison; the column side is flattened there."""
    done = set()
    for left, right, node in ev.state.array_comparisons:
        if not isinstance(node, ast.Compare) or len(node.comparators) != 1 or id(node) in done:
            continue
        pred = left if left.meta.get("predictions") else right if right.meta.get("predictions") else None
        if pred is None or left.shape is None or right.shape is None:
            continue
        other = right if pred is left else left
        flat, column = sorted((tuple(left.shape), tuple(right.shape)), key=len)
        classic = _column_beside_flat(column, flat)
        if classic and pred.lib == "torch" and not _labels_like(other):
            continue  # a torch model's outputs against something not known to be labels (another embedding)
        if not classic and not _samples_crossed(flat, column):  # (whatever the other side is: N x N pairs)
            continue
        done.add(id(node))
        col_node = node.left if tuple(left.shape) == column else node.comparators[0]
        target = right if pred is left else left
        flatten = ".squeeze(1)" if pred.lib == "torch" else ".ravel()"
        edit = append_edit(Span.of(col_node), flatten, ev.lines) if classic else None
        fix = Fix("unsafe", remedies.flatten_column_title(flatten), [edit]) if edit is not None else None
        emit(ev, "loss-broadcast", Span.of(node), remedies.against_label(shape_text(pred.shape),
                                                                         shape_text(target.shape)),
             variant="comparison", loss=span_text(ev, Span.of(node)) or "==", pred_shape=shape_text(pred.shape),
             target_shape=shape_text(target.shape), result_shape=shape_text(broadcast_shapes([flat, column])[0]),
             remedy=remedies.flatten_column(flatten) if classic else remedies.same_shape_both_sides(),
             fix=fix)


def _samples_crossed(short: tuple, long: tuple) -> bool:
    """Two sides with one row per sample, N >= 2, of different ranks, where broadcasting lines the shorter side's
    samples up with a unit axis of the longer one -- (N, 1) against (N, 1, 1) -- so every sample meets every other:
    the result holds N x N pairs."""
    if not short or not long or len(short) >= len(long) or not is_known(short[0]) or short[0] < 2 or \
            short[0] != long[0]:
        return False
    return long[len(long) - len(short)] == 1


def _column_beside_flat(column: tuple, flat: tuple) -> bool:
    """An (N, 1) column and (N,) values of the same N >= 2: combined element-wise they broadcast to (N, N)."""
    return len(flat) == 1 and len(column) == 2 and column[1] == 1 and is_known(flat[0]) and flat[0] >= 2 and \
        flat[0] == column[0]


def predictions_minus_targets(ev) -> None:
    """NumPy after ``model.predict``: ``np.square(y_train - preds).mean()`` with the (N, 1) predictions of a one-unit
    regression head and (N,) targets broadcasts to (N, N): every target minus every prediction, and the hand-computed
    error disagrees with the model's own loss without any error. The predictions' column is the mistake, where they
    are taken: ``model.predict(x).ravel()`` fixes every use at once."""
    found: dict = {}  # id(pred) -> (pred, [nodes])
    for left, right, node in ev.state.array_differences:
        pred = left if left.meta.get("predictions") else right
        other = right if pred is left else left
        if pred.lib != "numpy" or pred.shape is None or other.shape is None or other.meta.get("predictions"):
            continue
        if not _column_beside_flat(tuple(pred.shape), tuple(other.shape)):
            continue
        found.setdefault(id(pred), (pred, []))[1].append(node)
    for pred, nodes in found.values():
        call = node_at(pred.origin, ev.lines, ast.Call) if pred.origin is not None else None
        if call is None or ev.uncertain:
            continue
        edit = append_edit(Span.of(call), ".ravel()", ev.lines)
        fix = Fix("unsafe", remedies.flatten_column_title(".ravel()"), [edit]) if edit is not None else None
        n = pred.shape[0]
        emit(ev, "loss-broadcast", Span.of(call), remedies.prediction_column_label(shape_text(pred.shape)),
             secondary=[(Span.of(node), f"broadcast to ({n}, {n}) here") for node in nodes],
             loss=span_text(ev, Span.of(nodes[0])) or "-", pred_shape=shape_text(pred.shape),
             target_shape=f"({n},)", result_shape=f"({n}, {n})", remedy=remedies.flatten_column(".ravel()"),
             fix=fix, severity="warning")


def _labels_like(v) -> bool:
    """Known to be labels: integer or bool values, ids in a known range, a table's column, a loader's batch."""
    dtype = getattr(getattr(v, "value", None), "dtype", None) or ""
    return dtype.startswith(("int", "uint", "bool")) or any(v.meta.get(k) for k in ("int_range", "frame_column",
                                                                                   "loader_batch", "column"))


_TOTALS = ("sum", "mean")
_ADDS = ("add", "sub", "radd", "rsub", "__add__", "__radd__", "__sub__", "__rsub__")


def _sample_rows(ev, inf) -> dict:
    """id(value) -> the batch size, for the script's values that have one row per sample of a model's output: the
    outputs of every model run with more than one row, and what the script's ops make of them while keeping that
    many rows (a tuple result in each part, ``q.max(dim=1).values``; ``x.detach()`` through its element-wise
    source)."""
    rows: dict = {}
    for m in getattr(ev, "models", []):
        for r in m.runs:
            for out in (r.output.items if isinstance(r.output, TensorTuple) else (r.output,)):
                if isinstance(out, Tensor) and out.shape and isinstance(out.shape[0], int) and out.shape[0] > 1:
                    rows[id(out)] = out.shape[0]
    for op in inf.program.ops:
        n = next((rows[id(v)] for v in (_through_elementwise(inf, v) for v in op.inputs) if id(v) in rows), None)
        for out in (op.output.items if isinstance(op.output, TensorTuple) else (op.output,)):
            if n is not None and isinstance(out, Tensor) and out.shape and out.shape[0] == n:
                rows[id(out)] = n
    return rows


def _through_elementwise(inf, v, depth: int = 4):
    """The value ``v`` was made from element by element without an op (``x.detach()``, ``x.float()``), else ``v``."""
    for _ in range(depth):
        source = inf.elementwise_source(v)
        if source is None:
            break
        v = source
    return v


def column_beside_rows(ev) -> None:
    """An (N, 1) column and a flat (N,) combined element by element in the script -- an advantage ``returns -
    values`` with the critic's (N, 1) output, a policy loss ``log_prob * advantage`` -- broadcast to (N, N): every
    sample against every other, and the ``.mean()`` after it trains on the average over all pairs. PyTorch runs it.
    Only where both sides are known to hold one row per sample of a model's output (the rows are the samples, so the
    (N, N) result is never an intended table); reported at the op, whose fix flattens the column side there."""
    inf = ev.state.script_run
    if inf is None or ev.uncertain:
        return
    rows = _sample_rows(ev, inf)
    # a line any diagnostic already points at (a loss check blaming the squeeze names the ops it broadcasts in)
    said = {lab.span.line for d in ev.diagnostics for lab in [d.primary, *d.secondary]
            if lab is not None and lab.span is not None}
    found = list(_columns_beside_rows(inf, rows))
    # one mistake surfaces in every op its two values meet: an op whose operands a reported op (or one another
    # check named) already uses is the same mistake
    blamed = {id(v) for op in inf.program.ops if fact_of(op.layer, "operator") and op.layer.origin.span is not None and
              (op.diagnostics or op.layer.origin.span.line in said) for v in op.inputs}
    for op, column, flat in found:
        if op.layer.origin.span.line in said or any(id(v) in blamed for v in op.inputs):
            continue
        blamed.update(id(v) for v in op.inputs)
        node = node_at(op.layer.origin.span, ev.lines, ast.BinOp)
        if node is None or type(node.op).__name__ not in ("Add", "Sub", "Mult", "Div"):
            continue
        n = flat[0]
        col_node = node.left if tuple(op.inputs[0].shape) == column else node.right
        edit = append_edit(Span.of(col_node), ".squeeze(-1)", ev.lines)
        fix = Fix("unsafe", remedies.flatten_column_title(".squeeze(-1)"), [edit]) if edit is not None else None
        emit(ev, "loss-broadcast", Span.of(node), remedies.against_label(shape_text(column), shape_text(flat)),
             variant="rows", loss=fact_of(op.layer, "operator"), pred_shape=shape_text(column),
             target_shape=shape_text(flat), result_shape=f"({n}, {n})",
             remedy=remedies.combine_per_sample(".squeeze(-1)"),
             fix=fix, severity="warning")
        said.add(op.layer.origin.span.line)


def _columns_beside_rows(inf, rows: dict):
    """(op, column shape, flat shape) for each element-wise op of the script joining an (N, 1) column and an (N,)
    vector that are both one row per sample, into (N, N)."""
    for op in inf.program.ops:
        if not fact_of(op.layer, "operator") or len(op.inputs) != 2 or op.diagnostics or op.layer.origin.span is None:
            continue
        left, right = (_through_elementwise(inf, v) for v in op.inputs)
        if id(left) not in rows or id(right) not in rows or rows[id(left)] != rows[id(right)]:
            continue
        flat, column = sorted((tuple(getattr(v, "shape", None) or ()) for v in op.inputs), key=len)
        out = getattr(op.output, "shape", None)
        n = rows[id(left)]
        if _column_beside_flat(column, flat) and out is not None and tuple(out) == (n, n):
            yield op, column, flat


def batch_total_added_per_sample(ev) -> None:
    """A loss term reduced without ``dim`` -- ``torch.sum(1 + logvar - mu.pow(2) - logvar.exp())`` in a VAE -- over
    a tensor that still has one row per sample, then added to a per-sample term (N,): the sum runs over the batch
    too, so every sample carries the whole batch's total and the term grows with the batch size. Nothing raises.
    Reported at the reduction, whose edit keeps the batch axis (``dim=1``); only where both sides are known to be
    one row per sample of a model's output."""
    inf = ev.state.script_run
    if inf is None:
        return
    rows = _sample_rows(ev, inf)
    for op in inf.program.ops:
        if op.layer.kind not in _ADDS or len(op.inputs) != 2 or op.diagnostics:
            continue
        for each, total in (op.inputs, tuple(reversed(op.inputs))):
            made = inf.producer_of(total)
            if id(each) not in rows or getattr(each, "shape", None) != (rows[id(each)],) or made is None or \
                    made.layer.kind not in _TOTALS or made.layer.args.get("dim") is not None or not made.inputs:
                continue
            x = made.inputs[0]
            if id(x) not in rows or x.shape is None or len(x.shape) < 2 or rows[id(x)] != rows[id(each)]:
                continue
            keep = "1" if len(x.shape) == 2 else str(tuple(range(1, len(x.shape))))
            inf.report(Mismatch(
                "reduction-over-batch-axis", variant="batch-total", op=made.layer.kind,
                received_shape=shape_text(x.shape), per_sample_shape=shape_text(each.shape),
                remedy=f"reduce each sample on its own, over the axes after the batch: `dim={keep}`, giving "
                       f"{shape_text((rows[id(x)],))} like the term it is combined with",
                fix=SetArg("dim", keep, "unsafe", title=f"keep the batch axis (`dim={keep}`)")), made)
            break


_DIVS = ("div", "truediv", "true_divide", "divide", "__truediv__")
_COUNT_KEEPS = ("clamp", "clamp_min", "add", "maximum", "float", "to", "type", "type_as")
_MASK_KEEPS = ("unsqueeze", "getitem", "float", "to", "type", "type_as", "view", "reshape", "expand_as", "bool")


def masked_mean_over_the_batch(ev, run) -> None:
    """``(x * mask[:, :, None]).sum(dim=1) / mask.sum()``: a masked mean whose count of kept steps is summed over
    the whole batch, not per sample -- each sample's total is divided by the batch's count, so the pooled vectors
    shrink with the batch size. Torch runs it. Only where the numerator is reduced over an axis after the batch of
    a product with that very mask, and the count is the mask summed without ``dim``; fixed by counting per sample,
    ``dim=<that axis>, keepdim=True`` (the numerator keeps its batch axis, the count broadcasts over it)."""
    inf = run.inference
    for op in inf.program.ops:
        if op.layer.kind not in _DIVS or len(op.inputs) != 2 or op.diagnostics:
            continue
        num, den = op.inputs
        count = _through(inf, den, _COUNT_KEEPS)
        total = inf.producer_of(num)
        if count is None or total is None or count.layer.kind != "sum" or count.layer.args.get("dim") is not None or \
                not count.inputs or total.layer.kind not in ("sum", "mean") or not total.inputs:
            continue
        mask, dim = count.inputs[0], total.layer.args.get("dim")
        if not isinstance(mask, Tensor) or not mask.shape or len(mask.shape) < 2 or \
                not isinstance(num, Tensor) or not num.shape or not isinstance(dim, int) or isinstance(dim, bool):
            continue
        product = inf.producer_of(total.inputs[0])
        rank = len(total.inputs[0].shape or ())
        if product is None or product.layer.kind != "mul" or not rank or dim % rank == 0 or \
                mask.shape[0] != num.shape[0] or mask.shape[0] == 1 or \
                not any(_derived_from(inf, v, mask) for v in product.inputs):
            continue
        edit = _count_per_sample_edit(ev, count, dim % rank)
        remedy = remedies.count_per_sample(dim % rank)
        emit(ev, "reduction-over-batch-axis", count.layer.origin.span, remedies.mask_counted_over_batch_label(),
             variant="mask-count", op=count.layer.kind, received_shape=shape_text(mask.shape), remedy=remedy,
             secondary=[(op.layer.origin.span, remedies.each_sample_divided_label())], severity="warning",
             fix=Fix("unsafe", remedy, [edit]) if edit is not None else None)


def _past(kinds: tuple):
    """A ``walk_back`` step that looks past the ops of ``kinds`` to their first input."""
    return lambda op, _: op.inputs[0] if op.layer.kind in kinds and op.inputs else None


def _through(inf, value, keeps: tuple):
    """The op that made ``value``, looking through the element-wise ops in ``keeps`` (a clamp of a count)."""
    return inf.walk_end(value, _past(keeps), depth=5)


def _derived_from(inf, value, source) -> bool:
    """``value`` is ``source``, or made from it by the shape-only ops in _MASK_KEEPS (``mask[:, :, None].float()``)."""
    return any(v is source for v, _ in inf.walk_back(value, _past(_MASK_KEEPS), depth=5))


def _count_per_sample_edit(ev, count, dim: int):
    """``mask.sum()`` / ``torch.sum(mask)`` given ``dim=<dim>, keepdim=True`` before its closing parenthesis."""
    call = node_at(count.layer.origin.span, ev.lines, ast.Call)
    if call is None or call.lineno != call.end_lineno or call.keywords:
        return None
    text = ("" if not call.args else ", ") + f"dim={dim}, keepdim=True"
    at = Span(call.end_lineno, call.end_col_offset, call.end_lineno, call.end_col_offset)
    return Edit(at, text)


def _keeps_rows(op, x) -> bool:
    """Whether ``op`` turns the model's predictions ``x`` into something still one row per sample:
    ``torch.sigmoid(logits)`` (same shape), ``preds.squeeze(1)`` ((N, 1) -> (N,)), or a loss with
    ``reduction="none"`` (one loss per sample)."""
    out = op.output
    if not isinstance(out, Tensor) or out.shape is None or getattr(x, "shape", None) is None:
        return False
    if op.layer.kind in _SAME_ROWS or op.layer.kind[2:] in _SAME_ROWS and op.layer.kind.startswith("F."):
        return out.shape == x.shape  # `torch.relu` or `F.relu`
    if op.layer.kind in ("squeeze", "flatten", "view", "reshape"):
        return len(out.shape) == 1 and tuple(x.shape) == (out.shape[0], 1)
    if op.layer.kind in _PER_ELEMENT and len(op.inputs) == 1:  # dist.pow(2), err.abs()
        return out.shape == x.shape
    if op.layer.kind in _DIFFS and len(op.inputs) == 1:  # `margin - dist`, `1 - probs`: with a number, per element
        return out.shape == x.shape
    if has(op.layer, "per_row"):  # one distance / similarity per pair of rows
        return len(out.shape) == 1 and len(x.shape) == 2 and out.shape[0] == x.shape[0]
    if op.layer.kind in _CLASS_PICKS:  # `logits.argmax(1)`: one predicted class per row
        return len(out.shape) == 1 and len(x.shape) == 2 and out.shape[0] == x.shape[0]
    # reduction="none", or the legacy reduce=False (rules/torch/loss.reduction_of): one loss per element
    return has(op.layer, "loss_target") and (op.layer.args.get("reduction") == "none" or
                                             op.layer.args.get("reduce") is False)


def _head_on_rows(op, x) -> bool:
    """A layer of the model called on the model's per-row output (a value head on the backbone's features, in a
    method other than ``forward``): its output is a prediction per row too."""
    out = op.output
    return op.layer.kind in ("Linear", "Bilinear", "LazyLinear") and isinstance(out, Tensor) and \
        out.shape is not None and getattr(x, "shape", None) is not None and len(out.shape) == len(x.shape) >= 2 \
        and out.shape[0] == x.shape[0]


def _rows_joined(op, inf, outputs: dict) -> bool:
    """``torch.cat(values)`` of the model's predictions, one tensor per step of a rollout: joined on the batch axis,
    the result is still one prediction per row."""
    out = op.output
    if op.layer.kind not in ("cat", "concat", "concatenate") or not isinstance(out, Tensor) or out.shape is None or \
            len(op.inputs) < 2 or op.layer.args.get("dim", 0) not in (0, -len(out.shape)):
        return False
    return all(id(_elementwise_origin(inf, v)) in outputs and getattr(v, "shape", None) is not None and
               tuple(v.shape[1:]) == tuple(out.shape[1:]) for v in op.inputs)


def _picks_per_row(op, x) -> bool:
    """``logits.max(1)`` / ``torch.max(logits, 1)``: (values, indices), each one per row of the (N, C) logits."""
    out = op.output
    return op.layer.kind in ("max", "min") and isinstance(out, TensorTuple) and len(out.items) == 2 and \
        getattr(x, "shape", None) is not None and len(x.shape) == 2 and \
        all(isinstance(i, Tensor) and i.shape is not None and tuple(i.shape) == (x.shape[0],) for i in out.items)


def _elementwise_origin(inf, value):
    """What ``value`` was made from by unrecorded element-wise steps (a comparison with a number, a cast), through
    recorded same-row steps too (``torch.sigmoid``)."""
    for _ in range(8):
        source = inf.elementwise_source(value)
        if source is None:
            op = inf.producer_of(value)
            if op is None or op.layer.kind not in _SAME_ROWS or not op.inputs:
                return value
            source = op.inputs[0]
        value = source
    return value


def _used_later(op, lines: list) -> bool:
    """The name the (N, N) result is assigned to is read again (``err = target - pred`` then ``err ** 2``): it goes on
    into a computation; a table assigned and never read is left alone."""
    node = node_at(op.layer.origin.span, lines) if op.layer.origin.span is not None else None
    stmt = getattr(node, "_shapelint_parent", None)
    while stmt is not None and not isinstance(stmt, ast.stmt):
        stmt = getattr(stmt, "_shapelint_parent", None)
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
        return False
    scope = getattr(stmt, "_shapelint_parent", None)
    name = stmt.targets[0].id
    return scope is not None and any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
                                     and n.lineno >= stmt.lineno for n in ast.walk(scope))


def _reduced_later(op, users: dict, lines: list, whole: bool = False) -> bool:
    """The (N, N) result reaches a mean or sum through per-element operations -- or is used only by operations the
    evaluation does not record (``err ** 2`` on data outside a model): a (N, 1) output minus (N,) targets is never a
    pairwise matrix on purpose. ``whole``: only a reduction to one number counts (a map's loss, ``(p * t).sum()``);
    a sum over some axes keeps a matrix that is used as such."""
    if not users.get(id(op.output)):
        return not whole and _used_later(op, lines)
    frontier, lost = [op], False
    for _ in range(6):
        nxt = []
        for o in frontier:
            after = users.get(id(o.output), [])
            lost = lost or (not after and o is not op)  # `torch.where(err < 0, ...)` whose result is not followed
            for u in after:
                if u.layer.kind in _REDUCTIONS:
                    return not whole or _to_one_number(u)
                if u.layer.kind in _PER_ELEMENT or u.layer.kind in _ADDS or \
                        u.layer.kind in _PAIRWISE_EXTREMES and len(u.inputs) == 2:  # a sum of two broadcast terms,
                    nxt.append(u)  # the larger of two clipped losses (PPO's value loss)
        frontier = nxt
    return lost and _used_later(op, lines)


def _to_one_number(op) -> bool:
    """A sum / mean over every axis: no ``dim`` / ``axis`` given, and a 0-d result."""
    out = getattr(op.output, "shape", None)
    return out is not None and len(out) == 0 and op.layer.args.get("dim") is None and \
        op.layer.args.get("axis") is None


def _time_named_second(ev, x) -> bool:
    """The data was made with its axis 1 sized by a name that says time (``MAX_LEN``, ``seq_len``) and its axis 0
    by one that does not: (samples, steps, ...)."""
    site = getattr(x, "shaped_at", None) or getattr(x, "origin", None)
    made = node_at(site, ev.lines, ast.Call) if site is not None else None
    if made is None:
        return False
    dims = list(made.args[-1].elts) if made.args and isinstance(made.args[-1], (ast.Tuple, ast.List)) else None
    named = element_roles(ast.Tuple(elts=dims)) if dims and len(dims) == len(x.shape) else None
    return bool(named) and named[1] == roles.T and named[0] != roles.T and dims[1] is not dims[0] and \
        isinstance(x.shape[1], int) and x.shape[1] != x.shape[0]


def batch_first_from_loaders(ev) -> None:
    """A DataLoader batch (axis 0 is the batch, size B) reaching an RNN / Transformer left at batch_first=False with
    B still on axis 0 and another size on axis 1: the layer takes the batch for the time axis. PyTorch runs it."""
    for model, x, call in ev.state.fed_data:
        b = x.meta.get("loader_batch")
        source = remedies.loader_batches(b) if isinstance(b, int) else None
        if not isinstance(b, int) and x.shape is not None and len(x.shape) >= 2 and _time_named_second(ev, x):
            b = x.shape[0]  # (batch, length) by the names the data was made with: rows of samples, then the steps
            source = remedies.named_batch_first(b)
        if not isinstance(b, int) or getattr(model, "uncertain", False):
            continue
        for r in model.runs_fed(x):
            for op in r.program.ops:
                if not has(op.layer, "sequence_first") or roles.batch_first(op.layer) is not False:
                    continue
                inp = op.inputs[0] if op.inputs else None
                if not isinstance(inp, Tensor) or inp.shape is None or len(inp.shape) != 3:
                    continue
                d0, d1 = inp.shape[0], inp.shape[1]
                if d0 == b and isinstance(d1, int) and d1 != b:
                    reading = f"(sequence={d0}, batch={d1}, features={inp.shape[2]})"
                    _report_batch_first(ev, r, op, Mismatch(
                        "batch-first-confusion", received_shape=shape_text(inp.shape), reading=reading,
                        remedy=f"pass `batch_first=True` to `{roles.batch_first_owner(op.layer).kind}` (the "
                               f"batches are (batch={b}, ...)), or transpose the input with `x.transpose(0, 1)`",
                        notes=[source],
                        fix=SetArg("batch_first", "True", "unsafe", title="pass `batch_first=True`")))
                    break


def batch_axis_from_collate(ev) -> None:
    """A loader's batches whose batch axis is not axis 0 -- a collate_fn that pads with ``pad_sequence`` left at
    batch_first=False gives (max_len, B) -- fed to a model whose first layer reads axis 0 as the batch (an
    ``Embedding``, a batch-first encoder, a ``Linear``). Nothing fails there: the model takes the padded length for
    the batch and mixes the sentences. The cause is where the layout was made: ``pad_sequence(...,
    batch_first=True)``. Only when the roles the layer reads are known."""
    for model, x, call in ev.state.fed_data:
        k = x.meta.get("batch_axis")
        made = x.meta.get("time_major_pad")
        if not isinstance(k, int) or k == 0 or made is None or getattr(model, "uncertain", False):
            continue
        for r in model.runs_fed(x):
            if not r.program.inputs:
                continue
            op, read = _first_strict_reader(r, x, k)
            if read is None or roles.N not in read or read[k] == roles.N:
                continue
            edit = keyword_edit(made, "batch_first", "True")
            emit(ev, "batch-first-confusion", Span.of(made), f"pads to (max_len, batch) = {shape_text(x.shape)}",
                 secondary=[(op.layer.origin.span, f"reads axis {read.index(roles.N)} as the batch"),
                            (Span.of(call.node), "fed to the model here")],
                 variant="data", received_shape=shape_text(x.shape), axis=k, kind=op.layer.kind,
                 reads_axis=read.index(roles.N), severity="error", model=getattr(model, "display_name", None),
                 remedy="pad batch-first: `pad_sequence(..., batch_first=True)`, so the batch is axis 0",
                 fix=Fix("unsafe", "pad batch-first (`batch_first=True`)", [edit]) if edit else None)
            break


def _first_strict_reader(run, x, k: int):
    """The first op of ``run`` that fixes where the batch is (a recurrent or attention layer with a known
    batch_first, a conv), applied to a tensor that still has the data's batch size on axis ``k``; and the roles it
    reads. A layer that takes any rank (an Embedding, a Linear) does not say which leading axis is the batch."""
    b = x.shape[k]
    if not isinstance(b, int):
        return None, None
    for op in run.program.ops:
        inp = op.inputs[0] if op.inputs else None
        if has(op.layer, "implied_any_rank") or not isinstance(inp, Tensor) or inp.shape is None or \
                len(inp.shape) <= k or inp.shape[k] != b:
            continue
        read = roles.reads(op.layer, len(inp.shape))
        if read is not None:
            return op, read
    return None, None


def batch_folded_by_collate(ev) -> None:
    """A collate_fn that joins its samples with ``torch.cat`` instead of stacking them: (3, 32, 32) samples give
    (3 * B, 32, 32), with no batch axis. The model then fails on the channels (or, for a Linear, takes the whole batch
    for one sample) and resizing its first layer to fit would bake the batch size into it. Reported at the join,
    fixed by stacking: ``torch.stack``."""
    done = set()
    for model, x, call in ev.state.fed_data:
        node = x.meta.get("batch_folded")
        if node is None or id(node) in done or getattr(model, "uncertain", False):
            continue
        done.add(id(node))
        func = node.func if isinstance(node, ast.Call) else None
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "cat")
        edit = rename_call(node, {name: "stack"}) if name in ("cat", "concat", "concatenate") else None
        emit(ev, "collate-size-mismatch", Span.of(node), f"joins the samples: {shape_text(x.shape)}",
             secondary=[(Span.of(call.node), "fed to the model here")], variant="joined", op=f"torch.{name}",
             received_shape=shape_text(x.shape),
             remedy="stack the samples so the batch gets its own axis: `torch.stack(...)`",
             fix=Fix("unsafe", "stack the samples (`torch.stack`)", [edit]) if edit is not None else None,
             model=getattr(model, "display_name", None))


def batch_size_written_in_model(ev) -> None:
    """``x.view(BATCH_SIZE, -1)`` (or the configured batch size) inside a model fed by a DataLoader whose last batch
    is smaller (200 samples in batches of 32 leave 8): that batch cannot be viewed as 32 rows of the same width --
    torch raises, or a later layer does. Reported at the view, fixed with the batch the tensor has,
    ``x.size(0)``; ``drop_last=True`` would only hide it."""
    seen = set()
    loaders = _loader_batches(ev)
    for model, x, call in ev.state.fed_data:
        last, b = x.meta.get("loader_last_batch"), x.meta.get("loader_batch")
        if last is None and x.shape and len(loaders) == 1 and next(iter(loaders))[0] == x.shape[0]:
            b, last = next(iter(loaders))  # `noisy = (clean + noise).clamp(0, 1)`: the one loader's batch, transformed
        if not isinstance(last, int) or not isinstance(b, int) or getattr(model, "uncertain", False):
            continue
        for r in model.runs_fed(x):
            for op in r.program.ops:
                inp, out = (op.inputs[0] if op.inputs else None), op.output
                if not op.layer.extra.get("batch_written") or id(op.layer) in seen or op.diagnostics or \
                        not isinstance(inp, Tensor) or not inp.shape or inp.shape[0] != b or \
                        not isinstance(out, Tensor) or not out.shape or out.shape[0] != b:
                    continue
                seen.add(id(op.layer))
                span, receiver = op.layer.extra["batch_written"]  # where the front-end saw the size written
                fix = ReplaceText(span, f"{receiver}.size(0)", title=f"take the batch the tensor has: "
                                                                     f"`{receiver}.size(0)`")
                r.inference.report(Mismatch(
                    "reshape-size-mismatch", variant="batch-written", kind=op.layer.kind, batch=b, last=last,
                    remedy=f"use the batch the tensor has, `{receiver}.size(0)` (or `torch.flatten(x, 1)`); "
                           "`drop_last=True` would only hide it", fix=fix), op)


def last_batch_of_one_in_training(ev) -> None:
    """A training DataLoader whose last batch holds one sample (65 rows in batches of 16) feeding a model in training
    mode with a BatchNorm that sees one value per channel on it ((1, C) into ``BatchNorm1d``): torch raises "Expected
    more than 1 value per channel when training" at the end of the first epoch. Reported at the loader, fixed with
    ``drop_last=True`` (the usual remedy for a training loader; the BatchNorm is what the author wants)."""
    done = set()
    for model, x, call in ev.state.fed_data:
        last, b, loader = x.meta.get("loader_last_batch"), x.meta.get("loader_batch"), x.meta.get("loader_call")
        if last != 1 or not isinstance(b, int) or b < 2 or loader is None or id(loader) in done or \
                getattr(model, "uncertain", False) or getattr(model, "framework", "") != "torch":
            continue
        for r in model.runs_fed(x):
            if r.training is not True:
                continue
            op = next((o for o in r.program.ops if o.layer.kind.startswith("BatchNorm") and not o.diagnostics and
                       o.inputs and isinstance(o.inputs[0], Tensor) and _one_value_per_channel_at_one(o.inputs[0], b)),
                      None)
            if op is None:
                continue
            done.add(id(loader))
            edit = keyword_edit(loader, "drop_last", "True") if not any(k.arg == "drop_last" for k in
                                                                         loader.keywords) else None
            emit(ev, "single-value-per-channel", Span.of(loader), remedies.last_batch_of_one_label(b),
                 secondary=[(op.layer.origin.span, remedies.one_value_per_channel_label(op.layer.kind)),
                            (Span.of(call.node), remedies.trained_here_label())],
                 kind=op.layer.kind, received_shape=shape_text((1,) + tuple(op.inputs[0].shape[1:])),
                 detail=remedies.last_batch_of_one_detail(b), remedy=remedies.drop_last_batch(),
                 fix=Fix("unsafe", remedies.drop_last_batch(), [edit]) if edit is not None else None,
                 severity="error", model=getattr(model, "display_name", None))
            break


def _one_value_per_channel_at_one(x: Tensor, b: int) -> bool:
    """Whether a batch of one sample gives BatchNorm one value per channel: the batch axis is ``b`` and nothing
    else besides the channels (axis 1) holds more than one value."""
    s = x.shape
    return bool(s) and len(s) >= 2 and s[0] == b and all(isinstance(d, int) and d == 1 for d in s[2:])


def state_made_for_the_full_batch(ev) -> None:
    """``h = net.init_hidden(BATCH_SIZE)`` before the batch loop, then ``net(inputs, h)`` for every batch of a
    DataLoader whose last batch is smaller (300 reviews in batches of 64 leave 44): the LSTM's state has 64 rows
    where the last batch has 44, and torch raises on it after a whole epoch of training. Reported where the state
    was made (the binding of the name passed to the model), with the state made per batch as the remedy."""
    for model, x, call in ev.state.fed_data:
        last, b = x.meta.get("loader_last_batch"), x.meta.get("loader_batch")
        if not isinstance(last, int) or not isinstance(b, int) or getattr(model, "uncertain", False):
            continue
        for r in model.runs_fed(x):
            op = next((o for o in r.program.ops if has(o.layer, "recurrent") and o.layer.framework == "torch" and
                       len(o.inputs) >= 2), None)
            states = op.inputs[1:] if op is not None else []
            if not states or op.diagnostics or any(
                    not isinstance(v, Tensor) or not v.shape or len(v.shape) != 3 or v.shape[1] != b or
                    r.inference.producer_of(v) is not None for v in states):
                continue  # (a state the forward makes from its input follows the batch)
            site = _state_binding(ev, call, len(r.program.inputs))
            if site is None:
                continue
            maker, passed = site
            fed = _arg_node(call, 0)
            batch_arg = ev.text(maker.args[0])
            spelled = ev.text(maker).replace(batch_arg, f"{ev.text(fed)}.size(0)", 1) \
                if isinstance(fed, ast.Name) and batch_arg else None
            remedy = f"make the state inside the batch loop, for the batch each step gets: `{spelled}`" if spelled \
                else "make the state inside the batch loop, for the batch each step gets"
            emit(ev, "incompatible-input-shape", Span.of(maker), f"a state for {b} samples", variant="state-batch",
                 severity="error", secondary=[(Span.of(passed), f"given to `{model.display_name}` for every batch")],
                 model=model.display_name, kind=op.layer.kind, batch=b, last=last,
                 remedy=remedy + "; `drop_last=True` would only hide it")
            return


def _state_binding(ev, call, n_inputs: int):
    """(the call that made the state, the argument node passing it) for ``model(inputs, h)`` where ``h`` is
    bound by a method call of the model (``h = net.init_hidden(BATCH_SIZE)``) in the function holding the call."""
    node = _arg_node(call, n_inputs)  # the argument after the model's inputs: the state
    if not isinstance(node, ast.Name):
        return None
    tree = tree_of(ev.lines)
    scope = function_at(tree, node.lineno) if tree is not None else None
    scope = scope or tree
    makers = [n.value for n in ast.walk(scope) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
              isinstance(n.targets[0], ast.Name) and n.targets[0].id == node.id and isinstance(n.value, ast.Call)
              and isinstance(n.value.func, ast.Attribute) and n.value.args]
    fed = _arg_node(call, 0)
    loops = [n for n in ast.walk(scope) if isinstance(n, (ast.For, ast.AsyncFor)) and n.lineno <= node.lineno <=
             (n.end_lineno or n.lineno)]
    per_batch = {t.id for loop in loops for t in ast.walk(loop.target) if isinstance(t, ast.Name)}
    if isinstance(fed, ast.Name):
        per_batch.add(fed.id)
    if len(makers) != 1 or any(isinstance(n, ast.Name) and n.id in per_batch for a in makers[0].args
                               for n in ast.walk(a)):
        return None  # `net.init_hidden(inputs.size(0))`: made for the batch it is given
    return makers[0], node


def _arg_node(call, i: int):
    """The expression a model call passes as its ``i``-th positional argument, or None."""
    nodes = getattr(call, "arg_nodes", None) or []
    return nodes[i] if i < len(nodes) else None


def squeeze_drops_last_batch(ev) -> None:
    """``self.head(h).squeeze()`` (no dim) in a model fed by a DataLoader whose last batch holds ONE sample (97
    samples in batches of 32): full batches give (B, 1) -> (B,), the last gives (1, 1) -> () -- the batch axis is
    squeezed away with the unit axis, and the loss raises (BCE: target (1,) vs input ()) or broadcasts. Reported
    at the squeeze, fixed by naming the axis; ``drop_last=True`` would only hide it. An error when the squeezed
    tensor is what the model returns."""
    seen = set()
    for model, x, call in ev.state.fed_data:
        last, b = x.meta.get("loader_last_batch"), x.meta.get("loader_batch")
        if last != 1 or not isinstance(b, int) or b < 2 or getattr(model, "uncertain", False):
            continue
        for r in model.runs_fed(x):
            for op in r.program.ops:
                inp, out = (op.inputs[0] if op.inputs else None), op.output
                if op.layer.kind != "squeeze" or op.layer.args.get("dim") is not None or id(op.layer) in seen or \
                        op.diagnostics or not isinstance(inp, Tensor) or not inp.shape or inp.shape[0] != b or \
                        not isinstance(out, Tensor) or out.shape is None or 1 not in tuple(inp.shape[1:]):
                    continue
                seen.add(id(op.layer))
                units = [i for i, v in enumerate(inp.shape) if i > 0 and v == 1]
                dim = units[0] if len(units) == 1 else None
                call_span = op.layer.extra.get("call_span") or op.layer.origin.span
                text = span_text(ev, call_span)
                fix = None
                if dim is not None and text is not None and text.endswith(".squeeze()"):
                    fix = ReplaceText(call_span, f"{text[:-len('.squeeze()')]}.squeeze({dim})",
                                      title=f"squeeze only the unit axis: `.squeeze({dim})`")
                returned = out is r.program.output
                r.inference.report(Mismatch(
                    "squeeze-drops-batch", batch=b, last=last, received_shape=shape_text(inp.shape),
                    out_shape=shape_text(out.shape),
                    remedy=(f"name the axis to remove: `.squeeze({dim})`" if dim is not None else
                            "name the axes to remove (`.squeeze(dim)` for each)") +
                    "; `drop_last=True` would only hide it", fix=fix), op, severity="error" if returned else None)


def _loader_batches(ev) -> set:
    """(batch size, last batch size) of the file's DataLoaders whose last batch is smaller."""
    out = set()
    for v in getattr(getattr(ev, "module", None), "vars", {}).values():
        batch = getattr(v, "batch", None)
        for item in batch if isinstance(batch, tuple) else [batch]:
            meta = getattr(item, "meta", None) or {}
            if isinstance(meta.get("loader_last_batch"), int) and isinstance(meta.get("loader_batch"), int):
                out.add((meta["loader_batch"], meta["loader_last_batch"]))
    return out


def batch_first_from_outputs(ev) -> None:
    """The same mistake without a DataLoader: a torch model whose output has one row per sample of its input's
    axis 0 -- (B, T, F) in, (B, classes) out -- so axis 0 is the batch, while a recurrent / attention layer inside,
    left at batch_first=False, reads axis 0 of a (B, T, ...) tensor as the sequence. PyTorch runs it: attention
    then mixes the samples of the batch."""
    for model in getattr(ev, "models", []):
        if getattr(model, "framework", "") != "torch" or getattr(model, "uncertain", False):
            continue
        for r in model.runs:
            x = r.program.inputs[0] if r.program.inputs else None
            out = r.program.output
            if isinstance(out, TensorTuple) and out.items:  # (logits, features): the first output says it
                out = out.items[0]
            # (B, T, F) features, (B, T) token ids an Embedding turns into them, or (B, T, C, H, W) clips whose
            # frames are encoded one by one
            if not isinstance(x, Tensor) or x.shape is None or len(x.shape) not in (2, 3, 5) or \
                    not isinstance(out, Tensor) or out.shape is None or len(out.shape) != 2:
                continue
            b, t = x.shape[0], x.shape[1]
            if not isinstance(b, int) or not isinstance(t, int) or b == t or out.shape[0] != b:
                continue
            for op in r.program.ops:
                if not has(op.layer, "sequence_first") or roles.batch_first(op.layer) is not False or op.diagnostics:
                    continue
                inp = op.inputs[0] if op.inputs else None
                if not isinstance(inp, Tensor) or inp.shape is None or len(inp.shape) != 3 or \
                        inp.shape[0] != b or inp.shape[1] != t:
                    continue
                reading = f"(sequence={b}, batch={t}, features={inp.shape[2]})"
                _report_batch_first(ev, r, op, Mismatch(
                    "batch-first-confusion", received_shape=shape_text(inp.shape), reading=reading,
                    remedy=f"pass `batch_first=True` to `{roles.batch_first_owner(op.layer).kind}` (the model gives "
                           f"one output row "
                           f"per sample of axis 0, so axis 0 is the batch), or transpose its input with "
                           f"`x.transpose(0, 1)`",
                    notes=[f"the model's output {shape_text(out.shape)} has one row per entry of its input's axis 0"],
                    fix=SetArg("batch_first", "True", "unsafe", title="pass `batch_first=True`")))
                break



_SCALES = ("mul", "add", "sub", "div", "true_divide", "rsub", "ops.multiply", "ops.add", "ops.subtract",
           "ops.divide")


def per_sample_values_on_last_axis(ev) -> None:
    """One value per sample -- ``alphas_bar[t]`` for timesteps ``t`` of shape (B,) -- multiplied with a batch
    (B, C, H, W): broadcasting lines the (B,) vector up with the *last* axis, not the batch. When that axis happens
    to have B entries (32 images of 32x32) nothing raises and column j of every image gets sample j's value.
    Known only when the same size object is the vector's length and the batch's axis 0 while the last axis is
    another size; reported where the vector is made, fixed by giving it the batch's rank there."""
    done = set()
    for inf, op in ops_of_every_run(ev):
        if op.layer.kind not in _SCALES or len(op.inputs) != 2 or op.diagnostics:
            continue
        for vec, batch in ((op.inputs[0], op.inputs[1]), (op.inputs[1], op.inputs[0])):
            if not _per_sample_on_last(vec, batch):
                continue
            made = inf.producer_of(vec)
            span = _whole_expression(ev, made.layer.origin.span) if made is not None else None
            if span is None or span in done:
                continue
            done.add(span)
            text = span_text(ev, span)
            ones = ", ".join(["1"] * (len(batch.shape) - 1))
            fix = replace_fix(span, f"{text}.view(-1, {ones})", f"give the values the batch's rank: "
                              f"`.view(-1, {ones})`") if text else None
            emit(ev, "per-sample-values-on-last-axis", span, f"one value per sample: {shape_text(vec.shape)}",
                 secondary=[(op.layer.origin.span, f"broadcast against {shape_text(batch.shape)} here")],
                 fix=fix, received_shape=shape_text(vec.shape), batch_shape=shape_text(batch.shape),
                 last=int(batch.shape[-1]), remedy=f"give the values the batch's rank: `.view(-1, {ones})`")
            break


def _whole_expression(ev, span):
    """An indexing op is recorded at its index (``t`` of ``table[t]``): the value is the whole subscript."""
    node = node_at(span, ev.lines) if span is not None else None
    whole = enclosing(node, (ast.Subscript,)) if node is not None else None
    return Span.of(whole) if whole is not None and whole.slice is node else span


def _per_sample_on_last(vec, batch) -> bool:
    if not isinstance(vec, Tensor) or not isinstance(batch, Tensor) or vec.shape is None or batch.shape is None:
        return False
    if len(vec.shape) != 1 or len(batch.shape) < 2:
        return False
    n, first, last = vec.shape[0], batch.shape[0], batch.shape[-1]
    return isinstance(n, int) and n > 1 and n is first and last is not n and isinstance(last, int) and last == n


_SDPA = ("F.scaled_dot_product_attention", "scaled_dot_product_attention")
_RESHAPES = ("view", "reshape")


def _heads_left_before_the_sequence(ev, run, ops) -> None:
    """``q = q.view(B, T, n_head, C // n_head)`` handed to ``F.scaled_dot_product_attention`` without
    ``.transpose(1, 2)``: SDPA attends over axis -2, which now holds the heads, so each token's heads attend to one
    another and no token sees another token. Known when q, k and v each come straight from a view that split the
    last axis of (B, T, C) into (heads, head size) and kept T on axis 1. The fix moves the heads before the sequence
    and back before the heads are merged (a merge without it would re-read memory in the wrong order)."""
    for op in ops:
        if op.layer.kind not in _SDPA or len(op.inputs) < 3 or op.diagnostics:
            continue
        splits = [inf_op for inf_op in (run.inference.producer_of(x) for x in op.inputs[:3])]
        if any(s is None or s.layer.kind not in _RESHAPES or not _split_last(s) for s in splits):
            continue
        q = op.inputs[0]
        spans = [s.layer.origin.span for s in splits]
        edits = [Edit(Span(s.end_line, s.end_column, s.end_line, s.end_column), ".transpose(1, 2)") for s in spans
                 if s is not None]
        merge = next((o for o in ops if o.inputs and o.inputs[0] is op.output and o.layer.kind in _RESHAPES), None)
        back = _after_receiver(ev, merge.layer.origin.span) if merge is not None else None
        fix = Fix("unsafe", "move the heads before the sequence, and back before merging them", edits + [back]) \
            if back is not None and len(edits) == 3 else None
        emit(ev, "attention-softmax-axis", spans[0], f"heads on axis 2: {shape_text(q.shape)}", variant="heads",
             kind=op.layer.kind, received_shape=shape_text(q.shape), heads=q.shape[2], steps=q.shape[1],
             secondary=[(op.layer.origin.span, "attends over axis -2")],
             remedy="move the heads before the sequence: `.transpose(1, 2)` on q, k and v, and back (`.transpose(1, "
                    "2)`) before the heads are merged", fix=fix)


def _split_last(op) -> bool:
    """A view of (B, T, C) into (B, T, h, d) with h * d == C: the last axis split into heads."""
    x, out = op.inputs[0] if op.inputs else None, op.output
    xs, os_ = getattr(x, "shape", None), getattr(out, "shape", None)
    return xs is not None and os_ is not None and len(xs) == 3 and len(os_) == 4 and \
        all(isinstance(v, int) for v in (*xs, *os_)) and xs[0] == os_[0] and xs[1] == os_[1] and \
        os_[2] * os_[3] == xs[2] and os_[2] > 1 and os_[2] != xs[1]


def _after_receiver(ev, span):
    """An insertion right after the tensor a reshape chain starts from: ``y`` of ``y.contiguous().view(...)``."""
    node = node_at(span, ev.lines, ast.Call) if span is not None else None
    base = node.func.value if node is not None and isinstance(node.func, ast.Attribute) else None
    while isinstance(base, ast.Call) and isinstance(base.func, ast.Attribute):
        base = base.func.value
    if not isinstance(base, ast.Name):
        return None
    end = Span.of(base)
    return Edit(Span(end.end_line, end.end_column, end.end_line, end.end_column), ".transpose(1, 2)")


_REARRANGE = ("rearrange", "einops.rearrange")


def einops_inverse_out_of_order(ev) -> None:
    """Two ``rearrange`` calls written as each other's inverse -- ``patchify`` as ``"b c (h p1) (w p2) -> b (h w)
    (p1 p2 c)"`` and ``unpatchify`` reading ``"b (h w) (c p1 p2) -> b c (h p1) (w p2)"`` -- whose merged group lists
    the same axes in another order: the sizes agree, but ``unpatchify(patchify(x))`` is not ``x`` (each patch's
    pixels and channels are shuffled). Only for a pattern whose output is exactly the other's input; fixed by
    reading the group in the order it was written."""
    if "rearrange" not in getattr(ev, "source", ""):
        return  # most files have no einops: no walk of their whole tree
    tree = tree_of(ev.lines)
    if tree is None:
        return
    patterns = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in _REARRANGE and len(node.args) >= 2 and \
                isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str) and \
                node.args[1].value.count("->") == 1:
            left, right = (_groups(side) for side in node.args[1].value.split("->"))
            if left is not None and right is not None:
                patterns.append((node.args[1], left, right))
    for made, left_a, right_a in patterns:
        for read, left_b, right_b in patterns:
            if read is made or right_b != left_a or len(left_b) != len(right_a):
                continue
            swapped = [i for i, (g, h) in enumerate(zip(right_a, left_b)) if g != h]
            if not swapped or any(sorted(right_a[i]) != sorted(left_b[i]) or len(right_a[i]) < 2 for i in swapped):
                continue
            fixed = _pattern_text(right_a) + " -> " + _pattern_text(right_b)
            emit(ev, "reshape-reorders-axes", Span.of(read), f"reads {_pattern_text(left_b)}", variant="einops-inverse",
                 kind="rearrange", read=_pattern_text([left_b[i] for i in swapped]),
                 written=_pattern_text([right_a[i] for i in swapped]), line=made.lineno,
                 secondary=[(Span.of(made), f"writes {_pattern_text(right_a)}")],
                 remedy=f"read the groups in the order they were written: `\"{fixed}\"`",
                 fix=replace_fix(Span.of(read), f'"{fixed}"', "read the groups in the order they were written"))
            return


def _groups(side: str):
    """``"b (h w) (p1 p2 c)"`` -> [["b"], ["h", "w"], ["p1", "p2", "c"]] (rules/_einops.parse_side); None for
    ellipses and numbers, whose order says nothing here."""
    groups = parse_side(side)
    if groups is None or any(not isinstance(g, list) or not all(isinstance(n, str) and n != ELL for n in g)
                             for g in groups):
        return None
    return groups


def _pattern_text(groups) -> str:
    return " ".join(g[0] if len(g) == 1 else "(" + " ".join(g) + ")" for g in groups)
