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

from typing import Optional

from ...core.errors import Mismatch
from ...core.program import UNRESOLVED, Program
from ...core.values import UNKNOWN, Tensor, TensorTuple
from .. import keras_build
from . import api
from .evaluator import is_const
from .layers import make_layer, snake_case
from .models import ModelObj, input_key
from .objects import LayerObj, TensorVal

FW = "keras"

# Functional helpers spelled in lower case: layers.concatenate([a, b]) == layers.Concatenate()([a, b])
_MERGE_FUNCTIONS = {"concatenate": "Concatenate", "add": "Add", "subtract": "Subtract", "multiply": "Multiply",
                    "average": "Average", "maximum": "Maximum", "minimum": "Minimum", "dot": "Dot"}


def auto_name(ev, kind: str) -> str:
    """Keras' automatic layer names: ``dense``, ``dense_1``, ... per snake-cased class name, per session."""
    counters = ev.state.setdefault("keras_names", {})
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
    return value if _dims_ok(value) else None


def declared_input(layer) -> Optional[tuple]:
    """The model input (with batch axis) a layer declares: an InputLayer's shape, or a first layer's
    ``input_shape`` / ``input_dim`` / ``batch_input_shape`` (Keras 3: layer.py ``_input_shape_arg``)."""
    if "declared_input" in layer.extra:
        return layer.extra["declared_input"]
    args = layer.args
    if args.get("batch_input_shape") not in (None, UNRESOLVED):
        return _shape_tuple(args["batch_input_shape"])
    if args.get("input_dim") not in (None, UNRESOLVED):
        dim = _shape_tuple(args["input_dim"])
        return (None,) + dim if dim else None
    if args.get("input_shape") not in (None, UNRESOLVED):
        shp = _shape_tuple(args["input_shape"])
        return (None,) + shp if shp is not None else None
    return None


def _states_input(layer) -> bool:
    """Does the layer state an input at all (even one we cannot resolve)?"""
    return any(k in layer.given for k in ("batch_input_shape", "input_dim", "input_shape"))


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
    return LayerObj(layer, call.node)


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


@api.handles("keras.Input", "keras.layers.Input")
def keras_input(ev, call):
    dims, _ = _input_dims(call, 0)
    dtype = call.get(2, "dtype", None)
    dtype = dtype if isinstance(dtype, str) else None
    return TensorVal(Tensor(dims, dtype), lib="keras", run=None, origin=ev.span(call.node),
                     meta={"keras_input": True, "node": call.node})


def input_layer(ev, call):
    """``InputLayer(shape=...)`` (also the deprecated ``input_shape=`` / ``batch_input_shape=``): a Sequential's
    first item that states the model input."""
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
    g = ev.state.get("keras_graph")
    if g is None:
        from ...core.infer import Inference
        g = Inference(Program("<functional>", FW), ev.lines)
        ev.state["keras_graph"] = g
    return g


def _call_tensors(call) -> list:
    """The tensor inputs of a layer call: the first positional (or ``inputs=`` / ``query=``), then further tensor
    positionals, then ``value=`` / ``key=`` (attention layers)."""
    first = call.args[0] if call.args else call.kwargs.get("inputs", call.kwargs.get("query", UNRESOLVED))
    rest = [a for a in call.args[1:] if isinstance(a, TensorVal)]
    if not call.args or "query" in call.kwargs:
        rest += [call.kwargs[k] for k in ("value", "key") if isinstance(call.kwargs.get(k), TensorVal)]
    return [first] + rest


@api.method(LayerObj, "__call__")
def call_layer(ev, obj: LayerObj, call):
    if obj.layer.framework != FW:
        fn = api.find_method(obj, "__torch_call__")
        return fn(ev, obj, call) if fn else UNRESOLVED
    return apply_layer(ev, obj, _call_tensors(call), call)


def apply_layer(ev, obj: LayerObj, args: list, call):
    tensors = _flatten_inputs(args)
    if not tensors or not all(isinstance(t, TensorVal) for t in tensors):
        return UNRESOLVED
    symbolic = any(t.lib == "keras" for t in tensors)
    inf = functional_graph(ev) if symbolic else script_run(ev)
    for k in call.kw_nodes:
        obj.layer.call_kwargs[k] = call.kwargs.get(k)
    out = apply_keras(ev, inf, obj.layer, [t.value for t in tensors], call.node)
    return wrap(out, "keras" if symbolic else "tf", inf)


def wrap(value, lib: str, run):
    if isinstance(value, TensorTuple):
        return tuple(wrap(v, lib, run) for v in value.items)
    return TensorVal(value, lib=lib, run=run)


def script_run(ev):
    """Ops applied eagerly to data outside any model (``layers.Dense(3)(np.ones((2, 4)))``)."""
    g = ev.state.get("script_run")
    if g is None:
        from ...core.infer import Inference
        g = Inference(Program("<script>", FW), ev.lines)
        ev.state["script_run"] = g
    return g


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


def _apply_item(ev, inf, item, x, call_node=None):
    if isinstance(item, LayerObj):
        return keras_build.apply(inf, item.layer, [x], uncertain=bool(ev.uncertain), site=ev.span(call_node))
    if isinstance(item, KerasModel):
        return item.apply_to(ev, inf, x, call_node)
    return UNKNOWN


# -- Sequential -----------------------------------------------------------------------------------------------
class KerasSequential(KerasModel):
    def __init__(self, ev, node, name=""):
        super().__init__(ev, node, name)
        self.layers: list = []  # LayerObj / nested KerasModel / UNRESOLVED
        self.input_shape: Optional[tuple] = None
        self.input_note: Optional[str] = None
        self.input_stated = False  # the code states an input (maybe one we could not resolve)
        self._symbolic = None

    def add(self, item, node=None) -> None:
        self.mark_uncertain()
        if isinstance(item, TensorVal) and item.meta.get("keras_input"):
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
        x = input_value
        for item in self.layers:
            x = _apply_item(self.ev, run.inference, item, x, call_node)
        run.output = x
        run.program.output = x
        return x

    def apply_to(self, ev, inf, x, call_node=None):
        if self.input_shape is None and not self.input_stated and isinstance(x, Tensor) and x.shape is not None:
            self.run(x, f"called on {x} at line {call_node.lineno}" if call_node is not None else "call", call_node)
        for item in self.layers:
            x = _apply_item(ev, inf, item, x, call_node)
        return x

    def finalize(self) -> None:
        if self.runs:
            return
        if self.input_shape is not None:
            self.run(Tensor(self.input_shape), self.input_note)
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
        m.finalize()


def _ensure_finalizer(ev):
    fins = ev.state.setdefault("finalizers", [])
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
    return run_on_data(ev, model, _first_arg(call), call)


def run_on_data(ev, model, x, call):
    if isinstance(x, TensorVal) and x.lib == "keras":  # the model used as a layer in a functional model
        out = model.apply_to(ev, functional_graph(ev), x.value, call.node)
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


def _call_text(ev, call) -> str:
    t = ev.text(call.node)
    return t if len(t) <= 40 else t[:37] + "..."


@api.method(KerasSequential, "fit", "evaluate", "train_on_batch", "test_on_batch")
def seq_fit(ev, model: KerasSequential, call):
    x = _first_arg(call)
    if isinstance(x, TensorVal) and model.input_shape is None:
        run_on_data(ev, model, x, call)
    hook = ev.state.get("on_fit")
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
        run = self.new_run(("functional",), "Input(shape=...)")
        run.program.inputs = self._input_values()
        run.program.ops = [op for op in g.program.ops if op.index in wanted]
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
    if outputs is UNRESOLVED or inputs is UNRESOLVED:
        return UNRESOLVED
    if not _flatten_inputs([outputs]):
        return UNRESOLVED
    _ensure_finalizer(ev)
    return KerasFunctional(ev, call.node, inputs, outputs, name if isinstance(name, str) else "")


@api.method(KerasFunctional, "__call__", "predict", "predict_on_batch")
def functional_call(ev, model, call):
    x = _first_arg(call)
    if isinstance(x, (list, tuple)) and x and all(isinstance(t, TensorVal) for t in x) and x[0].lib == "keras":
        out = model.apply_to(ev, functional_graph(ev), TensorTuple(tuple(t.value for t in x)), call.node)
        return wrap(out, "keras", None)
    if isinstance(x, TensorVal) and x.lib == "keras":
        return wrap(model.apply_to(ev, functional_graph(ev), x.value, call.node), "keras", None)
    out = model.output_value()
    if isinstance(out, Tensor) and out.shape and isinstance(x, TensorVal) and x.shape:
        out = Tensor((x.shape[0],) + tuple(out.shape[1:]), out.dtype)
    return wrap(out, "tf", None)


@api.method(KerasFunctional, "compile")
def functional_compile(ev, model, call):
    model.compile_args = dict(call.kwargs)
    model.compile_call = call
    return None


@api.method(KerasFunctional, "fit", "evaluate", "train_on_batch", "test_on_batch")
def functional_fit(ev, model, call):
    hook = ev.state.get("on_fit")
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
