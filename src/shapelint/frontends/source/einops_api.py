"""einops in scripts, forward() and call(): ``einops.rearrange / reduce / repeat`` on PyTorch tensors (an op of the
running forward) or Keras symbolic tensors (an op of the running graph), and the ``einops.layers.torch`` /
``einops.layers.keras`` ``Rearrange`` / ``Reduce`` layers. Shapes from rules/_einops.py."""
from __future__ import annotations

from ...core.program import UNRESOLVED
from . import api
from .layers import make_layer
from .objects import LayerObj, TensorVal


def _function(kind: str):
    def handler(ev, call):
        x = call.args[0] if call.args else call.kwargs.get("tensor")
        if isinstance(x, (list, tuple)) and x and all(isinstance(t, TensorVal) for t in x):
            return UNRESOLVED  # a list of tensors is stacked first: not followed
        if not isinstance(x, TensorVal):
            return UNRESOLVED
        if x.lib == "torch":
            from .torch_ops import apply_function  # deferred: one framework's ops per tensor
            return apply_function(ev, kind, call)
        if x.lib == "keras":
            from .keras_ops_api import apply_op  # deferred: one framework's ops per tensor
            return apply_op(ev, kind, call)
        return UNRESOLVED
    return handler


for _name in ("rearrange", "reduce", "repeat"):
    api.handles(f"einops.{_name}")(_function(f"einops.{_name}"))


def _layer(framework: str, kind: str):
    def handler(ev, call):
        return LayerObj(make_layer(ev, framework, kind, call, name=kind.lower()), call.node)
    return handler


for _kind in ("Rearrange", "Reduce"):
    api.handles(f"einops.layers.torch.{_kind}")(_layer("torch", _kind))
    api.handles(f"einops.layers.keras.{_kind}")(_layer("keras", _kind))
