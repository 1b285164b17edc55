"""tf.data pipelines in the source evaluator: the element a dataset yields, followed through its methods, and the
datasets Keras' directory loaders build -- so a model fed by one (``fit``, ``validation_data``, ``predict``) is
checked against what it will really receive.

* sources: ``Dataset.from_tensor_slices`` (axis 0 of every array is sliced off; a Python list is one stacked
  tensor), ``from_tensors`` (the whole structure is one element), ``range``, ``zip``;
  ``keras.utils.image_dataset_from_directory`` / ``text_dataset_from_directory`` /
  ``timeseries_dataset_from_array`` (the element from the arguments: ``image_size``, ``color_mode``,
  ``label_mode``, ``batch_size``, ``sequence_length``);
* ``batch`` / ``padded_batch`` add a batch axis (its size when ``drop_remainder=True``, else unknown -- as
  ``element_spec`` says), ``unbatch`` removes one, ``rebatch`` resizes it; ``map`` runs the function on the element
  (a tuple element is passed as positional arguments, as tf.data does); ``shuffle`` / ``prefetch`` / ``cache`` /
  ``repeat`` / ``take`` / ``skip`` / ``filter`` / ``concatenate`` keep the element; ``enumerate`` pairs it with a
  counter; anything else makes it unknown.

``batches`` counts the batch axes the pipeline added (``None`` when unknown); ``sliced`` says the source sliced
arrays into single samples. Keras takes each element of a dataset as one batch: a pipeline of single samples or one
batched twice gives the model inputs of the wrong rank (checked in :func:`check_fed_dataset`).
Verified against tensorflow 2.21 (tests/frontends/test_tf_data.py compares every pipeline's ``element_spec``).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Optional

from ...core.dims import dim_ne
from ...core.program import UNRESOLVED, Span
from . import api
from .data_api import _int, dtype_name, make
from .evaluator import Repeated
from .objects import TensorVal, UserFunction
from ...checks.report import emit, shape_text
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import keyword_edit
from ...diagnostics.fixes.source import function_at, node_at, self_assignment_line, tree_of
from ...diagnostics.model import Edit, Fix, Label


@dataclass(eq=False)
class TFDataset:
    """A ``tf.data.Dataset``: one element (a value, tuple or dict of values; UNRESOLVED when unknown)."""
    element: Any
    batches: Optional[int] = 0
    sliced: bool = False  # the source sliced arrays into samples: the element is one sample until batched
    node: Any = None  # the call that made this stage of the pipeline (where `.batch(...)` would be added)
    batch_nodes: list = field(default_factory=list)  # the `.batch(...)` calls, in order
    reported: bool = False  # a feeding mistake was reported: the generic data checks leave it alone
    # the per-sample stages (map, shuffle, filter) since the last `.batch(...)`, and those that came between the
    # last two: written for samples, they say the earlier batch is the misplaced one
    since_batch: tuple = ()
    between_batches: tuple = ()
    length: Optional[int] = None  # how many elements, when known: a window of `window(size, drop_remainder=True)`

    @property
    def batched(self) -> bool:
        return bool(self.batches)

    def then(self, element, node, **changes) -> "TFDataset":
        fields = dict(batches=self.batches, sliced=self.sliced, batch_nodes=list(self.batch_nodes),
                      since_batch=self.since_batch, between_batches=self.between_batches)
        method = getattr(getattr(node, "func", None), "attr", None)
        if method in _PER_SAMPLE and self.batches:
            fields["since_batch"] = self.since_batch + (method,)
        if "batch_nodes" in changes and len(changes["batch_nodes"]) > len(self.batch_nodes):  # a new batch
            fields["between_batches"], fields["since_batch"] = self.since_batch, ()
        fields.update(changes)
        return TFDataset(element, node=node, **fields)


_PER_SAMPLE = ("map", "shuffle", "filter")


def _map_values(v, fn):
    """Apply ``fn`` to every tensor of a nested element; UNRESOLVED anywhere stays UNRESOLVED."""
    if isinstance(v, tuple):
        return tuple(_map_values(i, fn) for i in v)
    if isinstance(v, dict):
        return {k: _map_values(x, fn) for k, x in v.items()}
    if isinstance(v, TensorVal) and v.shape is not None:
        return fn(v)
    return UNRESOLVED


def _structure(v, ev):
    """A from_tensor_slices / from_tensors argument as an element structure: tuples and dicts are structures, a list
    is one tensor (tf.data stacks it), a Python number a 0-D tensor."""
    if isinstance(v, tuple):
        return tuple(_structure(i, ev) for i in v)
    if isinstance(v, dict):
        return {k: _structure(x, ev) for k, x in v.items()}
    if isinstance(v, list):
        items = [_structure(i, ev) for i in v]
        if items and all(isinstance(i, TensorVal) and i.shape is not None for i in items) and \
                all(i.shape == items[0].shape for i in items):
            return make((len(items),) + tuple(items[0].shape), "tf", items[0].value.dtype, like=items[0])
        return UNRESOLVED
    if isinstance(v, TensorVal):
        return v
    if isinstance(v, bool):
        return make((), "tf", "bool")
    if _int(v):
        return make((), "tf", "int32")
    if isinstance(v, float):
        return make((), "tf", "float32")
    return UNRESOLVED


def _slice0(v: TensorVal):
    if not v.shape:
        return UNRESOLVED  # a 0-D tensor cannot be sliced (tf raises); unknown
    return make(tuple(v.shape[1:]), "tf", v.value.dtype, like=v)


def _add_axis(size):
    return lambda v: make((size,) + tuple(v.shape), "tf", v.value.dtype, like=v)


def _dataset_arg(call, pos: int, name: str):
    return call.get(pos, name, UNRESOLVED)


# -- sources ----------------------------------------------------------------------------------------------------
@api.handles("tensorflow.data.Dataset.from_tensor_slices")
def from_tensor_slices(ev, call):
    data = _structure(_dataset_arg(call, 0, "tensors"), ev)
    return TFDataset(_map_values(data, _slice0), 0, True, call.node)


@api.handles("tensorflow.TensorSpec")
def tensor_spec(ev, call):
    """``tf.TensorSpec([None, 28], tf.float32)``: a tensor's shape and dtype without values (None: any size)."""
    shape = call.get(0, "shape", None)
    if not isinstance(shape, (list, tuple)) or not all(d is None or _int(d) and d >= 0 for d in shape):
        return UNRESOLVED
    return make(tuple(shape), "tf", dtype_name(call.get(1, "dtype", None)), ev, call.node)


@api.handles("tensorflow.data.Dataset.from_generator")
def from_generator(ev, call):
    """``from_generator(gen, output_signature=(tf.TensorSpec(...), ...))``: one sample per element, of the
    signature's shapes; without a signature the elements are unknown."""
    signature = call.kwargs.get("output_signature")
    element = _structure(signature, ev) if signature is not None else UNRESOLVED
    return TFDataset(element, 0, True, call.node)


@api.handles("tensorflow.data.Dataset.from_tensors")
def from_tensors(ev, call):
    return TFDataset(_structure(_dataset_arg(call, 0, "tensors"), ev), None, False, call.node)


@api.handles("tensorflow.data.Dataset.range")
def ds_range(ev, call):
    return TFDataset(make((), "tf", "int64"), 0, False, call.node)


@api.handles("tensorflow.data.Dataset.zip")
def ds_zip(ev, call):
    parts = call.args[0] if len(call.args) == 1 and isinstance(call.args[0], (tuple, dict)) else tuple(call.args)
    zipped = _zip(parts, call.node)
    _zipped_with_single_samples(ev, parts, zipped, call)
    return zipped


def _zipped_with_single_samples(ev, parts, zipped: TFDataset, call) -> None:
    """``Dataset.zip((features.batch(16), targets))``: batches of 16 rows paired with ONE target each -- Keras takes
    the element as a batch and broadcasts the lone target over it (MSE), training on a twelfth of the labels without
    an error. Both sides sliced from arrays of samples, one batched once and the other not: the unbatched side gets
    the same ``.batch(...)`` (or the zip is batched instead of its parts)."""
    items = list(parts.values()) if isinstance(parts, dict) else list(parts)
    if ev.uncertain or len(items) < 2 or not all(isinstance(d, TFDataset) for d in items):
        return
    batched = [d for d in items if d.batches == 1 and d.batch_nodes]
    single = [d for d in items if d.batches == 0 and d.sliced]
    if not batched or not single or len(batched) + len(single) != len(items) or single[0].node is None:
        return
    size_node = batched[0].batch_nodes[-1].args[0] if batched[0].batch_nodes[-1].args else None
    size = ev.text(size_node) if size_node is not None else None
    stage = single[0].node
    at = Span.of(stage)
    if size is None or at is None or "\n" in size:
        return
    end = Span(at.end_line, at.end_column, at.end_line, at.end_column)
    fix = Fix("unsafe", remedies.batch_like_its_partner(size), [Edit(end, f".batch({size})")])
    emit(ev, "dataset-zip-unbatched", Span.of(call.node), "pairs them element by element",
         secondary=[(Span.of(batched[0].batch_nodes[-1]), f"batches of {size}"), (at, "single samples")],
         zipped=ev.text(call.node), size=size, remedy=remedies.batch_like_its_partner(size), fix=fix)
    zipped.batches, zipped.reported = 1, True  # reported here: the model it feeds is not told it again


def _zip(parts, node):
    items = parts.values() if isinstance(parts, dict) else parts
    if not items or not all(isinstance(d, TFDataset) for d in items):
        return TFDataset(UNRESOLVED, None, False, node)
    levels = {d.batches for d in items}
    element = {k: d.element for k, d in parts.items()} if isinstance(parts, dict) else tuple(d.element for d in parts)
    return TFDataset(element, levels.pop() if len(levels) == 1 else None, all(d.sliced for d in items), node)


_IMAGE_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


def _labels(call, label_mode, class_names, batch) -> Any:
    """The label part of a directory loader's element, or None for label_mode=None."""
    if label_mode is None:
        return None
    n = len(class_names) if isinstance(class_names, (list, tuple)) else None
    shape = {"int": (), "binary": (1,), "categorical": (n,)}.get(label_mode) if isinstance(label_mode, str) else None
    if shape is None:
        return UNRESOLVED
    dtype = "int32" if label_mode == "int" else "float32"
    meta = {"num_classes": n, "int_range": (0, n)} if label_mode == "int" and n else {}
    if label_mode == "categorical" and n:
        meta = {"onehot": n}
    return make(((batch,) if batch is not False else ()) + shape, "tf", dtype, meta=meta)


def _directory_batch(call, pos: int):
    b = call.get(pos, "batch_size", 32)
    if b is None:
        return False  # unbatched: single samples
    return None  # batched; the size of the last batch differs, so element_spec has None


def _loader_dataset(ev, call, x, y, batch):
    element = x if y is None else (x, y)
    subset = call.kwargs.get("subset")
    nodes = [call.node] if batch is not False else []  # the loader batches: its call is the first batch
    ds = TFDataset(element, 1 if batch is not False else 0, batch is False, call.node, batch_nodes=nodes)
    if subset == "both":
        return (ds, TFDataset(element, ds.batches, ds.sliced, call.node, batch_nodes=list(nodes)))
    return ds


@api.handles("keras.utils.image_dataset_from_directory", "keras.preprocessing.image_dataset_from_directory",
             "keras.preprocessing.image.image_dataset_from_directory")
def image_dataset_from_directory(ev, call):
    # (directory, labels, label_mode, class_names, color_mode, batch_size, image_size, ...)
    size = call.get(6, "image_size", (256, 256))
    color = call.get(4, "color_mode", "rgb")
    batch = _directory_batch(call, 5)
    h, w = (size if isinstance(size, (tuple, list)) and len(size) == 2 else (None, None))
    c = _IMAGE_CHANNELS.get(color) if isinstance(color, str) else None
    channels_first = call.kwargs.get("data_format") == "channels_first"
    dims = (c, h, w) if channels_first else (h, w, c)
    dims = tuple(d if _int(d) else None for d in dims)
    x = make(((None,) if batch is not False else ()) + dims, "tf", "float32", ev, call.node)
    y = _labels(call, call.get(2, "label_mode", "int"), call.get(3, "class_names", None),
                batch if batch is False else None)
    if call.get(1, "labels", "inferred") is None:
        y = None
    return _loader_dataset(ev, call, x, y, batch)


@api.handles("keras.utils.text_dataset_from_directory", "keras.preprocessing.text_dataset_from_directory")
def text_dataset_from_directory(ev, call):
    # (directory, labels, label_mode, class_names, batch_size, max_length, ...)
    batch = _directory_batch(call, 4)
    x = make(((None,) if batch is not False else ()), "tf", "string", ev, call.node)
    y = _labels(call, call.get(2, "label_mode", "int"), call.get(3, "class_names", None),
                batch if batch is False else None)
    if call.get(1, "labels", "inferred") is None:
        y = None
    return _loader_dataset(ev, call, x, y, batch)


@api.handles("keras.utils.timeseries_dataset_from_array", "keras.preprocessing.timeseries_dataset_from_array")
def timeseries_dataset_from_array(ev, call):
    """(batch, sequence_length, *data.shape[1:]) windows of ``data``; targets[i] per window, shaped like one row."""
    data, targets = call.get(0, "data", UNRESOLVED), call.get(1, "targets", UNRESOLVED)
    length = call.get(2, "sequence_length", UNRESOLVED)
    batch = call.get(5, "batch_size", 128)  # (data, targets, sequence_length, sequence_stride, sampling_rate, ...)
    if not isinstance(data, TensorVal) or data.shape is None or not data.shape:
        return TFDataset(UNRESOLVED, 1, False, call.node)
    lead = (None,) if batch is not None else ()
    x = make(lead + (length if _int(length) else None,) + tuple(data.shape[1:]), "tf", data.value.dtype, ev,
             call.node)
    nodes = [call.node] if batch is not None else []  # batched by the loader: its call is the first batch
    if targets is None:
        return TFDataset(x, 1 if batch is not None else 0, batch is None, call.node, batch_nodes=nodes)
    y = make(lead + tuple(targets.shape[1:]), "tf", targets.value.dtype, like=targets) \
        if isinstance(targets, TensorVal) and targets.shape else UNRESOLVED
    return TFDataset((x, y), 1 if batch is not None else 0, batch is None, call.node, batch_nodes=nodes)


# -- methods ----------------------------------------------------------------------------------------------------
_LOADERS = ("_dataset_from_array", "_dataset_from_directory")


@api.method(TFDataset, "batch", "padded_batch")
def ds_batch(ev, ds: TFDataset, call):
    b = call.get(0, "batch_size", None)
    drop = call.get(1, "drop_remainder" if call.callee_text.endswith(".batch") else "padded_shapes", False)
    if call.callee_text.endswith(".padded_batch"):
        drop = call.kwargs.get("drop_remainder", False)
        shapes = call.get(1, "padded_shapes", None)
        if shapes is not None:
            return ds.then(_padded(ds.element, shapes, b if drop is True and _int(b) else None), call.node,
                           batches=_plus(ds.batches, 1), sliced=False, batch_nodes=ds.batch_nodes + [call.node])
    size = b if drop is True and _int(b) else None
    if size is None and _int(b) and _int(ds.length) and ds.length > 0 and (b >= ds.length or ds.length % b == 0):
        size = min(b, ds.length)  # a window of known length: every batch of it is full (or it is one batch)
    return ds.then(_map_values(ds.element, _add_axis(size)), call.node, batches=_plus(ds.batches, 1),
                   sliced=False, batch_nodes=ds.batch_nodes + [call.node])


def _padded(element, shapes, size):
    """padded_batch(padded_shapes=...): the given shape per component (-1 / None keep the longest: unknown)."""
    if isinstance(element, tuple) and isinstance(shapes, tuple) and len(element) == len(shapes):
        return tuple(_padded(e, s, size) for e, s in zip(element, shapes))
    if isinstance(element, TensorVal) and isinstance(shapes, (list, tuple)) and element.shape is not None and \
            len(shapes) == len(element.shape):
        dims = tuple(d if _int(d) and d >= 0 else None for d in shapes)
        return make((size,) + dims, "tf", element.value.dtype, like=element)
    return _map_values(element, lambda v: make((size,) + tuple(None for _ in v.shape), "tf", v.value.dtype, like=v))


def _plus(n, k):
    return n + k if n is not None else None


@api.method(TFDataset, "unbatch")
def ds_unbatch(ev, ds: TFDataset, call):
    return ds.then(_map_values(ds.element, _slice0), call.node,
                   batches=ds.batches - 1 if ds.batches else (None if ds.batches is None else 0),
                   batch_nodes=ds.batch_nodes[:-1])


@api.method(TFDataset, "rebatch")
def ds_rebatch(ev, ds: TFDataset, call):
    def resize(v):
        return make((None,) + tuple(v.shape[1:]), "tf", v.value.dtype, like=v) if v.shape else UNRESOLVED
    return ds.then(_map_values(ds.element, resize), call.node)


@api.method(TFDataset, "shuffle", "prefetch", "cache", "repeat", "take", "skip", "with_options", "filter",
            "ignore_errors", "shard", "apply_options", "concatenate", "take_while", "skip_while")
def ds_same(ev, ds: TFDataset, call):
    return ds.then(ds.element, call.node)


@api.method(TFDataset, "enumerate")
def ds_enumerate(ev, ds: TFDataset, call):
    return ds.then((make((), "tf", "int64"), ds.element), call.node)


@api.method(TFDataset, "map")
def ds_map(ev, ds: TFDataset, call):
    """``map(fn)``: fn runs on the element (its tensors without a model: shapes only); a tuple element is passed
    as positional arguments."""
    fn = call.get(0, "map_func", UNRESOLVED)
    if ds.element is UNRESOLVED or not isinstance(fn, UserFunction):
        return ds.then(UNRESOLVED, call.node)
    args = list(ds.element) if isinstance(ds.element, tuple) else [ds.element]
    out = ev.call(fn, api.Call(call.node, args, {}, [], {}, ev.text(call.node)))
    return ds.then(_as_element(out), call.node)


def _as_element(v):
    if isinstance(v, (tuple, list)):
        items = tuple(_as_element(i) for i in v)
        return items if isinstance(v, tuple) else items  # a list result is a tuple element too (tf.nest)
    if isinstance(v, dict):
        return {k: _as_element(x) for k, x in v.items()}
    if isinstance(v, TensorVal) and v.shape is not None:
        return make(tuple(v.shape), "tf", v.value.dtype, like=v)
    return UNRESOLVED


@dataclass(frozen=True)
class Windows:
    """The element of ``ds.window(size, ...)``: a dataset of consecutive elements of ``ds`` -- ``size`` of them
    when ``drop_remainder=True`` (else the last windows are shorter: None)."""
    element: Any
    size: Optional[int]


@api.method(TFDataset, "window")
def ds_window(ev, ds: TFDataset, call):
    size = call.get(0, "size", None)
    drop = call.kwargs.get("drop_remainder", call.args[3] if len(call.args) > 3 else False)
    if ds.element is UNRESOLVED or ds.batches is None or not _int(size) or \
            isinstance(ds.element, dict) or isinstance(ds.element, tuple) and not all(
                isinstance(e, TensorVal) for e in ds.element):
        return TFDataset(UNRESOLVED, None, False, call.node)
    length = size if drop is True else None
    if isinstance(ds.element, tuple):  # (features, labels): a window of each, as a tuple of datasets
        return ds.then(tuple(Windows(e, length) for e in ds.element), call.node)
    return ds.then(Windows(ds.element, length), call.node)


@api.method(TFDataset, "flat_map")
def ds_flat_map(ev, ds: TFDataset, call):
    """``windows.flat_map(lambda w: w.batch(size))``: fn runs on one window (a dataset of its elements); the
    elements of the datasets it returns are the new elements -- one window each, a sample until batched."""
    fn = call.get(0, "map_func", UNRESOLVED)
    parts = ds.element if isinstance(ds.element, tuple) else (ds.element,)
    if not parts or not all(isinstance(w, Windows) for w in parts) or not isinstance(fn, UserFunction):
        return TFDataset(UNRESOLVED, None, False, call.node)
    # a window of a (features, labels) dataset is a tuple of datasets, passed as two arguments (`lambda x, y:`)
    windows = [TFDataset(w.element, ds.batches, ds.sliced, call.node, length=w.size) for w in parts]
    out = ev.call(fn, api.Call(call.node, windows, {}, [], {}, ev.text(call.node)))
    if not isinstance(out, TFDataset) or out.element is UNRESOLVED:
        return TFDataset(UNRESOLVED, None, False, call.node)
    return ds.then(out.element, call.node, batches=ds.batches, sliced=True)


@api.method(TFDataset, "interleave", "group_by_window", "bucket_by_sequence_length",
            "scan", "unique", "sample_from_datasets", "choose_from_datasets")
def ds_unknown(ev, ds: TFDataset, call):
    return TFDataset(UNRESOLVED, None, False, call.node)


@api.method(TFDataset, "__iter__")
def ds_iter(ev, ds: TFDataset, node):
    return None if ds.element is UNRESOLVED else Repeated([ds.element])


@api.method(TFDataset, "as_numpy_iterator")
def ds_as_numpy(ev, ds: TFDataset, call):
    return ds


@api.method(TFDataset, "__len__", "cardinality")
def ds_len(ev, ds: TFDataset, *rest):
    return UNRESOLVED


# -- a dataset fed to a Keras model -------------------------------------------------------------------------------
def features_and_labels(ds: TFDataset):
    """(x, y) of one element (y None when the element is only the inputs); None when unknown."""
    el = ds.element
    if isinstance(el, tuple) and len(el) >= 2:
        return el[0], el[1]
    if isinstance(el, (TensorVal, dict)) or (isinstance(el, tuple) and len(el) == 1):
        return (el[0] if isinstance(el, tuple) else el), None
    return None


def _rank_fits(x: tuple, decl: tuple) -> bool:
    """Keras would accept data of shape ``x`` for a declared input ``decl`` (same rank, known sizes agree after the
    batch axis)."""
    return len(x) == len(decl) and not any(dim_ne(a, b) for a, b in zip(x[1:], decl[1:]))


def check_fed_dataset(ev, model, ds: TFDataset, call, role: str, declared: Optional[tuple]) -> Optional[str]:
    """A dataset of single samples, or one batched twice, fed to ``model`` (role: fit, validation_data, predict,
    evaluate). ``declared`` is the model's input shape with the batch axis when it has one. Reports and returns the
    diagnostic name, or None."""
    if ds.reported or ev.uncertain:
        return None
    parts = features_and_labels(ds)
    if parts is None or not isinstance(parts[0], TensorVal) or parts[0].shape is None:
        return None
    x, y = parts
    shape = tuple(x.shape)
    mistake = None
    if declared is not None:
        if ds.batches == 0 and _rank_fits((None,) + shape, declared) and not _rank_fits(shape, declared):
            mistake = "dataset-not-batched"
        elif (ds.batches or 0) >= 2 and len(shape) >= 1 and _rank_fits(shape[1:], declared) and \
                not _rank_fits(shape, declared):
            mistake = "dataset-batched-twice"
    else:  # a model built on its first batch: the labels tell
        if ds.batches == 0 and ds.sliced and isinstance(y, TensorVal) and y.shape == ():
            mistake = "dataset-not-batched"
        elif (ds.batches or 0) >= 2:
            mistake = "dataset-batched-twice"
    if mistake is None:
        return None
    ds.reported = True
    _report(ev, model, ds, call, role, mistake, shape, declared)
    return mistake


_BATCH_NAMES = ("BATCH", "BATCH_SIZE", "BS", "batch_size", "bs", "batch")


def _batch_size_text(ev, at=None) -> str:
    """How the script spells its batch size where the ``.batch(...)`` goes (``at``): a parameter of the function
    building the pipeline (``make_dataset(..., batch_size=32)``: the caller's choice), else a module-level
    ``BATCH_SIZE = 64``, else the argument of another ``.batch(...)`` in the file, else 32."""
    tree = tree_of(ev.lines)
    if tree is None:
        return "32"
    scope = function_at(tree, at.lineno) if at is not None and hasattr(at, "lineno") else None
    if scope is not None:
        a = scope.args
        own = [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs if p.arg in _BATCH_NAMES or
               p.arg.lower() in {n.lower() for n in _BATCH_NAMES}]
        if len(own) == 1:
            return own[0]
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and \
                node.targets[0].id in _BATCH_NAMES and isinstance(node.value, ast.Constant) and \
                type(node.value.value) is int:
            return node.targets[0].id
    shadowed = {p.arg for p in scope.args.posonlyargs + scope.args.args + scope.args.kwonlyargs} \
        if scope is not None else set()
    for node in tree.body:  # a module-level config: CONFIG = {"batch_size": 64, ...} -> CONFIG["batch_size"]
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and \
                isinstance(node.value, ast.Dict) and node.targets[0].id not in shadowed:
            keys = [k.value for k, v in zip(node.value.keys, node.value.values) if isinstance(k, ast.Constant) and
                    isinstance(k.value, str) and k.value.lower() in {n.lower() for n in _BATCH_NAMES} and
                    isinstance(v, ast.Constant) and type(v.value) is int]
            if len(keys) == 1:
                return f'{node.targets[0].id}["{keys[0]}"]'
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "batch" and \
                len(node.args) == 1 and isinstance(node.args[0], (ast.Name, ast.Constant)):
            return ast.unparse(node.args[0])
    return "32"


def _discarded_batch(ev, made) -> Optional[tuple]:
    """(statement, name) of a ``ds.batch(...)`` written as a bare statement -- tf.data returns a new dataset, so the
    batching is lost -- before ``made`` in the same function, on the dataset variable ``made`` is built from."""
    tree = tree_of(ev.lines)
    if tree is None:
        return None
    scope = function_at(tree, made.lineno) or tree
    names = {n.id for n in ast.walk(made) if isinstance(n, ast.Name)}
    found = [n for n in ast.walk(scope) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
             and isinstance(n.value.func, ast.Attribute) and n.value.func.attr in ("batch", "padded_batch")
             and isinstance(n.value.func.value, ast.Name) and n.value.func.value.id in names
             and n.lineno < made.lineno]
    return (found[-1], found[-1].value.func.value.id) if found else None


def _report(ev, model, ds: TFDataset, call, role: str, mistake: str, shape: tuple, declared) -> None:
    node = call.kw_nodes.get("validation_data") if role == "validation_data" else \
        (call.arg_nodes[0] if call.arg_nodes else call.kw_nodes.get("x"))
    fed = Span.of(node) if node is not None else Span.of(call.node)
    expected = shape_text(declared) if declared is not None else "batches"
    name = getattr(model, "display_name", "model")
    if mistake == "dataset-not-batched":
        where = Span.of(ds.node) if ds.node is not None else None
        fix, size = None, _batch_size_text(ev, ds.node)
        if where is not None:
            # before a trailing .prefetch(...): prefetching stays last, so it buffers whole batches
            stage = ds.node
            while isinstance(stage, ast.Call) and isinstance(stage.func, ast.Attribute) and \
                    stage.func.attr == "prefetch":
                stage = stage.func.value
            at = Span.of(stage) or where
            end = Span(at.end_line, at.end_column, at.end_line, at.end_column)
            fix = Fix("unsafe", f"batch the dataset: `.batch({size})`", [Edit(end, f".batch({size})")])
        dropped = _discarded_batch(ev, ds.node) if ds.node is not None else None
        if dropped is not None:  # `ds.batch(n)` written as a statement: its result was thrown away
            stmt, target = dropped
            where = Span.of(stmt)
            kept = f"{target} = {ast.get_source_segment(chr(10).join(ev.lines), stmt.value) or ast.unparse(stmt.value)}"
            fix = Fix("unsafe", remedies.keep_batched_dataset(kept),
                      [Edit(Span(where.line, where.column, where.line, where.column), f"{target} = ")])
        d = emit(ev, mistake, where or fed, "its result is thrown away" if dropped else "yields single samples",
                 model=name,
                 secondary=[(fed, f"fed to `{name}.{call.callee_text.rsplit('.', 1)[-1]}` here")
                            if role != "validation_data" else (fed, "used as validation data here")],
                 received_shape=shape_text(shape), seen=shape_text(shape), expected_shape=expected,
                 remedy=remedies.batch_the_dataset(role, size) if dropped is None else fix.title, fix=fix)
    else:
        last = ds.batch_nodes[-1] if ds.batch_nodes else None
        first = ds.batch_nodes[-2] if len(ds.batch_nodes) >= 2 else None
        # map / shuffle between the two batches were written for samples: the first batch is the misplaced one
        early = first is not None and bool(ds.between_batches) and not _helper_used_twice(ev, first)
        drop, keep = (first, last) if early else (last, first)
        where = Span.of(drop) if drop is not None else None
        fix, moved_to_loader = None, False
        func = getattr(drop, "func", None)
        loader = getattr(func, "attr", None) or getattr(func, "id", None)
        unbatch_loader = where is not None and loader is not None and loader.endswith(_LOADERS)
        if unbatch_loader:
            # a loader that batches (128 by default) before per-sample stages: it yields windows one by one with
            # batch_size=None, and the pipeline's own batch comes at the end
            edit = keyword_edit(drop, "batch_size", "None")
            fix = Fix("unsafe", remedies.loader_unbatched(loader), [edit]) if edit is not None else None
            given = next((k.value for k in drop.keywords if k.arg == "batch_size"), None)
            where = Span.of(given) if given is not None else where  # the batch size written there, if it is
        elif early and _map_right_after(ev, drop) is not None and _first_per_sample_stage(ev, last) is not None:
            # `ds.batch(PACK).map(pack_row)`: the map is written for the batch (it stacks columns on axis 1), and
            # take / skip / cache after it count packs -- the batch stays, and the packs are split back into rows
            # just before the first stage written for rows (the shuffle, or the final batch)
            spans = [_first_per_sample_stage(ev, last)] + _sibling_chains(ev, last)
            fix = Fix("unsafe", remedies.unbatch_before_sample_stages(),
                      [Edit(Span(at.end_line, at.end_column, at.end_line, at.end_column), ".unbatch()")
                       for at in dict.fromkeys(spans)])
        elif where is not None and func is not None and hasattr(func, "value"):
            start = Span.of(func.value)
            cut = Span(start.end_line, start.end_column, where.end_line, where.end_column)
            line = self_assignment_line(Span.of(drop), ev.lines)
            if line is not None:  # `val_ds = val_ds.batch(32)`: without the batch the statement does nothing
                cut = Span(line, 1, line + 1, 1)
            fix = Fix("unsafe", remedies.remove_batch("first" if early else "second"), [Edit(cut, "")])
            size = drop.args[0] if not early and len(getattr(drop, "args", [])) == 1 and not drop.keywords else None
            kfunc = getattr(keep, "func", None)
            kname = getattr(kfunc, "attr", None) or getattr(kfunc, "id", None)
            if size is not None and isinstance(keep, ast.Call) and kname is not None and kname.endswith(_LOADERS) \
                    and not any(k.arg == "batch_size" for k in keep.keywords) and len(keep.args) <= _BATCH_POSITION \
                    and not _bound_after(ev, size, keep):
                # `timeseries_dataset_from_array(...)` batches by 128 by default: the size the file chose goes there
                moved = keyword_edit(keep, "batch_size", ev.text(size) or ast.unparse(size), ev.lines)
                if moved is not None:
                    fix = Fix("unsafe", remedies.batch_in_loader(kname, ast.unparse(size)), [Edit(cut, ""), moved])
                    moved_to_loader = True
        secondary = [(Span.of(keep), "batched again here" if early else "first batched here")] \
            if keep is not None else []
        secondary.append((fed, "fed to the model here"))
        d = emit(ev, mistake, where or fed, remedies.batched_before(ds.between_batches) if early else
                 "batches the batches", model=name, secondary=secondary,
                 received_shape=shape_text(shape), expected_shape=expected,
                 remedy=remedies.loader_unbatched(loader) if unbatch_loader else fix.title if moved_to_loader or
                 early and fix and fix.title == remedies.unbatch_before_sample_stages() else
                 remedies.batch_once_at_the_end() if early else remedies.batch_once(), fix=fix)
    if d.primary is None:
        d.primary = Label(fed, "", ev.file)


def _helper_used_twice(ev, node) -> bool:
    """The first batch is made in a helper the file calls more than once (its training and its validation data):
    the helper is the file's source of batched data, as ``image_dataset_from_directory`` is, and removing the batch
    there would unbatch the other pipelines too -- the second batch is the one to drop."""
    from ...diagnostics.fixes.source import enclosing, node_at, tree_of  # (report time only, as below: start-up)
    here = node_at(Span.of(node), ev.lines) if node is not None else None
    fn = enclosing(here, (ast.FunctionDef, ast.AsyncFunctionDef)) if here is not None else None
    if fn is None:
        return False
    tree = tree_of(ev.lines)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and
             n.func.id == fn.name] if tree is not None else []
    return len(calls) >= 2


_BATCH_POSITION = 5  # timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride, sampling_rate,
# batch_size, ...): a sixth positional argument is the batch size already


def _bound_after(ev, size, call) -> bool:
    """``size`` is a name (re)bound after ``call`` in its function: the loader cannot read it."""
    if not isinstance(size, ast.Name):
        return False
    # (diagnostics.fixes is imported only when a report is being built, as elsewhere in this module: start-up)
    from ...diagnostics.fixes.source import function_at, tree_of
    tree = tree_of(ev.lines)
    scope = (function_at(tree, call.lineno) or tree) if tree is not None else None
    return scope is None or any(isinstance(n, ast.Name) and n.id == size.id and isinstance(n.ctx, ast.Store) and
                                n.lineno > call.lineno for n in ast.walk(scope))


_COUNTING = ("take", "skip", "cache", "repeat", "prefetch", "with_options", "shard")  # count elements, whatever they are


def _first_per_sample_stage(ev, last_batch):
    """The span of the dataset expression right before the first stage, in the chain that ends with the final
    ``.batch(...)``, that is written for single samples (``.shuffle``, a ``.map``, the final ``.batch`` itself):
    ``packed.take(5).cache()`` in ``packed.take(5).cache().shuffle(1000).repeat().batch(B)``."""
    node = node_at(Span.of(last_batch), ev.lines, ast.Call) if last_batch is not None else None
    chain = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        chain.append(node)
        node = node.func.value
    for stage in reversed(chain):  # in source order
        if stage.func.attr not in _COUNTING:
            return Span.of(stage.func.value)
    return None


def _chain_base(node):
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        node = node.func.value
    return node.id if isinstance(node, ast.Name) else None


def _sibling_chains(ev, last_batch) -> list:
    """The same split for the other pipelines batched from the same packed dataset (``val_ds =
    packed_ds.skip(5).cache().batch(B)`` beside the training one): each is batched twice too."""
    node = node_at(Span.of(last_batch), ev.lines, ast.Call) if last_batch is not None else None
    base = _chain_base(node)
    tree = tree_of(ev.lines)
    if base is None or tree is None:
        return []
    scope = function_at(tree, node.lineno)  # the packed dataset's name means the same only in its own scope
    out = []
    for other in ast.walk(scope or tree):
        if isinstance(other, ast.Call) and other is not node and isinstance(other.func, ast.Attribute) and \
                other.func.attr == "batch" and _chain_base(other) == base and \
                function_at(tree, other.lineno) is scope and \
                not isinstance(getattr(other, "_shapelint_parent", None), ast.Attribute):
            at = _first_per_sample_stage(ev, other)
            if at is not None:
                out.append(at)
    return out


def _map_right_after(ev, batch_call):
    """The ``.map(...)`` call applied directly to ``batch_call`` (``ds.batch(n).map(f)``), or None."""
    batch_call = node_at(Span.of(batch_call), ev.lines, ast.Call)
    attr = getattr(batch_call, "_shapelint_parent", None)
    call = getattr(attr, "_shapelint_parent", None)
    if isinstance(attr, ast.Attribute) and attr.value is batch_call and attr.attr == "map" and \
            isinstance(call, ast.Call) and call.func is attr:
        return call
    return None


__all__ = ["TFDataset", "check_fed_dataset", "features_and_labels"]
