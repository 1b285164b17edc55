"""Keras loss functions written by the user: ``def loss(y_true, y_pred)`` passed to ``compile``. Keras calls it on a
batch and expects one loss per sample back (it then applies sample weights and averages over the batch). A
reduction of the prediction error over axis 0 -- ``ops.sum(ops.square(y_pred - y_true), axis=0)`` -- aggregates
over the batch instead of the outputs: the loss is a vector over output columns, its value (a square root of a
batch sum) grows with the batch size, and the gradient no longer treats the samples alike. Nothing raises.

Only the error itself (an expression holding ``y_pred - y_true``) reduced over axis 0 is reported: statistics of
one side over the batch (a correlation loss's means of ``y_true``) are deliberate."""
from __future__ import annotations

import ast
from typing import Optional

from ..core.program import Span
from ..diagnostics.model import Edit, Fix
from ..frontends.source.objects import UserFunction
from .report import emit

_REDUCTIONS = ("sum", "mean", "reduce_sum", "reduce_mean", "max", "reduce_max", "min", "reduce_min", "norm",
               "logsumexp", "reduce_logsumexp", "std", "reduce_std", "var", "reduce_variance", "prod", "reduce_prod")


def check_compile(ev, compile_call) -> None:
    loss = compile_call.get(1, "loss", None)
    fn = loss if isinstance(loss, UserFunction) and isinstance(loss.node, ast.FunctionDef) else None
    if fn is None or len(fn.node.args.args) < 2:
        return
    y_true, y_pred = fn.node.args.args[0].arg, fn.node.args.args[1].arg
    for call in ast.walk(fn.node):
        axis = _axis_node(call)
        if axis is None or not _reduces_error(call, y_true, y_pred):
            continue
        fix = Fix("unsafe", "reduce over the outputs of each sample (`axis=-1`)", [Edit(Span.of(axis), "-1")])
        emit(ev, "reduction-over-batch-axis", Span.of(call), "reduces over axis 0, the batch", variant="custom-loss",
             loss=fn.node.name, result="one value per output column", op=_name(call), axis=0,
             received_shape="(batch, outputs)",
             remedy="reduce over the outputs of each sample: `axis=-1`, which leaves one loss per sample",
             secondary=[(Span.of(compile_call.node_of(1, "loss")), f"`{fn.node.name}` given as the loss")], fix=fix)
        return


def _name(call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _axis_node(call) -> Optional[ast.expr]:
    """The ``axis=0`` (or second positional 0) of a reduction call, else None."""
    if not isinstance(call, ast.Call) or _name(call) not in _REDUCTIONS:
        return None
    given = next((k.value for k in call.keywords if k.arg in ("axis", "dim")), None)
    if given is None and len(call.args) >= 2:
        given = call.args[1]
    return given if isinstance(given, ast.Constant) and given.value == 0 and given.value is not False else None


def _reduces_error(call, y_true: str, y_pred: str) -> bool:
    """The reduced expression holds ``y_pred - y_true`` (either order)."""
    target = call.args[0] if call.args else None
    for node in ast.walk(target) if target is not None else ():
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
            names = {n.id for n in (node.left, node.right) if isinstance(n, ast.Name)}
            if names == {y_true, y_pred}:
                return True
    return False
