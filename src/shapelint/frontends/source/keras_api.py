"""Keras support for the source evaluator.

* layer constructors under every spelling (``keras.layers.Dense``, ``tf.keras.layers.Dense``, ``from
  tensorflow.keras.layers import Dense``, ``keras.layers.core.Dense``; api.canonical maps them to one name);
* ``Sequential([...])`` / ``Sequential()`` + ``add`` / ``pop``, with its input from ``keras.Input``, ``InputLayer``,
  the first layer's ``input_shape`` / ``input_dim`` / ``batch_input_shape``, ``model.build(shape)``, or -- Keras
  builds such a model lazily -- the first ``model(x)`` / ``predict`` / ``fit`` / ``evaluate`` on data of known shape;
* functional models: ``keras.Input`` -> layer calls on symbolic tensors -> ``keras.Model(inputs, outputs)``, with
  multi-input/output models, the lower-case merge helpers (``layers.concatenate([a, b])``), shared layers (checked
  against the input they were built on, see frontends/keras_build.py) and models used as layers.

Everything applied to symbolic tensors flows through one Inference per file (``functional_graph``); a model's run
lists the ops that lead to its outputs.
"""
from __future__ import annotations

import ast
import os
from typing import Optional

from ...checks.facts import ModelCallFacts
from ...checks.report import emit, first_time
from ...core import registry
from ...core.errors import Mismatch
from ...core.infer import Inference
from ...core.program import UNRESOLVED, Program, Span
from ...core.values import UNKNOWN, Tensor, TensorTuple
from ...diagnostics import remedies
from ...diagnostics.model import Edit, Fix, Label
from .. import keras_build
from . import api
from .data_api import dtype_name, make
from .evaluator import is_const
from .keras_masks import call_mask_argument, keeps_mask_through, layer_output_mask, mask_of, with_mask
from .layers import binop_operand_spans, element_spans, make_layer, snake_case
from .models import ModelObj, Run, given_input_shape, input_key, run_init, script_run
from .objects import LayerObj, Number, TensorVal
from .tfdata_api import TFDataset, check_fed_dataset, features_and_labels

FW = "keras"

# Functional helpers spelled in lower case: layers.concatenate([a, b]) == layers.Concatenate()([a, b])
_MERGE_FUNCTIONS = {"concatenate": "Concatenate", "add": "Add", "subtract": "Subtract", "multiply": "Multiply",
                    "average": "Average", "maximum": "Maximum", "minimum": "Minimum", "dot": "Dot"}


def auto_name(ev, kind: str) -> str:
    """Keras' automatic layer names: ``dense``, ``dense_1``, ... per snake-cased class name, per session."""
    counters = ev.state.keras_names
    base = snake_case(kind)
    n = counters.get(base, 0)
    counters[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def _dims_ok(shape) -> bool:
    return isinstance(shape, tuple) and all(d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= 0)
                                            for d in shape)


def _shape_tuple(value) -> Optional[tuple]:
    """A shape argument as a tuple of ints/None (an int means a 1-tuple), or None when unknown."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,)
    if isinstance(value, list):
        value = tuple(value)
    if isinstance(value, tuple):
        # `shape=(X.shape[1],)` with X's width unknown: the rank is written out, so only that size is unknown
        value = tuple(None if d is UNRESOLVED else d for d in value)
    return value if _dims_ok(value) else None


def declared_input(layer) -> Optional[tuple]:
    """The model input (with batch axis) a layer declares: an InputLayer's shape, or a first layer's
    ``input_shape`` / ``input_dim`` / ``batch_input_shape`` (Keras 3: layer.py ``_input_shape_arg``)."""
    if "declared_input" in layer.extra:
        return layer.extra["declared_input"]
    args = layer.args
    if args.get("batch_input_shape") not in (None, UNRESOLVED):
        return _shape_tuple(args["batch_input_shape"])
    if _base_input_dim(layer) and args.get("input_dim") not in (None, UNRESOLVED):
        dim = _shape_tuple(args["input_dim"])
        return (None,) + dim if dim else None
    if args.get("input_shape") not in (None, UNRESOLVED):
        shp = _shape_tuple(args["input_shape"])
        return (None,) + shp if shp is not None else None
    return None


def _base_input_dim(layer) -> bool:
    """Is ``input_dim`` the Keras 2 base-layer kwarg (input shape ``(input_dim,)``) rather than the layer's own
    constructor argument? ``Embedding(input_dim=5000, output_dim=50)`` names the vocabulary size: Keras 3 builds
    no input from it."""
    rule = registry.lookup(layer.framework, layer.kind)
    return rule is None or "input_dim" not in rule.signature.params


def _states_input(layer) -> bool:
    """Does the layer state an input at all (even one we cannot resolve)?"""
    return any(k in layer.given for k in ("batch_input_shape", "input_shape")) or (
        "input_dim" in layer.given and _base_input_dim(layer))


def apply_keras(ev, inf, layer, inputs, call_node=None):
    return keras_build.apply(inf, layer, inputs, call_span=ev.span(call_node) if call_node is not None else None,
                             uncertain=bool(ev.uncertain))


# -- layer constructors ---------------------------------------------------------------------------------------
@api.handles_prefix("keras.layers.")
def keras_layer(ev, call, rest: str):
    name = rest.split(".")[-1]
    if name in _MERGE_FUNCTIONS:
        kw = {k: v for k, v in call.kwargs.items() if k != "inputs"}
        inputs = call.args[0] if call.args else call.kwargs.get("inputs", UNRESOLVED)
        sub = api.Call(call.node, call.args[1:], kw, call.arg_nodes[1:],
                       {k: v for k, v in call.kw_nodes.items() if k != "inputs"}, call.callee_text, call.starred)
        obj = _construct(ev, _MERGE_FUNCTIONS[name], sub)
        return apply_layer(ev, obj, [inputs], call)
    if name == "Input":
        return keras_input(ev, call)
    if name == "InputLayer":
        return input_layer(ev, call)
    if not name[:1].isupper():
        return UNRESOLVED
    return _construct(ev, name, call)


def _construct(ev, kind: str, call) -> LayerObj:
    layer_name = call.kwargs.get("name")
    layer = make_layer(ev, FW, kind, call, name=layer_name if isinstance(layer_name, str) else auto_name(ev, kind))
    # wrappers hold another layer: Bidirectional(LSTM(...)), TimeDistributed(Dense(...))
    for key in ("layer", "backward_layer", "arg0"):
        inner = layer.args.get(key)
        if isinstance(inner, LayerObj):
            layer.args[key] = inner.layer
    _keras2_defaults(layer)
    return LayerObj(layer, call.node)


# Arguments Keras 2 gave a default that Keras 3 requires (Keras 2 code run with Keras 3 fails to build the layer).
_KERAS2_DEFAULTS = {"AveragePooling1D": ("pool_size", "2"), "AveragePooling2D": ("pool_size", "(2, 2)"),
                    "AveragePooling3D": ("pool_size", "(2, 2, 2)"), "AvgPool1D": ("pool_size", "2"),
                    "AvgPool2D": ("pool_size", "(2, 2)"), "AvgPool3D": ("pool_size", "(2, 2, 2)")}


def _keras2_defaults(layer) -> None:
    """A required argument missing where Keras 2 had a default: the problem says so (issue #10, Keras 2 -> 3)."""
    known = _KERAS2_DEFAULTS.get(layer.kind)
    problems = layer.extra.get("bind_problems")
    if not known or not problems:
        return
    arg, default = known
    layer.extra["bind_problems"] = [
        f"missing required argument `{arg}`: Keras 2 defaulted it to {default}, Keras 3 requires it "
        f"(pass `{arg}={default}` to keep Keras 2's behaviour)" if p == f"missing required argument `{arg}`" else p
        for p in problems]


def _input_dims(call, shape_pos: Optional[int]) -> tuple:
    """(dims or None, stated) for Input / InputLayer: batch_shape wins, else (batch_size,) + shape."""
    batch_shape = call.kwargs.get("batch_shape", call.kwargs.get("batch_input_shape"))
    shape = call.get(shape_pos, "shape", None) if shape_pos is not None else call.kwargs.get("shape")
    if shape is None:
        shape = call.kwargs.get("input_shape")
    batch_size = call.kwargs.get("batch_size")
    stated = batch_shape is not None or shape is not None
    if batch_shape is not None:
        return _shape_tuple(batch_shape), stated
    dims = _shape_tuple(shape)
    if dims is None:
        return None, stated
    batch = batch_size if isinstance(batch_size, int) and not isinstance(batch_size, bool) else None
    return (batch,) + dims, stated


def _int_shape(ev, call, shape_pos: Optional[int], kind: str) -> None:
    """``keras.Input(shape=(28 * 28))``: the parentheses make no tuple, and Keras 3 raises "Cannot convert '784' to
    a shape" (tf.keras 2 took it). Reported at the argument; the fix adds the comma that makes it a tuple."""
    shape = call.get(shape_pos, "shape", None) if shape_pos is not None else call.kwargs.get("shape")
    node = call.node_of(shape_pos, "shape") if shape_pos is not None else call.kw_nodes.get("shape")
    if ev.uncertain or node is None or not isinstance(shape, int) or isinstance(shape, bool):
        return
    text = ev.text(node)
    span = ev.span(node)
    line = ev.lines[span.line - 1] if span is not None and 0 < span.line <= len(ev.lines) else ""
    before = line[:span.column - 1].rstrip() if span is not None else ""
    call_open = Span.of(call.node.func)
    parenthesised = before.endswith("(") and not (call_open is not None and call_open.end_line == span.line and
                                                 len(before) == call_open.end_column)
    edit = Edit(Span(span.end_line, span.end_column, span.end_line, span.end_column), ",") if parenthesised else \
        Edit(span, f"({text},)")
    spelled = f"({text},)"
    remedy = remedies.shape_as_tuple(spelled)
    emit(ev, "invalid-argument", span, remedies.int_not_tuple_label(shape), kind=kind, arg="shape",
         detail=remedies.int_shape_detail(text, shape), remedy=remedy, fix=Fix("safe", remedy, [edit]),
         severity="error")


@api.handles("keras.Input", "keras.layers.Input")
def keras_input(ev, call):
    _int_shape(ev, call, 0, "Input")
    dims, _ = _input_dims(call, 0)
    dtype = call.get(2, "dtype", None)
    dtype = dtype if isinstance(dtype, str) else None
    name = call.kwargs.get("name")
    meta = {"keras_input": True, "node": call.node}
    if isinstance(name, str):
        meta["input_name"] = name  # fit({"tags": ...}) feeds the Input by this name
    return TensorVal(Tensor(dims, dtype), lib="keras", run=None, origin=ev.span(call.node), meta=meta)


def input_layer(ev, call):
    """``InputLayer(shape=...)`` (also the deprecated ``input_shape=`` / ``batch_input_shape=``): a Sequential's
    first item that states the model input."""
    _int_shape(ev, call, 0, "InputLayer")
    dims, stated = _input_dims(call, 0)
    layer_name = call.kwargs.get("name")
    layer = make_layer(ev, FW, "InputLayer", call,
                       name=layer_name if isinstance(layer_name, str) else auto_name(ev, "InputLayer"))
    layer.extra["declared_input"] = dims
    layer.extra["states_input"] = stated
    return LayerObj(layer, call.node)


# -- applying layers ------------------------------------------------------------------------------------------
def _flatten_inputs(args) -> list:
    out = []
    for a in args:
        if isinstance(a, (list, tuple)):
            out.extend(_flatten_inputs(a))
        elif isinstance(a, dict):
            out.extend(_flatten_inputs(list(a.values())))
        else:
            out.append(a)
    return out


def functional_graph(ev):
    """The one Inference all functional (symbolic) Keras tensors of this file flow through."""
    g = ev.state.keras_graph
    if g is None:
        g = Inference(Program("<functional>", FW), ev.lines)
        ev.state.keras_graph = g
    return g


def symbolic_inference(ev):
    """Where symbolic tensors flow now: the run of the subclassed model whose call() is being traced, else the
    file's functional graph."""
    stack = ev.state.keras_call_stack
    return stack[-1] if stack else functional_graph(ev)


def _call_tensors(call) -> list:
    """The tensor inputs of a layer call: the first positional (or ``inputs=`` / ``query=``), then further tensor
    positionals, then ``value=`` / ``key=`` (attention layers)."""
    first = call.args[0] if call.args else call.kwargs.get("inputs", call.kwargs.get("query", UNRESOLVED))
    rest = [a for a in call.args[1:] if isinstance(a, TensorVal)]
    # `attn(query, value=context)`: the keyword tensors too, however the query was passed
    rest += [call.kwargs[k] for k in ("value", "key") if isinstance(call.kwargs.get(k), TensorVal)]
    return [first] + rest


@api.method(LayerObj, "adapt")
def adapt(ev, obj: LayerObj, call):
    """``normalizer.adapt(data)``: a Normalization learns one mean and variance per entry of its kept axes, so the
    data pins their sizes (the preprocessing rule checks the input against them)."""
    data = call.get(0, "data", None)
    if obj.layer.framework == "keras" and obj.layer.kind == "Normalization" and isinstance(data, TensorVal) and \
            data.shape is not None:
        obj.layer.extra["adapted_shape"] = tuple(data.shape)
        obj.layer.extra["adapted_at"] = Span.of(call.node)
    return None


@api.method(LayerObj, "__call__")
def call_layer(ev, obj: LayerObj, call):
    if obj.layer.framework != FW:
        fn = api.find_method(obj, "__torch_call__")
        return fn(ev, obj, call) if fn else UNRESOLVED
    return apply_layer(ev, obj, _call_tensors(call), call)


def apply_layer(ev, obj: LayerObj, args: list, call):
    # merge and attention layers need a list: `Add()(x)` fails where `Add()([x])` works (rules read this flag)
    obj.layer.extra["list_input"] = bool(args) and isinstance(args[0], (list, tuple))
    tensors = _flatten_inputs(args)
    if not tensors or not all(isinstance(t, TensorVal) or t is UNRESOLVED for t in tensors):
        return UNRESOLVED
    if any(t is UNRESOLVED for t in tensors):
        # a value we could not follow (a pretrained model's output, a helper we cannot see): the layer still
        # joins the graph, with an unknown input, so the model around it is found and checked after it
        tensors = [TensorVal(UNKNOWN, lib="keras") if t is UNRESOLVED else t for t in tensors]
    symbolic = any(t.lib == "keras" for t in tensors)
    if symbolic:
        _built_on_declared_shape(ev, obj, tensors)
    stack = ev.state.keras_call_stack
    inf = stack[-1] if stack else functional_graph(ev) if symbolic else script_run(ev)
    for k in call.kw_nodes:
        v = call.kwargs.get(k)
        obj.layer.call_kwargs[k] = v.value if isinstance(v, TensorVal) else v  # a mask: its shape, for the rule
        if k not in obj.layer.given:  # a call argument (a mask): a diagnostic about it points at it
            obj.layer.arg_spans[k] = ev.span(call.kw_nodes[k])
    obj.layer.extra["eager"] = not symbolic  # on data, a layer that fails on its first call fails right here
    if obj.layer.kind == "Lambda":
        _trace_lambda(ev, obj.layer, args, inf, symbolic)
    obj.layer.extra["input_spans"] = _input_spans(call, args, len(tensors))
    obj.layer.extra["in_call_method"] = bool(stack)  # traced inside a subclass's call(): no layers created here
    out = apply_keras(ev, inf, obj.layer, [t.value for t in tensors], call.node)
    result = wrap(out, "keras" if symbolic else "tf", inf)
    with_mask(result, layer_output_mask(obj.layer, tensors[0], out, mask_of(tensors[0])))
    if isinstance(result, TensorVal) and obj.layer.kind in ("StringLookup", "IntegerLookup"):
        from ...rules.keras.text_category import lookup_id_range  # deferred: the Keras rules load on first lookup
        ids = lookup_id_range(obj.layer)  # class ids made from names: the loss checks them against the head
        if ids is not None:
            result.meta["int_range"] = ids
            result.meta["ids_from_lookup"] = obj.layer  # rootcause: its OOV slots shift the ids
    if isinstance(result, TensorVal) and obj.layer.kind == "TextVectorization" and not symbolic and \
            obj.layer.raw("output_sequence_length") is None and obj.layer.raw("output_mode") in ("int", None):
        result.meta["length_per_batch"] = obj.layer  # padded to the longest text of each batch (checks/data_input)
    return result


def _input_spans(call, args: list, n: int) -> list:
    """Source spans of a layer call's input tensors (``[y, shortcut]`` in ``layers.add([y, shortcut])``), aligned
    with the inputs; None where a tensor has no expression of its own. Fixes rewrite these expressions."""
    node = call.arg_nodes[0] if call.arg_nodes and call.args and args and args[0] is call.args[0] else None
    return element_spans(node, n, isinstance(args[0], TensorVal) if args else False)


_OPERATOR_KINDS = {ast.Add: "ops.add", ast.Sub: "ops.subtract", ast.Mult: "ops.multiply", ast.Div: "ops.divide"}
_prev_binop = api.find_method(TensorVal(Tensor(None)), "__binop__")


@api.method(TensorVal, "__binop__")
def keras_binop(ev, op_type, left, right, node):
    """``a + b`` on Keras symbolic tensors (a residual ``inputs + attn_output``) is keras.ops.add: an op of the
    functional graph, broadcasting like Keras. A Python scalar keeps the tensor (and its producer) as it is."""
    lt = isinstance(left, TensorVal) and left.lib == "keras"
    rt = isinstance(right, TensorVal) and right.lib == "keras"
    if not (lt or rt):
        return _prev_binop(ev, op_type, left, right, node) if _prev_binop else UNRESOLVED
    t, other = (left, right) if lt else (right, left)
    if (isinstance(other, (int, float)) and not isinstance(other, bool) or isinstance(other, Number)) and \
            op_type in _OPERATOR_KINDS:
        return TensorVal(t.value, lib="keras", run=t.run)
    kind = _OPERATOR_KINDS.get(op_type)
    if kind is not None and other is UNRESOLVED:  # a value we could not follow: the op still joins the graph, with an
        # unknown operand, so the layers before it stay in the model's table and its output is unknown where it is
        other = TensorVal(UNKNOWN, lib="keras")
        left, right = (t, other) if lt else (other, t)
    if kind is None or not isinstance(other, TensorVal):
        return TensorVal(UNKNOWN, lib="keras", run=t.run)
    layer = make_layer(ev, FW, kind, api.Call(node, [], {}, [], {}, ev.text(node)), name=snake_case(kind[4:]))
    stack = ev.state.keras_call_stack
    inf = stack[-1] if stack else functional_graph(ev)
    layer.extra["input_spans"] = binop_operand_spans(node)
    layer.extra["in_call_method"] = bool(stack)
    out = apply_keras(ev, inf, layer, [left.value, right.value], node)
    return wrap(out, "keras", inf)


def _trace_lambda(ev, layer, args, inf, symbolic) -> None:
    """``Lambda(fn)`` without ``output_shape``: Keras runs ``fn`` on the symbolic inputs, and so do we (a lambda
    or a def we can follow); its result's shape is the layer's output (``extra['traced_output']``), else unknown.
    Keras traces it with a concrete batch size, so a batch-vs-axis broadcast it rejects may pass here (a miss,
    never a false error)."""
    layer.extra.pop("traced_output", None)
    fn = layer.args.get("function")
    if not symbolic or layer.args.get("output_shape") is not None or not isinstance(fn, UserFunction) or not args:
        return
    extra = layer.args.get("arguments")
    kwargs = dict(extra) if isinstance(extra, dict) else {}
    stack = ev.state.keras_call_stack
    stack.append(inf)
    try:
        out = ev.call_function(fn, [args[0]], kwargs)
    finally:
        stack.pop()
    vals = _flatten_inputs([out])
    if vals and all(isinstance(v, TensorVal) and v.lib == "keras" and v.shape is not None for v in vals):
        layer.extra["traced_output"] = vals[0].value if len(vals) == 1 and isinstance(out, TensorVal) \
            else TensorTuple(tuple(v.value for v in vals))


def wrap(value, lib: str, run):
    if isinstance(value, TensorTuple):
        return tuple(wrap(v, lib, run) for v in value.items)
    return TensorVal(value, lib=lib, run=run)


def _mismatch(code, **facts):
    return Mismatch(code, **facts)


class KerasModel(ModelObj):
    """What Sequential and Functional models share: naming, symbolic input/output, calls on tensors."""
    framework = FW

    def on_assigned(self, varname: str) -> None:
        # a model built in ``def build_model(): model = ...`` is known by the name the caller gives it
        if self.named_by_user:
            return
        if not self.name or (self.ev.depth == 0 and getattr(self, "_named_in_function", False)):
            self.name = varname
            self._named_in_function = self.ev.depth > 0

    def apply_to(self, ev, inf, x, call_node=None):
        """Apply the model as a layer inside another computation (returns the output value)."""
        raise NotImplementedError


def input_mismatch(declared: Tensor, given) -> bool:
    """Keras' input check of a model with a declared input called on a symbolic tensor: same rank (a trailing
    size-1 axis may be added or dropped) and equal known sizes on every axis but the batch."""
    if not isinstance(given, Tensor) or given.shape is None or declared.shape is None:
        return False
    d, g = declared.shape, given.shape
    if len(d) != len(g):
        longer = d if len(d) > len(g) else g
        return not (abs(len(d) - len(g)) == 1 and longer[-1] == 1)
    return any(isinstance(a, int) and isinstance(b, int) and a != b for a, b in zip(d[1:], g[1:]))


def rank_adjusted(declared: Tensor, given) -> bool:
    """Ranks differ by a trailing size-1 axis: Keras adjusts the input's rank (its result is not modelled)."""
    if not isinstance(given, Tensor) or given.shape is None or declared.shape is None:
        return False
    return len(declared.shape) != len(given.shape)


def report_model_input(ev, inf, model, declared: Tensor, given: Tensor, call_node) -> None:
    inf.report(_mismatch("model-called-on-incompatible-input", model=model.display_name, declared=declared,
                         received_shape=given, expected=declared, received=given), None)
    d = inf.diagnostics[-1]
    d.facts = ModelCallFacts(model, declared, given, inf)  # for the root-cause analysis (a generator's start size)
    span = ev.span(call_node) if call_node is not None else ev.span(model.node)
    if span is not None:
        d.primary = Label(span, f"called on {given}", ev.file)
    d.file = ev.file
    if model.node is not None and call_node is not None:
        d.secondary = [Label(ev.span(model.node), f"`{model.display_name}` takes {declared}", ev.file)]


def _apply_item(ev, inf, item, x, call_node=None, uncertain=False, mask=None):
    """Apply one item of a Sequential; ``uncertain`` (the model's own uncertainty) keeps the layers from recording
    a build that may not be the real one; ``mask``: the Keras mask the previous layer attached (a custom layer's
    call() gets it)."""
    if isinstance(item, LayerObj):
        item.layer.extra["list_input"] = False  # a Sequential passes one tensor, never a list
        return keras_build.apply(inf, item.layer, [x], uncertain=bool(ev.uncertain), site=ev.span(call_node),
                                 record=not uncertain)
    if isinstance(item, KerasSubclass):
        return item.apply_to(ev, inf, x, call_node, mask=mask)
    if isinstance(item, KerasModel):
        return item.apply_to(ev, inf, x, call_node)
    return UNKNOWN


def _apply_items(ev, inf, items, x, call_node=None, uncertain=False):
    """Apply a Sequential's items in turn, passing on the Keras mask as Keras does."""
    mask = None
    for item in items:
        out = _apply_item(ev, inf, item, x, call_node, uncertain, mask)
        if isinstance(item, LayerObj):
            mask = layer_output_mask(item.layer, x, out, mask)
        elif isinstance(item, KerasSubclass) and not item.is_model:
            mask = keeps_mask_through(item.cls, out, mask)
        else:
            mask = None
        x = out
    return x


# -- Sequential -----------------------------------------------------------------------------------------------
class KerasSequential(KerasModel):
    def __init__(self, ev, node, name=""):
        super().__init__(ev, node, name)
        self.layers: list = []  # LayerObj / nested KerasModel / UNRESOLVED
        self.input_shape: Optional[tuple] = None
        self.input_note: Optional[str] = None
        self.input_stated = False  # the code states an input (maybe one we could not resolve)
        self.added_input = None  # the ``keras.Input(...)`` given to ``add``: where the input was declared
        self._symbolic = None
        self.replays: list = []  # (input, note, call node) of data runs made before the model last changed

    def changed(self) -> None:
        """``add`` / ``pop`` after the model was run (``print(model.output_shape)`` between two ``add`` calls): the
        runs describe another model. They are dropped; the data runs among them are made again at the end of the
        file on the finished model (their errors in the layers both share come back with them)."""
        declared = input_key([Tensor(self.input_shape)]) if self.input_shape is not None else None
        for r in self.runs:
            if r.key != declared and r.key != ("?",) and r.program.inputs:
                self.replays.append((r.program.inputs[0], r.program.input_note))
        self.runs.clear()
        self._symbolic = None

    def add(self, item, node=None) -> None:
        self.mark_uncertain()
        if self.runs or self._symbolic is not None:
            self.changed()
        if isinstance(item, TensorVal) and item.meta.get("keras_input"):
            if not self.input_stated:
                self.added_input = item
            self._set_input(item.shape, "Input(shape=...)")
            return
        if isinstance(item, LayerObj) and item.layer.kind == "InputLayer":
            self._set_input(declared_input(item.layer), "InputLayer")
            return
        if not self.layers and not self.input_stated and isinstance(item, LayerObj):
            declared = declared_input(item.layer)
            if declared is not None or _states_input(item.layer):
                self._set_input(declared, "input_shape=...")
        if isinstance(item, KerasModel) and not item.name:
            item.reported = False  # an anonymous model inside another is shown as part of it
        if item is UNRESOLVED or not isinstance(item, (LayerObj, KerasModel)):
            self.uncertain = True  # something we cannot see is added: its shapes cannot be trusted
        self.layers.append(item)

    def _set_input(self, shape, note) -> None:
        if self.input_stated:
            return
        self.input_stated = True
        self.input_shape = tuple(shape) if shape is not None else None
        self.input_note = note

    def run(self, input_value: Tensor, note: str, call_node=None):
        key = input_key([input_value])
        cached = self.cached_run(key)
        if cached is not None:
            return cached.output
        run = self.new_run(key, note)
        run.program.inputs = [input_value]
        x = _apply_items(self.ev, run.inference, self.layers, input_value, call_node, self.uncertain)
        run.output = x
        run.program.output = x
        return x

    def apply_to(self, ev, inf, x, call_node=None):
        if self.input_shape is None and not self.input_stated and isinstance(x, Tensor) and x.shape is not None:
            self.run(x, f"called on {x} at line {call_node.lineno}" if call_node is not None else "call", call_node)
        if self.input_shape is not None:
            declared = Tensor(self.input_shape)
            out = self.run(declared, self.input_note)  # Keras builds a model with an Input as it is made
            if input_mismatch(declared, x):
                if not ev.uncertain:
                    report_model_input(ev, inf, self, declared, x, call_node)
                return _with_batch(out, x)
            if rank_adjusted(declared, x):
                return Tensor(None)
        return _apply_items(ev, inf, self.layers, x, call_node)

    def finalize(self) -> None:
        if not self.runs:
            for x, note in self.replays:
                self.run(x, note)
        if self.runs:
            return
        if self.input_shape is not None:
            self.run(Tensor(self.input_shape), self.input_note)
            return
        given = given_input_shape(self.ev, self.display_name)
        if given is not None and not self.input_stated and self.reported:
            run_with_given_input(self, tuple(given))
            return
        run = self.new_run(("?",), None)
        run.program.inputs = [UNKNOWN]
        x = UNKNOWN
        for item in self.layers:
            x = _apply_item(self.ev, run.inference, item, x)
        run.output = x
        if not self.reported:
            return
        if self.input_stated:
            detail = (f"`{self.display_name}` states its input shape with a value shapelint cannot work out "
                      "statically; its layers are not checked")
            run.inference.report(_mismatch("unfollowed-code", detail=detail), None)
            return
        first = self.layers[0] if self.layers else None
        hint = "keras.Input(shape=(...))"
        if isinstance(first, LayerObj) and first.layer.kind in ("Dense",):
            hint = "keras.Input(shape=(n_features,))"
        run.inference.report(_mismatch("unknown-input-shape", model=self.display_name, hint=hint), None)

    def symbolic(self):
        """``model.input`` / ``model.output`` of a Sequential with a stated input: a symbolic replay."""
        if self._symbolic is None and self.input_shape is not None:
            inp = TensorVal(Tensor(self.input_shape), lib="keras", meta={"keras_input": True})
            out = self.apply_to(self.ev, functional_graph(self.ev), inp.value)
            self._symbolic = (inp, wrap(out, "keras", None))
        return self._symbolic


def run_with_given_input(model, given: tuple) -> None:
    """``--input-shape``: the shape of one batch; Keras users also write the per-sample shape, so when the first
    layer rejects the rank, the shape with a ``None`` batch axis in front is tried."""
    model.run(Tensor(given), "--input-shape")
    ops = model.runs[-1].program.ops if model.runs else []
    if ops and ops[0].status == "error" and any(d.name == "rank-mismatch" for d in ops[0].diagnostics):
        first = model.runs.pop()
        for op in first.program.ops:  # forget the builds the discarded run recorded
            spec = op.layer.extra.get("built_spec")
            if spec is not None and op.inputs and getattr(op.inputs[0], "shape", None) == spec.get("input"):
                del op.layer.extra["built_spec"]
        model.run(Tensor((None,) + given), "--input-shape")
        retry = model.runs[-1].program.ops
        if retry and retry[0].status == "error":
            model.runs[-1] = first


@api.handles("keras.Sequential")
def sequential(ev, call):
    name = call.get(1, "name", "")
    model = KerasSequential(ev, call.node, name if isinstance(name, str) else "")
    items = call.get(0, "layers", None)
    if isinstance(items, (list, tuple)):
        for it in items:
            model.add(it)
    elif items is not None:
        model.add(UNRESOLVED)
    if call.starred:
        model.uncertain = True
    _ensure_finalizer(ev)
    return model


def _finalize_all(ev):
    for m in list(ev.models):
        try:
            m.finalize()
        except (RecursionError, MemoryError):
            raise
        except Exception:  # a gap in a model object must not lose the other models (or become a traceback)
            m.uncertain = True


def _ensure_finalizer(ev):
    fins = ev.state.finalizers
    if _finalize_all not in fins:
        fins.append(_finalize_all)


@api.method(KerasSequential, "add")
def seq_add(ev, model: KerasSequential, call):
    item = call.get(0, "layer", UNRESOLVED)
    if isinstance(item, LayerObj):
        item.layer.extra["container"] = "add"
        item.layer.extra["statement"] = ev.span(call.node)
        item.layer.extra["receiver"] = call.callee_text.rsplit(".", 1)[0]
    model.add(item, call.node)
    return None


@api.method(KerasSequential, "pop")
def seq_pop(ev, model: KerasSequential, call):
    model.mark_uncertain()
    if model.runs or model._symbolic is not None:
        model.changed()
    if model.layers:
        return model.layers.pop()
    return UNRESOLVED


def data_input(x) -> Optional[Tensor]:
    if not isinstance(x, TensorVal) or x.shape is None:
        return None
    return Tensor(tuple(x.shape), x.value.dtype)


def _first_arg(call):
    for key in ("x", "inputs"):
        if key in call.kwargs:
            return call.kwargs[key]
    return call.args[0] if call.args else None


@api.method(KerasSequential, "__call__", "predict", "predict_on_batch", "predict_step")
def seq_call(ev, model: KerasSequential, call):
    x = fed_data(ev, model, call)
    out = run_on_data(ev, model, x, call)
    if not (isinstance(x, TensorVal) and x.lib == "keras"):
        report_call_failures(ev, model)
    return predictions(ev, out, call, model)


def predictions(ev, out, call, model=None):
    """``model.predict(x)`` gives NumPy arrays (a backend tensor only when the model is called): one row of
    predictions per sample, marked so a comparison with labels of another rank is recognised (checks/silent.py)."""
    if call.callee_text.rsplit(".", 1)[-1] not in ("predict", "predict_on_batch") or \
            not isinstance(out, TensorVal) or out.shape is None or out.lib == "keras":
        return out
    meta = {"predictions": True}
    last = _last_layer(model)
    if last is not None and isinstance(last.args.get("activation"), str):
        meta["activation"] = last.args["activation"]  # what the values are: probabilities after a sigmoid
    result = make(tuple(out.shape), "numpy", "float32", ev, call.node, meta=meta)
    result.meta["as_predicted"] = result  # values made from it (a transpose) copy the meta, not this identity
    return result


def _last_layer(model):
    """The layer of a model's last op in its most recent run, or None."""
    runs = getattr(model, "runs", None) or []
    ops = runs[-1].program.ops if runs and runs[-1].program.ops else None
    return ops[-1].layer if ops else None


def run_on_data(ev, model, x, call):
    if isinstance(x, TensorVal) and x.lib == "keras":  # the model used as a layer in a functional model
        out = model.apply_to(ev, symbolic_inference(ev), x.value, call.node)
        return wrap(out, "keras", None)
    if model.input_shape is not None:
        out = model.run(Tensor(model.input_shape), model.input_note)
        # the data-vs-declared-input check lives in checks/ (issue #4); here the declared input wins
    elif model.input_stated:
        return UNRESOLVED
    else:
        t = data_input(x)
        if t is None:
            return UNRESOLVED
        if ev.uncertain:
            model.uncertain = True
        out = model.run(t, f"{_call_text(ev, call)} at line {call.node.lineno}", call.node)
    if isinstance(out, Tensor) and out.shape and isinstance(x, TensorVal) and x.shape:
        out = Tensor((x.shape[0],) + tuple(out.shape[1:]), out.dtype)
    return wrap(out, "tf", None)


def _with_batch(out, x):
    """A model's output for an input with x's batch size."""
    if isinstance(out, Tensor) and out.shape and isinstance(x, Tensor) and x.shape:
        return Tensor((x.shape[0],) + tuple(out.shape[1:]), out.dtype)
    return out


def _call_text(ev, call) -> str:
    t = ev.text(call.node)
    return t if len(t) <= 40 else t[:37] + "..."


def declared_model_input(model) -> Optional[tuple]:
    """The input shape (with the batch axis) a Keras model was built for, when it states one."""
    if isinstance(model, KerasSequential) and model.input_shape is not None:
        return tuple(model.input_shape)
    if isinstance(model, KerasFunctional):
        ins = model._input_values()
        return tuple(ins[0].shape) if len(ins) == 1 and ins[0].shape is not None else None
    shape = getattr(model, "input_shape", None)
    return tuple(shape) if isinstance(shape, tuple) else None


def fed_data(ev, model, call):
    """The data a fit / evaluate / predict call feeds: a tf.data dataset is checked for its batching (single samples
    or batches of batches) and stands for its element, which Keras takes as one batch."""
    x = _first_arg(call)
    kind = call.callee_text.rsplit(".", 1)[-1] if "." in call.callee_text else "__call__"
    val = call.kwargs.get("validation_data")
    if isinstance(x, TFDataset):
        check_fed_dataset(ev, model, x, call, kind, declared_model_input(model))
        parts = features_and_labels(x) if not x.reported else None
        x = parts[0] if parts is not None else UNRESOLVED
    if kind == "fit" and isinstance(val, TFDataset):
        check_fed_dataset(ev, model, val, call, "validation_data", declared_model_input(model))
    return x


@api.method(KerasSequential, "fit", "evaluate", "train_on_batch", "test_on_batch")
def seq_fit(ev, model: KerasSequential, call):
    x = fed_data(ev, model, call)
    if isinstance(x, TensorVal) and model.input_shape is None:
        run_on_data(ev, model, x, call)
    elif model.input_shape is not None:
        model.run(Tensor(model.input_shape), model.input_note)
    report_call_failures(ev, model)
    hook = ev.state.on_fit
    if hook:
        hook(ev, model, call)
    return UNRESOLVED


@api.method(KerasSequential, "compile")
def seq_compile(ev, model, call):
    model.compile_args = dict(call.kwargs)
    model.compile_call = call
    return None


@api.method(KerasSequential, "build")
def seq_build(ev, model, call):
    shp = call.get(0, "input_shape", None)
    if isinstance(shp, (list, tuple)) and _dims_ok(tuple(shp)):
        if model.input_shape is None and not model.input_stated:
            model._set_input(tuple(shp), "model.build(...)")
    elif not model.input_stated:
        model.input_stated = True  # built with a shape we cannot see
    return None


@api.method(KerasSequential, "summary", "save", "save_weights", "load_weights")
def seq_noop(ev, model, call):
    return None


@api.attribute(KerasSequential, "layers")
def seq_layers(ev, model, node):
    if model.uncertain:
        return UNRESOLVED
    return list(model.layers)


@api.attribute(KerasSequential, "input", "inputs")
def seq_input(ev, model, node):
    sym = model.symbolic()
    if sym is None:
        return UNRESOLVED
    return sym[0] if node is None or node.attr == "input" else [sym[0]]


@api.attribute(KerasSequential, "output", "outputs")
def seq_output(ev, model, node):
    sym = model.symbolic()
    if sym is None:
        return UNRESOLVED
    return sym[1] if node is None or node.attr == "output" else [sym[1]]


# -- Functional -----------------------------------------------------------------------------------------------
def _returned(out: TensorVal):
    """What a model output really holds when the model runs: a custom layer's ``call()`` result where its
    ``compute_output_shape`` declared another shape (the graph is built on the declaration; the loss meets the
    tensor ``call()`` returns)."""
    unlike = out.meta.get("declared_unlike_call")
    return Tensor(unlike[3], out.value.dtype) if unlike is not None else out.value


class KerasFunctional(KerasModel):
    def __init__(self, ev, node, inputs, outputs, name=""):
        super().__init__(ev, node, name)
        self.inputs = inputs
        self.outputs = outputs
        self.graph_ops: list = []
        self._build()

    def _input_values(self) -> list:
        return [i.value for i in _flatten_inputs([self.inputs]) if isinstance(i, TensorVal)]

    def _output_values(self) -> list:
        return [o.value for o in _flatten_inputs([self.outputs]) if isinstance(o, TensorVal)]

    def _build(self):
        g = functional_graph(self.ev)
        outs = self._output_values()
        # ops that are ancestors of the outputs, in execution order
        wanted = set()
        stack = list(outs)
        while stack:
            v = stack.pop()
            op = g.producer_of(v)
            if op is None or op.index in wanted:
                continue
            wanted.add(op.index)
            stack.extend(op.inputs)
        ins = self._input_values()
        run = self.new_run(("functional",), "Input(shape=...)" if ins else None)
        run.program.inputs = ins
        run.inference.adopt([op for op in g.program.ops if op.index in wanted], g)
        outs = [_returned(o) for o in _flatten_inputs([self.outputs]) if isinstance(o, TensorVal)]
        run.output = outs[0] if len(outs) == 1 else TensorTuple(tuple(outs))
        run.program.output = run.output
        self.graph_ops = run.program.ops
        if len(outs) != len(_flatten_inputs([self.outputs])):
            self.uncertain = True

    def output_value(self):
        return self.runs[0].output if self.runs else UNKNOWN

    def apply_to(self, ev, inf, x, call_node=None):
        """Replay the graph on new inputs (the model used as a layer): same Layer objects, so a shape the
        layers were not built for is reported as Keras would."""
        new_inputs = x.items if isinstance(x, TensorTuple) else [x]
        for declared, given in zip(self._input_values(), new_inputs):
            if isinstance(declared, Tensor) and input_mismatch(declared, given):
                if not ev.uncertain:
                    report_model_input(ev, inf, self, declared, given, call_node)
                out = self.output_value()
                return _with_batch(out, new_inputs[0])
            if isinstance(declared, Tensor) and rank_adjusted(declared, given):
                return Tensor(None)
        mapping = {}
        for old, new in zip(self._input_values(), new_inputs):
            mapping[id(old)] = new
        for op in self.graph_ops:
            ins = [mapping.get(id(v), v) for v in op.inputs]
            out = keras_build.apply(inf, op.layer, ins, uncertain=bool(ev.uncertain), site=ev.span(call_node))
            mapping[id(op.output)] = out
            if isinstance(op.output, TensorTuple) and isinstance(out, TensorTuple):
                for a, b in zip(op.output.items, out.items):
                    mapping[id(a)] = b
        outs = [mapping.get(id(o), UNKNOWN) for o in self._output_values()]
        return outs[0] if len(outs) == 1 else TensorTuple(tuple(outs))


@api.handles("keras.Model", "keras.models.Functional", "keras.Functional")
def functional_model(ev, call):
    inputs = call.get(0, "inputs", UNRESOLVED)
    outputs = call.get(1, "outputs", UNRESOLVED)
    name = call.get(2, "name", "")
    if outputs is UNRESOLVED or not any(isinstance(o, TensorVal) for o in _flatten_inputs([outputs])):
        return UNRESOLVED
    _ensure_finalizer(ev)
    return KerasFunctional(ev, call.node, inputs, outputs, name if isinstance(name, str) else "")


@api.method(KerasFunctional, "__call__", "predict", "predict_on_batch")
def functional_call(ev, model, call):
    x = fed_data(ev, model, call)
    if isinstance(x, (list, tuple)) and x and all(isinstance(t, TensorVal) for t in x) and x[0].lib == "keras":
        out = model.apply_to(ev, symbolic_inference(ev), TensorTuple(tuple(t.value for t in x)), call.node)
        return wrap(out, "keras", None)
    if isinstance(x, TensorVal) and x.lib == "keras":
        return wrap(model.apply_to(ev, symbolic_inference(ev), x.value, call.node), "keras", None)
    report_call_failures(ev, model)
    out = model.output_value()
    if isinstance(out, Tensor) and out.shape and isinstance(x, TensorVal) and x.shape:
        out = Tensor((x.shape[0],) + tuple(out.shape[1:]), out.dtype)
    return predictions(ev, wrap(out, "tf", None), call, model)


def report_call_failures(ev, model) -> None:
    """Layers that build but fail on their first call on data (``extra['call_failure']``, e.g. Attention with
    query and key of different sizes): reported once, when the model is run on data."""
    if ev.uncertain or not model.runs:
        return
    g = functional_graph(ev) if isinstance(model, KerasFunctional) else model.runs[0].inference
    for op in model.runs[0].program.ops:
        m = op.layer.extra.get("call_failure")
        if m is not None and not op.layer.extra.get("call_failure_reported"):
            op.layer.extra["call_failure_reported"] = True
            op.status = "error"
            g.report(m, op)
            g.diagnostics[-1].model = model.display_name


@api.method(KerasFunctional, "compile")
def functional_compile(ev, model, call):
    model.compile_args = dict(call.kwargs)
    model.compile_call = call
    return None


@api.method(KerasFunctional, "fit", "evaluate", "train_on_batch", "test_on_batch")
def functional_fit(ev, model, call):
    fed_data(ev, model, call)
    report_call_failures(ev, model)
    hook = ev.state.on_fit
    if hook:
        hook(ev, model, call)
    return UNRESOLVED


@api.method(KerasFunctional, "summary", "save", "save_weights", "load_weights", "build")
def functional_noop(ev, model, call):
    return None


@api.attribute(KerasFunctional, "input", "inputs", "output", "outputs")
def functional_io(ev, model, node):
    attr = node.attr if node is not None else "output"
    value = model.inputs if attr.startswith("input") else model.outputs
    if attr.endswith("s") and not isinstance(value, (list, tuple, dict)):
        return [value]
    return value


@api.attribute(KerasFunctional, "layers")
def functional_layers(ev, model, node):
    seen, out = set(), []
    for op in model.graph_ops:
        if id(op.layer) not in seen:
            seen.add(id(op.layer))
            out.append(LayerObj(op.layer))
    return out


__all__ = ["KerasSequential", "KerasFunctional", "is_const"]


# -- pretrained application models ----------------------------------------------------------------------------
@api.attribute(LayerObj, "input", "output", "inputs", "outputs")
def application_io(ev, obj: LayerObj, node):
    """``base_model.input`` / ``base_model.output`` of a ``keras.applications`` model (``Model(inputs=base.input,
    outputs=head)``): an Input of the shape it is built for, and the model applied to it in the functional graph --
    the same two tensors every time they are read, so the graph between them is one."""
    layer = obj.layer
    if layer is None or layer.framework != FW or not registry.fact_of(layer, "application"):
        return UNRESOLVED
    io = layer.extra.get("application_io")
    if io is None:
        from ...rules.keras.applications import declared_input  # deferred: the Keras rules load on first lookup
        shape = declared_input(layer)
        if shape is None:
            return UNRESOLVED
        x = TensorVal(Tensor(shape), lib="keras", run=None, origin=layer.origin.span,
                      meta={"keras_input": True, "node": obj.node})
        out = apply_layer(ev, obj, [x], api.Call(obj.node, [x], {}, [], {}, ev.text(obj.node)))
        io = layer.extra["application_io"] = (x, out)
    attr = node.attr if node is not None else "output"
    value = io[0] if attr.startswith("input") else io[1]
    return [value] if attr.endswith("s") else value

@api.handles_prefix("keras.applications.")
def application(ev, call, rest: str):
    """``keras.applications.ResNet50(...)``: a model we do not unfold; used as a layer, its output is unknown (an
    info diagnostic says it cannot be checked) and checking goes on after it."""
    name = rest.split(".")[-1]
    if name == "preprocess_input":  # scales the pixels: the shape (and, symbolically, the graph) is unchanged
        x = _first_arg(call)
        return TensorVal(x.value, lib=x.lib, run=x.run) if isinstance(x, TensorVal) else UNRESOLVED
    if not name[:1].isupper():
        return UNRESOLVED  # decode_predictions, ...
    layer = make_layer(ev, FW, name, call, name=name.lower())
    return LayerObj(layer, call.node)


# -- subclassed models and custom layers ----------------------------------------------------------------------
from .objects import Instance, UserClass, UserFunction  # noqa: E402

_MODEL_BASES = ("keras.Model", "keras.models.Model", "keras.Sequential")
_LAYER_BASES = ("keras.layers.Layer", "keras.Layer")


class KerasSubclass(Instance, KerasModel):
    """An instance of a user subclass of ``keras.Model`` (reported as a model) or ``keras.layers.Layer`` (a custom
    layer): layers are attributes set in ``__init__``; calling it traces ``call()`` with symbolic tensors."""

    def __init__(self, ev, cls: UserClass, node, is_model: bool):
        Instance.__init__(self, cls, {}, node, {})
        KerasModel.__init__(self, ev, node, "")
        self.is_model = is_model
        self.reported = is_model
        self.input_shape: Optional[tuple] = None
        self.input_note: Optional[str] = None

    def trace(self, ev, args: list, kwargs: dict):
        """Run ``call(self, *args)`` in the current context; the result as a value (unknown when not followed)."""
        out = call_user_layer(ev, self, args, kwargs)
        vals = _flatten_inputs([out])
        if not vals or not all(isinstance(v, TensorVal) for v in vals):
            return UNKNOWN
        return vals[0].value if len(vals) == 1 else TensorTuple(tuple(v.value for v in vals))

    def run_on(self, ev, inputs: list, note: str, call_node=None, structure=None):
        """Trace call() on symbolic inputs of these shapes; ``structure``: how the data was passed (a list or dict of
        arrays is passed on as one argument, as Keras does: ``numeric, cats = inputs`` in call() unpacks it)."""
        key = input_key(inputs)
        cached = self.cached_run(key)
        if cached is not None:
            return cached.output
        run = self.new_run(key, note)
        run.program.inputs = list(inputs)
        stack = ev.state.keras_call_stack
        stack.append(run.inference)
        symbolic = [TensorVal(v, lib="keras") for v in inputs]
        args = [_restructure(structure, iter(symbolic))] if isinstance(structure, (list, tuple, dict)) else symbolic
        try:
            out = self.trace(ev, args, {"training": False})
        finally:
            stack.pop()
        run.output = out
        run.program.output = out
        return out

    def apply_to(self, ev, inf, x, call_node=None, mask=None):
        stack = ev.state.keras_call_stack
        stack.append(inf)
        try:
            args = [TensorVal(v, lib="keras") for v in (x.items if isinstance(x, TensorTuple) else [x])]
            with_mask(args[0], mask)
            return self.trace(ev, args, {})
        finally:
            stack.pop()

    def finalize(self) -> None:
        if self.runs or not self.is_model:
            return
        given = given_input_shape(self.ev, self.display_name)
        if self.input_shape is not None:
            self.run_on(self.ev, [Tensor(self.input_shape)], self.input_note)
        elif given is not None:
            self.run_on(self.ev, [Tensor(tuple(given))], "--input-shape")
        else:
            self.run_on(self.ev, [UNKNOWN], None)
            self.runs[-1].inference.report(_mismatch("unknown-input-shape", model=self.display_name,
                                                     hint="model.build((None, ...)) or a call on data"), None)


def _restructure(structure, flat):
    """``structure`` (nested lists / tuples / dicts of data) with its tensors replaced, in order, from ``flat``."""
    if isinstance(structure, dict):
        return {k: _restructure(v, flat) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        items = [_restructure(v, flat) for v in structure]
        return items if isinstance(structure, list) else tuple(items)
    return next(flat, UNRESOLVED) if isinstance(structure, TensorVal) else structure


def _shape_arg(v):
    """A call argument as the shape Keras hands to ``build``: a tuple with None for unknown sizes; a list of them
    for a list of tensors."""
    if isinstance(v, TensorVal):
        return tuple(d if isinstance(d, int) and not isinstance(d, bool) else None for d in v.shape) \
            if v.shape is not None else UNRESOLVED
    if isinstance(v, (list, tuple)) and v and all(isinstance(i, TensorVal) for i in v):
        return [_shape_arg(i) for i in v]
    if isinstance(v, dict) and v and all(isinstance(i, TensorVal) for i in v.values()):
        return {k: _shape_arg(i) for k, i in v.items()}
    return UNRESOLVED


def maybe_build(ev, obj, args: list, kwargs: dict) -> None:
    """Keras builds a layer on its first call: a user ``build(self, input_shape)`` runs once with the shape of the
    first call argument (tuples with None for unknown sizes, a list of them for a list of tensors); a build with
    several ``<name>_shape`` parameters gets the shapes of the call arguments so named (Keras 3 ``_maybe_build``).
    Its ``add_weight`` calls make the weights call() then uses."""
    if obj.meta.get("built"):
        return
    obj.meta["built"] = True
    fn = obj.cls.find_method("build")
    if not isinstance(fn, UserFunction) or not args:
        return
    params = [p.arg for p in (fn.node.args.posonlyargs + fn.node.args.args)[1:]]
    call_fn = obj.cls.find_method("call")
    names = [p.arg for p in (call_fn.node.args.posonlyargs + call_fn.node.args.args)[1:]] \
        if isinstance(call_fn, UserFunction) else []
    if len(params) <= 1:
        shapes = [_shape_arg(args[0])]
    else:
        given = dict(zip(names, args))
        given.update(kwargs)
        shapes = [_shape_arg(given.get(p[:-len("_shape")], None)) if p.endswith("_shape") else UNRESOLVED
                  for p in params]
    try:
        ev.call_function(fn, [obj] + shapes[:max(len(params), 1)], {})
    except Exception:  # a build we cannot follow leaves its weights unknown
        pass


def call_user_layer(ev, obj, args: list, kwargs: dict):
    """A user layer's (or subclassed model's) call(): built first, then traced; with ``compute_output_shape``
    defined, Keras takes the symbolic output's shape from it."""
    fn = obj.cls.find_method("call")
    if not isinstance(fn, UserFunction):
        return UNRESOLVED
    maybe_build(ev, obj, args, kwargs)
    kwargs = call_mask_argument(fn, args, kwargs)
    a = fn.node.args
    accepted = {p.arg for p in a.args + a.kwonlyargs}
    # the keywords call() takes (`block(x, attention_mask=mask)`): a mask passed on is checked where it is used
    passed = {k: v for k, v in kwargs.items() if k in accepted or a.kwarg is not None or k in ("training", "mask")}
    out = ev.call_function(fn, [obj] + list(args), passed)
    declared = obj.cls.find_method("compute_output_shape")
    if isinstance(declared, UserFunction) and args and isinstance(out, TensorVal):
        try:
            shape = ev.call_function(declared, [obj, _shape_arg(args[0])], {})
        except Exception:
            shape = UNRESOLVED
        if isinstance(shape, (tuple, list)) and all(d is None or (isinstance(d, int) and not isinstance(d, bool))
                                                    for d in shape):
            unlike = _declared_unlike_call(obj, declared, tuple(shape), out)
            out = TensorVal(Tensor(tuple(shape), out.value.dtype), lib=out.lib, run=out.run)
            if unlike is not None:  # told when a layer built on the declared shape takes it (apply_layer)
                out.meta["declared_unlike_call"] = unlike
    if args and isinstance(out, TensorVal):
        with_mask(out, keeps_mask_through(obj.cls, out, mask_of(args[0])))
    return out


def _declared_unlike_call(obj, declared, shape: tuple, out) -> Optional[tuple]:
    """``compute_output_shape`` declaring another shape than ``call()`` returns (``(batch, units)`` for a layer that
    concatenates two branches of ``units``): Keras takes the declared shape for the graph and builds the layers after
    it for that. (span of the declaration's ``return``, class name, declared, returned) when both are known on an
    axis where they differ; None otherwise."""
    traced = out.shape
    if traced is None or len(traced) != len(shape):
        return None
    differ = [i for i, (a, b) in enumerate(zip(shape, traced)) if i > 0 and isinstance(a, int) and isinstance(b, int)
              and a != b]
    returns = [n for n in ast.walk(declared.node) if isinstance(n, ast.Return) and n.value is not None]
    if not differ or len(returns) != 1:
        return None
    return Span.of(returns[0].value), obj.cls.node.name, shape, tuple(traced)


_KEEPS_DECLARED = ("Dropout", "Activation", "ReLU", "GaussianNoise", "GaussianDropout", "Identity", "ActivityRegularization")


def _built_on_declared_shape(ev, obj: LayerObj, tensors: list) -> None:
    """A layer with weights built on a custom layer's declared output shape that ``call()`` does not return: the
    model fails when it runs ("expected axis -1 of input shape to have value 32"), as the last layer it would not.
    Reported at the declaration."""
    if ev.uncertain or obj.layer.kind in _KEEPS_DECLARED:
        return
    for t in tensors:
        unlike = t.meta.get("declared_unlike_call") if isinstance(t, TensorVal) else None
        if unlike is None or not first_time(ev, ("declared_unlike_call", unlike[0])):
            continue
        span, name, shape, received = unlike
        emit(ev, "incompatible-input-shape", span, remedies.declared_output_label(shape), variant="declared-output",
             secondary=[(obj.layer.origin.span, remedies.built_for_declared_label(obj.layer.kind))], kind=name,
             declared=shape, received_shape=received, remedy=remedies.declare_what_call_returns(received),
             severity="error")


@api.method(KerasSubclass, "add_weight", "add_variable")
def subclass_add_weight(ev, obj, call):
    """``self.add_weight(shape=(...), ...)`` (Keras 3: shape first; Keras 2: name first): a weight of that shape."""
    shape = call.kwargs.get("shape", UNRESOLVED)
    if shape is UNRESOLVED and call.args and isinstance(call.args[0], str):
        _keras2_add_weight(ev, call)  # Keras 3 reads the name as the shape and raises
        return TensorVal(UNKNOWN, lib="keras", meta={"weight": True})
    if shape is UNRESOLVED and call.args:
        shape = call.args[0]
    if shape is None:
        shape = ()
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (list, tuple)):
        return TensorVal(UNKNOWN, lib="keras", meta={"weight": True})
    dims = tuple(d if isinstance(d, int) and not isinstance(d, bool) and d >= 0 else None for d in shape)
    dtype = dtype_of(call.kwargs.get("dtype"))
    return TensorVal(Tensor(dims, dtype or "float32"), lib="keras", origin=ev.span(call.node), note=ev.text(call.node),
                     meta={"weight": True})


def _keras2_add_weight(ev, call) -> None:
    """``self.add_weight("kernel", (n, m))``: Keras 2's order (name, shape). Keras 3's add_weight takes the shape
    first, so the name is read as a shape and Keras raises."""
    if ev.uncertain:
        return
    node = call.arg_nodes[0] if call.arg_nodes else call.node
    emit(ev, "invalid-argument", Span.of(node), "read as the shape in Keras 3", kind="add_weight", arg="shape",
         detail=f"Keras 3 takes the shape first: add_weight(shape, initializer, ..., name=...); "
                f"{ev.text(node)} is the weight's name in Keras 2's order (name, shape)",
         remedy=remedies.add_weight_by_keyword())


def dtype_of(v):
    return dtype_name(v) if v is not None else None


@api.handles("keras.Variable", "tensorflow.Variable")
def keras_variable(ev, call):
    """``keras.Variable(initializer, shape=...)`` / ``tf.Variable(initial_value)``: a weight of that shape."""
    init = call.get(0, "initializer", call.kwargs.get("initial_value", UNRESOLVED))
    shape = call.kwargs.get("shape")
    if isinstance(init, TensorVal) and init.shape is not None:
        return TensorVal(Tensor(tuple(init.shape), init.value.dtype), lib="keras", meta={"weight": True})
    if isinstance(shape, (list, tuple)):
        dims = tuple(d if isinstance(d, int) and not isinstance(d, bool) else None for d in shape)
        return TensorVal(Tensor(dims, "float32"), lib="keras", meta={"weight": True})
    return UNRESOLVED


def _is_keras_class(cls: UserClass) -> Optional[str]:
    names = cls.base_names()
    if any(n in _MODEL_BASES or n.startswith("keras.models.") for n in names):
        return "model"
    if any(n in _LAYER_BASES or n.startswith("keras.layers.") for n in names):
        return "layer"
    return None


@api.handles("<class>")
def instantiate(ev, cls: UserClass, call):
    kind = _is_keras_class(cls)
    if kind is None:  # a plain Python class: an instance whose __init__ runs
        obj = Instance(cls, {}, call.node)
        run_init(ev, obj, call)
        return obj
    _ensure_finalizer(ev)
    obj = KerasSubclass(ev, cls, call.node, kind == "model")
    name = call.kwargs.get("name")
    if isinstance(name, str):
        obj.name, obj.named_by_user = name, True
    run_init(ev, obj, call)
    return obj


@api.method(KerasSubclass, "__setattr__")
def subclass_setattr(ev, obj: KerasSubclass, attr: str, value, stmt):
    if isinstance(value, (KerasModel,)) and value is not obj:
        value.reported = False  # a sub-model inside a model is shown as part of it
    if ev.uncertain and isinstance(value, (LayerObj, KerasModel)):
        obj.uncertain = True


@api.method(KerasSubclass, "__call__", "predict", "predict_on_batch")
def subclass_call(ev, obj: KerasSubclass, call):
    stack = ev.state.keras_call_stack
    x = _first_arg(call) if stack else fed_data(ev, obj, call)
    tensors = _flatten_inputs([x])
    if stack or (tensors and all(isinstance(t, TensorVal) for t in tensors) and tensors[0].lib == "keras"):
        inf = stack[-1] if stack else functional_graph(ev)
        args = [x] + [a for a in call.args[1:] if isinstance(a, TensorVal)]
        stack2 = ev.state.keras_call_stack
        stack2.append(inf)
        try:
            if not isinstance(obj.cls.find_method("call"), UserFunction):
                return TensorVal(UNKNOWN, lib="keras")
            out = call_user_layer(ev, obj, args, call.kwargs)
        finally:
            stack2.pop()
        return out if isinstance(out, (TensorVal, tuple, list)) else TensorVal(UNKNOWN, lib="keras")
    if not obj.is_model:
        return UNRESOLVED
    if not tensors or not all(isinstance(t, TensorVal) and t.shape is not None for t in tensors):
        return UNRESOLVED
    if ev.uncertain:
        obj.uncertain = True
    out = obj.run_on(ev, [t.value for t in tensors], f"{_call_text(ev, call)} at line {call.node.lineno}",
                     call.node, structure=x)
    report_call_failures(ev, obj)
    return wrap(out, "tf", None)


@api.method(KerasSubclass, "fit", "evaluate", "train_on_batch", "test_on_batch")
def subclass_fit(ev, obj: KerasSubclass, call):
    x = fed_data(ev, obj, call)
    if obj.is_model and isinstance(x, TensorVal) and x.shape is not None and not obj.runs:
        obj.run_on(ev, [x.value], f"{_call_text(ev, call)} at line {call.node.lineno}", call.node)
    report_call_failures(ev, obj)
    hook = ev.state.on_fit
    if hook:
        hook(ev, obj, call)
    return UNRESOLVED


@api.method(KerasSubclass, "build")
def subclass_build(ev, obj: KerasSubclass, call):
    fn = obj.cls.find_method("build")
    if isinstance(fn, UserFunction):  # a user build() creating weights: follow it like any method
        obj.meta["built"] = True
        ev.call_function(fn, [obj] + list(call.args), dict(call.kwargs))
        shp = call.get(0, "input_shape", None)
        if obj.is_model and isinstance(shp, (list, tuple)) and _dims_ok(tuple(shp)) and obj.input_shape is None:
            obj.input_shape, obj.input_note = tuple(shp), "model.build(...)"
        return None
    shp = call.get(0, "input_shape", None)
    if obj.is_model and isinstance(shp, (list, tuple)) and _dims_ok(tuple(shp)) and obj.input_shape is None:
        obj.input_shape, obj.input_note = tuple(shp), "model.build(...)"
    return None


@api.method(KerasSubclass, "compile")
def subclass_compile(ev, obj, call):
    obj.compile_args = dict(call.kwargs)
    obj.compile_call = call
    return None


@api.method(KerasSubclass, "summary", "save", "save_weights", "load_weights", "super().__init__")
def subclass_noop(ev, obj, call):
    return None


# -- shape attributes scripts read (``model.output_shape``) ---------------------------------------------------
def _shape_of(value):
    if isinstance(value, Tensor) and value.shape is not None:
        return tuple(value.shape)
    if isinstance(value, TensorTuple) and all(isinstance(v, Tensor) and v.shape is not None for v in value.items):
        return [tuple(v.shape) for v in value.items]
    return UNRESOLVED


@api.attribute(KerasSequential, "output_shape", "input_shape")
def seq_shapes(ev, model: KerasSequential, node):
    if model.input_shape is None or model.uncertain:
        return UNRESOLVED
    if node is not None and node.attr == "input_shape":
        return tuple(model.input_shape)
    return _shape_of(model.run(Tensor(model.input_shape), model.input_note))


@api.attribute(KerasFunctional, "output_shape", "input_shape")
def functional_shapes(ev, model: KerasFunctional, node):
    if model.uncertain:
        return UNRESOLVED
    if node is not None and node.attr == "input_shape":
        ins = model._input_values()
        return _shape_of(ins[0]) if len(ins) == 1 else _shape_of(TensorTuple(tuple(ins)))
    return _shape_of(model.output_value())


# -- saved models loaded by the script ------------------------------------------------------------------------
class SavedKerasModel(KerasModel):
    """``keras.models.load_model("m.keras")`` with a literal path to a file beside the script: the model is read
    from its saved config (frontends/saved.py; never executed), and fed data gives it an input when it has none."""

    def __init__(self, ev, node, cfg, path: str):
        super().__init__(ev, node, "")
        self.cfg = cfg
        self.path = path
        self.data_shape: Optional[tuple] = None
        self.data_note: Optional[str] = None

    def finalize(self) -> None:
        if self.runs:
            return
        from ..keras_config import ConfigError, build_program  # deferred: only for a model built from its config
        try:
            program, inf = build_program(self.cfg, file=self.path, name=self.display_name, pointer_style="json")
            if self.data_shape is not None and program.inputs and all(
                    isinstance(t, Tensor) and t.shape is None for t in program.inputs):
                program, inf = build_program(self.cfg, file=self.path, input_shape=self.data_shape,
                                             name=self.display_name, pointer_style="json")
                program.input_note = self.data_note
        except (ConfigError, RecursionError):
            return
        program.origin = self.origin()
        if program.input_note == "the model's config":
            program.input_note = f"the saved model {self.path}"
        for d in inf.diagnostics:
            if d.primary is None and d.layer is not None and d.layer < len(program.ops):
                where = program.ops[d.layer].layer.origin.path
                d.notes.insert(0, f"in the saved model {self.path}, at `{where}`")
        self.runs.append(Run(program, inf, ("saved",), program.output))

    def output_value(self):
        self.finalize()
        return self.runs[0].output if self.runs else UNKNOWN


@api.handles("keras.models.load_model", "keras.saving.load_model", "keras.load_model")
def load_model(ev, call):
    path = call.get(0, "filepath", None)
    if not isinstance(path, str) or not path.lower().endswith((".keras", ".h5", ".hdf5")):
        return UNRESOLVED
    from ..saved import read_config  # deferred: only for keras.models.load_model
    from ..keras_config import ConfigError  # deferred, as read_config
    base = os.path.dirname(os.path.abspath(ev.file)) if ev.file and not ev.file.startswith("<") else os.getcwd()
    full = path if os.path.isabs(path) else os.path.join(base, path)
    if not os.path.isfile(full):
        return UNRESOLVED
    try:
        cfg = read_config(full)
    except ConfigError as exc:
        ev.info("unfollowed-code", call.node, detail=f"cannot read the saved model `{path}`: {exc}")
        return UNRESOLVED
    _ensure_finalizer(ev)
    return SavedKerasModel(ev, call.node, cfg, path)


@api.method(SavedKerasModel, "__call__", "predict", "predict_on_batch", "fit", "evaluate", "train_on_batch",
            "test_on_batch")
def saved_call(ev, model: SavedKerasModel, call):
    x = _first_arg(call)
    if isinstance(x, TensorVal) and x.shape is not None and model.data_shape is None and not model.runs:
        model.data_shape = tuple(x.shape)
        model.data_note = f"{_call_text(ev, call)} at line {call.node.lineno}"
    name = call.node.func.attr if hasattr(call.node.func, "attr") else "__call__"
    if name in ("fit", "evaluate", "train_on_batch", "test_on_batch"):
        hook = ev.state.on_fit
        if hook:
            hook(ev, model, call)
        return UNRESOLVED
    out = model.output_value()
    return wrap(_with_batch(out, x.value) if isinstance(x, TensorVal) else out, "tf", None)


@api.method(SavedKerasModel, "compile", "summary", "save", "save_weights", "load_weights")
def saved_noop(ev, model, call):
    return None
