"""Causes where Keras labels meet the model's output: validation labels in another format than the training
labels, regression targets wider or narrower than the head, a decoder that misses the target size."""
from __future__ import annotations

from ...checks.facts import LabelFacts
from ...core.dims import is_known
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import wrap_in_call
from ...diagnostics.fixes.edits import set_arg_edit
from ...diagnostics.fixes.source import spell
from ...diagnostics.model import Fix, Label
from ..cause import Cause
from .decoders import keras_decoder

_REGRESSION = ("mse", "mae", "mean_squared_error", "mean_absolute_error", "huber", "logcosh", "log_cosh",
               "MeanSquaredError", "MeanAbsoluteError", "Huber", "LogCosh", "mean_squared_logarithmic_error",
               "msle", "MeanSquaredLogarithmicError")


def validation_one_hot(ctx, d):
    f = d.facts
    if not isinstance(f, LabelFacts) or f.train_labels is None or d.name != "labels-loss-mismatch":
        return
    classes = f.train_labels.meta.get("onehot") or (f.train_labels.shape[-1] if f.train_labels.shape else None)
    node = f.call.node_of(1, "y")
    encode = spell("keras.utils.to_categorical", ctx.lines)
    if not f.train_labels.meta.get("onehot") or not is_known(classes) or node is None or encode is None:
        return
    edit = wrap_in_call(node, encode, f", {int(classes)}", ctx.lines)
    if edit is None:
        return
    yield Cause("validation-format", 70, d.primary, "", remedies.one_hot_validation(encode.rsplit(".", 1)[-1]),
                fix=Fix("unsafe", remedies.one_hot_validation(encode.rsplit(".", 1)[-1]), [edit]))


def regression_head(ctx, d):
    f = d.facts
    if not isinstance(f, LabelFacts) or f.loss not in _REGRESSION or f.y.shape is None or f.run is None:
        return
    p, t = tuple(f.pred), tuple(f.y.shape)
    if len(p) != 2:
        return
    width = int(t[1]) if len(t) == 2 and is_known(t[1]) and t[1] != p[1] else \
        (1 if len(t) == 1 and is_known(p[1]) and p[1] != 1 else None)
    head = f.run.program.ops[-1].layer if f.run.program.ops else None
    if width is None or head is None or head.kind != "Dense" or "units" not in head.arg_spans:
        return
    edit = set_arg_edit(head, "units", str(width), ctx.lines)
    # regression targets are data, the head's width is code: the number written there is the mistake
    yield Cause("head-width", 60, Label(head.arg_spans["units"], remedies.head_width_label(width), d.file),
                remedies.head_width_note(head.label, width), remedies.give_head(head.label, width),
                fix=Fix("unsafe", remedies.give_head(head.label, width), [edit]))


def decoder(ctx, d):
    f = d.facts
    if not isinstance(f, LabelFacts) or f.y.shape is None or f.run is None:
        return
    found = keras_decoder(f.run.program.ops, tuple(f.pred), tuple(f.y.shape), ctx.lines)
    if found is None:
        return
    edits, layer = found
    yield Cause("decoder-size", 80, Label(layer.origin.span, remedies.decoder_label(), d.file),
                remedies.decoder_note(tuple(f.pred), tuple(f.y.shape)), remedies.padding_same(),
                fix=Fix("unsafe", remedies.padding_same(), edits, per_shape=True), strong=True)
