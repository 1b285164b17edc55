"""``torch.distributions`` in policies and generative models: ``Normal(mu, std)``, ``Categorical(logits=...)``,
``MultivariateNormal``, ``Independent`` and the rest of the common families. A distribution is kept as its batch
and event shapes, worked out from its parameters as torch does; its methods (``log_prob``, ``entropy``, ``sample``)
and moments are ops of the running forward with the shapes of rules/torch/distributions.py -- so an actor-critic's
log-probabilities and values reach the loss with their shapes. Families not listed, and parameters whose shapes are
unknown, give an unknown distribution."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...core.dims import broadcast_shapes
from ...core.program import UNRESOLVED
from . import api
from .objects import TensorVal

# families whose parameters broadcast element-wise: batch = their broadcast, no event axes
_ELEMENTWISE = {"Normal": ("loc", "scale"), "Laplace": ("loc", "scale"), "Cauchy": ("loc", "scale"),
                "LogNormal": ("loc", "scale"), "Gumbel": ("loc", "scale"), "Uniform": ("low", "high"),
                "Beta": ("concentration1", "concentration0"), "Gamma": ("concentration", "rate"),
                "Exponential": ("rate",), "Poisson": ("rate",), "HalfNormal": ("scale",),
                "StudentT": ("df", "loc", "scale"), "Bernoulli": ("probs", "logits")}
# families over the last axis of one parameter: batch = its shape without that axis
_OVER_LAST = {"Categorical": False, "OneHotCategorical": True, "Dirichlet": True}  # True: that axis is the event


@dataclass(frozen=True, eq=False)
class Dist:
    batch: tuple
    event: tuple
    params: tuple  # the parameter tensors (an op needs one as its input)
    drawn: Optional[str] = None  # the dtype of a sample when it is not float: class indices


def _shape(v) -> Optional[tuple]:
    if isinstance(v, TensorVal):
        return tuple(v.shape) if v.shape is not None else None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return ()
    return None


@api.handles_prefix("torch.distributions.")
def distribution(ev, call, rest: str):
    family = rest.rsplit(".", 1)[-1]
    if family == "Independent":
        return _independent(call)
    if family in _ELEMENTWISE:
        names = _ELEMENTWISE[family]
        given = [call.get(i, n, None) for i, n in enumerate(names)]
        given = [v for v in given if v is not None]
        shapes = [_shape(v) for v in given]
        if not given or None in shapes:
            return UNRESOLVED
        batch, bad = broadcast_shapes(shapes)
        return UNRESOLVED if bad is not None else Dist(tuple(batch), (), _tensors(given))
    if family in _OVER_LAST:
        param = call.get(0, "probs", None) if call.get(0, "probs", None) is not None else call.kwargs.get("logits")
        if family == "Dirichlet":
            param = call.get(0, "concentration", None)
        shape = _shape(param)
        if not shape:
            return UNRESOLVED
        event = shape[-1:] if _OVER_LAST[family] else ()
        return Dist(shape[:-1], event, _tensors([param]), "int64" if family == "Categorical" else None)
    if family == "MultivariateNormal":
        loc = call.get(0, "loc", None)
        matrix = next((call.get(i, n, None) for i, n in ((1, "covariance_matrix"), (2, "precision_matrix"),
                                                        (3, "scale_tril")) if call.get(i, n, None) is not None), None)
        ls, ms = _shape(loc), _shape(matrix)
        if not ls or ms is None or len(ms) < 2:
            return UNRESOLVED
        batch, bad = broadcast_shapes([ls[:-1], ms[:-2]])
        return UNRESOLVED if bad is not None else Dist(tuple(batch), ls[-1:], _tensors([loc, matrix]))
    return UNRESOLVED


def _independent(call):
    base, n = call.get(0, "base_distribution", None), call.get(1, "reinterpreted_batch_ndims", None)
    if not isinstance(base, Dist) or not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= len(base.batch):
        return UNRESOLVED
    cut = len(base.batch) - n
    return Dist(base.batch[:cut], base.batch[cut:] + base.event, base.params, base.drawn)


def _tensors(values) -> tuple:
    return tuple(v for v in values if isinstance(v, TensorVal))


def _op(ev, dist: Dist, kind: str, call, inputs: list, **args):
    from .torch_ops import apply_function  # deferred: torch's ops load with torch code only
    if not inputs:
        return UNRESOLVED
    sub = api.Call(call.node, list(inputs), {"batch_shape": dist.batch, "event_shape": dist.event, **args}, [],
                   {}, call.callee_text, False)
    return apply_function(ev, kind, sub)


@api.method(Dist, "log_prob", "cdf")
def dist_log_prob(ev, dist: Dist, call):
    value = call.get(0, "value", None)
    if not isinstance(value, TensorVal):
        return UNRESOLVED
    name = call.callee_text.rsplit(".", 1)[-1]
    return _op(ev, dist, f"Distribution.{name if name == 'cdf' else 'log_prob'}", call, [value])


@api.method(Dist, "entropy")
def dist_entropy(ev, dist: Dist, call):
    return _op(ev, dist, "Distribution.entropy", call, list(dist.params[:1]))


@api.method(Dist, "sample", "rsample")
def dist_sample(ev, dist: Dist, call):
    drawn = call.get(0, "sample_shape", ())
    if isinstance(drawn, int) and not isinstance(drawn, bool):
        drawn = (drawn,)
    if not isinstance(drawn, (tuple, list)) or not all(isinstance(d, int) for d in drawn):
        return UNRESOLVED
    kind = "Distribution.rsample" if call.callee_text.endswith("rsample") else "Distribution.sample"
    return _op(ev, dist, kind, call, list(dist.params[:1]), sample_shape=tuple(drawn), dtype=dist.drawn)


@api.attribute(Dist, "mean", "stddev", "variance", "mode")
def dist_moment(ev, dist: Dist, node):
    call = api.Call(node, [], {}, [], {}, "", False)
    return _op(ev, dist, "Distribution.moment", call, list(dist.params[:1]))


@api.attribute(Dist, "batch_shape", "event_shape")
def dist_shape(ev, dist: Dist, node):
    return dist.batch if getattr(node, "attr", "") == "batch_shape" else dist.event
