"""Keras support for the source evaluator: layer constructors, Sequential (list and ``add``), functional models
(``Input`` -> layer calls -> ``Model``), and the calls that give a lazily built model its input
(``model(x)``, ``predict``, ``fit``, ``evaluate``)."""
from __future__ import annotations

from typing import Optional

from ...core.program import UNRESOLVED, Program
from ...core.values import UNKNOWN, Tensor, TensorTuple
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


def declared_input(layer) -> Optional[tuple]:
    """The model input a first layer declares via input_shape / batch_input_shape / input_dim (with batch)."""
    args = layer.args
    if args.get("batch_input_shape") not in (None, UNRESOLVED):
        shp = args["batch_input_shape"]
        return tuple(shp) if isinstance(shp, (list, tuple)) else None
    if args.get("batch_shape") not in (None, UNRESOLVED) and layer.kind == "InputLayer":
        return tuple(args["batch_shape"])
    shp = args.get("input_shape", args.get("shape") if layer.kind == "InputLayer" else None)
    if shp not in (None, UNRESOLVED):
        if isinstance(shp, int):
            shp = (shp,)
        if isinstance(shp, (list, tuple)):
            return (None,) + tuple(shp)
    if args.get("input_dim") not in (None, UNRESOLVED):
        return (None, args["input_dim"])
    return None


def _dims_ok(shape) -> bool:
    return isinstance(shape, tuple) and all(d is None or (isinstance(d, int) and not isinstance(d, bool))
                                            for d in shape)


# -- layer constructors ---------------------------------------------------------------------------------------
@api.handles_prefix("keras.layers.")
def keras_layer(ev, call, rest: str):
    name = rest.split(".")[-1]
    if name in _MERGE_FUNCTIONS:
        kw = {k: v for k, v in call.kwargs.items() if k != "inputs"}
        inputs = call.args[0] if call.args else call.kwargs.get("inputs", UNRESOLVED)
        sub = api.Call(call.node, call.args[1:], kw, call.arg_nodes[1:],
                       {k: v for k, v in call.kw_nodes.items() if k != "inputs"}, call.callee_text)
        obj = _construct(ev, _MERGE_FUNCTIONS[name], sub)
        return apply_layer(ev, obj, [inputs], call)
    if name == "Input":
        return keras_input(ev, call)
    if not name[:1].isupper():
        return UNRESOLVED
    return _construct(ev, name, call)


def _construct(ev, kind: str, call) -> LayerObj:
    layer_name = call.kwargs.get("name")
    layer = make_layer(ev, FW, kind, call, name=layer_name if isinstance(layer_name, str) else auto_name(ev, kind))
    # wrappers hold another layer: Bidirectional(LSTM(...)), TimeDistributed(Dense(...))
    for key in ("layer", "backward_layer"):
        inner = layer.args.get(key)
        if isinstance(inner, LayerObj):
            layer.args[key] = inner.layer
    if isinstance(layer.args.get("arg0"), LayerObj):
        layer.args["arg0"] = layer.args["arg0"].layer
    return LayerObj(layer, call.node)


@api.handles("keras.Input", "keras.layers.InputLayer.__input__")
def keras_input(ev, call):
    shape = call.get(0, "shape", None)
    batch_size = call.kwargs.get("batch_size")
    batch_shape = call.kwargs.get("batch_shape")
    if isinstance(batch_shape, (list, tuple)):
        dims = tuple(batch_shape)
    elif isinstance(shape, int):
        dims = (batch_size if isinstance(batch_size, int) else None, shape)
    elif isinstance(shape, (list, tuple)):
        dims = (batch_size if isinstance(batch_size, int) else None,) + tuple(shape)
    else:
        dims = None
    if dims is not None and not _dims_ok(dims):
        dims = None
    dtype = call.kwargs.get("dtype") if isinstance(call.kwargs.get("dtype"), str) else None
    return TensorVal(Tensor(dims, dtype), lib="keras", run=None, origin=ev.span(call.node),
                     meta={"keras_input": True, "node": call.node})


# -- applying layers ------------------------------------------------------------------------------------------
def _flatten_inputs(args) -> list:
    out = []
    for a in args:
        if isinstance(a, (list, tuple)):
            out.extend(_flatten_inputs(a))
        else:
            out.append(a)
    return out


def functional_graph(ev):
    """The one Inference all functional (symbolic) Keras tensors of this file flow through."""
    g = ev.state.get("keras_graph")
    if g is None:
        from ...core.infer import Inference
        program = Program("<functional>", FW)
        g = Inference(program, ev.lines)
        ev.state["keras_graph"] = g
    return g


@api.method(LayerObj, "__call__")
def call_layer(ev, obj: LayerObj, call):
    if obj.layer.framework != FW:
        fn = api.find_method(obj, "__torch_call__")
        return fn(ev, obj, call) if fn else UNRESOLVED
    return apply_layer(ev, obj, call.args[:1] + [a for a in call.args[1:] if isinstance(a, TensorVal)], call)


def apply_layer(ev, obj: LayerObj, args: list, call):
    tensors = _flatten_inputs(args)
    if not tensors or not all(isinstance(t, TensorVal) for t in tensors):
        return UNRESOLVED
    symbolic = any(t.lib == "keras" for t in tensors)
    if symbolic:
        inf = functional_graph(ev)
    else:  # a layer called eagerly on data: shapes only, recorded in the script's own run
        inf = script_run(ev)
    for k, node in call.kw_nodes.items():
        obj.layer.call_kwargs[k] = call.kwargs.get(k)
    out = inf.apply(obj.layer, [t.value for t in tensors], call_span=ev.span(call.node) if not symbolic else None)
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


# -- Sequential -----------------------------------------------------------------------------------------------
class KerasSequential(ModelObj):
    framework = FW

    def __init__(self, ev, node, name=""):
        super().__init__(ev, node, name)
        self.layers: list = []  # LayerObj / nested KerasSequential / UNRESOLVED
        self.input_shape: Optional[tuple] = None
        self.input_note: Optional[str] = None

    def add(self, item, node=None) -> None:
        self.mark_uncertain()
        if isinstance(item, TensorVal) and item.meta.get("keras_input"):
            self.input_shape = item.shape
            self.input_note = "Input(shape=...)"
            return
        if isinstance(item, LayerObj) and item.layer.kind == "InputLayer":
            self.input_shape = declared_input(item.layer)
            self.input_note = "InputLayer"
            return
        if not self.layers and self.input_shape is None and isinstance(item, LayerObj):
            declared = declared_input(item.layer)
            if declared is not None:
                self.input_shape = declared
                self.input_note = "input_shape=..."
        if isinstance(item, KerasSequential):
            item.reported = False
        self.layers.append(item)

    def run(self, input_value: Tensor, note: str):
        key = input_key([input_value])
        cached = self.cached_run(key)
        if cached is not None:
            return cached.output
        run = self.new_run(key, note)
        run.program.inputs = [input_value]
        x = input_value
        for item in self.layers:
            x = self._apply(run, item, x)
        run.output = x
        return x

    def _apply(self, run, item, x):
        if isinstance(item, LayerObj):
            return run.inference.apply(item.layer, [x])
        if isinstance(item, KerasSequential):
            for sub in item.layers:
                x = self._apply(run, sub, x)
            return x
        return UNKNOWN

    def finalize(self) -> None:
        if self.runs:
            return
        if self.input_shape is not None:
            self.run(Tensor(self.input_shape), self.input_note)
        else:
            run = self.new_run(("?",), None)
            run.program.inputs = [UNKNOWN]
            x = UNKNOWN
            for item in self.layers:
                x = self._apply(run, item, x)
            run.output = x
            first = self.layers[0] if self.layers else None
            hint = "keras.Input(shape=(...))"
            if isinstance(first, LayerObj) and first.layer.kind in ("Dense",):
                hint = "keras.Input(shape=(n_features,))"
            run.inference.report(_mismatch("unknown-input-shape", model=self.display_name, hint=hint), None)


def _mismatch(code, **facts):
    from ...core.errors import Mismatch
    return Mismatch(code, **facts)


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
        model.uncertain = True
    _ensure_finalizer(ev)
    return model


def _finalize_all(ev):
    for m in list(ev.models):
        m.finalize()


@api.method(KerasSequential, "add")
def seq_add(ev, model: KerasSequential, call):
    if call.args:
        item = call.args[0]
        if isinstance(item, LayerObj):
            item.layer.extra["container"] = "add"
            item.layer.extra["statement"] = ev.span(call.node)
            receiver = call.callee_text.rsplit(".", 1)[0]
            item.layer.extra["receiver"] = receiver
        model.add(item, call.node)
    return None


def data_input(model: KerasSequential, x: TensorVal) -> Optional[Tensor]:
    if not isinstance(x, TensorVal) or x.shape is None:
        return None
    return Tensor(tuple(x.shape), x.value.dtype)


@api.method(KerasSequential, "__call__", "predict", "predict_on_batch")
def seq_call(ev, model: KerasSequential, call):
    x = call.get(0, "x" if "x" in call.kwargs else "inputs", None)
    return run_on_data(ev, model, x, call)


def run_on_data(ev, model, x, call):
    if model.input_shape is not None:
        out = model.run(Tensor(model.input_shape), model.input_note)
        # the data-vs-declared-input check lives in checks/ (issue #4); here the declared input wins
    else:
        t = data_input(model, x)
        if t is None:
            return UNRESOLVED
        out = model.run(t, f"{_call_text(ev, call)} at line {call.node.lineno}")
    if isinstance(out, Tensor) and out.shape is not None and isinstance(x, TensorVal) and x.shape:
        out = Tensor((x.shape[0],) + tuple(out.shape[1:]), out.dtype)
    return wrap(out, "tf", None)


def _call_text(ev, call) -> str:
    t = ev.text(call.node)
    return t if len(t) <= 40 else t[:37] + "..."


@api.method(KerasSequential, "fit", "evaluate", "train_on_batch", "test_on_batch")
def seq_fit(ev, model: KerasSequential, call):
    x = call.get(0, "x", None)
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


@api.method(KerasSequential, "summary", "save", "save_weights", "load_weights", "build")
def seq_noop(ev, model, call):
    if call.node.func.attr == "build" if hasattr(call.node.func, "attr") else False:
        shp = call.get(0, "input_shape", None)
        if isinstance(shp, (list, tuple)) and _dims_ok(tuple(shp)) and model.input_shape is None:
            model.input_shape = tuple(shp)
            model.input_note = "model.build(...)"
    return None


@api.attribute(KerasSequential, "layers")
def seq_layers(ev, model, node):
    return list(model.layers)


# -- Functional -----------------------------------------------------------------------------------------------
class KerasFunctional(ModelObj):
    framework = FW

    def __init__(self, ev, node, inputs, outputs, name=""):
        super().__init__(ev, node, name)
        self.inputs = inputs
        self.outputs = outputs
        self._build()

    def _build(self):
        g = functional_graph(self.ev)
        outs = [o for o in _flatten_inputs([self.outputs]) if isinstance(o, TensorVal)]
        # ops that are ancestors of the outputs, in execution order
        wanted = set()
        stack = [o.value for o in outs]
        while stack:
            v = stack.pop()
            op = g.producer_of(v)
            if op is None or op.index in wanted:
                continue
            wanted.add(op.index)
            stack.extend(op.inputs)
        run = self.new_run(("functional",), "Input(shape=...)")
        ins = [i.value for i in _flatten_inputs([self.inputs]) if isinstance(i, TensorVal)]
        run.program.inputs = ins
        run.program.ops = [op for op in g.program.ops if op.index in wanted]
        run.output = outs[0].value if len(outs) == 1 else TensorTuple(tuple(o.value for o in outs))
        run.program.output = run.output
        self.graph_ops = run.program.ops


@api.handles("keras.Model")
def functional_model(ev, call):
    inputs = call.get(0, "inputs", UNRESOLVED)
    outputs = call.get(1, "outputs", UNRESOLVED)
    name = call.kwargs.get("name", "")
    if outputs is UNRESOLVED:
        return UNRESOLVED
    _ensure_finalizer(ev)
    return KerasFunctional(ev, call.node, inputs, outputs, name if isinstance(name, str) else "")


def _ensure_finalizer(ev):
    fins = ev.state.setdefault("finalizers", [])
    if _finalize_all not in fins:
        fins.append(_finalize_all)


@api.method(KerasFunctional, "__call__", "predict")
def functional_call(ev, model, call):
    out = model.runs[0].output if model.runs else UNKNOWN
    return wrap(out, "tf", None)


@api.method(KerasFunctional, "compile", "fit", "evaluate", "summary", "save")
def functional_noop(ev, model, call):
    return None


__all__ = ["KerasSequential", "KerasFunctional", "is_const"]
