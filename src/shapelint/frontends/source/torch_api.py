"""PyTorch models in the source evaluator: nn module constructors, ``nn.Sequential`` (positional, OrderedDict,
``*layers``), ``nn.ModuleList`` / ``nn.ModuleDict``, and ``nn.Module`` subclasses whose ``__init__`` runs with the
call site's arguments and whose ``forward`` runs abstractly on the model's input.

A model called at the top level (``model(torch.randn(8, 1, 28, 28))``) gets one run: one Program, one Inference.
Everything its forward applies -- submodules, nested user modules, Sequentials, torch functions, ``F.*``, tensor
methods, operators, indexing (torch_ops.py) -- goes to that run, named by the qualified module path
(``features.3``, ``layer1.0.conv1``). A model no call feeds runs once at the end of the file with ``--input-shape``,
or with what its first op implies (``Conv2d(3, ...)`` -> ``(N, 3, H, W)``), found by a probe run of forward.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Optional

from ...core.errors import Mismatch
from ...core.infer import Inference
from ...core.program import UNRESOLVED, Origin, Program, Span
from ...core.registry import has, lookup
from ...core.values import Ids, Tensor, TensorTuple
from ...diagnostics.model import Label
from . import api
from . import data_api, keras_api
from .evaluator import BudgetExceeded, is_const
from .layers import element_spans, make_layer
from .models import ModelObj, given_input_shape, input_key, run_init, script_run
from .objects import BoundMethod, Instance, LayerObj, Number, TensorVal, UserClass, UserFunction
from .torch_ops import (Context, SymDim, TorchTuple, apply, as_value, created_tensor, current, in_run, is_tensor,
                        nested_shape, stack, wrap)
from .torch_ops import apply_function
from .data_api import dtype_name, element_dtype, int_range_of

FW = "torch"
# Registered first: the torch creators below replace data_api's generic ones, and the `<class>` handler below hands
# other classes to keras_api's.
_REGISTERED_BEFORE = (data_api, keras_api)
_CONTAINERS = {"Sequential", "ModuleList", "ModuleDict", "Module", "Parameter", "ParameterList", "ParameterDict",
               "Buffer"}
_MODULE_BASES = ("torch.nn.", "pytorch_lightning.", "lightning.")


# -- module constructors --------------------------------------------------------------------------------------
@api.handles_prefix("torch.nn.")
def torch_module(ev, call, rest: str):
    name = rest.split(".")[-1]
    if "." in rest or not name[:1].isupper():
        return UNRESOLVED  # nn.init.*, nn.utils.*, functional (handled in torch_ops)
    if name == "Sequential":
        return torch_sequential(ev, call)
    if name in ("ModuleList", "ModuleDict"):
        return module_container(ev, call, name)
    if name == "Parameter":
        x = call.get(0, "data", UNRESOLVED)
        return x if isinstance(x, TensorVal) else TensorVal(Tensor(None), lib=FW)
    if name in _CONTAINERS:
        return UNRESOLVED
    return LayerObj(make_layer(ev, FW, name, call), call.node)


def is_module(v) -> bool:
    return (isinstance(v, LayerObj) and v.layer.framework == FW) or isinstance(v, (TorchSequential, TorchModule,
                                                                                   TorchContainer))


_PER_CALL = ("call_span", "input_spans", "input_names")  # where one call was written: never carried to the next


def copy_layer(layer):
    """Each application of a module is its own op (its own call span, warnings and parameter count)."""
    extra = {k: v for k, v in layer.extra.items() if k not in _PER_CALL}
    return dataclasses.replace(layer, extra=extra, call_kwargs=dict(layer.call_kwargs))


def set_path(child, path: str, file: Optional[str]) -> None:
    """Give a module (and everything inside it) its qualified name, as ``named_modules()`` would."""
    if isinstance(child, LayerObj):
        child.layer.name = path
        child.layer.origin = Origin(child.layer.origin.file, child.layer.origin.span, path)
        for v in child.layer.args.values():  # a wrapped module argument (rare) keeps its own name
            if isinstance(v, LayerObj):
                set_path(v, path + ".module", file)
    elif isinstance(child, (TorchSequential, TorchModule, TorchContainer)):
        child.path = path
        for name, sub in child.named_children():
            set_path(sub, f"{path}.{name}" if path else str(name), file)


def tree_uncertain(model, seen=None) -> bool:
    seen = seen if seen is not None else set()
    if id(model) in seen:
        return False
    seen.add(id(model))
    if getattr(model, "uncertain", False) and not isinstance(model, TorchContainer):
        return True
    if isinstance(model, (TorchSequential, TorchModule, TorchContainer)):
        return any(tree_uncertain(c, seen) for _, c in model.named_children())
    return False


def _unreport(v) -> None:
    if isinstance(v, (TorchSequential, TorchModule)):
        v.reported = False
    elif isinstance(v, TorchContainer):
        for _, c in v.named_children():
            _unreport(c)


# -- models: shared run machinery -----------------------------------------------------------------------------
class TorchModel(ModelObj):
    """What nn.Sequential and user nn.Module subclasses share: qualified paths, top-level runs, finalize.

    A model built inside a branch we cannot decide is still built by its constructor arguments (unknown ones stay
    unknown), so it is not uncertain for that; it is when its structure changes under such a branch afterwards
    (relative to ``base_uncertain``, the evaluator's uncertainty where it was built)."""
    framework = FW
    path = ""

    def start(self, ev) -> None:
        self.base_uncertain = ev.uncertain
        self.uncertain = False

    def mark_uncertain(self) -> None:
        if self.ev.uncertain > getattr(self, "base_uncertain", 0):
            self.uncertain = True

    def named_children(self) -> list:
        raise NotImplementedError

    def n_inputs(self) -> int:
        return 1

    def call_body(self, ev, args: list, kwargs: dict):
        """Run the model's computation on evaluator values inside the current context."""
        raise NotImplementedError

    # a top-level run: one Program for this model and everything inside it
    def execute(self, ev, inputs: list, kwargs: dict, key, note: Optional[str], consts: Optional[list] = None,
                kept: Optional[list] = None):
        """Run the model on ``inputs`` (core values); ``consts``: the call's arguments in order when constants sit
        among the tensors (None in a tensor's place); ``kept``: for each input, what is known of its values
        (:data:`KEPT_META`) as the caller had it."""
        set_path(self, "", ev.file)
        if tree_uncertain(self):
            self.uncertain = True
        run = self.new_run(key, note)
        run.program.inputs = list(inputs)
        inf = run.inference
        stack(ev).append(Context(inf, self, ev.uncertain))
        try:
            wrapped = [wrap(v, inf) for v in inputs]
            for w, meta in zip(wrapped, kept or []):
                if isinstance(w, TensorVal) and meta:
                    w.meta.update(meta)
            wrapped = iter(wrapped)
            args = [next(wrapped) if c is None else c.unpack(wrapped) if isinstance(c, _PackedDict) else c
                    for c in consts] if consts else list(wrapped)
            out = self.call_body(ev, args, kwargs)
        finally:
            stack(ev).pop()
        value = as_value(out)
        if value is None and isinstance(out, dict) and out and all(is_tensor(v) for v in out.values()):
            # a multi-task head returning {"age": ..., "gender": ...}: its tensors in order, and their keys
            run.output_keys = list(out.keys())
            value = TensorTuple(tuple(as_value(v) for v in out.values()))
        if isinstance(value, (Tensor, TensorTuple)):
            run.program.output = value
        run.output = value if value is not None else Tensor(None)
        if getattr(self, "eval_mode", None) is True:
            run.training = False
            _drop_training_only(inf)
        elif getattr(self, "eval_mode", None) is False and not ev.uncertain or _training_for_certain(ev, self):
            run.training = True  # `model.train()` just before, or no module's mode switched anywhere
            _training_only_raises(inf)
        return run

    def finalize(self) -> None:
        if self.runs or not self.reported:
            return
        ev = self.ev
        n = self.n_inputs()
        given = given_input_shape(ev, self.display_name)
        if given is not None:
            shape = tuple(d if isinstance(d, int) and d >= 0 else None for d in given)
            self.execute(ev, [Tensor(shape)] + [Tensor(None) for _ in range(n - 1)], {}, ("given",),
                         "--input-shape")
            return
        implied, kind = self.implied_inputs(ev, n)
        if implied and implied[0] is not None:
            inputs = [t if t is not None else Tensor(None) for t in implied]
            rule = lookup(FW, kind)
            if rule is not None and rule.meta.get("implied_any_rank"):
                self.run_on_a_rank_that_fits(ev, inputs, kind)
            else:
                self.execute(ev, inputs, {}, ("implied",), f"what `{kind}` implies")
            return
        run = self.execute(ev, [Tensor(None) for _ in range(n)], {}, ("?",), None)
        run.inference.report(Mismatch("unknown-input-shape", model=self.display_name,
                                      hint=f"{self.name or 'model'}(torch.randn(...))"), None)

    def run_on_a_rank_that_fits(self, ev, inputs: list, kind: str) -> None:
        """The first layer (``Linear``, ``LayerNorm``, ``Embedding``) takes any number of leading axes, so the rank
        it implies is a guess: a forward that unpacks ``B, T, C = x.size()`` needs 3-D input. The guessed input and
        the same with one and two more axes after the batch are tried; the first the forward accepts is the run
        reported. Only when the forward fails on all of them are the errors of the guess reported."""
        first = inputs[0]
        for extra in range(3):
            shape = first.shape[:1] + tuple(f"L{i + 1}" if extra > 1 else "L" for i in range(extra)) + \
                first.shape[1:]
            marks = (len(ev.models), len(ev.diagnostics), len(self.runs))
            run = self.execute(ev, [Tensor(shape, first.dtype)] + inputs[1:], {}, ("implied",),
                               f"what `{kind}` implies" + (f", with {'one more axis' if extra == 1 else 'two more axes'}" if extra else ""))
            if not any(d.severity == "error" for d in run.inference.diagnostics):
                return
            del ev.models[marks[0]:]
            del ev.diagnostics[marks[1]:]
            del self.runs[marks[2]:]
        self.execute(ev, inputs, {}, ("implied",), f"what `{kind}` implies")

    def implied_inputs(self, ev, n: int):
        """Probe: run the body once on inputs of unknown rank in a scratch run, find the first op that consumes
        each input, and ask its rule what input it implies."""
        probes = [Tensor(None) for _ in range(n)]
        inf = Inference(Program("<probe>", FW), ev.lines)
        n_models, n_diags, n_runs = len(ev.models), len(ev.diagnostics), len(self.runs)
        set_path(self, "", ev.file)
        stack(ev).append(Context(inf, self, ev.uncertain))
        try:
            self.call_body(ev, [wrap(p, inf) for p in probes], {})
        except BudgetExceeded:
            raise
        except Exception:
            pass
        finally:
            stack(ev).pop()
            del ev.models[n_models:]
            del ev.diagnostics[n_diags:]
            del self.runs[n_runs:]
        out, first_kind = [], None
        for index, p in enumerate(probes):
            op = next((o for o in inf.program.ops if any(i is p for i in o.inputs)), None)
            implied = None
            if op is not None and op.inputs[0] is p:  # a rule implies its first input only (not an EmbeddingBag's
                # offsets, not a mask): another input consumed there stays unknown
                rule = lookup(FW, op.layer.kind)
                if rule is not None and index > 0 and rule.meta.get("implied_any_rank"):
                    rule = None  # a later input of a rank only guessed (diffusion timesteps (N,) into an
                    # Embedding that implies (N, L)): only the first input's rank is tried, so this one stays unknown
                if rule is not None and rule.implied_input is not None:
                    try:
                        implied = rule.implied_input(op.layer)
                    except Exception:
                        implied = None
                if implied is not None and not isinstance(implied, Tensor):
                    implied = Tensor(tuple(implied))
                if first_kind is None and implied is not None:
                    first_kind = op.layer.kind
            out.append(implied)
        return out, first_kind

    @property
    def display_name(self) -> str:
        return self.name or self.class_name()

    def class_name(self) -> str:
        return type(self).__name__


# what a model's forward still knows of the values it is given: the range of class ids (labels passed to a loss
# written as an nn.Module, ``criterion(student_logits, teacher_logits, labels)``, are checked against the heads)
KEPT_META = ("int_range",)


def call_model(ev, model: TorchModel, call):
    """``model(x)``: nested in a running model, apply within its run; at the top level, run the model on the
    data (once per distinct input shape) and return the output as data."""
    ctx = current(ev)
    if ctx is not None:
        return model.call_body(ev, list(call.args), dict(call.kwargs))
    call = _inputs_by_keyword(model, call)
    if len(call.args) == 1 and not call.kwargs and _tensor_dict(call.args[0]):
        return _call_with_dict(ev, model, call)
    tensors = [a for a in call.args if is_tensor(a)]
    # an argument after the data that we could not follow (the lengths a collate_fn computed) is passed on unknown:
    # the known data still runs
    if not tensors or not is_tensor(call.args[0]) or \
            not all(is_tensor(a) or a is None or is_const(a) or _tensor_group(a) or a is UNRESOLVED
                    for a in call.args[1:]):
        return UNRESOLVED
    # the tensors are the model's inputs; a constant beside them (an output size, a flag) is passed on as it is, and
    # so is a tuple of tensors (an RNN's (h, c) state, `net(inputs, hidden)`), as it would be by keyword
    inputs = [as_value(a) for a in call.args if is_tensor(a)]
    consts = None if all(is_tensor(a) or a is None for a in call.args) else \
        [None if is_tensor(a) else a for a in call.args if a is not None]
    if isinstance(inputs[0], Tensor) and inputs[0].shape is None:
        return UNRESOLVED  # unknown data: the end-of-file run (implied input) covers the model
    # an unknown auxiliary input (a mask from an op without a rule) stays unknown; the known data still runs
    key = input_key(inputs) + (tuple(_const_key(c) for c in consts if c is not None) if consts else ()) + \
        tuple((k, _kwarg_key(v)) for k, v in sorted(call.kwargs.items(), key=lambda kv: str(kv[0])))
    kept = [{k: a.meta[k] for k in KEPT_META if k in a.meta} if isinstance(a, TensorVal) else {}
            for a in call.args if is_tensor(a)]
    return _run_once(ev, model, call, inputs, key, dict(call.kwargs), consts, kept, point_at_data=True)


def _run_once(ev, model, call, inputs: list, key, kwargs: dict, consts, kept=None, point_at_data: bool = False):
    """``model(...)`` at the top level on ``inputs``: run once per distinct ``key`` (input shapes and the other
    arguments), and what it returns as data -- one row of predictions per sample."""
    cached = model.cached_run(key)
    feeds = script_run(ev).feeding_runs
    if cached is None:
        text = ev.text(call.node)
        note = f"{text if len(text) <= 40 else text[:37] + '...'} at line {call.node.lineno}"
        cached = model.execute(ev, inputs, kwargs, key, note, consts, kept)
        if point_at_data:
            _point_at_data(cached, inputs, call)
        # a model fed another model's output (`predictor(encoder(x))`) reads that output's axis roles (core/roles.py)
        cached.inference.feeding_runs = [r for r in feeds if r is not cached.inference]
    if all(r is not cached.inference for r in feeds):
        feeds.append(cached.inference)
    if model.uncertain:
        return UNRESOLVED  # its structure depends on what was not followed: what it returns is not known either
    result = wrap(cached.output, None)
    if isinstance(result, TensorVal):  # one row of outputs per sample: a comparison with labels is recognised
        result.meta["predictions"] = True  # (checks/silent.py)
    if cached.output_keys and isinstance(result, TorchTuple) and len(result) == len(cached.output_keys):
        return dict(zip(cached.output_keys, result))
    return result


def _inputs_by_keyword(model, call):
    """``model(**batch)`` / ``model(input_ids=ids, attention_mask=mask)``: the keyword arguments that name forward's
    leading parameters, in its order, become the positional inputs they bind to (what ``nn.Module.__call__`` does);
    the call as it is when it passes any positionally, or forward is not known."""
    if call.args or not call.kwargs or call.starred or not isinstance(model, TorchModule):
        return call
    fwd = model.cls.find_method("forward")
    if not isinstance(fwd, UserFunction):
        return call
    a = fwd.node.args
    args, kwargs, nodes, kw_nodes = [], dict(call.kwargs), [], dict(call.kw_nodes)
    for p in [x.arg for x in (a.posonlyargs + a.args)[1:]]:
        if p not in kwargs:
            break
        args.append(kwargs.pop(p))
        nodes.append(kw_nodes.pop(p, None))
    if not args:
        return call
    return dataclasses.replace(call, args=args, kwargs=kwargs, arg_nodes=nodes, kw_nodes=kw_nodes)


@dataclasses.dataclass(frozen=True)
class _PackedDict:
    """A batch given as a dict (``model({"pos": ..., "rgb": ...})``): its keys in order, the tensors' places None,
    other values as they are. The run's inputs are its tensors; the forward gets the dict back, holding them."""
    items: tuple

    def unpack(self, wrapped) -> dict:
        return {k: next(wrapped) if v is None else v for k, v in self.items}


def _tensor_dict(v) -> bool:
    return isinstance(v, dict) and bool(v) and all(isinstance(k, str) for k in v) and \
        any(is_tensor(x) for x in v.values()) and all(is_tensor(x) or is_const(x) for x in v.values())


def _call_with_dict(ev, model, call):
    """``model(batch)`` with a dict of tensors: run once per distinct set of keys and shapes, as ``model(x)``."""
    batch = call.args[0]
    inputs = [as_value(x) for x in batch.values() if is_tensor(x)]
    if any(isinstance(x, Tensor) and x.shape is None for x in inputs):
        return UNRESOLVED
    packed = _PackedDict(tuple((k, None if is_tensor(x) else x) for k, x in batch.items()))
    key = input_key(inputs) + (("dict",) + tuple(batch.keys()),)
    return _run_once(ev, model, call, inputs, key, {}, [packed])


def _tensor_group(v) -> bool:
    return isinstance(v, (tuple, list)) and bool(v) and all(is_tensor(i) for i in v)


def _kwarg_key(v) -> str:
    """A keyword argument, for the run's key: ``model(x, classify=True)`` runs another branch of forward() than
    ``model(x)``, and a mask of another shape is another run."""
    if is_tensor(v):
        return repr(input_key([as_value(v)]))
    return _const_key(v) if is_const(v) or _tensor_group(v) else type(v).__name__


def _const_key(c) -> str:
    """A constant passed beside the inputs, for the run's key: a tuple of tensors by its shapes."""
    return repr(input_key([as_value(i) for i in c])) if _tensor_group(c) else repr(c)


def _point_at_data(run, inputs: list, call) -> None:
    """Channels-last data fed to the model: the mistake is in the data, so the diagnostic points at the call's
    argument and keeps the layer as a secondary label."""
    node = call.arg_nodes[0] if call.arg_nodes else call.node
    span = Span.of(node)
    for op in run.program.ops:
        for d in op.diagnostics:
            if d.name != "channels-last-input" or not any(i is inputs[0] for i in op.inputs):
                continue
            if d.primary is not None and d.primary.span != span:
                d.secondary.insert(0, Label(d.primary.span, f"`{op.layer.kind}` expects channels first",
                                            d.primary.file))
            variant = getattr(getattr(d.facts, "mismatch", None), "facts", {}).get("variant")
            what = "data with the channels on the wrong axis" if variant == "axis" else "channels-last data"
            d.primary = Label(span, f"{what} {inputs[0]}", d.primary.file if d.primary else None)


def _finalize_all(ev):
    for m in list(ev.models):
        m.finalize()


def _ensure_finalizer(ev):
    fins = ev.state.finalizers
    if _finalize_all not in fins:
        fins.append(_finalize_all)


# -- nn.Sequential --------------------------------------------------------------------------------------------
class TorchSequential(TorchModel):
    def __init__(self, ev, node, children: list):
        super().__init__(ev, node)
        self.start(ev)
        self.children = children  # list of (name, module value)

    def named_children(self) -> list:
        return list(self.children)

    def child(self, name: str):
        """The child named ``name`` (an OrderedDict Sequential's ``conv0``), or None."""
        return next((c for n, c in self.children if n == name), None)

    def replace(self, name: str, value) -> bool:
        """Put ``value`` in the place of the child named ``name``, as ``seq.name = value`` does; False without it."""
        for i, (n, _) in enumerate(self.children):
            if n == name:
                self.children[i] = (name, value)
                return True
        return False

    def class_name(self) -> str:
        return "Sequential"

    def call_body(self, ev, args: list, kwargs: dict):
        x = as_value(args[0], True) if args else Tensor(None)
        ctx = current(ev)
        return wrap(self.apply_chain(ev, x), ctx.inference if ctx else None)

    def apply_chain(self, ev, x):
        for _, child in self.children:
            x = apply_child(ev, child, x)
        return x


def apply_child(ev, child, x):
    """Apply one child of a Sequential to a core value; returns a core value."""
    ctx = current(ev)
    if isinstance(child, LayerObj) and child.layer.framework == FW:
        layer = copy_layer(child.layer)
        layer.extra["in_sequential"] = True  # applied by its container: its origin is a constructor, not a value
        return as_value(apply(ev, layer, [x]), True)
    if isinstance(child, TorchSequential):
        return child.apply_chain(ev, x)
    if isinstance(child, TorchModule):
        return as_value(child.call_body(ev, [wrap(x, ctx.inference if ctx else None)], {}), True)
    return Tensor(None)


def torch_sequential(ev, call):
    if len(call.args) == 1 and isinstance(call.args[0], dict):  # OrderedDict([...]) evaluates to a dict
        children = [(str(k), v) for k, v in call.args[0].items()]
    else:
        children = [(str(i), a) for i, a in enumerate(call.args)]
    children, whole = _fold_parts(children)
    for _, child in children:
        _unreport(child)
    _ensure_finalizer(ev)
    model = TorchSequential(ev, call.node, children)
    if call.starred or not whole:
        model.uncertain = True
    return model


def _fold_parts(children: list) -> tuple:
    """Children that stand for parts of the op before them (``continues``: a library trunk's real children after
    its first) are folded into it when every part follows it in order; (children, whether nothing was cut)."""
    kept, whole = [], True
    for name, child in children:
        owner = getattr(child, "continues", None)
        if owner is None:
            kept.append((name, child))
            continue
        # the entry before it is the op itself (its first part) or the part before this one
        prev = kept[-1][1] if kept else None
        if getattr(prev, "continues", prev) is not owner or child.position != getattr(prev, "position", 0) + 1:
            whole = False
        kept[-1:] = [(kept[-1][0] if kept else name, child)]  # the run so far ends with this part
        if whole and child.position == child.of:
            kept[-1] = (kept[-1][0], owner)  # every part followed it: the op again
    if any(getattr(c, "continues", None) is not None for _, c in kept):
        whole = False  # a run cut short: part of the trunk, whose shapes are not known
    return kept, whole


@api.handles("collections.OrderedDict")
def ordered_dict(ev, call):
    if not call.args:
        return dict(call.kwargs)
    items = call.args[0]
    if isinstance(items, dict):
        return dict(items)
    if isinstance(items, (list, tuple)) and all(isinstance(p, tuple) and len(p) == 2 for p in items):
        return {k: v for k, v in items}
    return UNRESOLVED


@api.method(TorchSequential, "__call__", "forward")
def sequential_call(ev, model: TorchSequential, call):
    out = call_model(ev, model, call)
    ctx = current(ev)
    op = ctx.inference.producer_of(as_value(out, True)) if ctx is not None and is_tensor(out) else None
    if op is not None:  # `self.frontend(x)`: where the last child's output appears in the code (a fix appends there)
        op.layer.extra.setdefault("output_span", ev.span(call.node))
    return out


@api.method(TorchSequential, "__getitem__")
def sequential_getitem(ev, model: TorchSequential, slice_node, scope):
    key = ev.eval(slice_node, scope)
    if isinstance(key, int) and not isinstance(key, bool) and -len(model.children) <= key < len(model.children):
        return model.children[key][1]
    if isinstance(key, slice):
        sub = TorchSequential(ev, model.node, model.children[key])
        sub.reported = False
        return sub
    return UNRESOLVED


@api.attribute(TorchSequential, "__getattr__")
def sequential_getattr(ev, seq: TorchSequential, name: str, node):
    """``model.features.conv0``: a named child of an OrderedDict Sequential; a method otherwise."""
    child = seq.child(name)
    return child if child is not None else BoundMethod(seq, name)


@api.method(TorchSequential, "__setitem__")
def sequential_setitem(ev, seq: TorchSequential, key, value, stmt):
    """``model.classifier[6] = nn.Linear(4096, 10)``: the child at that index is replaced, as nn.Sequential does;
    anything else done to it leaves its shapes unknown."""
    if getattr(seq, "copied", False):
        seq.uncertain = True  # a deep copy is the same object here: a changed copy leaves neither one known
    if isinstance(key, int) and not isinstance(key, bool) and -len(seq.children) <= key < len(seq.children) and \
            is_module(value):
        seq.children[key] = (seq.children[key][0], value)
        _unreport(value)
        seq.mark_uncertain()
    else:
        seq.uncertain = True


@api.method(TorchSequential, "__setattr__")
def sequential_setattr(ev, seq: TorchSequential, name: str, value, stmt):
    """``model.features.conv0 = nn.Conv2d(1, 64, ...)``: a named child replaced (an OrderedDict Sequential); a new
    attribute that is not a module changes nothing; a new module is added as nn.Module does."""
    if getattr(seq, "copied", False) and is_module(value):
        seq.uncertain = True
    if is_module(value) and seq.replace(name, value):
        _unreport(value)
        seq.mark_uncertain()
    elif is_module(value) and seq.child(name) is None and not name.startswith("_") and type(seq) is TorchSequential:
        # nn.Module.__setattr__ registers it in _modules, which Sequential.forward runs in order: it comes last (in
        # a Sequential whose children are all known: a library model's part not unfolded here may hold the name)
        seq.children.append((name, value))
        _unreport(value)
        seq.mark_uncertain()
    elif is_module(value) or seq.child(name) is not None:
        seq.uncertain = True


@api.method(TorchSequential, "__iter__")
def sequential_iter(ev, model, node):
    return [c for _, c in model.children]


@api.method(TorchSequential, "__len__")
def sequential_len(ev, model):
    return len(model.children)


@api.method(TorchSequential, "append", "add_module", "insert", "extend")
def sequential_add(ev, model: TorchSequential, call):
    name = call.node.func.attr if hasattr(call.node.func, "attr") else ""
    model.mark_uncertain()
    if name == "append" and call.args:
        model.children.append((str(len(model.children)), call.args[0]))
        _unreport(call.args[0])
    elif name == "add_module" and len(call.args) == 2 and isinstance(call.args[0], str):
        model.children.append((call.args[0], call.args[1]))
        _unreport(call.args[1])
    elif name == "extend" and call.args and isinstance(call.args[0], (list, tuple)):
        for c in call.args[0]:
            model.children.append((str(len(model.children)), c))
            _unreport(c)
    else:
        model.children.append(("?", UNRESOLVED))
        model.uncertain = True
    return model if name in ("append", "extend", "insert") else None


# -- nn.ModuleList / nn.ModuleDict ----------------------------------------------------------------------------
class TorchContainer:
    """nn.ModuleList (``items`` is a list) or nn.ModuleDict (a dict): holds modules, is not callable."""
    path = ""
    uncertain = False
    base_uncertain = 0

    def __init__(self, kind: str, items, base_uncertain: int = 0):
        self.kind = kind
        self.items = items
        self.base_uncertain = base_uncertain

    def named_children(self) -> list:
        if isinstance(self.items, dict):
            return list(self.items.items())
        return [(str(i), m) for i, m in enumerate(self.items)]


def module_container(ev, call, kind: str):
    arg = call.get(0, "modules", None)
    if kind == "ModuleDict":
        items = dict(arg) if isinstance(arg, dict) else ({k: v for k, v in arg} if isinstance(arg, (list, tuple))
                                                         and all(isinstance(p, tuple) and len(p) == 2
                                                                 for p in arg) else None)
        if items is None and arg is not None:
            return UNRESOLVED
        c = TorchContainer(kind, items or {}, ev.uncertain)
    else:
        if arg is not None and not isinstance(arg, (list, tuple)):
            return UNRESOLVED
        c = TorchContainer(kind, list(arg or []), ev.uncertain)
    _unreport(c)
    return c


@api.method(TorchContainer, "__getitem__")
def container_getitem(ev, c: TorchContainer, slice_node, scope):
    key = ev.eval(slice_node, scope)
    if isinstance(c.items, dict):
        return c.items.get(key, UNRESOLVED) if isinstance(key, str) else UNRESOLVED
    if isinstance(key, int) and not isinstance(key, bool) and -len(c.items) <= key < len(c.items):
        return c.items[key]
    if isinstance(key, slice):
        return TorchContainer(c.kind, c.items[key])
    return UNRESOLVED


@api.method(TorchContainer, "__iter__")
def container_iter(ev, c: TorchContainer, node):
    return list(c.items.keys()) if isinstance(c.items, dict) else list(c.items)


@api.method(TorchContainer, "__unpack__")
def container_unpack(ev, c: TorchContainer, n: int, node):
    """``for ln1, attn, ln2, ff in self.layers`` over a ModuleList of ModuleLists: each inner list unpacks into
    its modules."""
    items = list(c.items.keys()) if isinstance(c.items, dict) else list(c.items)
    return items if len(items) == n else None


@api.method(TorchContainer, "__len__")
def container_len(ev, c: TorchContainer):
    return len(c.items)


@api.method(TorchContainer, "append", "extend", "insert", "add_module", "update", "items", "keys", "values")
def container_method(ev, c: TorchContainer, call):
    name = call.node.func.attr if hasattr(call.node.func, "attr") else ""
    if name == "items":
        return list(c.items.items()) if isinstance(c.items, dict) else UNRESOLVED
    if name == "keys":
        return list(c.items.keys()) if isinstance(c.items, dict) else UNRESOLVED
    if name == "values":
        return list(c.items.values()) if isinstance(c.items, dict) else UNRESOLVED
    if ev.uncertain > c.base_uncertain:
        c.uncertain = True
    args = call.args
    if name == "append" and args and isinstance(c.items, list):
        c.items.append(args[0])
        _unreport(args[0])
    elif name == "extend" and args and isinstance(args[0], (list, tuple)) and isinstance(c.items, list):
        c.items.extend(args[0])
        for a in args[0]:
            _unreport(a)
    elif name == "insert" and len(args) == 2 and isinstance(args[0], int) and isinstance(c.items, list):
        c.items.insert(args[0], args[1])
        _unreport(args[1])
    elif name in ("add_module", "update") and isinstance(c.items, dict):
        if name == "add_module" and len(args) == 2 and isinstance(args[0], str):
            c.items[args[0]] = args[1]
            _unreport(args[1])
        elif name == "update" and args and isinstance(args[0], dict):
            c.items.update(args[0])
        else:
            c.uncertain = True
    else:
        c.uncertain = True
    return c if name in ("append", "extend", "insert") else None


# -- nn.Module subclasses -------------------------------------------------------------------------------------
class TorchModule(Instance, TorchModel):
    """An instance of a user nn.Module subclass: attributes from ``__init__``, submodules in assignment order."""

    def __init__(self, ev, cls: UserClass, node):
        Instance.__init__(self, cls, {}, node, {})
        TorchModel.__init__(self, ev, node)
        self.children: dict = {}
        self.seq_children: Optional[list] = None  # a subclass of nn.Sequential: the modules given to it

    def named_children(self) -> list:
        out = list(self.children.items())
        if self.seq_children:
            out = [(n, c) for n, c in self.seq_children] + out
        return out

    def class_name(self) -> str:
        return self.cls.node.name

    def n_inputs(self) -> int:
        fwd = self.cls.find_method("forward")
        if not isinstance(fwd, UserFunction):
            return 1
        a = fwd.node.args
        params = (a.posonlyargs + a.args)[1:]
        required = len(params) - len(a.defaults)
        return max(required, 1)

    def call_body(self, ev, args: list, kwargs: dict):
        fwd = self.cls.find_method("forward")
        if isinstance(fwd, UserFunction):
            ctx = current(ev)
            stack(ev).append(Context(ctx.inference, self, ctx.base_uncertain) if ctx else Context(None, self))
            try:
                return ev.call_function(fwd, [self] + list(args), kwargs)
            finally:
                stack(ev).pop()
        if self.seq_children is not None:
            return self.sequential_forward(ev, args)
        return UNRESOLVED

    def sequential_forward(self, ev, args: list):
        """nn.Sequential.forward runs every registered module in order: those given to ``super().__init__`` first,
        then those added with ``add_module`` or assigned (a DenseNet ``_Transition`` built by ``add_module``)."""
        x = as_value(args[0], True) if args else Tensor(None)
        for _, child in self.named_children():
            x = apply_child(ev, child, x)
        ctx = current(ev)
        return wrap(x, ctx.inference if ctx else None)


def _is_torch_class(cls: UserClass) -> bool:
    return any(n.startswith(_MODULE_BASES) for n in cls.base_names())


_prev_class_handler = api.find_handler("<class>")[0]


@api.handles("<class>")
def instantiate(ev, cls: UserClass, call):
    if not _is_torch_class(cls):
        if _prev_class_handler is not None:
            return _prev_class_handler(ev, cls, call)
        if any("keras" in n or "tensorflow" in n for n in cls.base_names()):
            return UNRESOLVED
        obj = Instance(cls, {}, call.node)
        run_init(ev, obj, call)
        return obj
    _ensure_finalizer(ev)
    ev.state.torch_classes_built.add(id(cls))
    obj = TorchModule(ev, cls, call.node)
    obj.start(ev)
    run_init(ev, obj, call)
    if any(n.endswith(".Sequential") for n in cls.base_names()) and obj.seq_children is None \
            and not isinstance(cls.find_method("__init__"), UserFunction):
        obj.seq_children = [(str(i), a) for i, a in enumerate(call.args)]
        for a in call.args:
            _unreport(a)
    return obj


def _no_arg_init(cls: UserClass) -> bool:
    init = cls.find_method("__init__")
    if not isinstance(init, UserFunction):
        return True
    a = init.node.args
    positional = a.posonlyargs + a.args
    return len(positional) - len(a.defaults) <= 1 and all(d is not None for d in a.kw_defaults)


@api.on_start
def _install_unbuilt_classes(ev):
    ev.state.finalizers.append(_check_unbuilt_classes)


def _check_unbuilt_classes(ev):
    """A file that only defines a model (``class Net(nn.Module)`` and no ``Net()``, or one built inside a function
    nothing calls): build every such top-level class whose constructor needs no argument and run it on the input
    its first layer implies, like a model no call feeds."""
    built = ev.state.torch_classes_built or set()  # empty (nothing built before): a set of its own, as it was
    for name, cls in list(ev.module.vars.items()):
        if not isinstance(cls, UserClass) or id(cls) in built or not _is_torch_class(cls) \
                or not isinstance(cls.find_method("forward"), UserFunction) or not _no_arg_init(cls):
            continue
        try:
            obj = instantiate(ev, cls, api.Call(cls.node, [], {}, [], {}, name))
        except BudgetExceeded:
            raise
        except Exception:
            continue
        if isinstance(obj, TorchModel) and obj.reported:
            obj.finalize()


@api.method(TorchModule, "__setattr__")
def module_setattr(ev, obj: TorchModule, attr: str, value, stmt):
    if getattr(obj, "copied", False) and is_module(value):
        obj.uncertain = True  # a deep copy is the same object here: a changed copy leaves neither one known
    if is_module(value):
        obj.children[attr] = value
        _unreport(value)
        if ev.uncertain > getattr(obj, "base_uncertain", 0):
            obj.uncertain = True  # a submodule that may or may not exist
    elif attr in obj.children:
        del obj.children[attr]


@api.handles("copy.deepcopy", "copy.copy")
def copied(ev, call):
    """``target = copy.deepcopy(online)`` (a teacher, an EMA or a target network): the copy has the original's
    structure, so it stands for the same object -- its runs are the original's. A copy changed afterwards (a module
    attribute replaced) makes both unknown rather than one wrong. Tensors keep their shape; containers are copied."""
    x = call.args[0] if len(call.args) == 1 and not call.kwargs else UNRESOLVED
    if isinstance(x, TorchModel):
        x.copied = True
        return x
    if isinstance(x, (LayerObj, TensorVal)):
        return x
    if isinstance(x, (list, tuple)) and all(isinstance(v, (TorchModel, LayerObj, TensorVal, int, float, str))
                                            for v in x):
        for v in x:
            if isinstance(v, TorchModel):
                v.copied = True
        return type(x)(x)
    return UNRESOLVED


@api.attribute(TorchModule, "forward", "__call__")
def module_forward_attr(ev, obj: TorchModule, node):
    return BoundMethod(obj, "__call__")


@api.attribute(TorchModule, "training")
def module_training(ev, obj, node):
    return UNRESOLVED


@api.method(TorchModule, "__call__")
def module_call(ev, obj: TorchModule, call):
    return call_model(ev, obj, call)


@api.method(TorchModule, "super().__init__")
def module_super_init(ev, obj: TorchModule, call):
    if any(n.endswith(".Sequential") for n in obj.cls.base_names()):
        if len(call.args) == 1 and isinstance(call.args[0], dict):
            obj.seq_children = [(str(k), v) for k, v in call.args[0].items()]
        else:
            obj.seq_children = [(str(i), a) for i, a in enumerate(call.args)]
        for _, a in obj.seq_children:
            _unreport(a)
    return None


@api.method(TorchModule, "super().forward")
def module_super_forward(ev, obj: TorchModule, call):
    if obj.seq_children is not None:
        return obj.sequential_forward(ev, list(call.args))
    return UNRESOLVED


@api.method(TorchModule, "add_module", "register_module", "register_buffer", "register_parameter")
def module_register(ev, obj: TorchModule, call):
    name = call.get(0, "name", UNRESOLVED)
    value = call.get(1, "module" if "module" in call.kwargs else "tensor" if "tensor" in call.kwargs
                     else "param", UNRESOLVED)
    if isinstance(name, str):
        obj.attrs[name] = value
        module_setattr(ev, obj, name, value, call.node)
    return None


@api.method(TorchModule, "eval", "train", "to", "cuda", "cpu", "float", "double", "half", "bfloat16",
            "requires_grad_", "apply", "share_memory", "to_empty", "type")
def module_self(ev, obj, call):
    _note_mode(obj, call)
    return obj


def _note_mode(obj, call) -> None:
    """``model.eval()`` / ``model.train(False)`` until ``model.train()``: the runs in between are in eval mode,
    where a BatchNorm uses its running statistics and a batch of one is fine."""
    name = call.callee_text.rsplit(".", 1)[-1]
    if name == "eval":
        obj.eval_mode = True
    elif name == "train":
        flag = call.get(0, "mode", True)
        obj.eval_mode = flag is False if isinstance(flag, bool) else None


@api.method(TorchModule, "parameters")
def module_parameters(ev, obj, call):
    """``next(self.parameters())``: a weight of the model, used for its device and dtype (``weight.new_zeros(
    n_layers, batch, hidden)`` in an ``init_hidden``); its own shape is not followed."""
    from .data_api import make  # deferred, as the other data helpers here
    from .evaluator import _Iterator
    return _Iterator([make(None, "torch", "float32", ev, call.node)])


@api.method(TorchModule, "children", "modules")
def module_children(ev, obj, call):
    return [c for _, c in obj.named_children()]


@api.method(TorchModule, "named_children")
def module_named_children(ev, obj, call):
    return [(n, c) for n, c in obj.named_children()]


@api.method(TorchSequential, "eval", "train", "to", "cuda", "cpu", "float", "double", "half", "requires_grad_")
def sequential_self(ev, obj, call):
    _note_mode(obj, call)
    return obj


@api.method(TorchSequential, "children", "modules")
def sequential_children(ev, obj, call):
    return [c for _, c in obj.named_children()]


_MODE_SWITCHES = (".eval(", ".train(", ".training", "train_mode", "eval_mode", "jit.", "set_mode")


def _training_for_certain(ev, model) -> bool:
    """Whether this run is in training mode whatever path the script takes: a module starts in training mode, and
    the file never switches a module's mode anywhere (no ``.eval()``, ``.train(...)`` or ``.training`` in its text,
    traced or not), on a path the evaluator follows for certain."""
    if getattr(model, "eval_mode", None) is not None or ev.uncertain:
        return False
    if not hasattr(ev, "_no_mode_switch"):
        ev._no_mode_switch = not any(w in ev.source for w in _MODE_SWITCHES)
    return ev._no_mode_switch


def _training_only_raises(inf) -> None:
    """A run in training mode for certain: what only training mode raises (a BatchNorm seeing one value per channel:
    "Expected more than 1 value per channel when training") is an error, not a warning."""
    raise_ = lambda d: dataclasses.replace(d, severity="error") if d.name == "single-value-per-channel" else d  # noqa: E731
    inf.diagnostics[:] = [raise_(d) for d in inf.diagnostics]
    for op in inf.program.ops:
        op.diagnostics[:] = [raise_(d) for d in op.diagnostics]


def _drop_training_only(inf) -> None:
    """A run in eval mode: the warnings about what only training mode raises (a BatchNorm seeing one value per
    channel) do not apply."""
    keep = lambda d: d.name != "single-value-per-channel"  # noqa: E731
    inf.diagnostics[:] = [d for d in inf.diagnostics if keep(d)]
    for op in inf.program.ops:
        op.diagnostics[:] = [d for d in op.diagnostics if keep(d)]


# -- calling modules ------------------------------------------------------------------------------------------
@api.method(LayerObj, "__torch_call__")
def layer_call(ev, obj: LayerObj, call):
    tensors = [a for a in call.args if is_tensor(a)]
    ctx = current(ev)
    if ctx is None and not tensors:
        return UNRESOLVED
    inputs, spans, positions = [], [], []  # positions: where in the call each input was (masks are found by it)
    args, nodes = list(call.args), list(call.arg_nodes[: len(call.args)])
    if len(args) == 1 and "hx" in call.kwargs and has(obj.layer, "recurrent"):  # rnn(x, hx=h0) is rnn(x, h0)
        args.append(call.kwargs["hx"])
        nodes = nodes[:1] + [call.kw_nodes.get("hx")]
    for i, a in enumerate(args):
        node = nodes[i] if i < len(nodes) else None
        if i > 0 and isinstance(a, (tuple, list)):  # an RNN's initial state (h0, c0): one input per tensor
            for t, span in zip(a, element_spans(node, len(a), single=False)):
                v = as_value(t, unknown_ok=ctx is not None)
                if v is not None:
                    inputs.append(v)
                    spans.append(span)
                    positions.append(i)
            continue
        v = as_value(a, unknown_ok=ctx is not None)
        if v is not None:
            inputs.append(v)
            spans.extend(element_spans(node, 1, single=True))
            positions.append(i)
    if not inputs:
        return UNRESOLVED
    layer = copy_layer(obj.layer)
    layer.extra["input_spans"] = spans
    layer.extra["input_positions"] = positions
    layer.arg_spans = dict(layer.arg_spans)
    for k, v in call.kwargs.items():
        if k == "hx" and len(args) > len(call.args):
            continue
        layer.call_kwargs[k] = as_value(v) if is_tensor(v) else v
        if k in call.kw_nodes and k not in layer.arg_spans:  # a mask, is_causal: a diagnostic points at it
            layer.arg_spans[k] = Span.of(call.kw_nodes[k])
    return apply(ev, layer, inputs, call.node)



@api.method(LayerObj, "__setattr__")  # here, not in torchvision_api: any module may become a library model's part
def layer_changed(ev, obj: LayerObj, name: str, value, stmt):
    """``r.conv1.in_channels = 1``, ``r.conv1.weight = nn.Parameter(...)``: an attribute of a module set by hand
    (weight surgery); what the module does is no longer what its constructor says, so a library model built from it
    is not read from it (torchvision_api.library_children)."""
    obj.changed = True


_prev_layer_forward = api.find_method(LayerObj(None), "forward")


@api.method(LayerObj, "forward")
def layer_forward(ev, obj: LayerObj, call):
    if obj.layer is not None and obj.layer.framework == FW:
        return layer_call(ev, obj, call)
    return _prev_layer_forward(ev, obj, call) if _prev_layer_forward else UNRESOLVED


_LAYER_ATTRS = ("in_features", "out_features", "in_channels", "out_channels", "kernel_size", "stride", "padding",
                "dilation", "groups", "hidden_size", "num_layers", "input_size", "embedding_dim", "num_embeddings",
                "num_features", "normalized_shape", "d_model", "nhead", "embed_dim", "num_heads", "bidirectional",
                "batch_first", "proj_size", "output_size", "scale_factor", "p", "dim", "num_groups",
                "num_channels", "eps")


def _layer_attr_handler(name: str):
    prev = api.find_attribute(LayerObj(None), name)

    def handler(ev, obj: LayerObj, node):
        if obj.layer is None or obj.layer.framework != FW:
            return prev(ev, obj, node) if prev else BoundMethod(obj, name)
        return obj.layer.args.get(name, UNRESOLVED)
    return handler


for _name in _LAYER_ATTRS:
    api.attribute(LayerObj, _name)(_layer_attr_handler(_name))


def _weight_handler(name: str):
    prev = api.find_attribute(LayerObj(None), name)

    def handler(ev, obj: LayerObj, node):
        if obj.layer is None or obj.layer.framework != FW:
            return prev(ev, obj, node) if prev else BoundMethod(obj, name)
        return TensorVal(Tensor(None), lib=FW)
    return handler


for _name in ("weight", "bias", "weight_ih_l0", "weight_hh_l0", "in_proj_weight"):
    api.attribute(LayerObj, _name)(_weight_handler(_name))


# -- tensors from data and creation functions -----------------------------------------------------------------
@api.handles("torch.from_numpy", "torch.tensor", "torch.as_tensor", "torch.Tensor", "torch.FloatTensor",
             "torch.LongTensor")
@api.takes_numbers
def from_numpy(ev, call):
    x = call.args[0] if call.args else None
    if isinstance(x, TensorVal) and x.meta.get("numpy_scalar") and call.callee_text.endswith("from_numpy"):
        _numpy_scalar(ev, call)
    if isinstance(x, TensorVal):
        value = x.value
        dtype = call.kwargs.get("dtype") if call.callee_text.endswith(("tensor", "as_tensor")) else \
            {"FloatTensor": "float32", "LongTensor": "int64", "Tensor": "float32"}.get(call.callee_text.split(".")[-1])
        if dtype is not None:  # torch.tensor(y, dtype=torch.long): the loss checks (checks/) rely on the dtype
            value = Tensor(value.shape, dtype_name(dtype))
        meta = dict(x.meta)
        if x.lib != FW:  # where numpy data becomes a torch tensor: a layout fix for torch belongs here
            meta["converted_at"] = ev.span(call.node)
        return type(x)(value, lib=FW, origin=x.origin, note=x.note, meta=meta, shaped_at=x.shaped_at or x.origin)
    if call.callee_text.endswith(("tensor", "as_tensor")) and (is_const(x) or isinstance(x, (list, tuple, Number))):
        shape = nested_shape(x)  # a list may hold one-element tensors: torch.tensor([self.weights[i]])
        if shape is not None:
            rng = int_range_of(x)
            dtype = dtype_name(call.kwargs["dtype"]) if "dtype" in call.kwargs else "int64" if rng else \
                element_dtype(x if isinstance(x, (list, tuple)) else [x], FW)
            return TensorVal(Tensor(shape, dtype), lib=FW, origin=ev.span(call.node), note=ev.text(call.node),
                             meta={"int_range": rng} if rng and (dtype or "").startswith(("int", "uint")) else {})
    return UNRESOLVED


def _numpy_scalar(ev, call) -> None:
    """``torch.from_numpy(self.y[idx])`` where ``self.y`` is 1-D: the index gives a numpy scalar, which from_numpy
    refuses (TypeError: expected np.ndarray). Said once per call site."""
    said = ev.state.numpy_scalar_calls
    span = ev.span(call.node)
    if span in said:
        return
    said.add(span)
    ev.info("invalid-argument", call.node, kind="torch.from_numpy", arg="ndarray",
            detail="it takes an ndarray, but this is a numpy scalar (an integer index of a 1-D array gives one); "
                   "torch raises TypeError: expected np.ndarray",
            remedy="use `torch.tensor(...)` for a single value, or keep an array (`a[i:i + 1]`, or a 2-D table)")


def _chain_creator(names):
    for n in names:
        prev = api.find_handler(n)[0] if n in api._HANDLERS else None

        def handler(ev, call, _prev=prev, _n=n):
            out = _prev(ev, call) if _prev is not None else UNRESOLVED
            if isinstance(out, TensorVal):
                ctx = current(ev)
                if ctx is not None and out.run is None:
                    out.run = ctx.inference
                return out
            return created_tensor(ev, call, _n.split(".")[-1])
        api.handles(n)(handler)


_chain_creator(["torch.zeros", "torch.ones", "torch.randn", "torch.rand", "torch.empty", "torch.full"])


_LIKE = ("torch.zeros_like", "torch.ones_like", "torch.randn_like", "torch.rand_like", "torch.empty_like",
         "torch.full_like")
_prev_like = {n: api.find_handler(n)[0] for n in _LIKE if n in api._HANDLERS}


def _like_tensor(name: str):
    def handler(ev, call):
        prev = _prev_like.get(name)
        if current(ev) is None and prev is not None:  # data in the script: data_api's (dtype-aware) handler
            return prev(ev, call)
        x = call.get(0, "input", UNRESOLVED)
        if isinstance(x, TensorVal):
            dtype = dtype_name(call.kwargs.get("dtype")) if "dtype" in call.kwargs else x.value.dtype
            return in_run(ev, Tensor(x.value.shape, dtype), call)  # `zeros_like(x, dtype=torch.bool)`: a mask
        return UNRESOLVED
    return handler


for _n in _LIKE:
    api.handles(_n)(_like_tensor(_n))


@api.handles("torch.arange")
def arange(ev, call):
    nums = [a for a in call.args if isinstance(a, (int, float)) and not isinstance(a, bool)]
    if len(nums) == len(call.args) and 1 <= len(nums) <= 3 and "end" not in call.kwargs:
        start, end, step = (0, nums[0], 1) if len(nums) == 1 else (nums[0], nums[1], nums[2] if len(nums) == 3
                                                                     else 1)
        if step:
            n = max(0, math.ceil((end - start) / step))
            if start == 0 and step == 1 and isinstance(end, int) and end > 0:
                n = end  # the end as written: where the length came from
            ids = all(isinstance(v, int) for v in nums) and start >= 0 and step > 0 and n > 0
            # integer positions: their range is what an embedding table they index must cover
            return in_run(ev, Ids((n,), "int64", start, start + (n - 1) * step + 1) if ids else
                          Tensor((n,), "int64"), call)
    return in_run(ev, Tensor((None,), "int64"), call) if current(ev) else UNRESOLVED


@api.handles("torch.linspace", "torch.logspace")
def linspace(ev, call):
    steps = call.get(2, "steps", UNRESOLVED)
    return in_run(ev, Tensor((steps if isinstance(steps, int) and not isinstance(steps, bool) else None,)), call)


@api.handles("torch.hann_window", "torch.hamming_window", "torch.blackman_window", "torch.bartlett_window",
             "torch.kaiser_window")
def window(ev, call):
    """A window function's ``window_length`` values, as a 1-D float tensor (the taper of an STFT frame)."""
    n = call.get(0, "window_length", UNRESOLVED)
    return in_run(ev, Tensor((n if isinstance(n, int) and not isinstance(n, bool) else None,), "float32"), call)


@api.handles("torch.randperm")
def randperm(ev, call):
    n = call.get(0, "n", UNRESOLVED)
    return in_run(ev, Tensor((n if isinstance(n, int) and not isinstance(n, bool) else None,), "int64"), call)


@api.handles("torch.triu_indices", "torch.tril_indices")
def tri_indices(ev, call):
    """(2, number of entries on or above / below the ``offset`` diagonal of a rows x cols matrix)."""
    r, c, off = call.get(0, "row", None), call.get(1, "col", None), call.get(2, "offset", 0)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (r, c, off)):
        return in_run(ev, Tensor((2, None), "int64"), call)
    upper = call.callee_text.endswith("triu_indices")
    n = sum(1 for i in range(r) for j in range(c) if (j - i >= off if upper else j - i <= off))
    return in_run(ev, Tensor((2, n), "int64"), call)


@api.handles("torch.eye")
def eye(ev, call):
    n = call.get(0, "n", UNRESOLVED)
    m = call.get(1, "m", n)
    return in_run(ev, Tensor(tuple(d if isinstance(d, int) else None for d in (n, m))), call)


__all__ = ["TorchSequential", "TorchModule", "TorchContainer", "TorchTuple", "created_tensor", "is_module"]


@api.handles("__torch_stack__")
def torch_stack(ev, call):
    """data_api's numpy/tf/torch ``stack`` handler hands torch calls here: apply the torch ``stack`` rule."""
    return apply_function(ev, "stack", call)


@api.handles("torch.nn.Transformer.generate_square_subsequent_mask")
def square_subsequent_mask(ev, call, offset: int = 0):
    """``nn.Transformer.generate_square_subsequent_mask(sz)``: the (sz, sz) float causal mask (-inf above the
    diagonal)."""
    n = call.get(0, "sz", UNRESOLVED)
    if isinstance(n, SymDim):
        n = n.name
    if not (isinstance(n, (int, str)) and not isinstance(n, bool)):
        return in_run(ev, Tensor((None, None), "float32"), call) if current(ev) else UNRESOLVED
    return in_run(ev, Tensor((n, n), "float32"), call)


@api.method(LayerObj, "generate_square_subsequent_mask")
def transformer_square_subsequent_mask(ev, obj: LayerObj, call):
    return square_subsequent_mask(ev, call)
