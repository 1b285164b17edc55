"""What a ``torch.distributions`` object gives back, from its batch and event shapes (the front-end works them out
from the parameters, frontends/source/torch_distributions_api.py): ``log_prob(value)`` and ``cdf`` are one number
per batch entry of ``value`` broadcast with the distribution (the event axes summed away), ``entropy()`` one per
batch entry, ``sample(sample_shape)`` / ``rsample`` sample + batch + event, ``mean`` / ``stddev`` batch + event.
A value that does not broadcast with the distribution is left unknown (torch raises only while validating
arguments, which a script can switch off). Verified against torch 2.13 (tests/rules/torch/test_distributions.py)."""
from __future__ import annotations

from ...core.dims import broadcast_shapes
from ...core.registry import rule
from ...core.values import UNKNOWN, Tensor
from ._common import FW

_SHAPES = "batch_shape=None, event_shape=()"


def _shapes(layer):
    batch, event = layer.arg("batch_shape"), layer.arg("event_shape")
    if not isinstance(batch, tuple) or not isinstance(event, tuple):
        return None
    return batch, event


@rule(FW, ["Distribution.log_prob", "Distribution.cdf"], _SHAPES, accepts_unknown=True, per_row=True)
def log_prob(layer, value: Tensor):
    shapes = _shapes(layer)
    if shapes is None or value.shape is None:
        return UNKNOWN
    batch, event = shapes
    shape, bad = broadcast_shapes([tuple(value.shape), batch + event])
    if bad is not None or len(shape) < len(event):
        return UNKNOWN
    return Tensor(tuple(shape[:len(shape) - len(event)]), "float32")


@rule(FW, "Distribution.entropy", _SHAPES, accepts_unknown=True)
def entropy(layer, *params: Tensor):
    shapes = _shapes(layer)
    return UNKNOWN if shapes is None else Tensor(shapes[0], "float32")


@rule(FW, ["Distribution.sample", "Distribution.rsample"], _SHAPES + ", sample_shape=(), dtype=None",
      accepts_unknown=True)
def sample(layer, *params: Tensor):
    shapes = _shapes(layer)
    drawn = layer.arg("sample_shape")
    if shapes is None or not isinstance(drawn, (tuple, list)):
        return UNKNOWN
    return Tensor(tuple(drawn) + shapes[0] + shapes[1], layer.arg("dtype") or "float32")


@rule(FW, "Distribution.moment", _SHAPES, accepts_unknown=True)
def moment(layer, *params: Tensor):
    shapes = _shapes(layer)
    return UNKNOWN if shapes is None else Tensor(shapes[0] + shapes[1], "float32")
