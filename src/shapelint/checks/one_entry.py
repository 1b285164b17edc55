"""``np.argmax(probs, axis=1)`` on the (N, 1) predictions of a one-unit sigmoid head: the axis has one entry, so the
index is always 0 and every sample is predicted the negative class, whatever the model learnt. Nothing raises.
argmax is the multi-class recipe; one probability (or logit) per sample is a threshold. Reported at the call, with
the threshold as the fix when the values are known to be probabilities (a sigmoid last) or logits (a Linear last)."""
from __future__ import annotations

import ast

from ..core.program import Span
from ..diagnostics import remedies
from ..diagnostics.model import Edit, Fix
from ..frontends.source.objects import TensorVal
from . import torch_loss
from .report import emit, shape_text, span_text

PICKS = {"numpy.argmax": 1, "numpy.argmin": 1, "tensorflow.argmax": 1, "tensorflow.math.argmax": 1,
         "keras.ops.argmax": 1, "torch.argmax": 1, "torch.argmin": 1}  # the function -> position of its axis
METHODS = ("argmax", "argmin")


def pick_over_one_entry(ev, name: str, x, call, pos: int) -> None:
    if not isinstance(x, TensorVal) or x.shape is None or len(x.shape) < 2 or ev.uncertain or \
            call.kwargs.get("keepdims") or call.kwargs.get("keepdim"):
        return
    axis = call.get(pos, "dim" if x.lib == "torch" else "axis", call.kwargs.get("dim", call.kwargs.get("axis")))
    if not isinstance(axis, int) or isinstance(axis, bool) or not -len(x.shape) <= axis < len(x.shape):
        return
    a = axis % len(x.shape)
    if x.shape[a] != 1 or x.shape[0] == 1:
        return
    threshold = _threshold(ev, x)
    if threshold is None:
        return  # not known to be a model's predictions
    done = ev.state.one_entry_checked
    if id(call.node) in done:
        return
    done.add(id(call.node))
    op = name.rsplit(".", 1)[-1]
    fix = None
    values = _values_text(ev, call, pos)
    if threshold and values is not None:
        to_int = ".long()" if x.lib == "torch" else ".astype(int)"
        text = f"({values}.squeeze({a}) > {threshold}){to_int}"
        fix = Fix("unsafe", remedies.threshold_fix_title(text), [Edit(Span.of(call.node), text)])
    emit(ev, "reduction-over-batch-axis", Span.of(call.node), remedies.one_entry_label(a),
         variant="one-entry", op=op, axis=a, received_shape=shape_text(x.shape),
         remedy=remedies.threshold_one_value(threshold), fix=fix)


def _threshold(ev, x):
    """'0.5' for probabilities (a sigmoid last), '0' for logits (a Linear or Dense without activation last), ''
    for a model's predictions of unknown kind, None for values not known to be predictions."""
    if x.meta.get("predictions") and "activation" in x.meta:  # Keras predict(): the last layer's activation
        act = x.meta.get("activation")
        return "0.5" if act == "sigmoid" else "0" if act in ("linear", None) else ""
    op = torch_loss.producing_op(ev, x)
    if op is None:
        return "" if x.meta.get("predictions") else None
    kind = op.layer.kind
    return "0.5" if kind in ("Sigmoid", "sigmoid", "torch.sigmoid") else "0" if kind == "Linear" else ""


def _values_text(ev, call, pos: int):
    """The source text of the array argmax was taken of: the receiver of ``x.argmax(1)``, or the first argument."""
    node = call.node
    if not isinstance(node, ast.Call):
        return None
    if pos == 0 and isinstance(node.func, ast.Attribute):
        target = node.func.value
    else:
        target = node.args[0] if node.args else None
    text = span_text(ev, Span.of(target)) if target is not None else None
    if text is None:
        return None
    return text if isinstance(target, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)) else f"({text})"
