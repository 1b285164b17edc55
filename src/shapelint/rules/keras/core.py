"""Keras core layers: Dense, Activation (and activation layers), Dropout family, Flatten."""
from __future__ import annotations

from ...core.dims import is_known, prod
from ...core.errors import Mismatch
from ...core.registry import rule
from ...core.values import Tensor
from ...diagnostics.fixes import InsertBefore
from ._spec import FW, require_rank


@rule(FW, "Dense", "units, activation=None, use_bias=True, **kwargs")
def dense(layer, x: Tensor) -> Tensor:
    units = layer.arg("units")
    if not isinstance(units, int) or units <= 0:
        return Mismatch("invalid-argument", arg="units", detail=f"must be a positive integer, got {units!r}",
                        remedy="pass a positive number of units")
    bad = require_rank(x, min_ndim=2, remedy="add a batch axis to the input")
    if bad:
        return bad
    last = x.shape[-1]
    if is_known(last):
        layer.params = last * units + (units if layer.arg("use_bias") else 0)
    if len(x.shape) > 2:
        layer.extra["applies_to_last_axis"] = True  # the silent-bug check reads this
    return Tensor(x.shape[:-1] + (units,), x.dtype)


@rule(FW, ["Activation"], "activation, **kwargs")
def activation(layer, x: Tensor) -> Tensor:
    return x


@rule(FW, ["ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "ThresholdedReLU"], "**kwargs")
def activation_layer(layer, x: Tensor) -> Tensor:
    if layer.kind == "PReLU" and is_known(x.shape[-1]):
        layer.params = prod(d for d in x.shape[1:])
    return x


@rule(FW, ["Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "AlphaDropout",
           "GaussianDropout", "GaussianNoise", "ActivityRegularization"], "**kwargs")
def dropout(layer, x: Tensor) -> Tensor:
    spatial = {"SpatialDropout1D": 3, "SpatialDropout2D": 4, "SpatialDropout3D": 5}.get(layer.kind)
    if spatial:
        bad = require_rank(x, ndim=spatial)
        if bad:
            return bad
    return x


@rule(FW, "Flatten", "data_format=None, **kwargs")
def flatten(layer, x: Tensor) -> Tensor:
    rest = x.shape[1:]
    return Tensor((x.shape[0], prod(rest) if rest else 1), x.dtype)


__all__ = ["InsertBefore"]
