"""PyTorch loss calls in training loops: ``criterion(output, target)`` and ``F.cross_entropy(output, target)``.

The shape contract itself is in rules/torch/loss.py; here the call is applied with the data's facts (the range of
integer labels) in the script's own inference, and the diagnostic says where the target came from.
"""
from __future__ import annotations

from ..core.program import Layer, Origin, Span
from ..diagnostics.model import Label
from ..core.values import Tensor
from ..frontends.source.data_api import DataVal
from ..frontends.source.objects import TensorVal
from ..rules.torch.loss import FUNCTIONAL, LOSS_KINDS
from .report import shape_text


def is_loss(kind: str) -> bool:
    return kind in LOSS_KINDS


def is_functional_loss(name: str) -> bool:
    return name.startswith("torch.nn.functional.") and name.rsplit(".", 1)[-1] in FUNCTIONAL


def _inference(ev):
    g = ev.state.get("script_run")
    if g is None:
        from ..core.infer import Inference
        from ..core.program import Program
        g = Inference(Program("<script>", "torch"), ev.lines)
        ev.state["script_run"] = g
    return g


def _io(call):
    inp = call.get(0, "input", None)
    tgt = call.get(1, "target", None)
    return inp, tgt


def _apply(ev, layer: Layer, call, inp, tgt) -> None:
    if not (isinstance(inp, TensorVal) and isinstance(tgt, TensorVal)) or inp.shape is None or tgt.shape is None:
        return
    done = ev.state.setdefault("loss_calls_checked", set())
    if id(call.node) in done:
        return
    done.add(id(call.node))
    if ev.uncertain:
        return
    layer.extra["target_int_range"] = tgt.meta.get("int_range")
    inf = _inference(ev)
    n = len(inf.diagnostics)
    target = tgt.value
    if not isinstance(tgt, DataVal):  # only data values follow casts (.float(), .long(), dtype=) faithfully
        target = Tensor(target.shape, None)
    inf.apply(layer, [inp.value, target], call_span=Span.of(call.node))
    for d in inf.diagnostics[n:]:
        if d.severity == "info":
            continue
        if tgt.origin is not None and all(l.span.line != tgt.origin.line for l in d.secondary) \
                and (d.primary is None or d.primary.span.line != tgt.origin.line):
            d.secondary.append(Label(tgt.origin, f"target {shape_text(tgt.shape)} made here", ev.file))
        d.notes.append(f"output {shape_text(inp.shape)}, target {shape_text(tgt.shape)}"
                       + (f" ({tgt.value.dtype})" if tgt.value.dtype else ""))


def check_module_call(ev, obj, call) -> None:
    inp, tgt = _io(call)
    obj.layer.extra["loss_name"] = obj.layer.kind
    _apply(ev, obj.layer, call, inp, tgt)


def check_functional_call(ev, name: str, call) -> None:
    from ..core.registry import lookup
    short = name.rsplit(".", 1)[-1]
    kind = "F." + short
    rule = lookup("torch", kind)
    if rule is None:
        return
    kw = {k: v for k, v in call.kwargs.items() if k not in ("input", "target")}
    args, given, problems = rule.signature.bind([], kw)
    if problems:
        return
    layer = Layer("torch", kind, name=f"F.{short}", args=args, given=set(given),
                  origin=Origin(ev.file, Span.of(call.node)), callee=call.callee_text)
    layer.extra["loss_name"] = f"F.{short}"
    inp, tgt = _io(call)
    _apply(ev, layer, call, inp, tgt)
