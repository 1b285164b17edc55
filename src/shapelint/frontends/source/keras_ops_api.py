"""keras.ops and tf.* ops on Keras symbolic tensors: inside a custom layer's or a subclassed model's ``call()``, and
between layers of a functional model. Each becomes an op of the running graph (rules/keras/ops.py, kind
``ops.<name>``), so the model's shapes are followed through it and a mistake is reported where the op is written.

``keras.ops.X`` / ``keras.ops.nn.X`` / ``keras.ops.numpy.X`` / ``keras.activations.X`` map to ``ops.X``; the tf.*
ops tf.keras code writes in ``call()`` map to the keras.ops equivalent with their argument names and defaults
(``tf.concat(values, axis)`` -> ``ops.concatenate``, ``tf.reduce_mean(x, axis)`` -> ``ops.mean``, ``tf.argmax``'s
default axis 0, ``tf.split``'s part sizes, ``tf.image.extract_patches``' 4-entry sizes). On plain data (numpy
arrays, eager tensors) the data handlers registered before this module answer as before.
"""
from __future__ import annotations

import ast
import math

from ...core.program import UNRESOLVED
from ...core.values import UNKNOWN, Tensor
from ...core.registry import lookup
from . import api
from . import data_api  # noqa: F401 -- registered first: the keras.ops handlers below replace its generic ones
from .keras_api import apply_keras, symbolic_inference, wrap
from .layers import element_spans, make_layer, snake_case
from .objects import QualName, TensorVal
from .torch_ops import SymDim, plain
from ...diagnostics import remedies
from ...diagnostics.model import Label
from .data_api import too_many_indices

FW = "keras"


def _symbolic(v) -> bool:
    if isinstance(v, TensorVal):
        return v.lib == "keras"
    if isinstance(v, (list, tuple)):
        return any(_symbolic(i) for i in v)
    return False


def _tensors(v):
    """The tensors an argument holds (a tensor, or a list / tuple of tensors), else None."""
    if isinstance(v, TensorVal):
        return [v]
    if isinstance(v, (list, tuple)) and v and all(isinstance(i, TensorVal) for i in v):
        return list(v)
    return None


def apply_op(ev, kind: str, call: api.Call, renames: dict = None, defaults: dict = None, adapt=None):
    """Split the call into tensor inputs and other arguments (keyword names renamed to keras.ops'), bind those to
    the rule of ``kind`` and apply it in the running symbolic graph."""
    renames = renames or {}
    inputs, spans, args, nodes, vals = [], [], [], [], []
    rule = lookup(FW, kind)
    room = len(rule.signature.params) if rule is not None and not rule.signature.var_args else None
    # more positionals than the op takes besides its tensors: a value not followed (a tf.Variable, a helper's
    # result) is one of its tensors -- `tf.add(tf.matmul(x, w), b)` -- not a wrong argument
    unknown_tensors = room is not None and sum(1 for a in call.args if _tensors(a) is None) > room
    for i, a in enumerate(call.args):  # every tensor is an input; scalars, shapes and axes are arguments
        node = call.arg_nodes[i] if i < len(call.arg_nodes) else None
        if unknown_tensors and a is UNRESOLVED:
            a = TensorVal(UNKNOWN, lib="keras")
        ts = _tensors(a)
        if ts is not None:
            vals.extend(ts)
            inputs.extend(t.value for t in ts)
            spans.extend(element_spans(node, len(ts), isinstance(a, TensorVal)))
            continue
        args.append(a)
        nodes.append(node)
    kwargs, kw_nodes = {}, {}
    for k, v in call.kwargs.items():
        ts = _tensors(v)
        if ts is not None:
            vals.extend(ts)
            inputs.extend(t.value for t in ts)
            spans.extend(element_spans(call.kw_nodes.get(k), len(ts), isinstance(v, TensorVal)))
            continue
        name = renames.get(k, k)
        if name is None:  # a tf.* argument keras.ops has no use for (name=, output_type=)
            continue
        kwargs[name] = v
        if k in call.kw_nodes:
            kw_nodes[name] = call.kw_nodes[k]
    taken = set(rule.signature.params[:len(args)]) if rule is not None else set()
    for k, v in (defaults or {}).items():  # tf's default where keras.ops' differs, unless given by position
        if k not in taken:
            kwargs.setdefault(k, v)
    if adapt is not None:
        args, kwargs = adapt(args, kwargs)
    args, kwargs = [plain(a) for a in args], {k: plain(v) for k, v in kwargs.items()}  # SymDim -> its symbol
    if not inputs:
        return UNRESOLVED
    sub = api.Call(call.node, args, kwargs, nodes, kw_nodes, call.callee_text, call.starred)
    layer = make_layer(ev, FW, kind, sub, name=snake_case(kind.split(".")[-1]))
    stack = ev.state.keras_call_stack
    layer.extra["input_spans"] = spans if len(spans) == len(inputs) else [None] * len(inputs)
    layer.extra["in_call_method"] = bool(stack)
    inf = symbolic_inference(ev)
    n = len(inf.diagnostics)
    out = apply_keras(ev, inf, layer, inputs, call.node)
    _name_the_weights(ev, inf.diagnostics[n:], vals)
    return wrap(out, "keras", inf)


def _name_the_weights(ev, diagnostics: list, operands: list) -> None:
    """A product that fails on a weight made in ``build()``: the weight's ``add_weight`` line is where its size was
    chosen (from the wrong axis of ``input_shape``, usually)."""
    weights = [v for v in operands if v.meta.get("weight") and v.origin is not None]
    for d in diagnostics:
        if d.severity != "error" or not weights:
            continue
        for w in weights:
            if all(lab.span != w.origin for lab in d.secondary):
                d.secondary.append(Label(w.origin, f"weight {w.value} made here", ev.file))
        if d.name == "matmul-shape-mismatch" and d.help and weights[-1].note and "input_shape[" in weights[-1].note \
                and "input_shape[-1]" not in weights[-1].note:
            index = weights[-1].note.split("input_shape[", 1)[1].split("]", 1)[0]
            d.help = remedies.size_weight_from_last_axis(index)
            d.fix = None


# keras.ops math on a Python number (``ops.sqrt(float(self.key_dim))``, the attention scale): Keras gives a 0-d
# tensor, which broadcasts as the number does, so the number stands for it
_ON_A_NUMBER = {"ops.sqrt": math.sqrt, "ops.exp": math.exp, "ops.log": math.log, "ops.square": lambda v: v * v,
                "ops.abs": abs, "ops.rsqrt": lambda v: 1 / math.sqrt(v)}


def _on_a_number(kind: str, call):
    fn = _ON_A_NUMBER.get(kind)
    if kind == "ops.cast" and len(call.args) == 2 and isinstance(call.args[0], (int, float)):
        dtype = call.args[1] if isinstance(call.args[1], str) else ""
        return float(call.args[0]) if "float" in dtype else int(call.args[0]) if "int" in dtype else UNRESOLVED
    if fn is None or len(call.args) != 1 or call.kwargs or isinstance(call.args[0], bool) or \
            not isinstance(call.args[0], (int, float)):
        return UNRESOLVED
    try:
        return float(fn(call.args[0]))
    except (ValueError, OverflowError, ZeroDivisionError):
        return UNRESOLVED


def _handler(kind: str, renames: dict = None, defaults: dict = None, adapt=None, prev=None):
    def handler(ev, call, *rest):
        if any(_symbolic(a) for a in call.args) or any(_symbolic(v) for v in call.kwargs.values()):
            if lookup(FW, kind) is None:
                return UNRESOLVED
            return apply_op(ev, kind, call, renames, defaults, adapt)
        out = prev(ev, call, *rest) if prev is not None else UNRESOLVED
        return _on_a_number(kind, call) if out is UNRESOLVED else out
    return handler


def _register(name: str, kind: str, renames: dict = None, defaults: dict = None, adapt=None) -> None:
    prev = api._HANDLERS.get(name)
    api.handles(name)(_handler(kind, renames, defaults, adapt, prev))


# -- keras.ops -------------------------------------------------------------------------------------------------
_KERAS_PREFIXES = ("keras.ops.", "keras.ops.nn.", "keras.ops.numpy.", "keras.ops.math.", "keras.activations.")


def _keras_op(ev, call, rest: str):
    name = rest.split(".")[-1]
    kind = "ops.image." + name if rest.startswith("image.") else "ops." + name
    return _handler(kind)(ev, call)


for _p in _KERAS_PREFIXES:
    api.handles_prefix(_p)(_keras_op)


@api.handles("keras.activations.get")
def activation_by_name(ev, call):
    """``keras.activations.get("relu")`` is the function ``keras.activations.relu``: applied to a tensor later
    (``self.activation(Z)``, a list of layers that holds it), it is that element-wise op. A callable passes
    through; anything else is unknown."""
    name = call.get(0, "identifier")
    if name is None:
        return QualName("keras.activations.linear")
    if isinstance(name, str) and name.isidentifier():
        return QualName(f"keras.activations.{name}")
    return name if isinstance(name, QualName) else UNRESOLVED

# keras.ops names a data handler already answers for (numpy-like data): symbolic tensors come here first
for _n in ("reshape", "expand_dims", "cast", "one_hot", "convert_to_tensor", "image.resize", "zeros_like",
           "ones_like", "transpose", "squeeze", "stack", "concatenate", "argmax", "argmin", "mean", "sum", "max",
           "min", "matmul", "softmax", "where", "split", "tile", "repeat", "pad", "take", "top_k", "einsum", "abs",
           "sqrt", "exp", "log", "square", "clip", "norm", "broadcast_to"):
    _register(f"keras.ops.{_n}", "ops." + _n)


# -- tf.* in tf.keras code ---------------------------------------------------------------------------------------
def _tf(names, kind, renames=None, defaults=None, adapt=None):
    for n in (names if isinstance(names, (list, tuple)) else [names]):
        _register("tensorflow." + n, kind, renames, defaults, adapt)


_tf("reshape", "ops.reshape", {"tensor": None, "shape": "newshape", "name": None})
_tf(["transpose", "linalg.matrix_transpose"], "ops.transpose", {"a": None, "perm": "axes", "name": None,
                                                                 "conjugate": None})
_tf("expand_dims", "ops.expand_dims", {"input": None, "name": None})
_tf("squeeze", "ops.squeeze", {"input": None, "name": None})
_tf("concat", "ops.concatenate", {"values": None, "name": None})
_tf("stack", "ops.stack", {"values": None, "name": None})
_tf(["matmul", "linalg.matmul"], "ops.matmul", {"a": None, "b": None, "name": None})
_tf(["einsum", "linalg.einsum"], "ops.einsum", {"name": None})
for _r, _k in (("mean", "mean"), ("sum", "sum"), ("max", "max"), ("min", "min"), ("prod", "prod"), ("std", "std"),
               ("variance", "var"), ("any", "any"), ("all", "all"), ("logsumexp", "logsumexp")):
    _tf([f"reduce_{_r}", f"math.reduce_{_r}"], f"ops.{_k}", {"input_tensor": None, "name": None})
_tf(["argmax", "math.argmax"], "ops.argmax", {"input": None, "output_type": None, "name": None}, {"axis": 0})
_tf(["argmin", "math.argmin"], "ops.argmin", {"input": None, "output_type": None, "name": None}, {"axis": 0})
_tf(["nn.softmax", "math.softmax"], "ops.softmax", {"logits": None, "name": None})
_tf(["nn.log_softmax", "math.log_softmax"], "ops.log_softmax", {"logits": None, "name": None})
_tf(["nn.l2_normalize", "math.l2_normalize", "linalg.l2_normalize"], "ops.normalize", {"epsilon": None, "name": None})
for _u in ("relu", "relu6", "gelu", "silu", "swish", "elu", "selu", "leaky_relu", "sigmoid", "tanh", "softplus"):
    _tf([f"nn.{_u}", f"math.{_u}", _u], f"ops.{_u}", {"features": None, "name": None})
for _u in ("exp", "log", "sqrt", "rsqrt", "abs", "square", "sign", "floor", "ceil", "round", "log1p", "erf",
           "negative", "reciprocal", "cos", "sin"):
    _tf([_u, f"math.{_u}"], f"ops.{_u}", {"name": None})
_tf(["cast", "dtypes.cast"], "ops.cast", {"name": None})
_tf(["stop_gradient", "identity"], "ops.stop_gradient", {"name": None})
_tf("nn.dropout", "ops.dropout", {"name": None, "seed": None})
for _b, _k in (("add", "add"), ("subtract", "subtract"), ("multiply", "multiply"), ("divide", "divide"),
               ("maximum", "maximum"), ("minimum", "minimum"), ("pow", "power"), ("equal", "equal"),
               ("not_equal", "not_equal"), ("greater", "greater"), ("less", "less"), ("truediv", "true_divide"),
               ("divide_no_nan", "divide"), ("logical_and", "logical_and"), ("logical_or", "logical_or")):
    _tf([_b, f"math.{_b}"], f"ops.{_k}", {"x": None, "y": None, "name": None})
_tf(["where", "where_v2"], "ops.where", {"condition": None, "x": None, "y": None, "name": None})
_tf("tile", "ops.tile", {"input": None, "multiples": "repeats", "name": None})
_tf("pad", "ops.pad", {"tensor": None, "paddings": "pad_width", "name": None, "constant_values": None})
_tf("split", "ops.split", {"value": None, "num_or_size_splits": "indices_or_sections", "num": None, "name": None},
    {"sizes": True})
_tf("gather", "ops.take", {"params": None, "indices": "indices", "validate_indices": None, "batch_dims": None,
                           "name": None}, {"axis": 0})
_tf("one_hot", "ops.one_hot", {"indices": None, "depth": "num_classes", "on_value": None, "off_value": None,
                               "name": None, "dtype": None})
_tf(["math.top_k", "nn.top_k"], "ops.top_k", {"input": None, "name": None})
_tf("broadcast_to", "ops.broadcast_to", {"input": None, "name": None})
_tf("nn.moments", "ops.moments", {"x": None, "shift": None, "name": None, "keepdims": "keepdims"})


def _extract_patches_args(args, kwargs):
    """tf.image.extract_patches(images, sizes=[1, ph, pw, 1], strides=[1, sh, sw, 1], rates, padding='VALID')."""
    def inner(v):
        return tuple(v[1:3]) if isinstance(v, (list, tuple)) and len(v) == 4 else v
    names = ("size", "strides", "dilation_rate", "padding")
    for n, v in zip(names, args):
        kwargs.setdefault(n, v)
    kwargs = {k: (inner(v) if k in ("size", "strides", "dilation_rate") else v) for k, v in kwargs.items()}
    if isinstance(kwargs.get("padding"), str):
        kwargs["padding"] = kwargs["padding"].lower()
    return [], kwargs


_tf("image.extract_patches", "ops.image.extract_patches",
    {"images": None, "sizes": "size", "rates": "dilation_rate", "name": None}, adapt=_extract_patches_args)


# -- comparisons on symbolic tensors (``mask = x > 0``) -----------------------------------------------------------
_COMPARE_KINDS = {ast.Eq: "ops.equal", ast.NotEq: "ops.not_equal", ast.Lt: "ops.less", ast.LtE: "ops.less_equal",
                  ast.Gt: "ops.greater", ast.GtE: "ops.greater_equal"}
_prev_compare = api.find_method(TensorVal(Tensor(None)), "__compare__")


@api.method(TensorVal, "__compare__")
def keras_compare(ev, op_type, left, right, node):
    if not (_symbolic(left) or _symbolic(right)) or op_type not in _COMPARE_KINDS:
        return _prev_compare(ev, op_type, left, right, node) if _prev_compare else UNRESOLVED
    call = api.Call(node, [left, right], {}, [getattr(node, "left", None)] + list(getattr(node, "comparators", [])),
                    {}, ev.text(node))
    out = apply_op(ev, _COMPARE_KINDS[op_type], call)
    if isinstance(out, TensorVal) and out.value.shape is not None:
        out = TensorVal(Tensor(out.value.shape, "bool"), lib="keras", run=out.run)
    return out


# -- indexing a symbolic tensor (``t[:, 0]`` in a Lambda or call()) ------------------------------------------------
_prev_getitem = api.find_method(TensorVal(Tensor(None)), "__getitem__")


@api.method(TensorVal, "__getitem__")
def keras_getitem(ev, x, slice_node, scope):
    """Basic indexing of a Keras tensor, recorded in the graph like any op (rules/_indexing.py); a tensor or a list
    as the index stays unknown, as does anything on data."""
    if not _symbolic(x):
        out = _prev_getitem(ev, x, slice_node, scope) if _prev_getitem else UNRESOLVED
        if out is UNRESOLVED and x.lib == "tf":  # `model.predict(x)[:, -1, 0]`: its rank is known, its indexing too
            too_many_indices(ev, x, slice_node, scope)
        return out
    key = ev.eval(slice_node, scope)
    parts = key if isinstance(key, tuple) else (key,)
    if not all(p is None or p is Ellipsis or _plain_index(p) for p in parts):
        return TensorVal(Tensor(None), lib="keras", run=x.run)
    parent = getattr(slice_node, "_shapelint_parent", None)
    node = parent if parent is not None else slice_node
    layer = make_layer(ev, "keras", "getitem", api.Call(node, [tuple(parts)], {}, [slice_node], {}, "getitem"),
                       name="getitem")
    stack = ev.state.keras_call_stack
    layer.extra["input_spans"] = [None]
    layer.extra["in_call_method"] = bool(stack)
    out = apply_keras(ev, symbolic_inference(ev), layer, [x.value], node)
    return wrap(out, "keras", symbolic_inference(ev))


def _plain_index(p) -> bool:
    if isinstance(p, slice):
        return all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in (p.start, p.stop, p.step))
    return isinstance(p, int) and not isinstance(p, bool)


# -- ops.shape(x) on a symbolic tensor: the batch axis as a size of its own ----------------------------------------
def _symbolic_shape(prev):
    def handler(ev, call):
        x = call.args[0] if call.args else call.kwargs.get("x", call.kwargs.get("input"))
        if isinstance(x, TensorVal) and x.lib != "keras" and x.shape is not None and \
                all(isinstance(d, int) and not isinstance(d, bool) for d in x.shape):
            return tuple(x.shape)  # tf.shape(t) of a tensor of known shape: its sizes (a map function's sample)
        if not (isinstance(x, TensorVal) and x.lib == "keras" and x.shape is not None):
            return prev(ev, call) if prev is not None else UNRESOLVED
        from ...rules.keras.ops import BATCH  # deferred: loading it loads every Keras rule
        return tuple(SymDim(BATCH) if i == 0 and d is None else d if isinstance(d, int) else UNRESOLVED
                     for i, d in enumerate(x.shape))
    return handler


for _n in ("keras.ops.shape", "tensorflow.shape"):
    api.handles(_n)(_symbolic_shape(api._HANDLERS.get(_n)))
