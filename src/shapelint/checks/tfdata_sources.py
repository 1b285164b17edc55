"""A tf.data source given a Python list where a structure was meant: ``from_tensor_slices([features, labels])``.
tf.data reads a list as one tensor to stack, not as (features, labels); arrays of different shapes cannot be stacked
and TensorFlow raises at that call. The fix is the tuple the user meant -- the same arrays in parentheses. Gluing the
labels onto the features (``np.column_stack``) would run and feed the label in as a feature. A list of arrays of one
shape does stack (a dataset of (2, ...) elements) and is left alone: that may be meant."""
from __future__ import annotations

import ast

from ..core.dims import dim_ne
from ..core.program import Span
from ..diagnostics import remedies
from ..diagnostics.model import Edit, Fix
from ..frontends.source.objects import TensorVal
from .report import emit, shape_text

SOURCES = ("tensorflow.data.Dataset.from_tensor_slices", "tensorflow.data.Dataset.from_tensors")


def list_for_structure(ev, name: str, call) -> None:
    items = call.args[0] if call.args else call.kwargs.get("tensors")
    node = call.arg_nodes[0] if call.args and call.arg_nodes else call.kw_nodes.get("tensors")
    if not isinstance(items, list) or len(items) < 2 or not isinstance(node, ast.List) or \
            len(node.elts) != len(items) or not all(isinstance(v, TensorVal) and v.shape is not None for v in items):
        return
    first = tuple(items[0].shape)
    if not any(len(v.shape) != len(first) or any(dim_ne(a, b) for a, b in zip(v.shape, first)) for v in items[1:]):
        return
    inner = ", ".join(ast.get_source_segment(ev.source, e) or "" for e in node.elts)
    span = Span.of(node)
    help_text = remedies.structure_as_tuple(f"({inner})")
    emit(ev, "dataset-list-stacked", span, remedies.list_stacked_label(),
         fix=Fix("unsafe", help_text, [Edit(span, f"({inner})")]), source=name.rsplit(".", 1)[-1],
         shapes=", ".join(shape_text(v) for v in items), remedy=help_text)
