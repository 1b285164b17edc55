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
from ..diagnostics import remedies
from ..diagnostics.model import Edit, Fix
from ..frontends.source.objects import UserFunction
from .report import emit

# reductions whose second positional argument is the axis (``norm``'s is ``ord``; builtin max/min take no axis)
_REDUCTIONS = ("sum", "mean", "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "logsumexp", "reduce_logsumexp",
               "reduce_std", "reduce_variance", "reduce_prod")
# element-wise steps between the error and its reduction: what keeps one value per (sample, output)
_ELEMENTWISE = ("square", "abs", "absolute", "sqrt", "exp", "log", "pow", "power", "cast", "softplus")


def check_compile(ev, compile_call) -> None:
    loss = compile_call.get(1, "loss", None)
    fn = loss if isinstance(loss, UserFunction) and isinstance(loss.node, ast.FunctionDef) else None
    if fn is None or len(fn.node.args.args) < 2:
        return
    y_true, y_pred = fn.node.args.args[0].arg, fn.node.args.args[1].arg
    if _rebinds(fn.node, (y_true, y_pred)):
        return  # `y_pred = ops.transpose(y_pred)`: the axes are no longer the batch's
    for call in _own_calls(fn.node):
        axis = _axis_node(call)
        if axis is None or not call.args or not _bare_error(call.args[0], y_true, y_pred):
            continue
        fix = Fix("unsafe", remedies.loss_per_sample_title(), [Edit(Span.of(axis), "-1")])
        emit(ev, "reduction-over-batch-axis", Span.of(call), remedies.loss_over_batch_label(), variant="custom-loss",
             loss=fn.node.name, result="one value per output column", op=_name(call), axis=0,
             received_shape="(batch, outputs)", remedy=remedies.loss_per_sample(),
             secondary=[(Span.of(compile_call.node_of(1, "loss")), remedies.given_as_the_loss(fn.node.name))], fix=fix)
        return


def _own_calls(fn):
    """The calls in ``fn``'s body, not in functions defined inside it."""
    todo = list(fn.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Call):
            yield node
        todo.extend(ast.iter_child_nodes(node))


def _rebinds(fn, names) -> bool:
    return any(isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Store) for n in ast.walk(fn))


def _name(call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def _axis_node(call) -> Optional[ast.expr]:
    """The ``axis=0`` (keyword, or the second positional argument of a reduction that takes the axis there) of a
    module reduction (``ops.sum``, ``K.mean``, ``tf.reduce_sum``), else None."""
    if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute) or _name(call) not in _REDUCTIONS:
        return None
    given = next((k.value for k in call.keywords if k.arg in ("axis", "dim")), None)
    if given is None and len(call.args) >= 2:
        given = call.args[1]
    return given if isinstance(given, ast.Constant) and given.value == 0 and given.value is not False else None


def _bare_error(node, y_true: str, y_pred: str) -> bool:
    """``y_pred - y_true`` (either order), through element-wise steps only (``ops.square``, ``** 2``, ``abs``): still
    one value per sample and output, so axis 0 is the batch. A transpose, reshape or reduction in between changes
    which axis that is."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
        names = {n.id for n in (node.left, node.right) if isinstance(n, ast.Name)}
        return names == {y_true, y_pred}
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Pow, ast.Mult, ast.Div)) and \
            isinstance(node.right, ast.Constant):
        return _bare_error(node.left, y_true, y_pred)
    if isinstance(node, ast.UnaryOp):
        return _bare_error(node.operand, y_true, y_pred)
    if isinstance(node, ast.Call) and _name(node) in _ELEMENTWISE and node.args:
        return _bare_error(node.args[0], y_true, y_pred)
    return False
