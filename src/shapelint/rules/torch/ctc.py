"""CTC loss (torch 2.13, ``nn.CTCLoss`` and ``F.ctc_loss``; checks of ``ctc_loss_allocate_outputs``):

* ``log_probs`` (T, N, C) -- time first, whatever the model's layout -- or (T, C) unbatched;
* ``input_lengths`` and ``target_lengths``: one per sample (N entries, a tensor of any shape with N values, or a
  list of N ints); every input length at most T;
* ``targets``: padded (N, S) with S at least the longest target length, or all targets concatenated (sum of the
  target lengths,); integers.

Batch-first log-probs (N, T, C) -- the classic mistake with a batch-first RNN or a transformer -- make torch read N as
the time axis and T as the batch: the lengths then have the wrong count. Output: () or (N,) with reduction='none'.
"""
from __future__ import annotations

from typing import Optional

from ...core.dims import dim_ne, is_known
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.fixes import WrapInput
from ._common import FW, is_int

_SIG = "blank=0, reduction='mean', zero_infinity=False"


def _numel(t: Tensor):
    n = 1
    for d in t.shape:
        if not is_known(d):
            return None
        n *= d
    return n


def _named(layer, xs, name: str, position: int):
    """A length / targets argument: a tensor input or a list of ints, given by position or keyword."""
    v = layer.call_kwargs.get(name)
    if v is not None:
        return v
    names = layer.extra.get("input_names")
    if names is not None and len(names) == len(xs):
        for x, n in zip(xs, names):
            if n in (name, position):
                return x
    v = layer.args.get(name)
    return v if isinstance(v, (list, tuple)) else None


def _count(v) -> Optional[int]:
    if isinstance(v, Tensor) and v.shape is not None:
        return _numel(v)
    if isinstance(v, (list, tuple)):
        return len(v)
    return None


def _ints(v) -> Optional[list]:
    return list(v) if isinstance(v, (list, tuple)) and all(is_int(i) for i in v) else None


def _bad(what: str, t, detail: str, remedy: str, fix=None) -> Mismatch:
    if isinstance(t, (list, tuple)):
        shape = "[" + ", ".join(str(v) for v in list(t)[:3]) + (", ...]" if len(t) > 3 else "]")
    else:
        shape = t.shape if isinstance(t, Tensor) else t
    return Mismatch("ctc-input-mismatch", arg=what, what=what, received_shape=shape, detail=detail, remedy=remedy,
                    fix=fix)


def ctc(layer, lp: Tensor, targets: Tensor = None, *rest):
    xs = (lp, targets) + rest
    spans = layer.extra.get("input_spans") or []
    for name, span in zip(("log_probs", "targets"), spans):  # a mistake points at the argument in the call
        if span is not None:
            layer.arg_spans = dict(layer.arg_spans, **{name: span})
    il = _named(layer, xs, "input_lengths", 2)
    tl = _named(layer, xs, "target_lengths", 3)
    if lp.rank not in (2, 3):
        return _bad("log_probs", lp, "log_probs must be (T, N, C), time first, or (T, C) for one sequence",
                    remedies.ctc_log_probs_layout())
    T = lp.shape[0]
    N = lp.shape[1] if lp.rank == 3 else 1
    for name, v in (("input_lengths", il), ("target_lengths", tl)):
        n = _count(v)
        if isinstance(v, Tensor) and isinstance(v.dtype, str) and v.dtype.startswith(("float", "bfloat")):
            return _bad(name, v, f"{name} must be integers, not {v.dtype}", remedies.ctc_lengths_long(name))
        if n is not None and dim_ne(n, N):
            batch_first = lp.rank == 3 and is_known(lp.shape[0]) and n == lp.shape[0]
            if batch_first:
                return _bad("log_probs", lp, f"{name} has {n} entries, one per sample, but torch reads axis 1 "
                            f"({N}) of log_probs as the batch: the log-probs are batch-first (N, T, C) and CTC "
                            "takes them time first (T, N, C)", remedies.ctc_time_first(),
                            WrapInput(0, "{x}.transpose(0, 1)",
                                      title="make the log-probs time first: `.transpose(0, 1)`"))
            return _bad(name, v, f"{name} must have one entry per sample ({N}), but has {n}",
                        remedies.ctc_one_length_per_sample(name, N))
    lengths = _ints(il)
    if lengths and is_known(T) and max(lengths) > T:
        return _bad("input_lengths", il, f"an input length ({max(lengths)}) exceeds the {T} time steps of "
                    "log_probs", remedies.ctc_input_lengths_at_most(T))
    if isinstance(targets, Tensor) and targets.shape is not None:
        tls = _ints(tl)
        if targets.rank not in (1, 2):
            return _bad("targets", targets, "targets must be (N, S) padded, or 1-D (all targets concatenated)",
                        remedies.ctc_targets_layout())
        if lp.rank == 3 and targets.rank == 2:
            if dim_ne(targets.shape[0], N):
                return _bad("targets", targets, f"padded targets need one row per sample ({N}), but have "
                            f"{targets.shape[0]}", remedies.ctc_targets_layout())
            if tls and is_known(targets.shape[1]) and max(tls) > targets.shape[1]:
                return _bad("targets", targets, f"a target length ({max(tls)}) exceeds the {targets.shape[1]} "
                            "columns of the padded targets", remedies.ctc_target_lengths_fit())
        if targets.rank == 1 and tls and lp.rank == 3 and is_known(targets.shape[0]) and \
                sum(tls) != targets.shape[0]:
            return _bad("targets", targets, f"concatenated targets must have the sum of the target lengths "
                        f"({sum(tls)}) entries, but have {targets.shape[0]}", remedies.ctc_target_lengths_fit())
    if layer.args.get("reduction") == "none":
        return Tensor((N,) if lp.rank == 3 else (), lp.dtype)
    return Tensor((), lp.dtype)


rule(FW, "CTCLoss", _SIG, accepts_unknown=False)(ctc)
rule(FW, "F.ctc_loss", "input_lengths=None, target_lengths=None, " + _SIG)(ctc)
