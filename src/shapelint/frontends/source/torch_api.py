"""PyTorch support for the source evaluator: nn module constructors and nn.Sequential.

(nn.Module subclasses with forward(), tensor methods and torch functions are added on top of this.)
"""
from __future__ import annotations

from typing import Optional

from ...core.program import UNRESOLVED
from ...core.registry import lookup
from ...core.values import UNKNOWN, Tensor
from . import api
from .layers import make_layer
from .models import ModelObj, input_key
from .objects import LayerObj, TensorVal

FW = "torch"


@api.handles_prefix("torch.nn.")
def torch_module(ev, call, rest: str):
    name = rest.split(".")[-1]
    if name == "Sequential":
        return torch_sequential(ev, call)
    if not name[:1].isupper() or "." in rest and rest.split(".")[0] == "functional":
        return UNRESOLVED
    return LayerObj(make_layer(ev, FW, name, call), call.node)


class TorchSequential(ModelObj):
    framework = FW

    def __init__(self, ev, node, children: list):
        super().__init__(ev, node)
        self.children = children  # list of (name, LayerObj | TorchSequential | other)

    def assign_paths(self, prefix: str = "") -> None:
        for name, child in self.children:
            path = f"{prefix}{name}"
            if isinstance(child, LayerObj):
                child.layer.name = path
                child.layer.origin = child.layer.origin.__class__(child.layer.origin.file, child.layer.origin.span,
                                                                  path)
            elif isinstance(child, TorchSequential):
                child.reported = False
                child.assign_paths(path + ".")

    def first_layer(self) -> Optional[LayerObj]:
        for _, child in self.children:
            if isinstance(child, LayerObj):
                return child
            if isinstance(child, TorchSequential):
                return child.first_layer()
            return None
        return None

    def apply(self, inference, x):
        for _, child in self.children:
            if isinstance(child, LayerObj):
                x = inference.apply(child.layer, [x])
            elif isinstance(child, TorchSequential):
                x = child.apply(inference, x)
            else:
                x = UNKNOWN
        return x

    def run(self, input_value: Tensor, note: Optional[str]):
        key = input_key([input_value])
        cached = self.cached_run(key)
        if cached is not None:
            return cached.output
        self.assign_paths()
        run = self.new_run(key, note)
        run.program.inputs = [input_value]
        run.output = self.apply(run.inference, input_value)
        return run.output

    def finalize(self) -> None:
        if self.runs or not self.reported:
            return
        first = self.first_layer()
        rule = lookup(FW, first.layer.kind) if first else None
        implied = None
        if rule is not None and rule.implied_input is not None:
            try:
                implied = rule.implied_input(first.layer)
            except Exception:
                implied = None
        self.run(implied if implied is not None else UNKNOWN,
                 f"what `{first.layer.kind}` implies" if implied is not None else None)


def _finalize_all(ev):
    for m in list(ev.models):
        m.finalize()


def _ensure_finalizer(ev):
    fins = ev.state.setdefault("finalizers", [])
    if _finalize_all not in fins:
        fins.append(_finalize_all)


def torch_sequential(ev, call):
    children = []
    if len(call.args) == 1 and isinstance(call.args[0], dict):  # OrderedDict([...]) evaluates to a dict
        children = [(str(k), v) for k, v in call.args[0].items()]
    else:
        children = [(str(i), a) for i, a in enumerate(call.args)]
    for _, child in children:
        if isinstance(child, TorchSequential):
            child.reported = False
    _ensure_finalizer(ev)
    model = TorchSequential(ev, call.node, children)
    if call.starred:
        model.uncertain = True
    return model


@api.handles("collections.OrderedDict")
def ordered_dict(ev, call):
    if not call.args:
        return dict(call.kwargs)
    items = call.args[0]
    if isinstance(items, dict):
        return dict(items)
    if isinstance(items, (list, tuple)) and all(isinstance(p, tuple) and len(p) == 2 for p in items):
        return {k: v for k, v in items}
    return UNRESOLVED


@api.method(TorchSequential, "__call__", "forward")
def sequential_call(ev, model: TorchSequential, call):
    x = call.args[0] if call.args else None
    if not isinstance(x, TensorVal) or x.shape is None:
        return UNRESOLVED
    note = f"{ev.text(call.node)[:40]} at line {call.node.lineno}"
    out = model.run(Tensor(tuple(x.shape), x.value.dtype), note)
    return TensorVal(out, lib="torch") if isinstance(out, Tensor) else UNRESOLVED


@api.handles("torch.from_numpy", "torch.tensor", "torch.as_tensor", "torch.Tensor")
def from_numpy(ev, call):
    x = call.args[0] if call.args else None
    if isinstance(x, TensorVal):
        return TensorVal(x.value, lib="torch", origin=x.origin, note=x.note, meta=dict(x.meta))
    return UNRESOLVED


@api.method(TensorVal, "astype", "float", "double", "to", "cuda", "cpu", "detach", "contiguous")
def same_shape_method(ev, x: TensorVal, call):
    return TensorVal(x.value, lib=x.lib, origin=x.origin, note=x.note, meta=dict(x.meta))
