"""PyTorch losses: ``criterion(input, target)`` for the nn.*Loss modules and their F.* functions, as torch 2.13 checks
them (verified against the real framework: tests/checks/test_torch_loss_diff.py).

* CrossEntropyLoss / F.cross_entropy: input (N, C) or (N, C, d1, ...) or (C,). A target of the input's shape holds
  class probabilities (must be floating point); otherwise it holds class indices of shape (N,) / (N, d1, ...) / ()
  (must be integers, each < C).
* NLLLoss / F.nll_loss: class indices only.
* BCELoss / BCEWithLogitsLoss: target and input must have the same shape, and a floating dtype.
* MSELoss / L1Loss / SmoothL1Loss / HuberLoss: target and input are broadcast -- an error when incompatible, a
  silent wrong loss (torch only emits a UserWarning) when they merely differ, e.g. (N, 1) vs (N,) -> (N, N).

Rules take (input, target). ``layer.extra["target_int_range"]`` (set by the checks from the data) gives the range of
integer labels when it is known. Every check answers only for known sizes and dtypes.
"""
from __future__ import annotations

from ...core.dims import broadcast_shapes, dim_ne, fmt_shape, is_known, prod
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes import SetArg

FW = "torch"

_CE_SIG = "weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean', label_smoothing=0.0"
_NLL_SIG = "weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'"
_BCE_SIG = "weight=None, size_average=None, reduce=None, reduction='mean'"
_BCEL_SIG = "weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None"
_REG_SIG = "size_average=None, reduce=None, reduction='mean'"


def _is_int(dtype) -> bool:
    return isinstance(dtype, str) and dtype.startswith(("int", "uint"))


def _is_float(dtype) -> bool:
    return isinstance(dtype, str) and dtype.startswith(("float", "bfloat"))


def reduction_of(layer) -> object:
    """The reduction a loss applies: ``reduction``, or what the legacy ``size_average`` / ``reduce`` arguments mean
    when either is given (torch's ``_Reduction.legacy_get_string``: ``reduce=False`` keeps every element)."""
    size_average, reduce = layer.args.get("size_average"), layer.args.get("reduce")
    if size_average is None and reduce is None:
        return layer.args.get("reduction", "mean")
    if not all(v is None or isinstance(v, bool) for v in (size_average, reduce)):
        return None  # a value we could not follow
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return "mean" if size_average and reduce else "sum" if reduce else "none"


def _reduced(layer, shape) -> Tensor:
    red = reduction_of(layer)
    if red in ("mean", "sum"):
        return Tensor((), "float32")
    if red == "none":
        return Tensor(tuple(shape), "float32")
    return Tensor(None)


def _fmt(s) -> str:
    return fmt_shape(tuple(s))


def _labels(t: Tensor) -> str:
    dt = t.dtype
    if _is_int(dt):
        return f"integers ({dt}) of shape {_fmt(t.shape)}"
    if _is_float(dt):
        return f"{dt} values of shape {_fmt(t.shape)}"
    return f"of shape {_fmt(t.shape)}"


def _same_shape(a: tuple, b: tuple):
    """True / False when certain, None when it depends on unknown sizes."""
    if len(a) != len(b):
        return False
    if any(dim_ne(x, y) for x, y in zip(a, b)):
        return False
    if all(is_known(x) and is_known(y) for x, y in zip(a, b)):
        return True
    return None


def class_targets(layer, inp: Tensor, tgt: Tensor, probabilities: bool) -> Tensor:
    loss = layer.extra.get("loss_name", layer.kind)
    si, st = tuple(inp.shape), tuple(tgt.shape)
    if not si:
        raise Mismatch("labels-loss-mismatch", loss=loss, needs="an input with a class axis, (N, C)",
                       labels=_labels(tgt), remedy=remedies.pass_class_scores_first())
    c = si[1] if len(si) >= 2 else si[0]
    want = (si[0],) + si[2:] if len(si) >= 2 else ()
    same = _same_shape(si, st)
    if probabilities and same is None and len(si) == len(st) and len(si) >= 2 and not _is_int(tgt.dtype):
        return _reduced(layer, want)  # could be probabilities or not: unknown sizes decide
    if probabilities and same is None and len(si) == len(st) and len(si) >= 2:
        # integer targets with the input's rank fail either way: as probabilities they must be floating point, as
        # class ids they would need one axis fewer
        same = True
    if probabilities and same:
        if _is_int(tgt.dtype):
            raise Mismatch("label-dtype-mismatch", loss=loss, needs="floating-point (class probability)",
                           target_shape=_fmt(st), dtype=tgt.dtype, want="float",
                           remedy=remedies.convert_one_hot_targets())
        return _reduced(layer, want)
    # class indices
    if len(st) != len(want):
        if len(si) == 2:
            needs = f"class indices of shape {_fmt(want)} (one integer per sample)"
        else:
            needs = f"class indices of shape {_fmt(want)}"
        if len(st) == len(si) and len(st) >= 2 and st[-1] == 1:
            remedy = "squeeze the target's last axis: `target.squeeze(1)` (or `target.view(-1)`)"
        elif len(st) == len(si) == 2 and not (tgt.dtype or "").startswith("float") and is_known(st[1]) and \
                is_known(si[1]) and st[1] != si[1]:
            # labels (N, L) against scores (N, C) with L != C: not one-hot (that has C columns), one id per position
            remedy = remedies.labels_per_position(_fmt(st), _fmt(si))
        elif len(st) == len(si) and probabilities:
            remedy = "convert one-hot targets to class ids with `target.argmax(dim=1)`"
        elif len(st) == len(si) and not probabilities:
            remedy = "pass class ids (`target.argmax(dim=1)` for one-hot targets)"
        elif len(st) == 1 and len(si) >= 3 and is_known(st[0]) and is_known(si[0]) and st[0] == si[0]:
            remedy = remedies.pool_positions_for_one_label(_fmt(si), len(si) - 2)
        else:
            remedy = f"give the target the shape {_fmt(want)}"
        raise Mismatch("labels-loss-mismatch", loss=loss, needs=needs, labels=_labels(tgt), remedy=remedy,
                       expected=want, received=st)
    if any(dim_ne(a, b) for a, b in zip(st, want)):
        k = len(si) - 2
        if k >= 1 and all(is_known(d) for d in si + st) and st == si[:-1] and si[1] != si[-1]:
            # (N, T, C) scores for (N, T) targets: the loss reads axis 1 as the classes
            order = (0, k + 1) + tuple(range(1, k + 1))
            raise Mismatch("labels-loss-mismatch", loss=loss, needs=f"class indices of shape {_fmt(want)}",
                           labels=_labels(tgt), expected=want, received=st,
                           remedy=remedies.move_classes_to_axis_1(loss, _fmt(si), order, si[-1]),
                           recover=_reduced(layer, st))
        if len(si) == 2 and dim_ne(si[0], st[0]):
            raise Mismatch("sample-count-mismatch", n_x=si[0], n_y=st[0],
                           remedy=remedies.pass_this_batch_targets())
        raise Mismatch("labels-loss-mismatch", loss=loss, needs=f"class indices of shape {_fmt(want)}",
                       labels=_labels(tgt), remedy=remedies.give_target_shape(_fmt(want)),
                       expected=want, received=st)
    if _is_float(tgt.dtype):
        raise Mismatch("label-dtype-mismatch", loss=loss, needs="integer (class index, torch.long)",
                       target_shape=_fmt(st), dtype=tgt.dtype, want="long",
                       remedy=remedies.convert_targets_to_long())
    rng = layer.extra.get("target_int_range")
    if rng and is_known(c) and (rng[1] > c or rng[0] < 0) and layer.args.get("ignore_index", -100) == -100:
        raise Mismatch("label-out-of-range", loss=loss, low=rng[0], high_incl=rng[1] - 1, classes=c,
                       plural="s" if c != 1 else "", pred_shape=_fmt(si),
                       remedy=(remedies.give_one_output_per_class(rng[1]) if rng[1] > c else
                               remedies.use_class_ids_from_0()))
    return _reduced(layer, want)


@rule(FW, "CrossEntropyLoss", _CE_SIG, loss_target="class-index")
def cross_entropy(layer, inp: Tensor, tgt: Tensor = None) -> Tensor:
    if tgt is None:  # called without a target we could follow
        return Tensor(None)
    return class_targets(layer, inp, tgt, probabilities=True)


@rule(FW, "F.cross_entropy", _CE_SIG, loss_target="class-index")
def f_cross_entropy(layer, inp: Tensor, tgt: Tensor = None) -> Tensor:
    if tgt is None:  # called without a target we could follow
        return Tensor(None)
    return class_targets(layer, inp, tgt, probabilities=True)


@rule(FW, ["NLLLoss", "F.nll_loss"], _NLL_SIG, loss_target="class-index")
def nll(layer, inp: Tensor, tgt: Tensor = None) -> Tensor:
    if tgt is None:  # called without a target we could follow
        return Tensor(None)
    return class_targets(layer, inp, tgt, probabilities=False)


def same_shape_targets(layer, inp: Tensor, tgt: Tensor, with_logits: bool) -> Tensor:
    loss = layer.extra.get("loss_name", layer.kind)
    si, st = tuple(inp.shape), tuple(tgt.shape)
    if _same_shape(si, st) is False:
        if len(st) + 1 == len(si) and si[-1] == 1:
            remedy = "squeeze the model output (`output.squeeze(1)`) or give the targets a trailing axis " \
                     "(`target.unsqueeze(1)`)"
        elif len(si) + 1 == len(st) and st[-1] == 1:
            remedy = "squeeze the targets' last axis (`target.squeeze(1)`)"
        elif len(si) == len(st) and len(si) == 2 and si[-1] != st[-1] and is_known(si[-1]) and si[-1] > 1 \
                and len(st) == 2:
            remedy = "give the model one output per target column, or use CrossEntropyLoss with class ids"
        elif len(st) == 1 and len(si) == 2:
            remedy = "for class ids and one output per class use `nn.CrossEntropyLoss`; for a binary target use " \
                     "one output unit and `target.float().unsqueeze(1)`"
        elif si and st and is_known(si[0]) and is_known(st[0]) and si[0] != st[0]:
            # another number of rows than targets: the model lost one row per sample; reshaping the targets to
            # the output would pair each target with a piece of another sample
            remedy = (f"the model gives {si[0]} rows for {st[0]} targets: find where the model stops giving one row "
                      "per sample (a reshape or an index that changed axis 0); do not reshape the targets")
        else:
            remedy = f"give the target the input's shape {_fmt(si)}"
        raise Mismatch("labels-loss-mismatch", loss=loss, needs=f"targets of the input's shape {_fmt(si)}",
                       labels=_labels(tgt), remedy=remedy, expected=si, received=st)
    if _is_int(tgt.dtype):
        raise Mismatch("label-dtype-mismatch", loss=loss, needs="floating-point", target_shape=_fmt(st),
                       dtype=tgt.dtype, want="float", remedy=remedies.convert_targets_to_float())
    rng = layer.extra.get("target_int_range")
    if rng and (rng[0] < 0 or rng[1] > 2):
        raise Mismatch("label-out-of-range", loss=loss, low=rng[0], high_incl=rng[1] - 1, classes=2, plural="s",
                       pred_shape=_fmt(si),
                       remedy=remedies.use_cross_entropy_for_class_ids())
    return _reduced(layer, si)


@rule(FW, ["BCELoss", "F.binary_cross_entropy"], _BCE_SIG, loss_target="same-shape")
def bce(layer, inp: Tensor, tgt: Tensor = None) -> Tensor:
    if tgt is None:  # called without a target we could follow
        return Tensor(None)
    return same_shape_targets(layer, inp, tgt, with_logits=False)


@rule(FW, ["BCEWithLogitsLoss", "F.binary_cross_entropy_with_logits"], _BCEL_SIG, loss_target="same-shape",
      class_index_loss=("CrossEntropyLoss", "cross_entropy"))  # the loss for one class id per sample
def bce_logits(layer, inp: Tensor, tgt: Tensor = None) -> Tensor:
    if tgt is None:  # called without a target we could follow
        return Tensor(None)
    out = same_shape_targets(layer, inp, tgt, with_logits=True)
    _weights_broadcast(layer, "pos_weight", tgt)
    return out


def _weights_broadcast(layer, arg: str, tgt: Tensor) -> None:
    """``pos_weight`` (one weight per class, on the last axis) must broadcast with the targets: torch computes
    ``(pos_weight - 1) * target + 1``. A weight per sample -- a label matrix summed over the classes instead of the
    samples -- does not."""
    w = layer.args.get(arg)
    shape = getattr(w, "shape", None)
    if shape is None or tgt.shape is None or not all(is_known(v) for v in tuple(shape) + tuple(tgt.shape)):
        return
    out, bad = broadcast_shapes([tuple(shape), tuple(tgt.shape)])
    if bad is None and tuple(out) == tuple(tgt.shape):
        return
    raise Mismatch("invalid-argument", arg=arg, received_shape=tuple(shape),
                   detail=f"its shape {_fmt(tuple(shape))} does not broadcast with the targets {_fmt(tuple(tgt.shape))}",
                   remedy=remedies.one_weight_per_class(tgt.shape[-1] if tgt.shape else None))


def elementwise(layer, inp: Tensor, tgt: Tensor = None) -> Tensor:
    if tgt is None:  # called without a target we could follow
        return Tensor(None)
    loss = layer.extra.get("loss_name", layer.kind)
    si, st = tuple(inp.shape), tuple(tgt.shape)
    out, bad = broadcast_shapes([si, st])
    if bad is not None:
        known = len(si) == len(st) and all(is_known(v) for v in si + st)
        swapped = known and sorted(si) == sorted(st) and len(set(si)) == len(si)  # the same sizes, another order
        remedy = remedies.same_sizes_other_order(_fmt(si), _fmt(st)) if swapped else \
            remedies.give_target_input_shape(_fmt(si))
        raise Mismatch("labels-loss-mismatch", loss=loss, needs=f"targets of the input's shape {_fmt(si)}",
                       labels=_labels(tgt), remedy=remedy, expected=si, received=st)
    if len(out) != len(si) or len(out) != len(st) or any(dim_ne(a, b) for a, b in zip(out, si)) \
            or any(dim_ne(a, b) for a, b in zip(out, st)):
        if len(si) == len(st) + 1 and si[-1] == 1:
            remedy = "squeeze the prediction (`output.squeeze(1)`) or give the target a trailing axis " \
                     "(`target.unsqueeze(1)`)"
        elif len(st) == len(si) + 1 and st[-1] == 1:
            remedy = "squeeze the target (`target.squeeze(1)`)"
        elif len(si) == 2 and len(st) == 1 and is_known(st[0]) and st[0] > 1 and si[0] == si[1] == st[0]:
            remedy = remedies.predictions_crossed_upstream(_fmt(si), _fmt(st))  # never "reshape the targets"
        else:
            remedy = f"give the target the prediction's shape {_fmt(si)}"
        layer.warn("loss-broadcast", loss=loss, pred_shape=_fmt(si), target_shape=_fmt(st), result_shape=_fmt(out),
                   remedy=remedy)
    return _reduced(layer, out)


def regression(layer, inp: Tensor, tgt: Tensor = None) -> Tensor:
    """MSE / L1 / SmoothL1 / Huber, as modules and as F.* functions: the target broadcasts against the input."""
    if tgt is None:  # called without a target we could follow
        return Tensor(None)
    return elementwise(layer, inp, tgt)


for _kinds, _sig in ((["MSELoss", "L1Loss", "F.mse_loss", "F.l1_loss"], _REG_SIG),
                     (["SmoothL1Loss", "F.smooth_l1_loss"], _REG_SIG + ", beta=1.0"),
                     ("HuberLoss", "reduction='mean', delta=1.0"),
                     ("F.huber_loss", "reduction='mean', delta=1.0, weight=None")):
    rule(FW, _kinds, _sig, loss_target="same-shape", regression=True)(regression)


def kl_divergence(layer, inp: Tensor, tgt: Tensor = None) -> Tensor:
    """KLDivLoss / F.kl_div: the target distribution broadcasts against the input's (a teacher's 100 classes against
    a student's 10 raise); 'batchmean' reduces to () like 'mean'."""
    if tgt is None or inp.shape is None or tgt.shape is None:
        return Tensor(None)
    loss = layer.extra.get("loss_name", layer.kind)
    si, st = tuple(inp.shape), tuple(tgt.shape)
    if _is_int(tgt.dtype) or tgt.dtype == "bool":  # torch: "kl_div: Integral inputs not supported"
        raise Mismatch("label-dtype-mismatch", loss=loss, needs="floating-point (a target distribution)",
                       target_shape=_fmt(st), dtype=tgt.dtype, want="float", remedy=remedies.convert_targets_to_float())
    out, bad = broadcast_shapes([si, st])
    if bad is not None:
        other_classes = len(si) == len(st) >= 2 and si[:-1] == st[:-1] and is_known(si[-1]) and is_known(st[-1])
        remedy = remedies.distributions_over_other_classes(si[-1], st[-1]) if other_classes else \
            remedies.give_target_input_shape(_fmt(si))
        raise Mismatch("labels-loss-mismatch", loss=loss, needs=f"a target distribution of the input's shape "
                       f"{_fmt(si)}", labels=_labels(tgt), remedy=remedy, expected=si, received=st)
    if reduction_of(layer) == "batchmean":
        return Tensor((), "float32")
    classes = prod(out[1:]) if out and len(out) >= 2 else None  # what 'mean' also divides by, after broadcasting
    if reduction_of(layer) == "mean" and is_known(classes) and classes > 1 and layer.args.get("size_average") is None \
            and layer.args.get("reduce") is None:
        # torch warns too: 'mean' divides by the batch size and the support size, so the divergence of each sample's
        # distribution comes out divided by the number of classes (a distillation term weighted by T**2 is lost)
        layer.warn("reduction-over-batch-axis", variant="kl-mean", op=loss, received_shape=_fmt(out), classes=classes,
                   remedy=remedies.kl_batchmean(),
                   fix=SetArg("reduction", '"batchmean"', "unsafe", title=remedies.kl_batchmean()))
    return _reduced(layer, out)


rule(FW, ["KLDivLoss", "F.kl_div"], "size_average=None, reduce=None, reduction='mean', log_target=False",
     accepts_unknown=True)(kl_divergence)


LOSS_KINDS = {"CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "MSELoss", "L1Loss", "SmoothL1Loss",
              "HuberLoss"}
FUNCTIONAL = {"cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "mse_loss",
              "l1_loss", "smooth_l1_loss", "huber_loss"}
