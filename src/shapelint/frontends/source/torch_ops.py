"""PyTorch tensor operations in scripts and in ``forward()``: torch functions, ``F.*``, tensor methods, Python
operators and indexing on torch tensors, each applied as an op (Layer framework "torch") through the current
model run, and the size queries (``x.size(0)``, ``x.shape[1]``, ``x.dim()``) answered from the shape directly.

Op kinds follow the briefing's convention: ``torch.flatten(x, 1)`` and ``x.flatten(1)`` are both kind
``"flatten"``; ``F.relu`` is ``"F.relu"``; ``a + b`` is ``"add"``; ``x[:, -1]`` is ``"getitem"``. Tensor arguments
are removed from the call and become the rule's inputs (a list of tensors as in ``torch.cat([a, b])`` is expanded);
the remaining arguments are bound to the rule's signature with their source spans.
"""
from __future__ import annotations

import ast
import dataclasses
import math
from typing import Optional

from ...core.dims import is_known, normalize_axis
from ...core.program import TENSOR_INDEX, UNRESOLVED, Layer, Origin, Span
from ...core.registry import lookup
from ...core.values import Ids, Tensor, TensorTuple
from ...rules._dtypes import same_shape_result, with_scalar
from . import api, mask_polarity
from . import keras_api  # noqa: F401 -- registered first: `__binop__` below hands non-torch operands to it
from .axis_reads import batch_written, target_axes
from .data_api import DataVal
from .evaluator import is_const
from .layers import binop_operand_spans, element_spans, make_layer
from .models import script_run
from .objects import Number, SymDim, TensorVal, number_example, numbers_of

FW = "torch"

_BINOP_KINDS = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.MatMult: "matmul",
                ast.Pow: "pow", ast.FloorDiv: "floor_divide", ast.Mod: "remainder", ast.BitAnd: "bitwise_and",
                ast.BitOr: "bitwise_or", ast.BitXor: "bitwise_xor",
                ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}  # __compare__

# Methods that return a tensor of the same shape and are not shape ops (device, dtype, autograd bookkeeping).
IDENTITY_METHODS = {"float", "double", "half", "bfloat16", "int", "long", "bool", "byte", "to", "cuda", "cpu",
                    "detach", "clone", "contiguous", "requires_grad_", "type", "type_as", "pin_memory",
                    "retain_grad", "share_memory_", "coalesce", "astype", "copy", "numpy", "abs", "neg", "exp",
                    "log", "sqrt", "sigmoid", "tanh", "relu", "relu_", "sigmoid_", "tanh_", "clamp", "clamp_",
                    "clip", "zero_", "fill_", "normal_", "uniform_", "float_", "sign", "round", "floor", "ceil", "reciprocal", "rsqrt", "square",
                    "exp_", "log_", "sin", "cos", "neg_", "abs_", "detach_", "bernoulli", "bernoulli_",
                    "to_sparse", "to_dense"}
# Methods whose result is not a tensor (or not one whose shape we follow).
SCALAR_METHODS = {"item", "tolist", "numel", "nelement", "dim", "ndimension", "size", "is_contiguous",
                  "data_ptr", "element_size", "get_device", "stride", "storage_offset", "backward",
                  "register_hook"}
# Common tensor methods registered by name (so that a same-named numpy handler does not see torch tensors).
NAMED_METHODS = ["view", "reshape", "flatten", "unflatten", "squeeze", "unsqueeze", "permute", "transpose", "t",
                 "mean", "sum", "max", "min", "argmax", "argmin", "softmax", "log_softmax", "matmul", "bmm", "mm",
                 "expand", "expand_as", "repeat", "view_as", "reshape_as", "chunk", "split", "unbind", "norm",
                 "std", "var", "prod", "cumsum", "gather", "index_select", "narrow", "movedim", "swapaxes",
                 "squeeze_", "unsqueeze_", "transpose_", "t_", "flip", "roll", "topk", "sort", "masked_select",
                 "size", "dim", "numel", "nelement", "ndimension", "item", "tolist", "new_zeros", "new_ones",
                 "new_empty", "new_full", "mul", "add", "sub", "div", "pow"] + sorted(IDENTITY_METHODS)


# -- tuples of tensors ----------------------------------------------------------------------------------------
class TorchTuple(tuple):
    """A Python tuple of tensor values that came out of one op (``out, (h, c) = self.lstm(x)`` unpacks it); keeps
    the op's TensorTuple so passing it on whole is recognised as that op's output. ``names``: the fields of the
    named tuple torch returns (``x.max(1).values``), when it is one."""
    value: TensorTuple
    names: tuple = ()


# The named tuples torch ops return (torch.return_types), by op kind.
NAMED_FIELDS = {k: ("values", "indices") for k in (
    "max", "min", "median", "nanmedian", "mode", "kthvalue", "sort", "topk", "cummax", "cummin")}
NAMED_FIELDS.update({"aminmax": ("min", "max"), "linalg.eigh": ("eigenvalues", "eigenvectors"),
                     "linalg.slogdet": ("sign", "logabsdet"), "frexp": ("mantissa", "exponent")})


def wrap(value, run) -> object:
    """A core value as an evaluator value: Tensor -> TensorVal, TensorTuple -> TorchTuple of them."""
    if isinstance(value, TensorTuple):
        t = TorchTuple(wrap(v, run) for v in value.items)
        t.value = value
        return t
    if isinstance(value, Tensor):
        return TensorVal(value, lib=FW, run=run)
    return UNRESOLVED


def as_value(v, unknown_ok: bool = False):
    """An evaluator value as a core value: TensorVal -> Tensor, a tuple of tensors -> TensorTuple, else None
    (``unknown_ok``: UNRESOLVED or an object we do not model counts as a tensor of unknown shape)."""
    if isinstance(v, TensorVal):
        return v.value
    if isinstance(v, TorchTuple):
        return v.value
    if isinstance(v, (tuple, list)) and v and any(isinstance(i, (TensorVal, TorchTuple)) for i in v):
        items = [as_value(i, True) for i in v]
        return TensorTuple(tuple(items))
    if unknown_ok and not is_const(v) and not isinstance(v, (slice, type(Ellipsis), dict)):
        return Tensor(None)
    return None


def is_tensor(v) -> bool:
    return isinstance(v, (TensorVal, TorchTuple))


def operand_spans(node, value) -> list:
    """The source spans of the tensors an argument holds, aligned with ``_tensor_list(value)``: the argument itself
    for one tensor, the elements of a literal list or tuple for several (None where a tensor has no expression of
    its own). Fixes rewrite these expressions (``k`` -> ``k.transpose(-2, -1)``)."""
    return element_spans(node, len(_tensor_list(value) or []), isinstance(value, TensorVal))


def _tensor_list(v) -> Optional[list]:
    """The tensors of an argument that holds tensors: a tensor, or a list/tuple of tensors (possibly some unknown)."""
    if isinstance(v, TensorVal):
        return [v.value]
    if isinstance(v, (list, tuple)) and v and any(is_tensor(i) for i in v) and \
            all(is_tensor(i) or i is UNRESOLVED for i in v):
        out = []
        for i in v:
            out.extend(_tensor_list(i) if is_tensor(i) else [Tensor(None)])
        return out
    return None


# -- the current run ------------------------------------------------------------------------------------------
@dataclasses.dataclass
class Context:
    """A model run in progress: ops go to ``inference``; ``module`` names functional ops; ops applied while the
    evaluator is more uncertain than ``base_uncertain`` (inside an unresolved branch) report nothing."""
    inference: object
    module: object = None
    base_uncertain: int = 0


def stack(ev) -> list:
    return ev.state.torch_stack


def current(ev) -> Optional[Context]:
    s = stack(ev)
    return s[-1] if s else None


def script_inference(ev):
    return script_run(ev)  # ops applied to data outside any model share the script's run


def apply(ev, layer: Layer, inputs: list, call_node=None):
    """Apply ``layer`` to core input values in the current run; returns the output as an evaluator value."""
    ctx = current(ev)
    inf = ctx.inference if ctx else script_inference(ev)
    if not layer.kind[:1].isupper() or "." in layer.kind:  # F.*, torch.*, methods: ops of the running forward
        layer.extra.setdefault("module_path", module_path(ev))
    layer.extra["in_model"] = ctx is not None  # axis 0 of a tensor in a forward() is the batch
    out = inf.apply(layer, list(inputs), call_span=Span.of(call_node) if call_node is not None else None)
    base = ctx.base_uncertain if ctx else 0
    if ev.uncertain > base:
        quiet_last_op(inf)
    result = wrap(out, inf)
    names = NAMED_FIELDS.get(layer.kind)
    if names and isinstance(result, TorchTuple) and len(result) == len(names):
        result.names = names
    return result


def quiet_last_op(inf) -> None:
    """Drop the errors and warnings of the last op: it runs only if a branch we cannot decide is taken."""
    op = inf.program.ops[-1]
    loud = [d for d in op.diagnostics if d.severity in ("error", "warning")]
    if not loud:
        return
    op.diagnostics = [d for d in op.diagnostics if d not in loud]
    inf.diagnostics = [d for d in inf.diagnostics if d not in loud]
    if op.status == "error":
        op.status = "unknown"


def module_path(ev) -> str:
    """Qualified name of the module whose forward is running ("" for the top-level model)."""
    ctx = current(ev)
    return getattr(ctx.module, "path", "") if ctx else ""


def op_name(ev, kind: str) -> str:
    path = module_path(ev)
    return f"{path}.{kind}" if path else kind


def functional_layer(ev, kind: str, call: api.Call, skip_self: Optional[TensorVal] = None):
    """Split a call into tensor inputs and the other arguments, and bind those to the rule of ``kind``.
    Returns (layer, inputs)."""
    inputs = [skip_self.value] if skip_self is not None else []
    names = ["self"] if skip_self is not None else []  # per input: its position in the call, or its keyword
    func = call.node.func if isinstance(call.node, ast.Call) else None
    spans = [Span.of(func.value) if isinstance(func, ast.Attribute) else None] if skip_self is not None else []
    args, nodes = [], []
    in_model = current(ev) is not None
    for i, a in enumerate(call.args):
        t = _tensor_list(a)
        node = call.arg_nodes[i] if i < len(call.arg_nodes) else None
        # inside forward(), an unknown first argument of a function is its (unknown) input tensor
        if t is None and i == 0 and skip_self is None and in_model and not is_const(a) and \
                not isinstance(a, (slice, dict)):
            t = [Tensor(None)]
            spans.append(Span.of(node) if isinstance(node, ast.expr) else None)
        elif t is not None:
            spans.extend(operand_spans(node, a))
        if t is not None:
            inputs.extend(t)
            names.extend([i] * len(t))
            continue
        args.append(plain(a))
        nodes.append(call.arg_nodes[i] if i < len(call.arg_nodes) else None)
    kwargs, kw_nodes = {}, {}
    for k, v in call.kwargs.items():
        t = _tensor_list(v)
        if t is not None:
            inputs.extend(t)
            names.extend([k] * len(t))
            spans.extend(operand_spans(call.kw_nodes.get(k), v))
            continue
        kwargs[k] = plain(v)
        if k in call.kw_nodes:
            kw_nodes[k] = call.kw_nodes[k]
    kwargs, kw_nodes = _numpy_aliases(kind, kwargs, kw_nodes)
    sub = api.Call(call.node, args, kwargs, nodes, kw_nodes, call.callee_text, call.starred)
    layer = make_layer(ev, FW, kind, sub, name=op_name(ev, kind))
    ctx = current(ev)
    layer.origin = Origin(layer.origin.file, layer.origin.span, layer.name if ctx else None)
    # an argument we could not follow may have been a tensor: a binding problem is then not the user's mistake
    vague = any(not is_const(a) for a in args) or any(not is_const(v) for v in kwargs.values())
    if layer.extra.get("bind_problems") and (vague or call.starred):
        layer.extra.pop("bind_problems")
        layer.args = {k: UNRESOLVED for k in layer.args}
        inputs = [Tensor(None) for _ in inputs] or [Tensor(None)]
    layer.extra["input_spans"] = spans if len(spans) == len(inputs) else [None] * len(inputs)
    if len(names) == len(inputs):
        layer.extra["input_names"] = names
    return layer, inputs


# torch's C++ argument parser takes NumPy's names for two arguments of its native functions and tensor methods:
# ``torch.cat(xs, axis=1)``, ``x.sum(axis=1, keepdims=True)``. Functions written in Python (``torch.nn.functional``,
# ``split``, ``norm``, ``unique``, ``stft``) do not: there ``axis=`` is a TypeError, as torch says.
_NUMPY_ALIASES = {"axis": "dim", "keepdims": "keepdim"}
_PYTHON_LEVEL = ("norm", "split", "unique", "unique_consecutive", "stft", "istft")


def _numpy_aliases(kind: str, kwargs: dict, kw_nodes: dict) -> tuple:
    """``kwargs`` (and their nodes) with ``axis``/``keepdims`` under the names the rule of ``kind`` binds, where
    torch accepts the alias and the call does not give the name itself."""
    rule = lookup(FW, kind)
    if rule is None or kind.startswith("F.") or kind in _PYTHON_LEVEL or \
            not any(k in _NUMPY_ALIASES for k in kwargs):
        return kwargs, kw_nodes
    params = rule.signature.defaults
    renamed = {k: _NUMPY_ALIASES[k] if k in _NUMPY_ALIASES and _NUMPY_ALIASES[k] in params and k not in params and
               _NUMPY_ALIASES[k] not in kwargs else k for k in kwargs}
    return {renamed[k]: v for k, v in kwargs.items()}, {renamed.get(k, k): n for k, n in kw_nodes.items()}


def apply_function(ev, kind: str, call: api.Call, self_tensor: Optional[TensorVal] = None):
    written = call.kwargs.get("out")
    if isinstance(written, TensorVal):  # `torch.logical_not(mask, out=mask)`: the tensor changed in place
        mask_polarity.forget(ev, written.value)
    layer, inputs = functional_layer(ev, kind, call, self_tensor)
    if not inputs:
        return UNRESOLVED
    out = apply(ev, layer, inputs)
    source = self_tensor if self_tensor is not None else next((a for a in call.args if isinstance(a, TensorVal)), None)
    if source is None and call.args and isinstance(call.args[0], (list, tuple)):  # torch.stack(xs), torch.cat(xs)
        source = next((a for a in call.args[0] if isinstance(a, TensorVal)), None)
    if current(ev) is None and isinstance(out, TensorVal) and source is not None and source.run is None:
        _carry_data_facts(ev, out, source, call)
    if kind in ("cat", "concat", "concatenate") and isinstance(out, TensorVal) and call.args and \
            isinstance(call.args[0], (list, tuple)) and len(call.args[0]) > 1 and \
            all(isinstance(v, TensorVal) and v.meta.get("loader_sample") for v in call.args[0]) and \
            call.get(1, "dim", 0) in (0, -len(out.shape) if out.shape else 0):
        out.meta["cat_of_samples"] = call.node  # a collate_fn joining its samples end to end: no batch axis
    return out


def _carry_data_facts(ev, out: TensorVal, source: TensorVal, call) -> None:
    """A torch op on data outside any model (``torch.from_numpy(a).unsqueeze(2)``): the result is data too -- it
    keeps the facts the root-cause analysis reads (where it was converted), is made at this call, and keeps where
    its layout was set when the op keeps the shape (a cast) or sets it here (an unsqueeze, a permute: an
    ``unsqueeze(0)`` is a layout written here even though it looks like a batch of one)."""
    out.origin = ev.span(call.node)
    out.note = ev.text(call.node)
    rows_kept = out.shape is not None and source.shape is not None and out.shape[:1] == source.shape[:1]
    # a model's outputs argmax-ed, a label column given an axis (`torch.tensor(y).unsqueeze(1)`): still one row per
    # sample, and still what it was
    out.meta = {k: v for k, v in source.meta.items() if k in ("converted_at",) or
                rows_kept and k in ("predictions", "frame_column")}
    same = out.shape is not None and source.shape is not None and tuple(out.shape) == tuple(source.shape)
    out.shaped_at = (source.shaped_at or source.origin) if same else out.origin


# -- torch.* and torch.nn.functional.* ------------------------------------------------------------------------
_NOT_OPS = ("nn.", "optim.", "utils.", "cuda.", "backends.", "distributed.", "onnx.", "jit.", "autograd.",
            "hub.", "multiprocessing.", "testing.", "profiler.", "amp.", "compile", "manual_seed", "device",
            "no_grad", "set_", "get_", "save", "load", "is_", "use_", "inference_mode", "enable_grad")


@api.handles_prefix("torch.")
def torch_function(ev, call, rest: str):
    if rest.startswith(_NOT_OPS) or not rest[:1].islower():
        return UNRESOLVED
    kind = rest
    has_tensor = any(_tensor_list(a) is not None for a in call.args) or \
        any(_tensor_list(v) is not None for v in call.kwargs.values())
    if not has_tensor:
        if current(ev) is None or lookup(FW, kind) is None or not call.args or call.args[0] is not UNRESOLVED:
            return UNRESOLVED
    return apply_function(ev, kind, call)


@api.handles_prefix("torch.nn.functional.")
def functional(ev, call, rest: str):
    kind = "F." + rest
    has_tensor = any(_tensor_list(a) is not None for a in call.args) or \
        any(_tensor_list(v) is not None for v in call.kwargs.values())
    if not has_tensor and current(ev) is None:
        return UNRESOLVED
    return apply_function(ev, kind, call)


# -- tensor methods -------------------------------------------------------------------------------------------
def _chain(kind_of_registration: str, names):
    """Register a torch handler for tensor methods ``names``, falling back to a handler registered before ours
    (e.g. for numpy arrays) when the tensor is not a torch tensor."""
    probe = TensorVal(Tensor(None))

    def deco(fn):
        for name in names:
            prev = (api.find_method(probe, name) if kind_of_registration == "method"
                    else api.find_attribute(probe, name))

            def handler(ev, x, *rest, _name=name, _prev=prev):
                if x.lib != FW and _prev is not None:
                    return _prev(ev, x, *rest)
                return fn(ev, x, _name, *rest)
            if kind_of_registration == "method":
                api.method(TensorVal, name)(handler)
            else:
                api.attribute(TensorVal, name)(handler)
        return fn
    return deco


@api.method(SymDim, "__binop__")
def _sym_binop(ev, op_type, left, right, node):
    if isinstance(left, TensorVal) or isinstance(right, TensorVal):
        return _binop(ev, op_type, left, right, node)
    return UNRESOLVED


def dim_value(d):
    """A dimension as the Python value ``x.size(i)`` gives: an int when known, a SymDim for a named symbol,
    else UNRESOLVED."""
    if is_known(d):
        return d
    return SymDim(d) if isinstance(d, str) else UNRESOLVED


def plain(v):
    """Op arguments as rules see them: SymDim -> its symbol (a str dim), recursively in tuples and lists."""
    if isinstance(v, SymDim):
        return v.name
    if isinstance(v, tuple) and not isinstance(v, TorchTuple):
        return tuple(plain(i) for i in v)
    if isinstance(v, list):
        return [plain(i) for i in v]
    return v


_CASTS = {"float": "float32", "double": "float64", "half": "float16", "bfloat16": "bfloat16", "int": "int32",
          "long": "int64", "bool": "bool", "byte": "uint8"}


def _cast(value: Tensor, name: str, given: list) -> Tensor:
    """The value after a same-shape method given the values ``given``: casts set the dtype; .to()/.type() may change
    it (unknown); a float bound of ``clamp`` or a transcendental function promotes an integer tensor."""
    dtype = _CASTS.get(name, None if name in ("to", "type", "type_as", "astype") else
                       same_shape_result(name.rstrip("_"), value.dtype, given))
    return value if dtype == value.dtype else dataclasses.replace(value, dtype=dtype)


_UNIT_AXIS_METHODS = ("unsqueeze", "squeeze", "view", "reshape", "flatten")  # a column stays that column


def torch_method(ev, x: TensorVal, name: str, call: api.Call):
    """``x.name(...)`` on a torch tensor."""
    shape = x.shape
    if x.lib != FW and name not in ("size", "dim", "ndimension", "numel", "nelement"):
        if name in IDENTITY_METHODS:  # arr.astype("float32"), arr.copy() ...
            return TensorVal(x.value, lib=x.lib, origin=x.origin, note=x.note, meta=dict(x.meta),
                             shaped_at=x.shaped_at)
        return UNRESOLVED
    if name == "size":
        if not call.args and not call.kwargs:
            return tuple(dim_value(d) for d in shape) if shape is not None else UNRESOLVED
        i = call.get(0, "dim", UNRESOLVED)
        if shape is None or not isinstance(i, int):
            return UNRESOLVED
        a = normalize_axis(i, len(shape))
        return dim_value(shape[a]) if a is not None else UNRESOLVED
    if name in ("dim", "ndimension"):
        return len(shape) if shape is not None else UNRESOLVED
    if name in ("numel", "nelement"):
        if shape is not None and all(is_known(d) for d in shape):
            n = 1
            for d in shape:
                n *= d
            return n
        return UNRESOLVED
    if name in ("item", "tolist"):
        return numbers_of(ev, x.value, whole=name == "tolist")
    if name in SCALAR_METHODS:
        return UNRESOLVED
    if name in ("new_zeros", "new_ones", "new_empty", "new_full"):
        return created_tensor(ev, call, name)
    if name == "new_tensor":  # x.new_tensor([1, 2]): the data's own shape
        shape = nested_shape(call.get(0, "data", UNRESOLVED)) if is_const(call.get(0, "data", UNRESOLVED)) else None
        return TensorVal(Tensor(shape), lib=FW, run=x.run) if shape is not None else UNRESOLVED
    kind = name.rstrip("_") if name.endswith("_") and not name.endswith("__") and lookup(FW, name) is None \
        else name
    if name.endswith("_") and not name.endswith("__"):  # an in-place method (`mask.logical_not_()`): what was noted of the tensor may not hold
        mask_polarity.forget(ev, x.value)
    if name in IDENTITY_METHODS:  # before the rules: x.float() / x.long() keep the data's meta, and set the dtype
        value = _cast(x.value, name, list(call.args) + list(call.kwargs.values()))
        # `.numpy()` leaves torch: numpy's methods apply from here on (`w.transpose(2, 3, 1, 0)` takes every axis)
        kind, lib, run = (DataVal, "numpy", None) if name == "numpy" else (TensorVal, FW, x.run)
        result = kind(value, lib=lib, run=run, origin=x.origin, note=x.note, meta=dict(x.meta),
                      shaped_at=x.shaped_at)
        _note_elementwise(ev, result, x)
        return result
    if kind in ("view", "reshape") and current(ev) is not None:
        layer, inputs = functional_layer(ev, kind, call, x)
        found = target_axes(call.node, ev.lines)  # which axis of x each size was read from, by its name
        if found is not None and any(a is not None for a in found):
            layer.extra["target_axes"] = found
        written = batch_written(call.node, ev.lines)
        if written is not None:
            layer.extra["batch_written"] = written  # (span, tensor name): checks/silent.batch_size_written_in_model
        return apply(ev, layer, inputs)
    if lookup(FW, kind) is not None:
        out = apply_function(ev, kind, call, self_tensor=x)
        if kind in _UNIT_AXIS_METHODS and "column" in x.meta and isinstance(out, TensorVal) and current(ev) is None:
            out.meta.setdefault("column", x.meta["column"])  # labels `table[:, -1]` made a column (N, 1): the same
        return out
    if current(ev) is None and x.run is None:
        return UNRESOLVED  # outside a model, an unknown method on data: say nothing
    return apply_function(ev, kind, call, self_tensor=x)  # no rule: recorded as unsupported, output unknown


@_chain("method", NAMED_METHODS)
def _named_method(ev, x, name, call):
    return torch_method(ev, x, name, call)


_prev_catch_all = api.find_method(TensorVal(Tensor(None)), "__method__")


@api.method(TensorVal, "__method__")
def _any_method(ev, x, name, call):
    if x.lib != FW:
        return _prev_catch_all(ev, x, name, call) if _prev_catch_all else UNRESOLVED
    return torch_method(ev, x, name, call)


@_chain("attribute", ["shape"])
def _shape(ev, x, name, node):
    return tuple(dim_value(d) for d in x.shape) if x.shape is not None else UNRESOLVED


@_chain("attribute", ["ndim"])
def _ndim(ev, x, name, node):
    return len(x.shape) if x.shape is not None else UNRESOLVED


@_chain("attribute", ["T", "mT"])
def _transpose_attr(ev, x, name, node):
    if x.lib != FW:
        return UNRESOLVED
    call = api.Call(node, [], {}, [], {}, ev.text(node))
    if name == "T":
        return apply_function(ev, "t" if x.shape is not None and len(x.shape) <= 2 else "permute",
                              call if x.shape is not None and len(x.shape) <= 2 else
                              api.Call(node, list(range((len(x.shape) if x.shape else 0) - 1, -1, -1)), {},
                                       [], {}, ev.text(node)), self_tensor=x)
    return apply_function(ev, "transpose", api.Call(node, [-2, -1], {}, [], {}, ev.text(node)), self_tensor=x)


@_chain("attribute", ["device", "dtype", "data", "grad", "is_cuda", "requires_grad"])
def _plain_attr(ev, x, name, node):
    if name == "data":
        return x
    return UNRESOLVED


_prev_len = api.find_method(TensorVal(Tensor(None)), "__len__")


@api.method(TensorVal, "__len__")
def _len(ev, x):
    if x.lib != FW and _prev_len is not None:
        return _prev_len(ev, x)
    return dim_value(x.shape[0]) if x.shape else UNRESOLVED


# -- operators and indexing -----------------------------------------------------------------------------------
_prev_binop = api.find_method(TensorVal(Tensor(None)), "__binop__")


@api.method(TensorVal, "__binop__")
def _binop(ev, op_type, left, right, node):
    torch_side = any(isinstance(v, TensorVal) and v.lib == FW for v in (left, right))
    if not torch_side:
        return _prev_binop(ev, op_type, left, right, node) if _prev_binop else UNRESOLVED
    kind = _BINOP_KINDS.get(op_type)
    if kind is None:
        return UNRESOLVED
    lt, rt = isinstance(left, TensorVal), isinstance(right, TensorVal)
    if lt and rt or (kind == "matmul"):
        if not (lt and rt) and current(ev) is None:
            return UNRESOLVED
        inputs = [as_value(left, True) or Tensor(None), as_value(right, True) or Tensor(None)]
        layer = Layer(FW, kind, name=op_name(ev, kind), origin=Origin(ev.file, Span.of(node),
                                                                      op_name(ev, kind) if current(ev) else None),
                      callee=ev.text(node))
        rule = lookup(FW, kind)
        if rule is not None:
            layer.args, given, _ = rule.signature.bind([], {})
        layer.extra["input_spans"] = binop_operand_spans(node)
        result = apply(ev, layer, inputs)
        return _data_kept(ev, left, right, result) if lt and rt else result
    t = left if lt else right
    other = right if lt else left
    if isinstance(other, (int, float, bool, Number)) or other is None:
        # a Python scalar broadcasts to the tensor's shape: no op worth recording; data keeps where it came from
        # (a Number's value is not known: its type alone decides the dtype, and no id range survives it)
        if mask_polarity.made(ev, t.value) is not None:  # `mask ^ True`: what it marks is no longer known
            return TensorVal(Tensor(t.value.shape, t.value.dtype), lib=FW, run=t.run)
        value = _ids_after(t.value, kind, other, t is left) if isinstance(t.value, Ids) else t.value
        dtype = with_scalar(value.dtype, number_example(other), kind) if other is not None else None
        if dtype != value.dtype:  # `onehot * 0.9`, `ids / 2`, `x > 0.5`: torch promotes (rules/_dtypes.py)
            value = Tensor(value.shape, dtype)
        if t.run is None:
            meta = {k: v for k, v in t.meta.items() if k == "converted_at"}
            if isinstance(value, Ids):  # class ids `arange(n) % k`: the loss checks read the range from the data
                meta["int_range"] = (value.low, value.high)
            return TensorVal(value, lib=FW, origin=t.origin, note=t.note, shaped_at=t.shaped_at, meta=meta)
        return TensorVal(value, lib=FW, run=t.run)
    if current(ev) is not None or t.run is not None:  # the other operand is something we could not follow
        return TensorVal(Tensor(None), lib=FW, run=t.run)
    return UNRESOLVED


def _ids_after(ids: Ids, kind: str, number, ids_left: bool) -> Tensor:
    """The range of ``arange(n) % k``, ``ids + 1``, ``ids - 1``, ``ids * 2``: what the ids can be after the operator,
    or a plain tensor when that is not worked out here (the range is a claim the id checks act on)."""
    if not isinstance(number, int) or isinstance(number, bool) or not ids_left:
        return Tensor(ids.shape, ids.dtype)
    lo, hi = ids.low, ids.high
    if kind in ("remainder", "fmod", "mod") and number > 0 and lo >= 0:
        return Ids(ids.shape, ids.dtype, 0, min(hi, number)) if hi > 0 else Tensor(ids.shape, ids.dtype)
    if kind == "add":
        return Ids(ids.shape, ids.dtype, lo + number, hi + number)
    if kind == "sub":
        return Ids(ids.shape, ids.dtype, lo - number, hi - number)
    if kind == "mul" and number > 0:
        return Ids(ids.shape, ids.dtype, lo * number, (hi - 1) * number + 1)
    return Tensor(ids.shape, ids.dtype)


def _data_kept(ev, left, right, result):
    """Outside a model, ``(t - MEAN.view(1, 1, 3)) / STD.view(1, 1, 3)``: statistics broadcast over the data keep it
    the data -- where it was made, shaped and converted -- as a Python scalar does (rootcause/ points there; like the
    scalar's, the result is data, not a value of the script's run). Only when the result has the data's shape, the
    data is not itself a value of the run, and the other operand is smaller."""
    if current(ev) is not None or not isinstance(result, TensorVal) or result.origin is not None:
        return result
    for data, stats in ((left, right), (right, left)):
        if data.lib != FW or data.run is not None or data.value.shape is None or stats.value.shape is None or \
                tuple(result.value.shape or ()) != tuple(data.value.shape) or \
                _count(stats.value.shape) is None or _count(data.value.shape) is None or \
                _count(stats.value.shape) >= _count(data.value.shape):
            continue
        return dataclasses.replace(result, run=None, origin=data.origin, note=data.note, shaped_at=data.shaped_at,
                                   meta=dict(result.meta, **{k: v for k, v in data.meta.items()
                                                             if k == "converted_at"}))
    return result


def _count(shape):
    n = 1
    for v in shape:
        if not isinstance(v, int):
            return None
        n *= int(v)
    return n


@api.method(TensorVal, "__compare__")
def _compare(ev, op_type, left, right, node):
    """``a == b``, ``x > 0`` on torch tensors: broadcast like the arithmetic operators, bool result."""
    if not any(isinstance(v, TensorVal) and v.lib == FW for v in (left, right)):
        return UNRESOLVED
    out = _binop(ev, op_type, left, right, node)
    if isinstance(out, TensorVal) and out.value.shape is not None:
        result = TensorVal(Tensor(out.value.shape, "bool"), lib=FW, run=out.run)
        tensors = [v for v in (left, right) if isinstance(v, TensorVal)]
        _note_elementwise(ev, result, out if len(tensors) == 2 else tensors[0])  # the recorded `eq`, or the operand
        if len(tensors) == 2 and out.run is not None and current(ev) is not None:
            out.run.note_elementwise(result.value, out.value)  # the bool result is the recorded comparison's
        if len(tensors) == 2 and op_type in (ast.Eq, ast.NotEq) and current(ev) is None:
            # `preds == yb` outside a model: checks/silent.py looks for a prediction column against labels
            ev.state.array_comparisons.append((left, right, node))
        if len(tensors) == 1 and tensors[0].meta.get("predictions"):
            result.meta["predictions"] = True  # `model(X) > 0`: the predicted classes, one row per sample still
        if len(tensors) == 1:  # ``tokens != PAD``: which entries the mask marks (a padding mask's polarity)
            number = right if tensors[0] is left else left
            mask_polarity.note_compare(ev, op_type, tensors[0].value, number, result.value, node,
                                       tensors[0] is left)
        return result
    return out


def _note_elementwise(ev, result: TensorVal, operand: TensorVal) -> None:
    """Outside a model, ``preds = probs > 0.5`` records no op: the script run is told that ``preds`` keeps the rows
    of ``probs`` (checks/silent.py follows a model's predictions into an accuracy)."""
    if current(ev) is None and operand.value is not result.value:
        script_run(ev).note_elementwise(result.value, operand.value)


_prev_unary = api.find_method(TensorVal(Tensor(None)), "__unaryop__")


@api.method(TensorVal, "__unaryop__")
def _unaryop(ev, op_type, x, node):
    if x.lib != FW:
        return _prev_unary(ev, op_type, x, node) if _prev_unary else UNRESOLVED
    made = mask_polarity.made(ev, x.value) if op_type is ast.Invert else None
    if op_type is ast.Invert and x.value.dtype == "bool" and (current(ev) is not None or x.run is not None):
        # `~mask` in a forward: the op `logical_not`, so a mask's maker is still found through it (checks/)
        layer = Layer(FW, "logical_not", name=op_name(ev, "logical_not"),
                      origin=Origin(ev.file, Span.of(node), op_name(ev, "logical_not") if current(ev) else None),
                      callee=ev.text(node))
        rule = lookup(FW, "logical_not")
        if rule is not None:
            layer.args, _, _ = rule.signature.bind([], {})
        out = apply(ev, layer, [x.value])
        if made is not None and isinstance(out, TensorVal):
            mask_polarity.note_negated(ev, x.value, out.value, node)
        return out
    if made is not None:  # `~keep` of data whose polarity is known: a value of its own, the other polarity
        flipped = TensorVal(Tensor(x.value.shape, x.value.dtype), lib=FW, run=x.run)
        mask_polarity.note_negated(ev, x.value, flipped.value, node)
        return flipped
    return TensorVal(x.value, lib=FW, run=x.run)  # -x, +x, ~x keep the shape


def _index_value(ev, v):
    if isinstance(v, (int, slice)) and not isinstance(v, bool) or v is None or v is Ellipsis:
        return v
    if isinstance(v, Number) and v.kind == "int":
        return 0  # `x[:, j]` with j an int not known here drops that axis all the same
    if isinstance(v, bool):
        return v
    return UNRESOLVED


_prev_getitem = api.find_method(TensorVal(Tensor(None)), "__getitem__")


@api.method(TensorVal, "__getitem__")
def _getitem(ev, x, slice_node, scope):
    if x.lib != FW:
        return _prev_getitem(ev, x, slice_node, scope) if _prev_getitem else UNRESOLVED
    key = ev.eval(slice_node, scope)
    if isinstance(key, Number) and key.kind == "int":
        key = 0  # images[j] with j = random.randrange(n): an int we cannot know picks one row all the same
    inputs = [x.value]
    if isinstance(key, TensorVal) and key.lib in (FW, "numpy"):  # x[idx], x[mask]: the index is an input too
        index, inputs = (TENSOR_INDEX,), [x.value, key.value]
    elif isinstance(key, tuple) and any(_index_tensor(p) is not None for p in key):
        # x[torch.arange(n), actions], x[range(n), actions]: each index tensor is an input too
        index = tuple(TENSOR_INDEX if _index_tensor(p) is not None else _index_value(ev, p) for p in key)
        inputs = [x.value] + [_index_tensor(p) for p in key if _index_tensor(p) is not None]
    else:
        parts = key if isinstance(key, tuple) else (key,)
        index = tuple(_index_value(ev, p) for p in parts)
    parent = getattr(slice_node, "_shapelint_parent", None)
    node = parent if parent is not None else slice_node
    call = api.Call(node, [index], {}, [slice_node], {}, "getitem")
    layer = make_layer(ev, FW, "getitem", call, name=op_name(ev, "getitem"))
    layer.origin = Origin(ev.file, Span.of(slice_node), layer.name if current(ev) else None)
    out = apply(ev, layer, inputs)
    if _rows_only(key) and isinstance(out, TensorVal) and current(ev) is None and (x.meta or x.shaped_at):
        # a subset of the samples keeps what is known of their values (class ids 1..5) and of their layout
        out.meta = {**x.meta, **out.meta}
        out.shaped_at = out.shaped_at or x.shaped_at
        out.origin = out.origin or x.origin
    elif isinstance(key, int) and not isinstance(key, bool) and isinstance(out, TensorVal) and current(ev) is None:
        out.shaped_at = out.shaped_at or x.shaped_at or x.origin  # one sample keeps the layout of its rows
        if ev.depth == 0:  # `sample = images[7]` in the script: made here, without its batch axis
            out.origin = Span.of(node)
    elif isinstance(out, TensorVal) and current(ev) is None and x.run is None and out.origin is None and \
            out.shape is not None and x.shape is not None and len(out.shape) != len(x.shape):
        out.origin = out.shaped_at = Span.of(node)  # `feats[:, None]`: data whose axes are set here
    return out


def _index_tensor(part) -> Optional[Tensor]:
    """An index part that is a tensor of indices: a torch / NumPy tensor, or a ``range`` (one int64 per entry)."""
    if isinstance(part, TensorVal) and part.lib in (FW, "numpy"):
        return part.value
    if isinstance(part, range):
        return Tensor((len(part),), "int64")
    return None


def _rows_only(key) -> bool:
    """Whether an index picks samples and keeps every other axis whole: ``x[a:b]``, ``x[idx]``, ``x[a:b, :]``."""
    parts = key if isinstance(key, tuple) else (key,)
    first, rest = parts[0] if parts else None, parts[1:]
    whole = all(isinstance(p, slice) and p == slice(None) for p in rest)
    return whole and (isinstance(first, slice) or isinstance(first, TensorVal))


@api.method(TensorVal, "__unpack__")
def _unpack(ev, x, n: int, node):
    """``q, k, v = qkv`` on a torch tensor of n rows along its first axis: ``qkv[0]``, ``qkv[1]``, ... (any other
    count raises in torch, and stays unknown here)."""
    if x.lib != FW or node is None or not x.shape or dim_value(x.shape[0]) != n:
        return None
    out = []
    for i in range(n):
        call = api.Call(node, [(i,)], {}, [], {}, "getitem")
        layer = make_layer(ev, FW, "getitem", call, name=op_name(ev, "getitem"))
        layer.origin = Origin(ev.file, Span.of(node), layer.name if current(ev) else None)
        out.append(apply(ev, layer, [x.value]))
    return out


def _named_field(ev, t: TorchTuple, node):
    """``x.max(dim=1).values``, ``torch.sort(x).indices``: a field of the named tuple an op returned."""
    names = getattr(t, "names", ())
    name = getattr(node, "attr", None)
    return t[names.index(name)] if name in names else UNRESOLVED


for _field in sorted({f for fields in NAMED_FIELDS.values() for f in fields}):
    api.attribute(TorchTuple, _field)(_named_field)


__all__ = ["wrap", "as_value", "apply", "apply_function", "Context", "stack", "current", "TorchTuple",
           "dim_value", "torch_method", "is_tensor"]


_MATH_INTS = {"floor", "ceil", "trunc", "isqrt", "gcd", "lcm", "comb", "perm", "factorial"}
_MATH_BOOLS = {"isnan", "isinf", "isfinite", "isclose"}
_MATH_NOT_NUMBERS = {"prod", "modf", "frexp"}  # prod has its own handler; modf and frexp return pairs


@api.handles_prefix("math.")
@api.takes_numbers
def math_function(ev, call, rest: str):
    """``math.sqrt(d_k)`` and friends on known numbers (scales in attention code); on a number not known, or a value
    not followed, a number of the type the function returns (``scores / math.sqrt(self.head_dim)`` keeps the scores'
    shape whatever the head size)."""
    fn = getattr(math, rest, None)
    if rest.startswith("_") or not callable(fn) or call.kwargs or rest in _MATH_NOT_NUMBERS:
        return UNRESOLVED
    if not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in call.args):
        if not call.args or call.starred or \
                not all(isinstance(a, (int, float, Number)) or a is UNRESOLVED for a in call.args):
            return UNRESOLVED
        return Number("int" if rest in _MATH_INTS else "bool" if rest in _MATH_BOOLS else "float")
    try:
        out = fn(*call.args)
    except (ValueError, TypeError, OverflowError):
        return UNRESOLVED
    return out if isinstance(out, (int, float)) and not isinstance(out, bool) else UNRESOLVED


# -- tensors made from a size or from data (torch.zeros(2, 3), x.new_zeros(...), torch.tensor([[1, 2]])) ------
def nested_shape(v):
    """Shape of a nested list of numbers (``torch.tensor([[1, 2], [3, 4]])`` -> (2, 2)), or None."""
    if isinstance(v, (int, float, bool, Number)):
        return ()
    if isinstance(v, TensorVal) and v.shape is not None and tuple(v.shape) == ():
        return ()  # torch.tensor([x[i]]): a one-element tensor is taken as its number
    if isinstance(v, (list, tuple)) and v:
        inner = [nested_shape(i) for i in v]
        if all(s is not None and s == inner[0] for s in inner):
            return (len(v),) + inner[0]
    if isinstance(v, (list, tuple)) and not v:
        return (0,)
    return None


def size_args(call):
    """The size of a creation call: ``zeros(2, 3)``, ``zeros((2, 3))``, ``zeros(size=(2, 3))``; entries we could
    not follow are unknown dims. None when even the rank is unknown."""
    if "size" in call.kwargs:
        dims = call.kwargs["size"]
    else:
        args = list(call.args)
        if len(args) == 1 and isinstance(args[0], (list, tuple)):
            dims = args[0]
        elif len(args) == 1 and args[0] is UNRESOLVED:
            return None  # torch.randn(x.shape[:2]) of an unknown x: the argument may be the whole size
        elif args and all(not isinstance(a, (list, tuple)) for a in args):
            dims = tuple(args)
        else:
            return None
    if not isinstance(dims, (list, tuple)) or call.starred:
        return None
    return tuple(d if isinstance(d, int) and not isinstance(d, bool) and d >= 0 else
                 d.name if isinstance(d, SymDim) else None for d in dims)


def in_run(ev, value: Tensor, call) -> TensorVal:
    """A tensor made at ``call``, in the current model run (or none, in a script)."""
    ctx = current(ev)
    return TensorVal(value, lib=FW, run=ctx.inference if ctx else None, origin=ev.span(call.node),
                     note=ev.text(call.node))


def created_tensor(ev, call, name: str):
    """``torch.zeros(b, 10)``, ``x.new_zeros(...)``, ``torch.full((2, 3), v)``: a tensor of the stated size."""
    if name in ("full", "new_full"):  # the fill value is not a size
        call = api.Call(call.node, call.args[:1], {k: v for k, v in call.kwargs.items() if k == "size"},
                        call.arg_nodes[:1], {}, call.callee_text, call.starred)
    shape = size_args(call)
    return in_run(ev, Tensor(shape), call) if shape is not None else UNRESOLVED
