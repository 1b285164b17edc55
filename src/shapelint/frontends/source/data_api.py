"""Data values in scripts: the arrays and tensors a script builds and feeds to its models.

Constructors whose shape is written in the call (``np.random.rand(32, 20)``, ``tf.random.normal((1, 28, 28, 1))``,
``torch.randn(8, 1, 28, 28)``) and the numpy-style operations scripts apply to data before it meets a model:
``reshape``, ``expand_dims``, ``[..., None]``, ``astype``, arithmetic (``/ 255.0``), ``transpose``, ``squeeze``,
slicing, ``np.stack`` / ``np.concatenate``, ``to_categorical``, ``np.eye(n)[y]``, ``argmax``.

Data values are :class:`DataVal` (a :class:`TensorVal` subclass), so these numpy semantics never replace the torch
front-end's tensor methods: on a torch tensor a method the torch front-end defines is delegated to it.

``meta`` carries what a label check needs: ``int_range`` = (low, high) of integer labels (``randint(0, 5, ...)``),
``onehot`` = the class count of one-hot labels, ``num_classes`` of a dataset's labels.
Every shape or dtype that cannot be known exactly is unknown (``None``), never guessed.
"""
from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Optional

from ...core import provenance
from ...core.dims import broadcast_shapes, is_known
from ...core.program import Span, UNRESOLVED
from ...core.reorder import reshape_reorder
from ...core.values import Ids, Tensor
from ...checks.report import emit, replace_fix, span_text
from ...diagnostics import remedies
from ...diagnostics.model import Edit, Fix
from ...diagnostics.fixes.source import enclosing, node_at, parse_expression, size_arguments
from . import api, numpy_softmax
from .evaluator import RowList, Rows, number_kind
from .objects import BoundMethod, Number, QualName, SymDim, TensorVal, Text, number_example, numbers_of


@dataclass(eq=False)
class DataVal(TensorVal):
    """A data array or tensor built by the script (not produced inside a model)."""


# -- small helpers ---------------------------------------------------------------------------------------------
def _int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _dims(value):
    """A shape argument (int or sequence of ints) as a tuple, or None."""
    if isinstance(value, bool):
        return None
    if _int(value):
        return (value,) if value >= 0 else None
    if isinstance(value, (tuple, list)) and all(_int(d) and d >= 0 for d in value):
        return tuple(value)
    if isinstance(value, tuple) and value and all((_int(d) and d >= 0) or d is UNRESOLVED for d in value):
        # ``(length,)`` with a length read from data (``.item()``): the rank is written, that size is unknown
        return tuple(None if d is UNRESOLVED else d for d in value)
    return None


def _varargs_shape(call):
    """``rand(2, 3)`` or ``randn((2, 3))`` / ``zeros(size=(2, 3))``."""
    if "size" in call.kwargs:
        return _dims(call.kwargs["size"])
    if "shape" in call.kwargs:
        return _dims(call.kwargs["shape"])
    args = [a for a in call.args]
    if len(args) == 1:
        return _dims(args[0])
    if args:
        return _dims(tuple(args))
    return None


def _lib_of(text: str, default: str = "numpy") -> str:
    t = text or ""
    if t.startswith(("torch.", "th.")) or ".torch." in t:
        return "torch"
    if t.startswith(("tf.", "tensorflow.", "keras.")):
        return "tf"
    return default


def same_layout(shape, other) -> bool:
    """Whether ``shape`` lays out samples as ``other`` does: equal, another number of samples, one sample taken,
    or samples batched."""
    if shape is None or other is None:
        return False
    a, b = tuple(shape), tuple(other)
    return a == b or (len(a) == len(b) and a[1:] == b[1:]) or a == b[1:] or a[1:] == b


def make(shape, lib: str = "numpy", dtype: Optional[str] = None, ev=None, node=None, note: Optional[str] = None,
         meta: Optional[dict] = None, like: Optional[TensorVal] = None, shaped_at=None) -> DataVal:
    """A DataVal made by the expression ``node`` (its origin and note, for "where the data came from");
    ``like`` passes on the facts (meta) of the value it was computed from, and where its layout was set when this
    value keeps that layout (``shaped_at``: given, else inherited, else this value's origin)."""
    m = dict(like.meta) if like is not None else {}
    if meta:
        m.update(meta)
    if ev is not None and node is not None:
        origin = ev.span(node)
        if note is None:
            note = ev.text(node)
    else:
        origin = like.origin if like is not None else None
        if note is None and like is not None:
            note = like.note
    if shaped_at is None:
        keeps = like is not None and same_layout(shape, like.shape)
        shaped_at = (like.shaped_at or like.origin) if keeps else origin
    return DataVal(Tensor(tuple(shape) if shape is not None else None, dtype), lib=lib, origin=origin, note=note,
                   meta=m, shaped_at=shaped_at)


def tensor_val(ev, call, shape, lib: str, dtype=None, meta=None):
    if shape is None:
        return UNRESOLVED
    return make(shape, lib, dtype, ev, call.node, meta=meta)


def _shape(v) -> Optional[tuple]:
    return tuple(v.shape) if isinstance(v, TensorVal) and v.shape is not None else None


def _float_dtype(dtype: Optional[str], lib: str) -> Optional[str]:
    if dtype in ("float16", "float32", "float64", "bfloat16"):
        return dtype
    if lib == "torch":
        return "float32" if dtype is not None else None
    return "float64" if dtype is not None else None


def dtype_name(v) -> Optional[str]:
    """``'float32'``, ``np.float32``, ``torch.long``, ``tf.int64`` ... as a canonical dtype name, or None."""
    if isinstance(v, str):
        s = v
    elif isinstance(v, QualName):
        s = v.name.rsplit(".", 1)[-1]
    else:
        return None
    s = s.lower()
    aliases = {"float": "float32" if isinstance(v, QualName) and v.name.startswith("torch") else "float64",
               "double": "float64", "long": "int64", "int": "int64", "half": "float16", "bool": "bool",
               "uint8": "uint8", "int8": "int8", "int16": "int16", "short": "int16", "int32": "int32",
               "int64": "int64", "float16": "float16", "float32": "float32", "float64": "float64",
               "bfloat16": "bfloat16", "float_": "float64", "int_": "int64", "intc": "int32"}
    return aliases.get(s)


def _delegate(x, name):
    """The torch front-end's handler for a tensor method, when ``x`` is a torch tensor and one exists."""
    if isinstance(x, TensorVal) and x.lib == "torch":
        for cls in TensorVal.__mro__:
            fn = api._METHODS.get((cls, name))
            if fn is not None:
                return fn
    return None


def broadcast(a: tuple, b: tuple):
    """NumPy broadcasting of two shapes (see core.dims.broadcast_shapes)."""
    return broadcast_shapes([a, b])


def _written_sizes(target) -> Optional[tuple]:
    """The shape a reshape gives an array of unknown shape: the sizes written, the one -1 unknown; None when a size
    is not known or not valid."""
    if _int(target):
        target = (target,)
    if not isinstance(target, (tuple, list)) or not target or not all(_int(d) for d in target) or \
            list(target).count(-1) > 1 or any(d < -1 or d == 0 for d in target):
        return None
    return tuple(None if d == -1 else d for d in target)


def _reshape(shape: tuple, target) -> Optional[tuple]:
    """numpy reshape with at most one -1; None when it cannot be worked out (or does not divide)."""
    if _int(target):
        target = (target,)
    if not isinstance(target, (tuple, list)) or not all(_int(d) for d in target):
        return None
    target = tuple(target)
    if target.count(-1) > 1:
        return None
    total = 1
    for d in shape:
        if not is_known(d):
            total = None
            break
        total *= d
    if -1 in target:
        rest = 1
        for d in target:
            if d != -1:
                rest *= d
        if total is None:
            # the unknown batch axis: reshape(-1, 28, 28, 1) of (N, 784) keeps N unknown
            return tuple(None if d == -1 else d for d in target)
        if rest == 0 or total % rest:
            return None
        return tuple(total // rest if d == -1 else d for d in target)
    if total is not None and total != _prod(target):
        return None
    return target


def _prod(t):
    p = 1
    for d in t:
        p *= d
    return p


def _axis(axis, rank):
    if not _int(axis):
        return None
    a = axis + rank if axis < 0 else axis
    return a if 0 <= a < rank else None


# -- constructors ----------------------------------------------------------------------------------------------
def _varargs_constructor(lib: str):
    def handler(ev, call):
        dtype = "float32" if lib == "torch" else "float64"
        if "dtype" in call.kwargs:
            dtype = dtype_name(call.kwargs["dtype"])
        if lib == "numpy" and not call.args and not call.kwargs and not call.starred:
            return Number("float")  # np.random.rand(): one Python float
        return tensor_val(ev, call, _varargs_shape(call), lib, dtype)
    return handler


api.handles("numpy.random.rand", "numpy.random.randn")(_varargs_constructor("numpy"))
api.handles("torch.rand", "torch.randn", "torch.zeros", "torch.ones", "torch.empty")(_varargs_constructor("torch"))


@api.handles("numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full", "numpy.random.random",
             "numpy.random.random_sample", "numpy.random.normal", "numpy.random.uniform",
             "numpy.random.standard_normal", "numpy.random.sample")
def shape_constructor(ev, call):
    if "size" in call.kwargs:
        shape = _dims(call.kwargs["size"])
    elif call.callee_text.endswith(("normal", "uniform")) and not call.callee_text.endswith("standard_normal"):
        shape = _dims(call.get(2, "size", None))
    else:
        shape = _dims(call.get(0, "shape", None))
    drawn = not call.callee_text.endswith(("zeros", "ones", "empty", "full"))
    if drawn and shape is None and call.get(2 if call.callee_text.endswith(("normal", "uniform")) else 0, "size",
                                            None) is None and "size" not in call.kwargs and not call.starred:
        return Number("float")  # rng.normal(), np.random.random(): one Python float
    dtype = "float64"
    if "dtype" in call.kwargs:
        dtype = dtype_name(call.kwargs["dtype"])
    return tensor_val(ev, call, shape, "numpy", dtype)


def _int_range(low, high):
    if _int(low) and high is None:
        return (0, low)
    if _int(low) and _int(high):
        return (low, high)
    return None


@api.handles("numpy.random.randint")
def randint(ev, call):
    low, high = call.get(0, "low", None), call.get(1, "high", None)
    rng = _int_range(low, high)
    dtype = "int64"
    if "dtype" in call.kwargs:
        dtype = dtype_name(call.kwargs["dtype"])
    size = call.get(2, "size", None)
    # no size: one number (a 0-d value whose range is known), as a scalar it broadcasts against anything
    return tensor_val(ev, call, _dims(size) if size is not None else (), "numpy", dtype,
                      meta={"int_range": rng} if rng else None)


@api.handles("numpy.random.choice")
def choice(ev, call):
    shape = _dims(call.get(1, "size", None))
    a = call.get(0, "a", None)
    meta = {"int_range": (0, a)} if _int(a) else None
    return tensor_val(ev, call, shape, "numpy", "int64" if _int(a) else None, meta=meta)


@api.handles("numpy.random.permutation")
def permutation(ev, call):
    a = call.args[0] if call.args else None
    if _int(a):
        return tensor_val(ev, call, (a,), "numpy", "int64")
    if isinstance(a, TensorVal):
        return make(a.shape, a.lib, a.value.dtype, like=a)
    return UNRESOLVED


class NumpyGenerator:
    """``np.random.default_rng(seed)``: its methods make arrays as the ``np.random`` functions do."""


@api.handles("numpy.random.default_rng", "numpy.random.Generator", "numpy.random.RandomState")
def default_rng(ev, call):
    return NumpyGenerator()


@api.method(NumpyGenerator, "normal", "uniform", "random", "standard_normal", "random_sample", "rand", "randn")
def rng_floats(ev, rng, call):
    name = call.callee_text.rsplit(".", 1)[-1]
    if name in ("rand", "randn"):  # RandomState's legacy spellings
        return _varargs_constructor("numpy")(ev, call)
    return shape_constructor(ev, call)


# other distributions: where their ``size`` goes, and whether they draw integers
_DISTRIBUTIONS = {"gamma": (2, False), "beta": (2, False), "lognormal": (2, False), "laplace": (2, False),
                  "logistic": (2, False), "gumbel": (2, False), "binomial": (2, True), "exponential": (1, False),
                  "chisquare": (1, False), "standard_gamma": (1, False), "poisson": (1, True), "geometric": (1, True),
                  "standard_exponential": (0, False)}


def _distribution(ev, call):
    position, integers = _DISTRIBUTIONS[call.callee_text.rsplit(".", 1)[-1]]
    size = call.kwargs["size"] if "size" in call.kwargs else call.get(position, "size", None)
    return tensor_val(ev, call, _dims(size) if size is not None else (), "numpy", "int64" if integers else "float64")


api.handles(*(f"numpy.random.{name}" for name in _DISTRIBUTIONS))(_distribution)
api.method(NumpyGenerator, *_DISTRIBUTIONS)(lambda ev, rng, call: _distribution(ev, call))


@api.method(NumpyGenerator, "integers", "randint")
def rng_integers(ev, rng, call):
    out = randint(ev, call)
    if call.kwargs.get("endpoint") is True and isinstance(out, TensorVal) and out.meta.get("int_range"):
        lo, hi = out.meta["int_range"]
        out.meta["int_range"] = (lo, hi + 1)  # endpoint=True: high is one of the values
    return out


@api.method(NumpyGenerator, "choice")
def rng_choice(ev, rng, call):
    return choice(ev, call)


@api.method(NumpyGenerator, "permutation")
def rng_permutation(ev, rng, call):
    return permutation(ev, call)


@api.method(NumpyGenerator, "shuffle")
def rng_shuffle(ev, rng, call):
    return None


@api.handles("tensorflow.random.normal", "tensorflow.random.uniform", "tensorflow.zeros", "tensorflow.ones",
             "keras.random.normal", "keras.random.uniform", "keras.ops.zeros", "keras.ops.ones")
def tf_constructor(ev, call):
    dtype = "float32"
    if "dtype" in call.kwargs:
        dtype = dtype_name(call.kwargs["dtype"])
    meta = None
    if call.callee_text.endswith("uniform") and dtype and dtype.startswith("int"):
        rng = _int_range(call.get(1, "minval", 0), call.get(2, "maxval", None))
        meta = {"int_range": rng} if rng else None
    return tensor_val(ev, call, _dims_with_batch(call.get(0, "shape", None)), "tf", dtype, meta=meta)


def _dims_with_batch(value):
    """A shape argument where the batch size may come from ``ops.shape(x)[0]`` of a symbolic tensor (unknown):
    ``keras.random.normal(shape=(batch, dim))`` in a VAE's sampling layer."""
    if isinstance(value, (tuple, list)) and any(isinstance(d, SymDim) for d in value):
        rest = _dims(tuple(d for d in value if not isinstance(d, SymDim)))
        if rest is None:
            return None
        it = iter(rest)
        return tuple(None if isinstance(d, SymDim) else next(it) for d in value)
    return _dims(value)


@api.handles("torch.randint")
def torch_randint(ev, call):
    args = list(call.args)
    size = call.kwargs.get("size")
    if size is None and args and isinstance(args[-1], (tuple, list)):
        size = args.pop()
    if "low" in call.kwargs or "high" in call.kwargs:
        rng = _int_range(call.kwargs.get("low", 0), call.kwargs.get("high"))
    elif len(args) == 1:
        rng = _int_range(args[0], None)
    elif len(args) >= 2:
        rng = _int_range(args[0], args[1])
    else:
        rng = None
    dtype = dtype_name(call.kwargs["dtype"]) if "dtype" in call.kwargs else "int64"
    return tensor_val(ev, call, _dims(size), "torch", dtype, meta={"int_range": rng} if rng else None)


@api.handles("torch.randn_like", "torch.rand_like", "torch.zeros_like", "torch.ones_like", "torch.empty_like",
             "numpy.zeros_like", "numpy.ones_like", "numpy.empty_like", "numpy.full_like",
             "tensorflow.zeros_like", "tensorflow.ones_like")
def like_constructor(ev, call):
    x = call.args[0] if call.args else None
    if not isinstance(x, TensorVal):
        return UNRESOLVED
    dtype = dtype_name(call.kwargs["dtype"]) if "dtype" in call.kwargs else x.value.dtype
    return make(x.shape, x.lib, dtype, ev, call.node)


def _nested_shape(v):
    """Shape and element kind of a nested list literal: ((2, 3), 'int') / ((2,), 'float'), or None."""
    if isinstance(v, (list, tuple)):
        if not v:
            return (0,), None
        subs = [_nested_shape(x) for x in v]
        if any(s is None for s in subs) or len({s[0] for s in subs}) != 1:
            return None
        kinds = {s[1] for s in subs}
        kind = "float" if "float" in kinds else ("int" if kinds == {"int"} else "str" if kinds == {"str"} else None)
        if "str" in kinds and kind != "str":
            return None  # strings mixed with numbers: an object array
        return (len(v),) + subs[0][0], kind
    if isinstance(v, (str, Text)):
        return (), "str"  # labels written as names: np.array(["cat", "dog"]) is (2,), of strings
    kind = number_kind(v)  # a number written out, or one whose value is not known (float(reward))
    if kind is not None:
        return (), kind
    if isinstance(v, TensorVal) and v.shape is not None:
        return tuple(v.shape), None
    return None


@api.handles("numpy.array", "numpy.asarray", "numpy.asanyarray", "numpy.ascontiguousarray", "numpy.float32",
             "numpy.float64", "numpy.int64", "numpy.int32", "numpy.uint8", "tensorflow.constant",
             "tensorflow.convert_to_tensor", "keras.ops.convert_to_tensor", "keras.ops.array",
             "keras.ops.convert_to_numpy")
@api.takes_numbers
def array(ev, call):
    x = call.args[0] if call.args else call.kwargs.get("value", call.kwargs.get("object"))
    lib = "tf" if "tensorflow" in api.canonical(call.callee_text) or call.callee_text.startswith("tf.") else "numpy"
    name = call.callee_text.rsplit(".", 1)[-1]
    cast = dtype_name(name) if name not in ("array", "asarray", "asanyarray", "ascontiguousarray", "constant",
                                             "convert_to_tensor", "convert_to_numpy") else None
    dt = dtype_name(call.kwargs.get("dtype")) if "dtype" in call.kwargs else None
    if len(call.args) > 1 and lib == "numpy" and dt is None:
        dt = dtype_name(call.args[1])
    if isinstance(x, TensorVal):
        dtype = cast or dt or (x.value.dtype if "dtype" not in call.kwargs else None)
        if name == "convert_to_numpy":  # whatever it was, a numpy array now (an eager layer's output, a tensor)
            return make(x.shape, "numpy", dtype, like=x)
        return make(x.shape, lib if lib == "tf" else (x.lib if x.lib != "torch" else "numpy"), dtype, like=x)
    if isinstance(x, RowList):
        return _rows_array(ev, call, x, lib if lib == "tf" else None, cast or dt)
    as_array = api.find_method(x, "__array__")  # a pandas frame or series: np.array(df) is df.to_numpy()
    if as_array is not None and lib == "numpy":
        return as_array(ev, x, call.node, cast or dt)
    got = _nested_shape(x)
    if x is UNRESOLVED and lib == "numpy" and name in ("array", "asarray", "asanyarray", "ascontiguousarray"):
        return make(None, lib, cast or dt, ev, call.node)  # an array, whatever it holds: its shape is not known
    if got is None or got[0] == ():
        return UNRESOLVED
    shape, kind = got
    dtype = cast or dt or kind_dtype(kind, lib)
    rng = int_range_of(x)
    return make(shape, lib, dtype, ev, call.node, meta={"int_range": rng} if rng else {})


def kind_dtype(kind: Optional[str], lib: str) -> Optional[str]:
    """The dtype ``lib`` gives an array of Python numbers of ``kind`` ("int", "float", "bool"): floats are float64 in
    numpy (and in torch's default_collate), float32 in torch and TensorFlow."""
    return {"int": "int64", "float": "float64" if lib == "numpy" else "float32", "bool": "bool"}.get(kind)


def element_dtype(x, lib: str) -> Optional[str]:
    """The dtype ``lib`` gives an array made from the nested list ``x`` (numbers written out or not known), or
    None when its items are not all numbers."""
    got = _nested_shape(x)
    return kind_dtype(got[1] if got is not None else None, lib)


def int_range_of(x) -> Optional[tuple]:
    """(lowest, highest + 1) of a nested list that holds integers only (class ids written out or built by a
    comprehension: ``[label_map[p] for p in raw]``), the range the label and id checks read; None otherwise."""
    got = _nested_shape(x) if isinstance(x, (list, tuple)) else None
    if got is None or got[1] != "int" or _holds_number(x):
        return None
    flat = _flat(x)
    return (min(flat), max(flat) + 1) if flat else None


@api.handles("numpy.lib.stride_tricks.as_strided")
def as_strided(ev, call):
    """``as_strided(a, shape=(n - w + 1, w) + a.shape[-1:], strides=...)``: a view of the stated shape (sliding
    windows without a copy); unknown when the shape is not given or not known."""
    x = call.get(0, "x", None)
    shape = call.get(1, "shape", None)
    if not isinstance(x, TensorVal) or not isinstance(shape, (tuple, list)) or \
            not all(_int(d) and d >= 0 for d in shape):
        return UNRESOLVED
    return make(tuple(shape), x.lib, x.value.dtype, ev, call.node, like=x, shaped_at=ev_span(call.node))


@api.handles("numpy.lib.stride_tricks.sliding_window_view")
def sliding_window_view(ev, call):
    """``sliding_window_view(a, w, axis=0)``: every window of ``w`` along the axis -- that axis shrinks to
    ``n - w + 1`` and the window's own axis is appended last (numpy's layout: (n - w + 1, features, w) for a
    (n, features) series windowed on axis 0)."""
    x = call.get(0, "x", None)
    window, axis = call.get(1, "window_shape", None), call.get(2, "axis", None)
    if not isinstance(x, TensorVal) or x.shape is None:
        return UNRESOLVED
    windows = list(window) if isinstance(window, (tuple, list)) else [window]
    axes = list(axis) if isinstance(axis, (tuple, list)) else [axis] if axis is not None else \
        list(range(len(x.shape))) if len(windows) == len(x.shape) else None
    rank = len(x.shape)
    if axes is None or len(axes) != len(windows) or not all(_int(w) and w > 0 for w in windows) or \
            not all(_int(a) and -rank <= a < rank for a in axes):
        return UNRESOLVED
    shape = list(x.shape)
    for w, a in zip(windows, axes):
        if not is_known(shape[a % rank]) or shape[a % rank] < w:
            return UNRESOLVED
        shape[a % rank] = shape[a % rank] - w + 1
    return make(tuple(shape) + tuple(windows), x.lib, x.value.dtype, ev, call.node, like=x,
                shaped_at=ev_span(call.node))


@api.handles("numpy.load")
def np_load(ev, call):
    """``np.load("x_train.npy")``: an array of unknown shape (an ``.npz`` path gives a mapping of arrays instead, and
    a path not written out could be either)."""
    path = call.get(0, "file", None)
    if isinstance(path, str) and path.lower().endswith(".npy"):
        return make(None, "numpy", None, ev, call.node)
    return UNRESOLVED


def _holds_number(v) -> bool:
    """Whether a nested list holds a :class:`Number` (an int not known: the list's range is not known either)."""
    return any(_holds_number(x) if isinstance(x, (list, tuple)) else isinstance(x, Number) for x in v)


def _flat(v):
    out = []
    for x in v:
        if isinstance(x, (list, tuple)):
            out.extend(_flat(x))
        elif _int(x):
            out.append(x)
    return out


@api.handles("<unknown>.reshape")
def reshape_of_unknown(ev, call):
    """``x.reshape(-1, 3, 32, 32)`` of an array whose shape is unknown: every size but the one ``-1`` is written in
    the call, so the result is (None, 3, 32, 32). Its dtype stays unknown; its library is taken as NumPy, where such
    arrays come from (a pickle, a file), so a check keyed on torch or Keras tensors does not read it."""
    sizes = call.args[0] if len(call.args) == 1 and isinstance(call.args[0], (tuple, list)) else call.args
    if call.kwargs or not sizes or not all(_int(v) and (v > 0 or v == -1) for v in sizes) or \
            sum(1 for v in sizes if v == -1) > 1:
        return UNRESOLVED
    return make(tuple(None if v == -1 else v for v in sizes), "numpy", None, ev, call.node)


@api.handles("numpy.arange")
def arange(ev, call):
    a = [x for x in call.args]
    if len(a) == 1 and _int(a[0]):
        return make((max(a[0], 0),), "numpy", "int64", ev, call.node, meta={"int_range": (0, a[0])})
    if len(a) >= 2 and all(_int(x) for x in a[:3]):
        r = range(*a[:3])
        return make((len(r),), "numpy", "int64", ev, call.node)
    if 1 <= len(a) <= 3 and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in a):
        # a float bound or step: numpy's length is ceil((stop - start) / step), in the same double arithmetic
        start, stop, step = (0, a[0], 1) if len(a) == 1 else (a[0], a[1], a[2] if len(a) == 3 else 1)
        if step == 0 or not all(math.isfinite(v) for v in (start, stop, step)):
            return UNRESOLVED
        n = max(math.ceil((stop - start) / step), 0)
        return make((n,), "numpy", "float64", ev, call.node) if n <= 10 ** 9 else UNRESOLVED
    return UNRESOLVED


@api.handles("keras.ops.arange")
def keras_arange(ev, call):
    """keras.ops.arange(start, stop=None, step=1): like range(); one argument is the stop (Keras 3 numpy.py)."""
    start = call.get(0, "start", UNRESOLVED)
    stop = call.get(1, "stop", None)
    step = call.get(2, "step", 1)
    if stop is None:
        start, stop = 0, start
    if step == 0:
        return UNRESOLVED
    if not (_int(start) and _int(stop) and _int(step)):  # a length read from a symbolic tensor: 1-D all the same
        return make((None,), "tf", "int32", ev, call.node)
    r = range(start, stop, step)
    n = stop if start == 0 and step == 1 and stop > 0 else len(r)  # the stop as written: where the length came from
    made = make((n,), "tf", "int32", ev, call.node, meta={"int_range": (min(r), max(r) + 1)} if r else None)
    if r and min(r) >= 0:  # positions: their range is what an embedding table they index must cover
        made.value = Ids(made.value.shape, made.value.dtype, min(r), max(r) + 1)
    return made


@api.handles("keras.ops.shape")
def keras_shape(ev, call):
    """keras.ops.shape(x): a tuple of the dims, each unknown one (None in Keras) unresolved."""
    x = _first_tensor(call)
    if x is None:
        return UNRESOLVED
    return tuple(d if _int(d) else UNRESOLVED for d in x.shape)


@api.handles("numpy.linspace")
def linspace(ev, call):
    n = call.get(2, "num", 50)
    return make((n,), "numpy", "float64", ev, call.node) if _int(n) else UNRESOLVED


@api.handles("numpy.eye", "numpy.identity", "torch.eye", "tensorflow.eye")
def eye(ev, call):
    n = call.get(0, "N", call.kwargs.get("n", call.kwargs.get("num_rows")))
    m = call.get(1, "M", None)
    if not _int(n):
        return UNRESOLVED
    m = m if _int(m) else n
    lib = _lib_of(call.callee_text)
    return make((n, m), lib, "float32" if lib != "numpy" else "float64", ev, call.node, meta={"eye": m})


# -- numpy functions on data -----------------------------------------------------------------------------------
def _first_tensor(call):
    x = call.args[0] if call.args else None
    return x if isinstance(x, TensorVal) and x.shape is not None else None


@api.handles("numpy.expand_dims", "tensorflow.expand_dims", "keras.ops.expand_dims")
def expand_dims(ev, call):
    x = _first_tensor(call)
    axis = call.get(1, "axis", None)
    if x is None or not _int(axis):
        return UNRESOLVED
    rank = len(x.shape) + 1
    a = _axis(axis, rank)
    if a is None:
        return UNRESOLVED
    shape = tuple(x.shape)
    return make(shape[:a] + (1,) + shape[a:], x.lib if x.lib != "torch" else "numpy", x.value.dtype, like=x)


@api.handles("numpy.reshape", "tensorflow.reshape", "keras.ops.reshape")
def np_reshape(ev, call):
    x = _first_tensor(call)
    target = call.get(1, "newshape", call.kwargs.get("shape"))
    if x is None:
        return UNRESOLVED
    shape = _reshape(tuple(x.shape), target)
    if shape is None:
        return UNRESOLVED
    if not call.callee_text.startswith(("keras", "ops.")):  # Keras ops on data: rules/keras/ops.py says it
        _undone_reorder(ev, x, shape, call)
    _reshape_reorders(ev, x, shape, call, function=True, written=target)
    # the data was made where it was made; its layout is set here (unless the reshape keeps it)
    return make(shape, x.lib, x.value.dtype, like=x,
                shaped_at=None if same_layout(shape, x.shape) else ev_span(call.node))


@api.handles("numpy.transpose", "tensorflow.transpose")
def np_transpose(ev, call):
    x = _first_tensor(call)
    axes = call.get(1, "axes", call.kwargs.get("perm"))
    if x is None:
        return UNRESOLVED
    return _transpose(x, axes, ev, call.node)


@api.handles("numpy.moveaxis", "numpy.rollaxis", "numpy.swapaxes")
def np_moveaxis(ev, call):
    """``np.moveaxis(a, source, destination)``, ``np.rollaxis(a, axis, start=0)``, ``np.swapaxes(a, a1, a2)``: a
    transpose, written where the layout is set (the root-cause analysis points there)."""
    x = _first_tensor(call)
    if x is None or x.shape is None:
        return UNRESOLVED
    name = call.callee_text.rsplit(".", 1)[-1]
    rank = len(x.shape)
    if name == "swapaxes":
        a, b = _axis(call.get(1, "axis1", None), rank), _axis(call.get(2, "axis2", None), rank)
        if a is None or b is None:
            return UNRESOLVED
        order = list(range(rank))
        order[a], order[b] = order[b], order[a]
    elif name == "rollaxis":
        a, start = _axis(call.get(1, "axis", None), rank), call.get(2, "start", 0)
        if a is None or not _int(start) or not -rank <= start <= rank:
            return UNRESOLVED
        start = start + rank if start < 0 else start
        order = [i for i in range(rank) if i != a]
        order.insert(start - 1 if start > a else start, a)
    else:
        src, dst = call.get(1, "source", None), call.get(2, "destination", None)
        src, dst = (src,) if _int(src) else src, (dst,) if _int(dst) else dst
        if not isinstance(src, (tuple, list)) or not isinstance(dst, (tuple, list)) or len(src) != len(dst):
            return UNRESOLVED
        src, dst = [_axis(s, rank) for s in src], [_axis(d, rank) for d in dst]
        if None in src or None in dst:
            return UNRESOLVED
        rest = [i for i in range(rank) if i not in src]
        order = [None] * rank
        for s, d in sorted(zip(dst, src)):
            order[s] = d
        it = iter(rest)
        order = [o if o is not None else next(it) for o in order]
    return _transpose(x, tuple(order), ev, call.node)


def _transpose(x, axes, ev=None, node=None):
    """``x`` transposed; made at ``node`` (where its layout is set) when the transpose changes the layout."""
    shape = tuple(x.shape)
    if axes is None or axes == ():
        axes = tuple(reversed(range(len(shape))))
    if isinstance(axes, (list, tuple)) and len(axes) == len(shape) and all(_int(a) for a in axes):
        norm = [_axis(a, len(shape)) for a in axes]
        if None in norm or sorted(norm) != list(range(len(shape))):
            return UNRESOLVED
        out = tuple(shape[a] for a in norm)
        moved = node is not None and ev is not None and norm != sorted(norm)
        return make(out, x.lib, x.value.dtype, like=x, shaped_at=ev.span(node) if moved else None)
    return UNRESOLVED


@api.handles("numpy.squeeze", "tensorflow.squeeze")
def np_squeeze(ev, call):
    x = _first_tensor(call)
    if x is None:
        return UNRESOLVED
    return _squeeze(x, call.get(1, "axis", None))


def _squeeze(x, axis):
    shape = tuple(x.shape)
    if axis is None:
        if any(not is_known(d) for d in shape):
            return UNRESOLVED
        return make(tuple(d for d in shape if d != 1), x.lib, x.value.dtype, like=x)
    a = _axis(axis, len(shape))
    if a is None:
        return UNRESOLVED
    if shape[a] == 1:
        return make(shape[:a] + shape[a + 1:], x.lib, x.value.dtype, like=x)
    if x.lib == "torch" and is_known(shape[a]):
        return make(shape, x.lib, x.value.dtype, like=x)  # torch keeps a non-1 axis
    return UNRESOLVED


@api.handles("numpy.stack", "tensorflow.stack", "torch.stack")
def np_stack(ev, call):
    items = call.args[0] if call.args else None
    axis = call.get(1, "axis", call.kwargs.get("dim", 0))
    if isinstance(items, RowList) and _int(axis) and axis == 0 and isinstance(items.item, TensorVal):
        return _rows_array(ev, call, items, items.item.lib)
    if not isinstance(items, (list, tuple)) or not items or not all(isinstance(t, TensorVal) and t.shape is not None
                                                                      for t in items):
        return UNRESOLVED
    if "torch" in call.callee_text and (fn := api._HANDLERS.get("__torch_stack__")):
        return fn(ev, call)
    shapes = {tuple(t.shape) for t in items}
    if len(shapes) != 1:
        _stacked_shapes_differ(ev, call, items)
        return UNRESOLVED
    if not _int(axis):
        return UNRESOLVED
    shape = shapes.pop()
    a = _axis(axis, len(shape) + 1)
    if a is None:
        return UNRESOLVED
    # separate signals (N, T) stacked on axis 1: (N, signals, T). Remembered for the check that sees what reads it
    meta = {"stacked_signals": len(items)} if len(shape) == 2 and a == 1 else None
    return make(shape[:a] + (len(items),) + shape[a:], items[0].lib, items[0].value.dtype, ev, call.node, meta=meta)


def _stacked_shapes_differ(ev, call, items: list) -> None:
    """``np.stack(arrays)`` raises "all input arrays must have the same shape" (TensorFlow's stack, its own error):
    reported when every shape is known exactly -- sliding windows counted past the end of the series give shorter
    slices at the end (rootcause/causes/windows.py finds the count)."""
    shapes = [tuple(t.shape) for t in items]
    if ev.uncertain or any(t.lib not in ("numpy", "tf") for t in items) or \
            not all(isinstance(d, int) and not isinstance(d, bool) for s in shapes for d in s):
        return
    first = shapes[0]
    other = next(i for i, s in enumerate(shapes) if s != first)
    emit(ev, "merge-shape-mismatch", ev_span(call.node), f"item {other} is {shapes[other]}",
         kind=call.callee_text.rsplit(".", 1)[-1], shapes=f"{first} and {shapes[other]}",
         detail=f"every array must have the same shape, but item 0 is {first} and item {other} is {shapes[other]}",
         remedy=remedies.stack_same_shapes(), severity="error")


@api.handles("numpy.concatenate", "numpy.vstack", "numpy.hstack", "numpy.column_stack", "tensorflow.concat")
def np_concat(ev, call):
    items = call.args[0] if call.args else None
    name = call.callee_text.rsplit(".", 1)[-1]
    if not isinstance(items, (list, tuple)) or not items or not all(isinstance(t, TensorVal) and t.shape is not None
                                                                      for t in items):
        return UNRESOLVED
    shapes = [tuple(t.shape) for t in items]
    if name == "column_stack":  # 1-D arrays become columns, 2-D arrays are joined along axis 1
        shapes = [s + (1,) if len(s) == 1 else s for s in shapes]
        name, axis = "concatenate", 1
        call = api.Call(call.node, [items, 1], {}, call.arg_nodes, {}, call.callee_text)
    if name == "vstack":
        shapes = [s if len(s) > 1 else (1,) + s for s in shapes]
        axis = 0
    elif name == "hstack":
        axis = 0 if len(shapes[0]) == 1 else 1
    else:
        axis = call.get(1, "axis", 0)
    if not _int(axis) or len({len(s) for s in shapes}) != 1:
        return UNRESOLVED
    rank = len(shapes[0])
    a = _axis(axis, rank)
    if a is None:
        return UNRESOLVED
    total = 0
    for s in shapes:
        total = total + s[a] if (total is not None and is_known(s[a])) else None
    out = list(shapes[0])
    out[a] = total
    for i in range(rank):
        if i != a and any(s[i] != shapes[0][i] for s in shapes):
            out[i] = None
    laid = {t.shaped_at for t in items}
    # batches joined end to end (axis 0) keep the layout each was given, when one line gave it to all of them (a
    # loader's reshape called per batch): a fix of their axes belongs there, for the test batches too
    shaped_at = laid.pop() if a == 0 and len(laid) == 1 and None not in laid and rank > 1 else None
    return make(tuple(out), items[0].lib, items[0].value.dtype, ev, call.node, shaped_at=shaped_at)


def _reduce_axis(x, axis, keepdims, dtype=None):
    shape = tuple(x.shape)
    if axis is None:
        return make(((1,) * len(shape)) if keepdims is True else (), x.lib, dtype or x.value.dtype, like=x)
    if isinstance(axis, (tuple, list)) and dtype == "int64":
        return UNRESOLVED  # argmax / argmin take one axis
    named = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)  # `X.mean(axis=(0, 1))`: several at once
    axes = {_axis(a, len(shape)) for a in named}
    if not named or None in axes or len(axes) != len(named):
        return UNRESOLVED
    new = tuple((1,) if i in axes else (d,) for i, d in enumerate(shape) if keepdims is True or i not in axes)
    return make(tuple(d for part in new for d in part), x.lib, dtype or x.value.dtype, like=x)


def _axis_past_rank(ev, call, x, axis, arg_node) -> None:
    """NumPy raises ``AxisError: axis 1 is out of bounds for array of dimension 1`` for an axis the array does not
    have. Reported only for a NumPy array whose rank is known on every path (a torch tensor's ``dim`` is the rules'),
    at the call. ``argmax(axis=1)`` of one score per sample is the multi-class recipe applied to a binary model's
    output: the labels are the scores thresholded."""
    if ev.uncertain or ev.caught or x.lib != "numpy" or x.shape is None or not _int(axis) or \
            _axis(axis, len(x.shape)) is not None:
        return
    kind = call.callee_text.rsplit(".", 1)[-1]
    rank = len(x.shape)
    scores = kind in ("argmax", "argmin") and rank == 1 and str(x.value.dtype).startswith(("float", "half", "double"))
    written = span_text(ev, ev_span(call.arg_nodes[0])) if scores and call.arg_nodes else None
    remedy = remedies.threshold_scores(written) if scores else remedies.axis_within_rank(rank)
    fix = Fix("display-only", remedy) if scores else None
    emit(ev, "axis-out-of-range", ev_span(arg_node if arg_node is not None else call.node),
         remedies.axis_past_rank_label(axis, rank), kind=kind, arg="axis", axis=axis, rank=rank,
         received_shape=tuple(x.shape), remedy=remedy, severity="error", fix=fix)


def _picked_over_samples(ev, call, x, axis) -> None:
    """``np.argmax(model.predict(x), axis=0)``: for each class, the index of the sample that scores highest -- C
    numbers instead of one label per sample (and ``zip`` with the file names silently truncates). Only for a
    model's (N, C) predictions, the very array ``predict`` returned (not a transpose of it)."""
    if ev.uncertain or x.lib != "numpy" or not x.meta.get("predictions") or x.shape is None or len(x.shape) != 2 or \
            not _int(x.shape[1]) or x.shape[1] < 2 or axis % 2 != 0 or x.meta.get("as_predicted") is not x:
        return
    node = call.node_of(1, "axis")
    kind = call.callee_text.rsplit(".", 1)[-1]
    remedy = remedies.pick_per_sample(kind)
    fix = Fix("unsafe", remedy, [Edit(ev_span(node), "1")]) if node is not None else None
    emit(ev, "reduction-over-batch-axis", ev_span(node if node is not None else call.node),
         remedies.over_the_samples_label(tuple(x.shape)), op=kind, axis=0, received_shape=tuple(x.shape),
         remedy=remedy, fix=fix, severity="warning")


@api.handles("numpy.argmax", "numpy.argmin", "tensorflow.argmax", "tensorflow.math.argmax")
def np_argmax(ev, call):
    x = _first_tensor(call)
    if x is None:
        return UNRESOLVED
    axis = call.get(1, "axis", None)
    if call.callee_text.startswith(("np.", "numpy.")) or not call.callee_text.startswith(("tf.", "tensorflow.")):
        _axis_past_rank(ev, call, x, axis, call.node_of(1, "axis"))
        if _int(axis) and x.shape is not None and -len(x.shape) <= axis < len(x.shape):
            numpy_softmax.rows_read(ev, x, axis, ev_span(call.node))
            _picked_over_samples(ev, call, x, axis)
    out = _reduce_axis(x, axis, bool(call.kwargs.get("keepdims", False)), "int64")
    if isinstance(out, DataVal):
        out.meta.pop("onehot", None)
        if x.shape and is_known(x.shape[-1]) and axis in (-1, len(x.shape) - 1):
            out.meta["int_range"] = (0, x.shape[-1])
    return out


@api.handles("numpy.mean", "numpy.sum", "numpy.max", "numpy.min", "numpy.std", "numpy.median", "numpy.var",
             "numpy.amax", "numpy.amin", "numpy.nanmean", "numpy.nanmedian", "numpy.nanstd", "numpy.nansum",
             "numpy.average", "numpy.prod")
def np_reduce(ev, call):
    x = _first_tensor(call)
    if x is None:
        return UNRESOLVED
    out = _reduce_axis(x, call.get(1, "axis", None), bool(call.kwargs.get("keepdims", False)))
    numpy_softmax.note_reduction(out, x, call.callee_text.rsplit(".", 1)[-1], call.get(1, "axis", None), call.node,
                                 method=False)
    return out


@api.handles("numpy.linalg.norm")
def np_norm(ev, call):
    """A norm is a reduction: over ``axis`` (every axis when not given), the axis kept with ``keepdims=True``."""
    x = _first_tensor(call)
    if x is None:
        return UNRESOLVED
    axis = call.get(2, "axis", None)
    if axis is None and x.shape is not None and len(x.shape) > 2 and call.get(1, "ord", None) is not None:
        return UNRESOLVED  # a matrix norm of a stack: not followed
    return _reduce_axis(x, axis, bool(call.get(3, "keepdims", False)), _float_dtype(x.value.dtype, x.lib))


@api.handles("numpy.log", "numpy.exp", "numpy.sqrt", "numpy.abs", "numpy.clip", "numpy.tanh", "numpy.sin",
             "numpy.cos", "numpy.round", "numpy.nan_to_num", "numpy.copy", "tensorflow.cast", "keras.ops.cast")
def elementwise(ev, call):
    x = call.args[0] if call.args else None
    if not isinstance(x, TensorVal):
        return _on_number(call, x)
    dtype = x.value.dtype
    if call.callee_text.endswith("cast"):
        dtype = dtype_name(call.get(1, "dtype", None))
    elif call.callee_text.rsplit(".", 1)[-1] in ("log", "exp", "sqrt", "tanh", "sin", "cos"):
        dtype = _float_dtype(dtype, x.lib)
    out = make(x.shape, x.lib, dtype, like=x)
    if x.lib == "numpy" and call.callee_text.rsplit(".", 1)[-1] == "exp":
        numpy_softmax.note_exp(out, x)
    else:
        numpy_softmax.forget(out)  # log(exp(z)) is no exp any more
    return out


_NUMBER_FUNCS = {"log": math.log, "exp": math.exp, "sqrt": math.sqrt, "abs": abs, "tanh": math.tanh,
                 "sin": math.sin, "cos": math.cos}


def _on_number(call, x):
    """``np.sqrt(self.depth)`` of a Python number: a number (an attention scale), as math.sqrt gives."""
    fn = _NUMBER_FUNCS.get(call.callee_text.rsplit(".", 1)[-1])
    if fn is None or len(call.args) != 1 or call.kwargs or isinstance(x, bool) or not isinstance(x, (int, float)):
        return UNRESOLVED
    try:
        return float(fn(x)) if fn is not abs else fn(x)
    except (ValueError, OverflowError):
        return UNRESOLVED


def _prod_of_numbers(prev):
    """``np.prod(IMG_SHAPE)`` / ``math.prod(shape)`` of a tuple or list of known ints: their product, keeping where
    each factor was written (``int(np.prod((1, 28, 28)))`` sizes a generator's last Linear)."""
    def handler(ev, call, *rest):
        items = call.args[0] if len(call.args) == 1 and not call.kwargs else None
        if isinstance(items, (tuple, list)) and items and all(_int(v) for v in items):
            total = 1
            for v in items:
                total = total * v
            return total
        return (prev(ev, call, *rest) if rest else prev(ev, call)) if prev is not None else UNRESOLVED
    return handler


for _name in ("numpy.prod", "numpy.product", "math.prod"):
    api.handles(_name)(_prod_of_numbers(api._HANDLERS.get(_name)))


@api.handles("numpy.cumsum", "numpy.cumprod", "numpy.diff")
def np_cumulative(ev, call):
    """``np.cumsum(x, axis=0)`` keeps the shape; without an axis the array is flattened first. ``np.diff`` shortens
    its axis (the last by default) by ``n``."""
    x = call.args[0] if call.args else call.kwargs.get("a")
    if not isinstance(x, TensorVal) or x.shape is None:
        return UNRESOLVED
    shape = tuple(x.shape)
    if call.callee_text.endswith("diff"):
        n, axis = call.get(1, "n", 1), call.get(2, "axis", -1)
        a = _axis(axis, len(shape)) if shape else None
        if a is None or not _int(n) or not _int(shape[a]) or n > shape[a]:
            return UNRESOLVED
        return make(shape[:a] + (shape[a] - n,) + shape[a + 1:], x.lib, x.value.dtype, like=x)
    axis = call.get(1, "axis", None)
    if axis is None:
        total = 1
        for d in shape:
            if not _int(d):
                return UNRESOLVED
            total *= d
        return make((total,), x.lib, x.value.dtype, like=x)
    if _axis(axis, len(shape)) is None:
        return UNRESOLVED
    return make(shape, x.lib, x.value.dtype, like=x)


@api.handles("numpy.maximum", "numpy.minimum", "numpy.fmax", "numpy.fmin", "numpy.add", "numpy.subtract",
             "numpy.multiply", "numpy.divide", "numpy.true_divide", "numpy.power", "numpy.hypot")
def np_binary(ev, call):
    """numpy's two-operand element-wise functions: the broadcast shape of the operands (a Python number is 0-D, a
    list of numbers an array). Either operand unknown: unknown."""
    if len(call.args) != 2:
        return UNRESOLVED
    a, b = call.args
    if not isinstance(a, TensorVal) and not isinstance(b, TensorVal):
        return UNRESOLVED
    shapes = [_shape(v) if isinstance(v, TensorVal) else () if isinstance(v, (int, float)) and not isinstance(v, bool)
              else _list_shape(v) for v in (a, b)]
    if any(s is None for s in shapes):
        return UNRESOLVED
    out, _ = broadcast(shapes[0], shapes[1])
    if out is None:
        return UNRESOLVED
    _note_difference(ev, call.callee_text.rsplit(".", 1)[-1] == "subtract", a, b, call.node)
    x = a if isinstance(a, TensorVal) else b
    float_result = call.callee_text.rsplit(".", 1)[-1] in ("divide", "true_divide", "hypot") or \
        any(isinstance(v, float) for v in (a, b))
    return make(out, x.lib, _float_dtype(x.value.dtype, x.lib) if float_result else x.value.dtype, ev, call.node)


@api.handles("numpy.where")
def np_where(ev, call):
    if len(call.args) == 3:
        # a Python number is a 0-D operand; anything we could not follow (a comparison of unknown shape) is unknown
        shapes = [_shape(a) if isinstance(a, TensorVal) else () if isinstance(a, (int, float)) else None
                  for a in call.args]
        if any(s is None for s in shapes):
            return UNRESOLVED
        out, bad = broadcast(shapes[0], shapes[1])
        if out is None:
            return UNRESOLVED
        out, bad = broadcast(out, shapes[2])
        return make(out, "numpy", None, ev, call.node) if out is not None else UNRESOLVED
    return UNRESOLVED


# -- tf.image (image pipelines, tf.data map functions) ------------------------------------------------------------
@api.handles("tensorflow.image.resize", "tensorflow.image.resize_with_pad", "tensorflow.image.resize_with_crop_or_pad",
             "keras.ops.image.resize")
def tf_image_resize(ev, call):
    """An image (H, W, C) or a batch (N, H, W, C) resized to ``size`` = (height, width); the dtype becomes float32
    (resize_with_* keep it)."""
    x = call.args[0] if call.args else call.kwargs.get("images", call.kwargs.get("image"))
    name = call.callee_text.rsplit(".", 1)[-1]
    if name == "resize":
        size = call.get(1, "size", None)
        h, w = size if isinstance(size, (list, tuple)) and len(size) == 2 else (None, None)
    else:
        h, w = call.get(1, "target_height", None), call.get(2, "target_width", None)
    if not isinstance(x, TensorVal) or x.shape is None or len(x.shape) not in (3, 4):
        return UNRESOLVED
    dims = tuple(d if _int(d) else None for d in (h, w))
    dtype = "float32" if name == "resize" else x.value.dtype
    return make(tuple(x.shape[:-3]) + dims + (x.shape[-1],), x.lib, dtype, ev, call.node)


@api.handles("tensorflow.image.rgb_to_grayscale", "tensorflow.image.grayscale_to_rgb")
def tf_image_channels(ev, call):
    x = call.args[0] if call.args else call.kwargs.get("images")
    if not isinstance(x, TensorVal) or not x.shape:
        return UNRESOLVED
    c = 1 if call.callee_text.endswith("rgb_to_grayscale") else 3
    return make(tuple(x.shape[:-1]) + (c,), x.lib, x.value.dtype, ev, call.node)


@api.handles("tensorflow.image.random_flip_left_right", "tensorflow.image.random_flip_up_down",
             "tensorflow.image.random_brightness", "tensorflow.image.random_contrast",
             "tensorflow.image.per_image_standardization", "tensorflow.image.flip_left_right",
             "tensorflow.image.adjust_brightness", "tensorflow.image.random_saturation",
             "tensorflow.image.random_hue")
def tf_image_same(ev, call):
    x = call.args[0] if call.args else call.kwargs.get("image")
    return make(x.shape, x.lib, x.value.dtype, like=x) if isinstance(x, TensorVal) else UNRESOLVED


@api.handles("tensorflow.image.convert_image_dtype")
def tf_image_dtype(ev, call):
    x = call.args[0] if call.args else call.kwargs.get("image")
    if not isinstance(x, TensorVal):
        return UNRESOLVED
    return make(x.shape, x.lib, dtype_name(call.get(1, "dtype", None)), like=x)


@api.handles("tensorflow.image.random_crop")
def tf_random_crop(ev, call):
    size = call.get(1, "size", None)
    dims = _dims(tuple(size) if isinstance(size, list) else size)
    x = call.get(0, "value", None)
    if isinstance(x, TensorVal) and x.shape is not None and dims is not None and len(dims) != len(x.shape):
        return UNRESOLVED  # TensorFlow refuses a crop of another rank (a per-image crop mapped over batches)
    return make(dims, x.lib if isinstance(x, TensorVal) else "tf", x.value.dtype if isinstance(x, TensorVal) else None,
                ev, call.node) if dims is not None else UNRESOLVED


# -- one-hot encodings -----------------------------------------------------------------------------------------
def _ints(values) -> Optional[list]:
    """The ints of a list of lists (token ids), or None when any is not a known int."""
    out = []
    for seq in values:
        if not isinstance(seq, (list, tuple)):
            return None
        for v in seq:
            if not _int(v):
                return None
            out.append(int(v))
    return out


@api.handles("keras.utils.pad_sequences", "keras.preprocessing.sequence.pad_sequences",
             "keras.utils.sequence.pad_sequences")
def pad_sequences(ev, call):
    """``pad_sequences(seqs, maxlen=6)``: (len(seqs), maxlen) int32, padded with ``value`` (0); the ids' range is
    known when every id is (a vocabulary numbered from 1 must not reach the embedding's row count)."""
    seqs = call.get(0, "sequences", None)
    maxlen = call.get(1, "maxlen", None)
    if not isinstance(seqs, (list, tuple)) or not seqs or not all(isinstance(s, (list, tuple)) for s in seqs):
        if not _int(maxlen):
            return UNRESOLVED
        # sequences we cannot follow (drawn at random, read from a file): the width is still maxlen
        rows = len(seqs) if isinstance(seqs, (list, tuple)) and seqs else None
        dtype = dtype_name(call.kwargs["dtype"]) if "dtype" in call.kwargs else "int32"
        return tensor_val(ev, call, (rows, maxlen), "numpy", dtype)
    width = maxlen if _int(maxlen) else max(len(s) for s in seqs)
    ids = _ints(seqs)
    pad = call.kwargs.get("value", 0)
    meta = None
    if ids is not None and _int(pad):
        ids.append(int(pad))
        meta = {"int_range": (min(ids), max(ids) + 1)}
    dtype = dtype_name(call.kwargs["dtype"]) if "dtype" in call.kwargs else "int32"
    return tensor_val(ev, call, (len(seqs), width), "numpy", dtype, meta=meta)


@api.handles("keras.utils.to_categorical", "keras.utils.np_utils.to_categorical", "numpy_utils.to_categorical")
def to_categorical(ev, call):
    y = call.args[0] if call.args else call.kwargs.get("y")
    n = call.get(1, "num_classes", None)
    if not isinstance(y, TensorVal) or y.shape is None:
        return UNRESOLVED
    shape = tuple(y.shape)
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]  # keras squeezes a trailing 1: (N, 1) -> (N, C)
    low = None
    if not _int(n):
        rng = y.meta.get("int_range") or ((0, y.meta["num_classes"]) if y.meta.get("num_classes") else None)
        n = rng[1] if rng and rng[0] >= 0 else None
        low = rng[0] if n and rng[0] > 0 else None  # labels 1..10 -> 11 columns, column 0 never set
    meta = {"onehot": n, "int_range": None} if n else {"int_range": None}
    if low:
        meta["onehot_unused_below"] = low
    out = make(shape + (n,), "numpy", "float64", ev=ev, node=call.node, like=y, meta=meta)
    out.meta.pop("int_range", None)
    return out


@api.handles("tensorflow.one_hot", "keras.ops.one_hot")
def tf_one_hot(ev, call):
    y = call.args[0] if call.args else call.kwargs.get("indices")
    n = call.get(1, "depth", call.kwargs.get("num_classes"))
    if not isinstance(y, TensorVal) or y.shape is None or not _int(n):
        return UNRESOLVED
    out = make(tuple(y.shape) + (n,), "tf", "float32", ev=ev, node=call.node, like=y, meta={"onehot": n})
    out.meta.pop("int_range", None)
    return out


@api.handles("torch.nn.functional.one_hot")
def torch_one_hot(ev, call):
    y = call.args[0] if call.args else call.kwargs.get("tensor")
    n = call.get(1, "num_classes", -1)
    if not isinstance(y, TensorVal) or y.shape is None:
        return UNRESOLVED
    if not _int(n) or n < 0:
        rng = y.meta.get("int_range")
        n = None  # torch uses max(y) + 1: known only from the data
        if rng and rng[0] == 0 and rng[1] == 2:
            n = None
    out = make(tuple(y.shape) + (n,), "torch", "int64", ev=ev, node=call.node, like=y, meta={"onehot": n})
    out.meta.pop("int_range", None)
    return out


# -- methods of data values ------------------------------------------------------------------------------------
def _m(x, name):
    return x.meta


@api.method(DataVal, "reshape")
def m_reshape(ev, x: DataVal, call):
    fn = _delegate(x, "reshape")
    if fn is not None:
        return fn(ev, x, call)
    target = call.args[0] if len(call.args) == 1 else tuple(call.args)
    if "shape" in call.kwargs or "newshape" in call.kwargs:
        target = call.kwargs.get("shape", call.kwargs.get("newshape"))
    if x.shape is None:  # an array loaded from a file: every size written but the -1 is known after the reshape
        shape = _written_sizes(target)
        return make(shape, x.lib, x.value.dtype, like=x, shaped_at=ev_span(call.node)) if shape else UNRESOLVED
    shape = _reshape(tuple(x.shape), target)
    if shape is None:
        return UNRESOLVED
    _undone_reorder(ev, x, shape, call)
    moved = _reshape_reorders(ev, x, shape, call, written=target)
    out = make(shape, x.lib, x.value.dtype, like=x, ev=ev, node=call.node)
    out.meta.pop("reordered", None)
    if moved is not None:  # the values go on to be reshaped back: that reshape must follow the fix
        out.meta["reordered"] = moved
    return out


def _undone_reorder(ev, x, shape: tuple, call) -> None:
    """``flat.reshape(N, C, H, W)`` back to the layout that ``x.reshape(-1, C)`` on (N, C, H, W) took apart -- a
    hand-written spatial batch norm. The fix of that first reshape moves the channels last before it (NHWC rows);
    this reshape back must then read the values in that order and move the channels first again, or the fix
    scrambles the output instead. The edit is added to the first fix, so the two are applied together."""
    moved = x.meta.get("reordered")
    if moved is None or ev.uncertain:
        return
    d, original, perm, merged = moved
    args = call.node.args
    nodes = args[0].elts if len(args) == 1 and isinstance(args[0], (ast.Tuple, ast.List)) else args
    if d.fix is None or tuple(shape) != tuple(original) or tuple(x.shape) != tuple(merged) or \
            len(nodes) != len(perm) or call.node.keywords or any(isinstance(n, ast.Starred) for n in nodes):
        return
    texts = [ev.text(n) for n in nodes]
    inverse = tuple(perm.index(i) for i in range(len(perm)))
    func = ev.text(call.node.func)
    text = f"{func}({', '.join(texts[p] for p in perm)}).transpose({', '.join(map(str, inverse))})"
    d.fix.edits.append(Edit(ev.span(call.node), text))
    d.fix.title += remedies.and_back_after(text)
    d.help += remedies.and_back_after(text)


def _reshape_reorders(ev, x, shape: tuple, call, function: bool = False, written=None):
    """``raw.reshape(n, steps, channels)`` on (n, channels, steps) recordings: the same axes in another order, so the
    array is scrambled, not transposed (core/reorder.py). Reported where the reshape is written; the fix transposes
    instead (or first, when the reshape also merges axes). ``function``: written ``np.reshape(raw, ...)``. Returns
    (diagnostic, input shape, permutation, output shape) when the fix transposes before a merging reshape (a
    reshape back to the input's shape must follow it), else None."""
    found = reshape_reorder(tuple(x.shape), shape)
    func = getattr(call.node, "func", None)
    if found is None and not ev.uncertain and isinstance(func, ast.Attribute) and not function:
        _flat_rows_reordered(ev, x, shape, call)
        return
    if found is None or ev.uncertain or not isinstance(func, ast.Attribute):
        return
    span = ev.span(call.node)
    if found.moves_into_inferred(written):
        taken = x.shape[found.perm[0]]
        if len(x.shape) == 3 and found.perm[0] == 2 and taken in (3, 4) and found.inferred_moves(written) == [0]:
            # one (H, W, 3) colour image whose leading -1 took its channels: three "samples" that are not
            emit(ev, "reshape-reorders-axes", span, severity="warning", variant="minus-one-took", kind="reshape",
                 received_shape=tuple(x.shape), out_shape=shape, received_json=list(x.shape), taken=taken,
                 remedy=remedies.make_the_sample_first(taken))
        return
    if any(d.name == "reshape-reorders-axes" and d.primary is not None and d.primary.span == span
           for d in ev.diagnostics):
        return  # a helper called twice reshapes at the same place
    if not found.pure:
        move = ", ".join(str(a) for a in found.split_perm)
        emit(ev, "reshape-reorders-axes", span, severity="warning", kind="reshape", received_shape=tuple(x.shape),
             out_shape=shape, received_json=list(x.shape),
             remedy=remedies.split_then_move_axes(found.split, f".transpose({move})"))
        return
    perm = ", ".join(str(a) for a in found.perm)
    exact = found.whole(tuple(x.shape), shape)
    stacked = _stacked_item_axis(ev, x, tuple(found.perm))
    if stacked is not None:  # `np.stack(windows, axis=1)`: the samples were stacked on another axis than the first
        axis_node, stack_call = stacked
        emit(ev, "reshape-reorders-axes", ev.span(axis_node), severity="warning", kind="reshape",
             received_shape=tuple(x.shape), out_shape=shape, received_json=list(x.shape),
             secondary=[(span, "re-reads them in memory order")],
             fix=replace_fix(ev.span(axis_node), "0", remedies.stack_samples_first_title()),
             remedy=remedies.stack_samples_first(ev.text(stack_call.func)))
        return
    if function:
        arg = call.node.args[0] if call.node.args else None
        if arg is None:
            return
        module = ev.text(func.value)
        moved = f"{module}.transpose({ev.text(arg)}, ({perm}))"
        fix = replace_fix(span, moved, f"transpose with `{module}.transpose` instead") if exact else \
            replace_fix(ev.span(arg), moved, f"transpose with `{module}.transpose` before the reshape")
    else:
        moved = f"{ev.text(func.value)}.transpose({perm})"
        fix = replace_fix(span, moved, f"transpose with `.transpose({perm})` instead") if exact else \
            replace_fix(ev.span(func.value), moved, f"transpose with `.transpose({perm})` before the reshape")
    d = emit(ev, "reshape-reorders-axes", span, severity="warning", fix=fix, kind="reshape",
             received_shape=tuple(x.shape), out_shape=shape, received_json=list(x.shape),
             remedy=remedies.transpose_instead(moved) if exact else remedies.move_axes_before_reshape(moved))
    return None if exact else (d, tuple(x.shape), tuple(found.perm), tuple(shape))


def _stacked_item_axis(ev, x, perm: tuple):
    """(axis node, call) when ``x`` was made by ``np.stack(items, axis=k)`` / ``torch.stack(items, dim=k)`` with
    ``k`` a literal other than 0 and the reshape's reorder is exactly moving that axis to the front: the items were
    the samples, and stacking them first is what the reshape needed."""
    site = getattr(x, "shaped_at", None) or x.origin
    call = node_at(site, ev.lines, ast.Call) if site is not None else None
    func = getattr(call, "func", None)
    if not isinstance(func, ast.Attribute) or func.attr != "stack" or not call.args:
        return None
    node = next((k.value for k in call.keywords if k.arg in ("axis", "dim")), None)
    if node is None and len(call.args) == 2:
        node = call.args[1]
    k = node.value if isinstance(node, ast.Constant) and isinstance(node.value, int) and \
        not isinstance(node.value, bool) else None
    if not k or k < 0 or k >= len(perm):
        return None
    wanted = (k,) + tuple(i for i in range(len(perm)) if i != k)
    return (node, call) if perm == wanted else None


def _factors(d) -> Optional[list]:
    """The sizes a size was written as the product of, in the order written (``C * H * W`` -> [C, H, W]; the
    ``-1`` of ``planes.reshape(n, -1)`` on (n, C, H, W) -> [C, H, W]), or None. (A product written in a reshape
    says nothing of memory order; the caller decides which products it trusts.)"""
    o = provenance.origin_of(d)
    if isinstance(o, provenance.Computed) and o.op == "*" and len(o.operands) == 2:
        left, right = (_factors(v) or [v] for v in o.operands)
        return [f for f in left + right if isinstance(f, provenance.Sized) or f != 1]  # a product's start, 1
    if isinstance(o, provenance.Computed) and o.op == "//" and len(o.operands) == 2:
        num, den = (_factors(v) or [v] for v in o.operands)
        if len(num) > len(den) and all(_int(a) and _int(b) and int(a) == int(b) for a, b in zip(num, den)):
            return num[len(den):]  # total // n of (n, C, H, W): the axes after the first
    return None


def _flat_rows_reordered(ev, x, shape: tuple, call) -> None:
    """Rows of ``C * H * W`` values -- their size written as that product, or made by flattening (n, C, H, W) --
    reshaped to (n, H, W, C): the same factors in another order. The reshape re-reads the planar row as interleaved
    pixels and scrambles every image; nothing raises. Known only when the reshape's sizes are the very sizes the row
    was made from (by identity), in another order. The fix splits the row in its own order and transposes."""
    xs = tuple(x.shape)
    if len(xs) != 2 or len(shape) < 3:
        return
    made = node_at(getattr(x, "shaped_at", None) or x.origin, ev.lines, ast.Call) \
        if (getattr(x, "shaped_at", None) or x.origin) is not None else None
    flattened = isinstance(provenance.origin_of(xs[1]), provenance.Computed) and provenance.origin_of(xs[1]).op == "//"
    if not flattened and made is not None and isinstance(made.func, ast.Attribute) and \
            made.func.attr in ("reshape", "view"):
        return  # `images.reshape(n, C * H * W)`: the product written there names the size, not the values' order
    factors = _factors(xs[1])
    if not factors or len(factors) != len(shape) - 1 or not all(isinstance(f, provenance.Sized) for f in factors):
        return
    new = list(shape[1:])
    perm, used = [], set()
    for dim in new:
        k = next((i for i, f in enumerate(factors) if f is dim and i not in used), None)
        if k is None:
            return
        used.add(k)
        perm.append(k)
    if perm == sorted(perm) or len({int(f) for f in factors}) == 1:
        return
    args = size_arguments(call.node)
    if len(args) != len(shape):
        return
    texts = [ev.text(a) for a in args]
    if any(t is None for t in texts):
        return
    inverse = [texts[1 + perm.index(k)] for k in range(len(factors))]
    order = (0,) + tuple(1 + perm[i] for i in range(len(perm)))
    recv = ev.text(call.node.func.value)
    if recv is None:
        return
    moved = f"{recv}.reshape({texts[0]}, {', '.join(inverse)}).transpose{order}"
    span = ev.span(call.node)
    written = "(" + ", ".join(str(int(f)) for f in factors) + ")"
    emit(ev, "reshape-reorders-axes", span, "the row's values read in another order", severity="warning",
         variant="rows", kind="reshape", received_shape=xs, out_shape=shape, received_json=list(xs), written=written,
         fix=replace_fix(span, moved, f"split each row in the order it was written, then transpose: `{moved}`"),
         remedy=remedies.transpose_instead(moved))


@api.method(DataVal, "view")
def m_view(ev, x: DataVal, call):
    fn = _delegate(x, "view")
    if fn is not None:
        return fn(ev, x, call)
    return m_reshape(ev, x, call)


@api.method(DataVal, "astype")
def m_astype(ev, x: DataVal, call):
    dtype = dtype_name(call.get(0, "dtype", None))
    out = make(x.shape, x.lib, dtype, like=x, ev=ev, node=call.node)
    if dtype and not dtype.startswith(("int", "uint")):
        out.meta.pop("int_range", None) if False else None
    return out


_TORCH_CASTS = {"float": "float32", "double": "float64", "long": "int64", "int": "int32", "half": "float16",
                "bool": "bool", "byte": "uint8"}


@api.method(DataVal, "float", "double", "long", "int", "half", "bool", "byte")
def m_cast(ev, x: DataVal, call):
    name = call.callee_text.rsplit(".", 1)[-1]
    return make(x.shape, x.lib, _TORCH_CASTS.get(name), like=x, ev=ev, node=call.node)  # a cast: same shape, the dtype is what matters


@api.method(DataVal, "to", "cuda", "cpu", "detach", "contiguous", "copy", "clone", "numpy", "requires_grad_")
def m_same(ev, x: DataVal, call):
    name = call.callee_text.rsplit(".", 1)[-1]
    dtype = x.value.dtype
    if name == "to":
        dtype = _to_dtype(x, call)
    lib = "numpy" if name == "numpy" else x.lib
    return make(x.shape, lib, dtype, like=x, ev=ev, node=call.node)


def _to_dtype(x: DataVal, call) -> Optional[str]:
    """The dtype after ``x.to(...)``: a dtype written (``torch.float32``), another tensor's (``.to(logits)``), or the
    one ``x`` had when only a device is given (``.to(device)``, ``.to("cuda")``). ``.to(logits.dtype)``, whose dtype
    we do not follow, makes it unknown."""
    dtype = x.value.dtype
    given = list(zip(call.args, list(call.arg_nodes) + [None] * len(call.args)))
    given += [(v, call.kw_nodes.get(k)) for k, v in call.kwargs.items()]
    for value, node in given:
        if isinstance(value, QualName) and dtype_name(value):
            dtype = dtype_name(value)
        elif isinstance(value, TensorVal):
            dtype = value.value.dtype
        elif isinstance(node, ast.Attribute) and node.attr == "dtype":
            dtype = None
    return dtype


@api.method(DataVal, "transpose")
def m_transpose(ev, x: DataVal, call):
    fn = _delegate(x, "transpose")
    if fn is not None:
        return fn(ev, x, call)
    if x.shape is None:
        return UNRESOLVED
    if x.lib == "torch" and len(call.args) == 2:
        a, b = (_axis(v, len(x.shape)) for v in call.args)
        if a is None or b is None:
            return UNRESOLVED
        s = list(x.shape)
        s[a], s[b] = s[b], s[a]
        return make(tuple(s), x.lib, x.value.dtype, like=x, ev=ev, node=call.node)
    axes = call.args[0] if len(call.args) == 1 else (tuple(call.args) if call.args else None)
    return _transpose(x, axes, ev, call.node)


@api.method(DataVal, "swapaxes")
def m_swapaxes(ev, x: DataVal, call):
    fn = _delegate(x, "swapaxes")
    if fn is not None:
        return fn(ev, x, call)
    if x.shape is None or len(call.args) != 2:
        return UNRESOLVED
    a, b = (_axis(v, len(x.shape)) for v in call.args)
    if a is None or b is None:
        return UNRESOLVED
    order = list(range(len(x.shape)))
    order[a], order[b] = order[b], order[a]
    return _transpose(x, tuple(order), ev, call.node)


@api.method(DataVal, "permute")
def m_permute(ev, x: DataVal, call):
    fn = _delegate(x, "permute")
    if fn is not None:
        return fn(ev, x, call)
    if x.shape is None:
        return UNRESOLVED
    axes = call.args[0] if len(call.args) == 1 else tuple(call.args)
    return _transpose(x, axes, ev, call.node)


@api.method(DataVal, "squeeze")
def m_squeeze(ev, x: DataVal, call):
    fn = _delegate(x, "squeeze")
    if fn is not None:
        return fn(ev, x, call)
    if x.shape is None:
        return UNRESOLVED
    return _squeeze(x, call.get(0, "axis", call.kwargs.get("dim")))


@api.method(DataVal, "unsqueeze")
def m_unsqueeze(ev, x: DataVal, call):
    fn = _delegate(x, "unsqueeze")
    if fn is not None:
        return fn(ev, x, call)
    if x.shape is None:
        return UNRESOLVED
    axis = call.get(0, "dim", None)
    a = _axis(axis, len(x.shape) + 1)
    if a is None:
        return UNRESOLVED
    s = tuple(x.shape)
    return make(s[:a] + (1,) + s[a:], x.lib, x.value.dtype, like=x, ev=ev, node=call.node)


@api.method(DataVal, "flatten", "ravel")
def m_flatten(ev, x: DataVal, call):
    fn = _delegate(x, "flatten")
    if fn is not None:
        return fn(ev, x, call)
    if x.shape is None:
        return UNRESOLVED
    if x.lib == "torch" and (call.args or call.kwargs):
        start = call.get(0, "start_dim", 0)
        end = call.get(1, "end_dim", -1)
        a, b = _axis(start, len(x.shape)), _axis(end, len(x.shape))
        if a is None or b is None:
            return UNRESOLVED
        s = tuple(x.shape)
        p = 1
        for d in s[a:b + 1]:
            p = p * d if (p is not None and is_known(d)) else None
        return make(s[:a] + (p,) + s[b + 1:], x.lib, x.value.dtype, like=x, ev=ev, node=call.node)
    p = 1
    for d in x.shape:
        p = p * d if (p is not None and is_known(d)) else None
    return make((p,), x.lib, x.value.dtype, like=x, ev=ev, node=call.node)


@api.method(DataVal, "argmax", "argmin")
def m_argmax(ev, x: DataVal, call):
    fn = _delegate(x, "argmax")
    if fn is not None:
        return fn(ev, x, call)
    if x.shape is None:
        return UNRESOLVED
    axis = call.get(0, "axis", call.kwargs.get("dim"))
    _axis_past_rank(ev, call, x, axis, call.node_of(0, "axis"))
    out = _reduce_axis(x, axis, bool(call.kwargs.get("keepdims", call.kwargs.get("keepdim", False))), "int64")
    if isinstance(out, DataVal):
        out.meta.pop("onehot", None)
        if is_known(x.shape[-1]) and axis in (-1, len(x.shape) - 1):
            out.meta["int_range"] = (0, x.shape[-1])
    return out


@api.method(DataVal, "mean", "sum", "max", "min", "std", "var", "prod")
def m_reduce(ev, x: DataVal, call):
    name = call.callee_text.rsplit(".", 1)[-1]
    fn = _delegate(x, name)
    if fn is not None:
        return fn(ev, x, call)
    if x.shape is None:
        return UNRESOLVED
    axis = call.get(0, "axis", call.kwargs.get("dim"))
    keep = bool(call.kwargs.get("keepdims", call.kwargs.get("keepdim", False)))
    if x.lib == "torch" and name in ("max", "min") and axis is not None:
        return UNRESOLVED  # torch returns (values, indices)
    if name == "max" and axis is None and not keep:
        top = _largest_id(ev, x, call)
        if top is not None:
            return top
    out = _reduce_axis(x, axis, keep)
    if x.lib == "numpy":
        numpy_softmax.note_reduction(out, x, name, axis, call.node, method=True)
    return out


def _largest_id(ev, x: DataVal, call):
    """``ids.max()`` of integers drawn from a known range, many times over (2000 user ids in 1..300): the top of the
    range, as a size that remembers it is the data's largest id -- an ``Embedding(ids.max())`` then cannot look
    that id up, whatever the draw. None when the draws are too few for the top to be sure to appear."""
    r = x.meta.get("int_range")
    n = _prod_or_unresolved(x.shape)
    if not r or not all(_int(v) for v in r) or not _int(n) or r[1] - r[0] < 2 or n < 3 * (r[1] - r[0]):
        return None
    return provenance.computed(r[1] - 1, "max", (), ev_span(call.node), ev.text(call.node))


@api.method(DataVal, "size")
def m_size(ev, x: DataVal, call):
    fn = _delegate(x, "size")
    if fn is not None:
        return fn(ev, x, call)
    if x.shape is None:
        return UNRESOLVED
    if x.lib != "torch":
        return _prod_or_unresolved(x.shape)
    dims = tuple(d if is_known(d) else UNRESOLVED for d in x.shape)
    if call.args:
        a = _axis(call.args[0], len(dims))
        return dims[a] if a is not None else UNRESOLVED
    return dims


@api.method(DataVal, "item", "tolist")
def m_numbers(ev, x: DataVal, call):
    """``rewards.tolist()``, ``acc.item()``: numbers (objects.Number), as many as the array holds."""
    fn = _delegate(x, call.callee_text.rsplit(".", 1)[-1])
    if fn is not None:
        return fn(ev, x, call)
    if x.lib != "numpy":
        return UNRESOLVED  # a TensorFlow tensor has neither (`.numpy()` first)
    return numbers_of(ev, x.value, whole=call.callee_text.endswith("tolist"))


def _prod_or_unresolved(shape):
    p = 1
    for d in shape:
        if not is_known(d):
            return UNRESOLVED
        p *= d
    return p


@api.method(DataVal, "__len__")
def m_len(ev, x: DataVal):
    if x.shape and is_known(x.shape[0]):
        return x.shape[0]
    return UNRESOLVED


@api.method(DataVal, "__iter__")
def m_iter(ev, x: DataVal, node):
    """An array's rows, when it has a known length: one sample row (the array without its first axis) stands for
    all of them (evaluator.Rows)."""
    if not x.shape or not _int(x.shape[0]) or x.shape[0] < 1:
        return None
    row = make(tuple(x.shape[1:]), x.lib, x.value.dtype, like=x)
    return Rows([row], x.shape[0])


@api.method(RowList, "__len__")
def rowlist_len(ev, rows: RowList):
    return rows.count


@api.method(RowList, "__getitem__")
def rowlist_getitem(ev, rows: RowList, slice_node, scope):
    """``feats[i]`` is one item (all are alike); ``feats[:8]`` is as many items as the slice takes."""
    key = ev.eval(slice_node, scope)
    if _int(key) and -rows.count <= key < rows.count:
        return rows.item
    if isinstance(key, slice) and all(v is None or _int(v) for v in (key.start, key.stop, key.step)):
        return RowList(rows.item, len(range(rows.count)[key]), rows.int_range)
    return UNRESOLVED


@api.method(RowList, "__iter__")
def rowlist_iter(ev, rows: RowList, node):
    return Rows([rows.item], rows.count)


def _rows_array(ev, call, rows: RowList, lib: Optional[str] = None, dtype: Optional[str] = None):
    """``np.array([f(row) for row in X])``: the rows stacked, (count,) + one item's shape."""
    item = rows.item
    if isinstance(item, TensorVal) and item.shape is not None:
        return make((rows.count,) + tuple(item.shape), lib or (item.lib if item.lib != "torch" else "numpy"),
                    dtype or item.value.dtype, ev, call.node, like=item,
                    shaped_at=item.shaped_at if item.shaped_at is not None and item.shaped_at != item.origin else None)
    got = _nested_shape(item) if isinstance(item, (list, tuple)) or _int(item) or isinstance(item, float) else None
    if got is None:
        return UNRESOLVED
    shape, kind = got
    dtype = dtype or {"int": "int64", "float": "float64", "bool": "bool"}.get(kind) if kind else dtype
    meta = {"int_range": rows.int_range} if rows.int_range is not None else None
    return make((rows.count,) + tuple(shape), lib or "numpy", dtype, ev, call.node, meta=meta)


@api.attribute(DataVal, "shape")
def a_shape(ev, x: DataVal, node):
    if x.shape is None:
        return UNRESOLVED
    return tuple(d if is_known(d) else UNRESOLVED for d in x.shape)


@api.attribute(DataVal, "ndim")
def a_ndim(ev, x: DataVal, node):
    return len(x.shape) if x.shape is not None else UNRESOLVED


@api.attribute(DataVal, "size")
def a_size(ev, x: DataVal, node):
    if x.lib == "torch":
        return BoundMethod(x, "size")
    return _prod_or_unresolved(x.shape) if x.shape is not None else UNRESOLVED


@api.attribute(DataVal, "T")
def a_T(ev, x: DataVal, node):
    if x.shape is None:
        return UNRESOLVED
    return make(tuple(reversed(x.shape)), x.lib, x.value.dtype, like=x)


@api.attribute(DataVal, "values")
def a_values(ev, x: DataVal, node):
    return x  # a pandas-like value's .values is the array itself


@api.attribute(DataVal, "dtype")
def a_dtype(ev, x: DataVal, node):
    return x.value.dtype if x.value.dtype else UNRESOLVED


# -- indexing --------------------------------------------------------------------------------------------------
class _Ellipsis:
    pass


def _index_items(ev, slice_node, scope):
    """The items of an index expression: int, slice, None (newaxis), Ellipsis, a TensorVal, or UNRESOLVED."""
    nodes = slice_node.elts if isinstance(slice_node, ast.Tuple) else [slice_node]
    out = []
    for n in nodes:
        if isinstance(n, ast.Constant) and n.value is Ellipsis:
            out.append(_Ellipsis)
            continue
        if isinstance(n, ast.Slice):
            parts = [ev.eval(p, scope) if p is not None else None for p in (n.lower, n.upper, n.step)]
            if all(p is None or _int(p) for p in parts):
                out.append(slice(*parts))
            else:
                out.append(slice(0, UNRESOLVED))  # a slice we cannot size
            continue
        v = ev.eval(n, scope)
        if isinstance(v, QualName) and v.name in ("numpy.newaxis", "tensorflow.newaxis"):
            v = None
        if isinstance(v, Number):  # `rows[j]` with j an int not known here drops that axis all the same
            v = 0 if v.kind == "int" else UNRESOLVED
        out.append(v)
    return out


def index_shape(shape: tuple, items: list):
    """The shape ``x[items]`` has (numpy basic + simple advanced indexing), or None when unknown."""
    n_real = sum(1 for it in items if it is not None and it is not _Ellipsis)
    if sum(1 for it in items if it is _Ellipsis) > 1 or n_real > len(shape):
        return None
    if _Ellipsis in items:
        i = items.index(_Ellipsis)
        items = items[:i] + [slice(None)] * (len(shape) - n_real) + items[i + 1:]
    else:
        items = items + [slice(None)] * (len(shape) - n_real)
    out = []
    axis = 0
    advs = []  # (position in out, shape, position in items) of each integer-array index
    for k, it in enumerate(items):
        if it is None:
            out.append(1)
            continue
        d = shape[axis]
        axis += 1
        if isinstance(it, bool):
            return None
        if _int(it):
            if is_known(d) and not -d <= it < d:
                return None
            continue
        if isinstance(it, slice):
            if it.stop is UNRESOLVED:
                out.append(None)
            elif is_known(d):
                out.append(_slice_length(it, d))
            elif (it.start in (None, 0)) and it.step in (None, 1) and it.stop is None:
                out.append(d)
            else:
                out.append(None)
            continue
        if isinstance(it, TensorVal) and it.shape is not None:
            if it.value.dtype == "bool":
                out.append(None)
                continue
            advs.append((len(out), tuple(it.shape), k))
            continue
        if isinstance(it, (list, tuple)) and all(_int(v) for v in it):
            out.append(len(it))
            continue
        return None
    if not advs:
        return tuple(out)
    # integer arrays index together (``scores[np.arange(N), y]``): their shapes broadcast; the result goes where
    # they stand when they are side by side, else first
    joined, bad = broadcast_shapes([a[1] for a in advs])
    if joined is None:
        return None
    at = advs[0][0] if [a[2] for a in advs] == list(range(advs[0][2], advs[0][2] + len(advs))) else 0
    return tuple(out[:at]) + tuple(joined) + tuple(out[at:])


def too_many_indices(ev, x, slice_node, scope) -> None:
    """_too_many_indices for a value this module does not index (a model's predictions as TensorFlow gives them)."""
    if x.shape is None:
        return
    items = _index_items(ev, slice_node, scope)
    if not any(it is UNRESOLVED for it in items):
        _too_many_indices(ev, x, items, slice_node)


def _too_many_indices(ev, x, items: list, slice_node) -> None:
    """``pred[:, -1, 0]`` on a (N, 1) array -- a model's predictions once its output lost the steps axis: numpy
    raises "too many indices for array" (a TensorFlow tensor, its own IndexError). Only for an array of rank 2 or more
    made where it is certain."""
    used = sum(1 for it in items if it is not None and it is not _Ellipsis)
    if x.lib not in ("numpy", "tf") or ev.uncertain or x.shape is None or used <= len(x.shape) or len(x.shape) < 2:
        return
    here = node_at(ev_span(slice_node), ev.lines)
    whole = enclosing(here, (ast.Subscript,)) if here is not None else None
    emit(ev, "rank-mismatch", ev_span(whole if whole is not None else slice_node),
         f"{used} indices for a {len(x.shape)}-D array {tuple(x.shape)}", kind="indexing", expected=f"at least {used}",
         received=len(x.shape), received_shape=tuple(x.shape), layout="",
         remedy=remedies.use_fewer_indices(len(x.shape)), severity="error")


@api.method(DataVal, "__getitem__")
def m_getitem(ev, x: DataVal, slice_node, scope):
    fn = _delegate(x, "__getitem__")
    if fn is not None:
        return fn(ev, x, slice_node, scope)
    if x.shape is None:
        return UNRESOLVED
    items = _index_items(ev, slice_node, scope)
    if any(it is UNRESOLVED for it in items):
        return UNRESOLVED
    shape = index_shape(tuple(x.shape), items)
    if shape is None:
        _too_many_indices(ev, x, items, slice_node)
        return UNRESOLVED
    meta = {}
    # np.eye(C)[y]: one-hot rows picked by integer labels
    if x.meta.get("eye") and len(items) == 1 and isinstance(items[0], TensorVal):
        meta = {"onehot": x.meta["eye"]}
        out = make(shape, x.lib, x.value.dtype, like=items[0], meta=meta)
        out.meta.pop("int_range", None)
        here = node_at(ev_span(slice_node), ev.lines)
        whole = enclosing(here, (ast.Subscript,)) if here is not None else None
        out.shaped_at = ev_span(whole if whole is not None else slice_node)  # the one-hot is made here
        return out
    read = numpy_softmax.picked_per_row(items, len(x.shape)) if x.lib == "numpy" else None
    if read is not None:
        numpy_softmax.rows_read(ev, x, read, ev_span(slice_node))
    out = make(shape, x.lib, x.value.dtype, like=x)
    if len(shape) < len(x.shape) and not any(isinstance(i, TensorVal) for i in items):
        out.meta.pop("eye", None)
    if x.lib == "numpy" and shape == () and items and all(_int(i) for i in items):
        out.meta["numpy_scalar"] = True  # `a[i]` of a 1-D array is a numpy scalar, not a 0-d array
    _record_columns(x, items, out, slice_node)
    if not same_layout(shape, x.shape):  # table[:, -1:] sets the layout where it is written
        out.shaped_at = ev_span(slice_node)
    return out


def _slice_length(it: slice, d) -> int:
    """``len(range(*it.indices(d)))``, keeping where the size came from when the window lies inside the axis and
    its bounds are sizes the file wrote: ``data[i + lookback:i + lookback + horizon]`` has ``horizon`` entries."""
    if it == slice(None):
        return d  # the whole axis: the same size, and where it came from
    n = len(range(*it.indices(d)))
    a, b = it.start, it.stop
    if it.step in (None, 1) and _int(b) and (a is None or _int(a)) and 0 <= (a or 0) <= b <= d and \
            (isinstance(a, provenance.Sized) or isinstance(b, provenance.Sized)):
        width = b - (a or 0)
        if int(width) == n:
            return width
    return n


def ev_span(node):
    return Span.of(node)


def _record_columns(table: DataVal, items: list, out: DataVal, slice_node) -> None:
    """``table[:, 0:9]`` / ``table[:, 8]`` on a 2-D table: remember which columns of which table a value holds, so a
    label column left among the features can be recognised (rootcause/causes/data.py). A selection of rows
    (``X[:split]``, a train/test split) holds the same columns as the value it was cut from."""
    rows = items and (isinstance(items[0], slice) or isinstance(items[0], TensorVal) and items[0].shape is not None
                      and len(items[0].shape) == 1 and items[0].value.dtype not in ("bool", None))
    if rows and all(i == slice(None) for i in items[1:]):
        # rows only (`X[:split]`, `X[train_idx]`): `make(..., like=table)` kept what the columns are -- but
        # `raw[:, :]` of a table itself writes its columns out: every one, the label's too
        n = table.shape[1] if table.shape is not None and len(table.shape) == 2 else None
        if len(items) == 2 and _int(n) and not any(k in table.meta for k in ("columns", "column", "column_set")):
            out.meta["columns"] = (table, 0, n, ev_span(slice_node))
        return
    out.meta.pop("columns", None)
    out.meta.pop("column", None)
    out.meta.pop("column_set", None)
    n = table.shape[1] if len(table.shape) == 2 else None
    if len(items) != 2 or items[0] != slice(None) or not _int(n):
        return
    col = items[1]
    if isinstance(col, slice) and col.step in (None, 1) and all(v is None or _int(v) for v in (col.start, col.stop)):
        a, b, _ = col.indices(n)
        if a < b:
            out.meta["columns"] = (table, a, b, ev_span(slice_node))
        if b == a + 1:  # table[:, -1:] takes one column too, keeping its axis
            table.meta.setdefault("single_columns", {})[a] = ev_span(slice_node)
    elif _int(col) and -n <= col < n:
        out.meta["column"] = (table, col % n, ev_span(slice_node))
        # the table remembers the columns taken one by one (the labels, usually): rootcause/causes/data.py
        table.meta.setdefault("single_columns", {})[col % n] = ev_span(slice_node)
    elif isinstance(col, list) and col and all(_int(c) and -n <= c < n for c in col):
        out.meta["column_set"] = (table, frozenset(c % n for c in col), ev_span(slice_node))


# -- arithmetic ------------------------------------------------------------------------------------------------
_TRUEDIV = (ast.Div,)


def _result_dtype(op_type, a, b, lib):
    da = a.value.dtype if isinstance(a, TensorVal) else ("float" if isinstance(a, float) else
                                                          "int" if _int(a) else None)
    db = b.value.dtype if isinstance(b, TensorVal) else ("float" if isinstance(b, float) else
                                                          "int" if _int(b) else None)
    if op_type in _TRUEDIV:
        for d in (da, db):
            if d and d.startswith("float") and d != "float":
                return d if lib != "numpy" or d == "float64" or not isinstance(b, float) else d
        return "float32" if lib in ("torch", "tf") else "float64"
    tensor_dtypes = [d for d, v in ((da, a), (db, b)) if isinstance(v, TensorVal)]
    if None in tensor_dtypes:
        return None
    floats = [d for d in tensor_dtypes if d.startswith(("float", "bfloat"))]
    if floats:
        return floats[0]
    if da == "float" or db == "float":
        return "float32" if lib in ("torch", "tf") else "float64"
    return tensor_dtypes[0] if tensor_dtypes else None


def _note_difference(ev, subtracts: bool, left, right, node) -> None:
    """``y - preds`` / ``np.subtract(y, preds)`` with a model's predictions on one side: checks/silent.py looks for
    an (N, 1) prediction column broadcast against (N,) targets."""
    if subtracts and isinstance(left, TensorVal) and isinstance(right, TensorVal) and \
            (left.meta.get("predictions") or right.meta.get("predictions")):
        ev.state.array_differences.append((left, right, node))


@api.method(DataVal, "__binop__")
def m_binop(ev, op_type, left, right, node):
    for side in (left, right):
        fn = _delegate(side, "__binop__")
        if fn is not None:
            return fn(ev, op_type, left, right, node)
    x = left if isinstance(left, TensorVal) else right
    other = right if x is left else left
    if op_type is ast.MatMult:
        return _matmul(ev, left, right, node)
    if isinstance(other, (int, float, Number)) and not isinstance(other, bool):
        # a Number: its type alone decides the dtype; no range of labels survives a value not known
        out = make(x.shape, x.lib, _result_dtype(op_type, number_example(left), number_example(right), x.lib),
                   like=x, ev=ev, node=node)
        if out.meta.get("int_range") and not (op_type in (ast.Add, ast.Sub) and _int(other)):
            out.meta.pop("int_range", None)
        elif out.meta.get("int_range") and op_type in (ast.Add, ast.Sub) and _int(other):
            lo, hi = out.meta["int_range"]
            k = other if op_type is ast.Add else -other
            if x is right and op_type is ast.Sub:
                out.meta.pop("int_range", None)
            else:
                out.meta["int_range"] = (lo + k, hi + k)
        out.meta.pop("onehot", None) if op_type not in (ast.Mult, ast.Div) else None
        _whole_table(x, out, node)
        return out
    if isinstance(other, TensorVal):
        if x.shape is None or other.shape is None:
            return UNRESOLVED
        shape, bad = broadcast(tuple(left.shape), tuple(right.shape))
        if shape is None:
            if bad is not None:
                _no_broadcast(ev, left, right, bad, node)
            return UNRESOLVED
        out = make(shape, x.lib, _result_dtype(op_type, left, right, x.lib), like=x, ev=ev, node=node)
        out.meta.pop("int_range", None)
        for side in (left, right):  # elementwise: the rows are the rows of the operand of the result's shape
            if isinstance(side, TensorVal) and side.meta.get("reordered") and tuple(side.shape) == tuple(shape):
                out.meta["reordered"] = side.meta["reordered"]
        if tuple(shape) == tuple(x.shape):
            _whole_table(x, out, node)
        _note_difference(ev, op_type is ast.Sub, left, right, node)
        if x.lib == "numpy":
            numpy_softmax.note_binop(out, op_type, left, right)
        return out
    return UNRESOLVED


def _no_broadcast(ev, left, right, bad, node) -> None:
    """Two NumPy arrays whose shapes do not broadcast (``scores - correct_class_scores`` of (N, C) and (N,)): NumPy
    raises "operands could not be broadcast together". Reported at the expression when both shapes are known
    exactly on a path the evaluator follows for certain; the sizes say nothing of which operand is wrong."""
    if ev.uncertain or ev.caught or left.lib != "numpy" or right.lib != "numpy" or \
            not all(_int(d) for v in (left, right) for d in v.shape):
        return
    i, a, b = bad
    fix = None
    sides = [(left, getattr(node, "left", None), right), (right, getattr(node, "right", None), left)]
    for vec, vec_node, table in sides:  # one value per row, (N,), against a (N, C) table: it needs its own axis
        if len(vec.shape) == 1 and len(table.shape) == 2 and vec.shape[0] == table.shape[0] and \
                isinstance(vec_node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
            text = f"{ev.text(vec_node)}[:, None]"
            fix = Fix("unsafe", remedies.value_per_row(text), [Edit(ev_span(vec_node), text)])
    emit(ev, "merge-shape-mismatch", ev_span(node), remedies.no_broadcast_label(a, b),
         kind=_OPERATORS.get(type(getattr(node, "op", None)), "operator"),
         shapes=f"{tuple(left.shape)} and {tuple(right.shape)}",
         detail=f"sizes {a} and {b} differ at axis {i} and neither is 1, so they cannot broadcast",
         remedy=fix.title if fix is not None else remedies.broadcast_sizes(), fix=fix, severity="error")


_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Pow: "**",
              ast.Mod: "%"}


def _whole_table(table, out, node) -> None:
    """``(data - mu) / sigma`` of a 2-D table, kept the table's shape: every column of it, scaled -- a label column
    among them is still the label (checks/data_input: a label column among the features)."""
    if isinstance(table, DataVal) and table.shape is not None and len(table.shape) == 2 and _int(table.shape[1]) \
            and not any(k in table.meta for k in ("columns", "column", "column_set")):
        out.meta["columns"] = (table, 0, table.shape[1], ev_span(node))


_VALUE_FACTS = ("int_range", "onehot", "onehot_unused_below", "eye", "num_classes")


@api.method(DataVal, "__setitem__")
def m_setitem(ev, x, key, value, stmt):
    """``y[y == old] = new``: the shape stays, but what the values were known to be does not (labels remapped
    0..9 -> 0..7 in place): the value facts are dropped rather than kept stale. A number written at plain positions
    (``ids[:5] = n_users``, so the newest id surely appears) keeps the rest of the draws and adds that value."""
    rng = x.meta.get("int_range")
    basic = all(k is None or isinstance(k, slice) or _int(k) for k in (key if isinstance(key, tuple) else (key,)))
    for fact in _VALUE_FACTS:
        x.meta.pop(fact, None)
    if rng and basic and _int(value):
        # a value below the range is a sentinel (`tags[:, -5:] = -100`, a loss's ignore_index): the ids are the rest
        x.meta["int_range"] = (rng[0], max(rng[1], int(value) + 1))


@api.method(DataVal, "__unaryop__")
def m_unaryop(ev, op_type, x, node):
    """``-logit``, ``~mask`` on an array: the same shape (``not x`` asks for one truth value: left to the evaluator)."""
    fn = _delegate(x, "__unaryop__")
    if fn is not None:
        return fn(ev, op_type, x, node)
    if op_type is ast.Not or x.shape is None:
        return UNRESOLVED
    out = make(x.shape, x.lib, x.value.dtype, like=x, ev=ev, node=node)
    out.meta.pop("int_range", None)
    return out


@api.method(DataVal, "__compare__")
def m_compare(ev, op_type, left, right, node):
    """``x[:, 0] > 0.5``, ``y == 3`` on arrays: an element-wise comparison, a bool array of the broadcast shape."""
    for side in (left, right):
        fn = _delegate(side, "__compare__")
        if fn is not None:
            return fn(ev, op_type, left, right, node)
    x = left if isinstance(left, TensorVal) else right
    shapes = [_shape(v) if isinstance(v, TensorVal) else () if isinstance(v, (int, float)) else
              _list_shape(v) if x.lib == "numpy" else None for v in (left, right)]
    if any(s is None for s in shapes):
        return UNRESOLVED
    shape, _ = broadcast(shapes[0], shapes[1])
    if shape is None:
        return UNRESOLVED
    if op_type in (ast.Eq, ast.NotEq) and all(isinstance(v, TensorVal) for v in (left, right)):
        # `predicted_class == labels`: checks/silent.py looks for a prediction column broadcast against labels
        ev.state.array_comparisons.append((left, right, node))
    other = right if x is left else left
    thresholded = x.meta.get("predictions") and isinstance(other, (int, float))
    return make(shape, x.lib, "bool", ev, node, meta={"predictions": True} if thresholded else None)


def _list_shape(v):
    """The shape numpy gives a (nested) list of numbers it meets in an operation (``a < [0.3, 0.2, 0.5]`` compares
    each row with the list); None for anything else."""
    found = _nested_shape(v) if isinstance(v, (list, tuple)) else None
    return found[0] if found is not None and found[1] in ("int", "float") else None


def _matmul(ev, a, b, node, kind: str = "@"):
    """numpy matmul for 1-D and 2-D operands; anything else is left unknown. A definite inner mismatch of two NumPy
    arrays is reported (NumPy raises "matmul: Input operand 1 has a mismatch in its core dimension 0"), and the
    result is unknown."""
    if not (isinstance(a, TensorVal) and isinstance(b, TensorVal)) or a.shape is None or b.shape is None:
        return UNRESOLVED
    sa, sb = tuple(a.shape), tuple(b.shape)
    if len(sa) not in (1, 2) or len(sb) not in (1, 2):
        return UNRESOLVED
    ka, kb = sa[-1], (sb[0] if len(sb) == 1 else sb[-2])
    if is_known(ka) and is_known(kb) and ka != kb:
        if a.lib == "numpy" and b.lib == "numpy" and _int(ka) and _int(kb) and not ev.uncertain and not ev.caught:
            _matmul_mismatch(ev, a, b, node, kind)
        return UNRESOLVED
    shape = sa[:-1] + (sb[1:] if len(sb) == 2 else ())
    return make(shape, a.lib, None, ev, node)


@api.method(DataVal, "dot")
def m_dot(ev, x: DataVal, call):
    """``X.dot(W)``: the matrix product, as ``X @ W`` (a torch tensor's ``dot`` is torch's)."""
    fn = _delegate(x, "dot")
    if fn is not None:
        return fn(ev, x, call)
    if len(call.args) != 1 or call.kwargs:
        return UNRESOLVED
    return _matmul(ev, x, call.args[0], call.node, "dot")


@api.handles("numpy.dot", "numpy.matmul")
def np_dot(ev, call):
    """``np.dot(a, b)`` / ``np.matmul(a, b)`` of 1-D and 2-D arrays: a matrix product, as ``a @ b``."""
    if len(call.args) != 2 or call.kwargs:
        return UNRESOLVED
    return _matmul(ev, call.args[0], call.args[1], call.node, call.callee_text.rsplit(".", 1)[-1])


_MADE_WITH_TWO_SIZES = ("randn", "rand", "zeros", "ones", "empty", "standard_normal", "random", "uniform", "normal",
                        "reshape")


def _two_sizes_swapped(ev, x: TensorVal):
    """(span, edit text) that writes the two sizes an array was made with the other way round -- ``randn(n_neurons,
    n_inputs)`` as ``randn(n_inputs, n_neurons)``, ``images.reshape(H * W, -1)`` as ``reshape(-1, H * W)`` -- when
    the call that gave it its layout wrote exactly two sizes; else None."""
    at = x.shaped_at
    text = span_text(ev, at) if at is not None else None
    made = getattr(parse_expression(text), "body", None) if text else None
    if not isinstance(made, ast.Call) or made.keywords or \
            (getattr(made.func, "attr", None) or getattr(made.func, "id", None)) not in _MADE_WITH_TWO_SIZES:
        return None
    args = made.args
    if len(args) == 1 and isinstance(args[0], ast.Tuple) and len(args[0].elts) == 2:
        sizes, wrap = args[0].elts, True
    elif len(args) == 2:
        sizes, wrap = args, False
    else:
        return None
    if any(isinstance(n, ast.Starred) for n in sizes):
        return None
    first, second = (ast.get_source_segment(text, n) for n in sizes)
    if first is None or second is None:
        return None
    inner = f"{second}, {first}"
    call = ast.get_source_segment(text, made.func)
    return at, f"{call}(({inner}))" if wrap else f"{call}({inner})"


def _matmul_mismatch(ev, a, b, node, kind: str) -> None:
    """Report a matrix product of NumPy arrays whose inner sizes differ. When one operand fits the other turned
    round and was made with its two sizes written in one call (weights ``randn(n_neurons, n_inputs)`` for
    ``inputs @ weights``; images flattened with ``reshape(H * W, -1)``), that call is where the sizes were written
    the wrong way round: the error points there, and the fix swaps them."""
    sa, sb = tuple(a.shape), tuple(b.shape)
    ka, kb = sa[-1], (sb[0] if len(sb) == 1 else sb[-2])
    candidates = []
    if len(sb) == 2 and sb[1] == ka:
        candidates.append(b)
    if len(sa) == 2 and sa[0] == kb:
        candidates.append(a)
    swapped = [(x, _two_sizes_swapped(ev, x)) for x in candidates]
    swapped = [(x, s) for x, s in swapped if s is not None]
    root = swapped[0] if len(swapped) == 1 else None
    span = ev_span(node)
    fix = None
    secondary = []
    label = remedies.matmul_inner_label(ka, kb)
    if root is not None:
        x, (at, text) = root
        fix = Fix("unsafe", remedies.sizes_other_way_round(text), [Edit(at, text)])
        secondary = [(span, label)]
        label, span = remedies.made_other_way_round_label(tuple(x.shape)), at
        # the same line's "reshape reorders axes" warning would move axes to fit the wrong target: this is its cause
        ev.diagnostics[:] = [d for d in ev.diagnostics if not (d.code == "SHP211" and d.primary is not None and
                                                               d.primary.span == at)]
    emit(ev, "matmul-shape-mismatch", span, label, secondary=secondary, kind=kind, left_shape=sa, right_shape=sb,
         left_inner=ka, right_inner=kb,
         remedy=fix.title if fix is not None else remedies.matmul_inner_sizes(), fix=fix, severity="error")


__all__ = ["DataVal", "make", "broadcast", "dtype_name", "index_shape", "tensor_val"]
