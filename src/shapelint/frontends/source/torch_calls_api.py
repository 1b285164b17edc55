"""PyTorch module calls whose arguments the generic call (torch_api.layer_call) does not model:
``unpool(x, indices, output_size)`` with a positional output size."""
from __future__ import annotations

from . import api
from .objects import LayerObj

_prev_torch_call = api.find_method(LayerObj(None), "__torch_call__")


@api.method(LayerObj, "__torch_call__")
def torch_call(ev, obj: LayerObj, call):
    kind = obj.layer.kind if obj.layer is not None else ""
    if kind.startswith("MaxUnpool") and len(call.args) > 2 and "output_size" not in call.kwargs:
        # MaxUnpool.forward(input, indices, output_size=None): the size is an argument, not a tensor input
        kwargs = dict(call.kwargs, output_size=call.args[2])
        kw_nodes = dict(call.kw_nodes)
        if len(call.arg_nodes) > 2:
            kw_nodes["output_size"] = call.arg_nodes[2]
        call = api.Call(call.node, call.args[:2], kwargs, call.arg_nodes[:2], kw_nodes, call.callee_text,
                        call.starred)
    return _prev_torch_call(ev, obj, call) if _prev_torch_call else None
