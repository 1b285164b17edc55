"""Keras model configs -> the IR: the part the live-model and saved-model front-ends share.

A Keras model serialises to one JSON structure (``model.get_config()``, ``model.to_json()``, ``config.json`` inside a
``.keras`` zip, the ``model_config`` attribute of an ``.h5`` file)::

    {"class_name": "Sequential" | "Functional" | "Model", "config": {"name": ..., "layers": [...], ...}}

Sequential: ``layers`` is a chain (an ``InputLayer`` first when the model has an input; else ``build_input_shape``).
Functional: every layer entry lists its ``inbound_nodes`` (one per call; a shared layer has several); tensors are
named by ``keras_history`` = [layer name, node index, tensor index]. Keras 3 writes nodes as
``{"args": [...], "kwargs": {...}}`` with ``{"class_name": "__keras_tensor__", "config": {"keras_history": ...}}``
leaves; Keras 2 (tf.keras) wrote ``[[name, node_index, tensor_index, kwargs], ...]``. Both are read.

Layers become :class:`Layer` objects bound to the same rule signatures the source front-end uses, so every front-end
yields the same IR for the same model. Nothing here imports keras.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Optional

from ..core.errors import Mismatch
from ..core.infer import Inference
from ..core.program import UNRESOLVED, Layer, Origin, Program
from ..core.registry import lookup
from ..core.values import UNKNOWN, Tensor, TensorTuple
from . import keras_build

FW = "keras"
_MODEL_CLASSES = {"Sequential", "Functional", "Model"}
_DROP_KEYS = {"name", "trainable", "dtype"}  # base-layer settings no shape rule reads


class ConfigError(ValueError):
    """The config is not a Keras model config we can read (the message is one line for the user)."""


def unwrap(cfg: Any) -> tuple:
    """(class_name, inner config, build_config) of a serialized model, accepting the wrapped and bare forms."""
    if not isinstance(cfg, dict):
        raise ConfigError("not a Keras model config (expected a JSON object)")
    if "class_name" in cfg and isinstance(cfg.get("config"), (dict, list)):
        kind = cfg["class_name"] if isinstance(cfg["class_name"], str) else "?"
        return kind, cfg["config"], _d(cfg.get("build_config"))
    if "layers" in cfg:
        kind = "Functional" if "input_layers" in cfg else "Sequential"
        return kind, cfg, {}
    raise ConfigError("not a Keras model config (no `class_name`/`config` or `layers`)")


def _value(v):
    """JSON values as the source front-end would see them: lists become tuples (``kernel_size=[3, 3]``)."""
    if isinstance(v, list):
        return tuple(_value(x) for x in v)
    if isinstance(v, dict) and v.get("class_name") == "DTypePolicy":
        return (v.get("config") or {}).get("name", UNRESOLVED)
    if isinstance(v, dict) and v.get("class_name") == "__tuple__":
        return tuple(_value(x) for x in v.get("config", {}).get("value", []))
    return v


def _d(v) -> dict:
    return v if isinstance(v, dict) else {}


def _l(v) -> list:
    return v if isinstance(v, list) else []


def _shape(v) -> Optional[tuple]:
    if isinstance(v, (list, tuple)) and all(d is None or (isinstance(d, int) and not isinstance(d, bool))
                                            for d in v):
        return tuple(v)
    return None


class Builder:
    """Builds one model (and the models nested in it) from its config into a Program."""

    def __init__(self, file: Optional[str] = None, pointer_style: str = "path"):
        self.file = file
        self.pointer_style = pointer_style  # "path": model/layer names; "json": JSON pointers into the file
        self._layers: dict = {}  # id(entry) -> Layer (a shared layer or nested model is one object)
        self.unsupported_models: list = []

    # -- layers -------------------------------------------------------------------------------------------
    def layer(self, entry: dict, pointer: str, path: str) -> Layer:
        key = id(entry)
        if key in self._layers:
            return self._layers[key]
        kind = entry.get("class_name") if isinstance(entry.get("class_name"), str) else "?"
        module = entry.get("module") if isinstance(entry.get("module"), str) else ""
        if module.startswith(("keras.src.ops", "keras.ops")):
            # a keras.ops call in a functional model (ops.add, ops.reshape): numpy semantics, not the layer of the
            # same class name, and no rule models them: its output is unknown
            kind = f"ops.{kind}"
        config = entry.get("config") if isinstance(entry.get("config"), dict) else {}
        name = config.get("name") or entry.get("name") or kind
        name = name if isinstance(name, str) else kind
        where = pointer if self.pointer_style == "json" else (f"{path}{name}")
        layer = Layer(FW, kind, name=name, origin=Origin(self.file, None, where))
        kwargs = {}
        for k, v in config.items():
            if k in _DROP_KEYS and k != "dtype":
                continue
            if k in ("layer", "backward_layer") and isinstance(v, dict) and "class_name" in v:
                kwargs[k] = self.layer(v, f"{pointer}/config/{k}", f"{path}{name}/")
            else:
                kwargs[k] = _value(v)
        rule = lookup(FW, kind)
        if rule is not None:
            # a config also lists settings the constructor takes through **kwargs of a base class
            # (``zero_output_for_mask``, ``dtype``): Keras accepted them, so only the rule's own parameters are
            # passed, and none can be reported as an unexpected keyword
            kwargs = {k: v for k, v in kwargs.items() if k in rule.signature.defaults}
            args, given, _problems = rule.signature.bind([], kwargs)
            # Keras accepted this config, so a binding problem is ours (a key not named like the constructor
            # parameter): the parameter stays unknown instead of becoming a false error
            for p, default in rule.signature.defaults.items():
                if p not in args:
                    args[p] = UNRESOLVED
            layer.args, layer.given = args, set(given)
        else:
            layer.args, layer.given = dict(kwargs), set(kwargs)
        self._layers[key] = layer
        return layer

    # -- models -------------------------------------------------------------------------------------------
    def declared_input(self, kind: str, cfg, build_config: dict) -> Optional[list]:
        """The input shapes (with batch axis) a model config states, or None."""
        if kind == "Sequential":
            layers = cfg if isinstance(cfg, list) else _l(_d(cfg).get("layers"))
            if layers:
                first = _d(_d(layers[0]).get("config"))
                for key in ("batch_shape", "batch_input_shape"):
                    if _shape(first.get(key)) is not None:
                        return [Tensor(_shape(first[key]))]
                batch = first.get("batch_size")
                if _d(layers[0]).get("class_name") == "InputLayer" and _shape(first.get("shape")) is not None:
                    return [Tensor((batch if isinstance(batch, int) else None,) + _shape(first["shape"]))]
            for shp in (cfg.get("build_input_shape") if isinstance(cfg, dict) else None,
                        build_config.get("input_shape")):
                if _shape(shp) is not None:
                    return [Tensor(_shape(shp))]
            return None
        out = []
        cfg = _d(cfg)
        by_name = {}
        for e in _l(cfg.get("layers")):
            if isinstance(e, dict):
                key = e.get("name") or _d(e.get("config")).get("name")
                if isinstance(key, str):
                    by_name[key] = e
        for ref in _refs(cfg.get("input_layers")):
            c = _d(_d(by_name.get(ref[0])).get("config"))
            shp = _shape(c.get("batch_shape")) or _shape(c.get("batch_input_shape"))
            out.append(Tensor(shp) if shp is not None else UNKNOWN)
        return out or None

    def run(self, kind: str, cfg, inf: Inference, inputs: list, pointer: str, path: str, site=None):
        """Apply a model's layers to ``inputs`` (values) through ``inf``; returns the output value."""
        if kind == "Sequential":
            return self._run_sequential(cfg, inf, inputs[0] if inputs else UNKNOWN, pointer, path)
        if kind in ("Functional", "Model"):
            return self._run_functional(cfg, inf, inputs, pointer, path)
        self.unsupported_models.append(kind)
        return UNKNOWN

    def _apply(self, entry: dict, inf: Inference, inputs: list, pointer: str, path: str):
        kind = entry.get("class_name")
        config = entry.get("config")
        if not isinstance(kind, str) or not isinstance(config, (dict, list, type(None))):
            return UNKNOWN
        if kind in _MODEL_CLASSES or (isinstance(config, dict) and "layers" in config and kind != "TimeDistributed"):
            name = (config or {}).get("name", kind) if isinstance(config, dict) else kind
            sub_kind = kind if kind in _MODEL_CLASSES else ("Functional" if "input_layers" in config else
                                                            "Sequential")
            return self.run(sub_kind, config, inf, inputs, f"{pointer}/config", f"{path}{name}/")
        layer = self.layer(entry, pointer, path)
        return keras_build.apply(inf, layer, inputs)

    def _run_sequential(self, cfg, inf, x, pointer, path):
        layers = cfg if isinstance(cfg, list) else _l(_d(cfg).get("layers"))
        base = pointer if isinstance(cfg, list) else f"{pointer}/layers"
        for i, entry in enumerate(layers):
            if not isinstance(entry, dict) or entry.get("class_name") == "InputLayer":
                continue
            x = self._apply(entry, inf, [x], f"{base}/{i}", path)
        return x

    def _run_functional(self, cfg, inf, inputs, pointer, path):
        cfg = _d(cfg)
        entries = [e for e in _l(cfg.get("layers")) if isinstance(e, dict)]
        names = [e.get("name") or _d(e.get("config")).get("name") for e in entries]
        tensors: dict = {}  # (layer name, node index, tensor index) -> value
        for ref, value in zip(_refs(cfg.get("input_layers")), inputs):
            tensors[(ref[0], 0, 0)] = value
        pending = []
        for i, (entry, name) in enumerate(zip(entries, names)):
            if not isinstance(name, str):
                continue
            if entry.get("class_name") == "InputLayer":
                if (name, 0, 0) not in tensors:
                    c = _d(entry.get("config"))
                    shp = _shape(c.get("batch_shape")) or _shape(c.get("batch_input_shape"))
                    tensors[(name, 0, 0)] = Tensor(shp) if shp is not None else UNKNOWN
                continue
            for n, node in enumerate(_l(entry.get("inbound_nodes"))):
                pending.append((i, entry, name, n, node))
        # apply nodes in dependency order (config order first; a node waits until its inputs exist)
        while pending:
            progressed, waiting = False, []
            for item in pending:
                i, entry, name, n, node = item
                refs = _node_refs(node)
                if any(r not in tensors and (r[0], r[1], 0) not in tensors for r in refs):
                    waiting.append(item)
                    continue
                ins = [_pick(tensors, r) for r in refs]
                out = self._apply(entry, inf, ins, f"{pointer}/layers/{i}", path)
                if isinstance(out, TensorTuple):
                    for t, v in enumerate(out.items):
                        tensors[(name, n, t)] = v
                tensors.setdefault((name, n, 0), out)
                progressed = True
            pending = waiting
            if not progressed:
                break  # a cycle or a reference we cannot follow: the rest stays unknown
        outs = []
        for ref in _refs(cfg.get("output_layers")):
            outs.append(_pick(tensors, ref))
        if not outs:
            return UNKNOWN
        return outs[0] if len(outs) == 1 else TensorTuple(tuple(outs))


def _is_ref(v) -> bool:
    """[layer name, node index, tensor index, ...]"""
    return (isinstance(v, (list, tuple)) and len(v) >= 3 and isinstance(v[0], str)
            and all(isinstance(i, int) and not isinstance(i, bool) and i >= 0 for i in v[1:3]))


def _refs(value) -> list:
    """``input_layers`` / ``output_layers`` as a list of (name, node, tensor): Keras writes a single one flat."""
    if isinstance(value, (list, tuple)) and len(value) == 3 and _is_ref(value):
        return [tuple(value)]
    out = []
    for ref in _l(value) if not isinstance(value, tuple) else value:
        if _is_ref(ref):
            out.append((ref[0], ref[1], ref[2]))
    return out


def _pick(tensors: dict, ref: tuple):
    if ref in tensors:
        return tensors[ref]
    whole = tensors.get((ref[0], ref[1], 0), UNKNOWN)
    if isinstance(whole, TensorTuple) and ref[2] < len(whole.items):
        return whole.items[ref[2]]
    return UNKNOWN if ref[2] else whole


def _node_refs(node) -> list:
    """The (layer, node index, tensor index) references a node's inputs name, in order."""
    refs: list = []

    def walk(v):
        if isinstance(v, dict):
            if v.get("class_name") == "__keras_tensor__":
                hist = (v.get("config") or {}).get("keras_history")
                if _is_ref(hist):
                    refs.append((hist[0], hist[1], hist[2]))
                return
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            # Keras 2: [name, node_index, tensor_index, kwargs]
            if _is_ref(v):
                refs.append((v[0], v[1], v[2]))
                return
            for x in v:
                walk(x)

    if isinstance(node, dict):
        walk(node.get("args", []))
        # attention layers take value/key as keywords
        kw = _d(node.get("kwargs"))
        for k in ("value", "key"):
            if k in kw:
                walk(kw[k])
    else:
        walk(node)
    return refs


def fit_input(declared: Optional[list], given: Optional[tuple]) -> Optional[list]:
    """The user's ``input_shape`` (with or without the batch axis) against what the model declares."""
    if given is None:
        return declared
    if given and all(isinstance(g, (list, tuple)) for g in given):  # one shape per input of a multi-input model
        out = []
        for i, g in enumerate(given):
            d = declared[i:i + 1] if declared and i < len(declared) else None
            out.extend(fit_input(d, tuple(g)))
        return out
    shp = tuple(given)
    if declared and len(declared) == 1 and declared[0].shape is not None and len(shp) == len(declared[0].shape) - 1:
        shp = (None,) + shp
    return [Tensor(shp)]


def build_program(cfg, file: Optional[str] = None, input_shape: Optional[tuple] = None, name: Optional[str] = None,
                  pointer_style: str = "path", source_lines: Optional[list] = None):
    """(Program, Inference) for a serialized model. Raises ConfigError for what is not a model config.

    ``input_shape`` is the shape of one batch (``model.build`` style). Keras users also write the per-sample shape
    (``input_shape=(28, 28, 1)``): when the model states no input and the first layer rejects the given shape's
    rank, the shape with a ``None`` batch axis in front is used instead if the first layer accepts that.
    """
    try:
        program, inf = _build_program(cfg, file, input_shape, name, pointer_style, source_lines)
    except (ConfigError, RecursionError):
        raise
    except Exception as exc:  # a config of a shape no Keras version writes: one clear line, never a traceback
        raise ConfigError(f"the model config has an unexpected structure ({type(exc).__name__}: {exc})") from None
    if input_shape is not None and not isinstance(input_shape[0] if input_shape else None, (list, tuple)) \
            and program.ops and program.ops[0].status == "error" and \
            any(d.name == "rank-mismatch" for d in program.ops[0].diagnostics):
        try:
            p2, i2 = _build_program(cfg, file, (None,) + tuple(input_shape), name, pointer_style, source_lines)
        except Exception:
            return program, inf
        if p2.ops and p2.ops[0].status != "error":
            return p2, i2
    return program, inf


def _build_program(cfg, file, input_shape, name, pointer_style, source_lines):
    kind, inner, build_config = unwrap(cfg)
    builder = Builder(file, pointer_style)
    model_name = name or (inner.get("name") if isinstance(inner, dict) else None) or kind
    program = Program(model_name, FW, Origin(file, None, "" if pointer_style == "path" else "/config"))
    inf = Inference(program, source_lines)
    declared = builder.declared_input(kind, inner, build_config) if kind in _MODEL_CLASSES else None
    inputs = fit_input(declared, input_shape)
    program.input_note = "input_shape=..." if input_shape is not None else ("the model's config" if declared
                                                                             else None)
    if kind not in _MODEL_CLASSES:
        inf.report(Mismatch("unfollowed-code", detail=f"cannot read a `{kind}` model: only Sequential and "
                            "Functional models have a config that lists their layers"), None)
        program.inputs = inputs or [UNKNOWN]
        return program, inf
    if inputs is None:
        inputs = [UNKNOWN]
        inf.report(Mismatch("unknown-input-shape", model=model_name,
                            hint="keras.Input(shape=(...)) in the model"), None)
        d = inf.diagnostics[-1]
        if pointer_style == "path":  # a live model object: no file, no saving, no command line
            d.message = (f"cannot infer shapes for `{model_name}`: its input shape is not stated and the model has "
                         "not been built or called yet")
            d.help = ("pass `input_shape=(None, ...)` to `shapelint.check`, or build the model first "
                      "(`model.build((None, ...))` or one call on data)")
        else:
            d.message = (f"cannot infer shapes for `{model_name}`: the saved model does not state its input shape "
                         "(it was saved before it was built)")
            d.help = "build the model with an input (or call it once) before saving it, or pass `--input-shape`"
    program.inputs = list(inputs)
    pointer = "/config" if pointer_style == "json" and "class_name" in cfg else ""
    out = builder.run(kind, inner, inf, inputs, pointer, "")
    program.output = out
    _silent_checks(program, inf)
    for k in builder.unsupported_models:
        inf.report(Mismatch("unfollowed-code", detail=f"cannot read the nested `{k}` model's layers; its output "
                            "is unknown"), None)
    return program, inf


def _silent_checks(program: Program, inf: Inference) -> None:
    """The whole-model silent-bug checks the source front-end runs (checks/silent.py), on this program."""
    try:
        from ..checks import silent  # deferred: the checks load only for a built program
        run = SimpleNamespace(key=("config",), output=program.output, program=program, inference=inf)
        silent.check_model(None, SimpleNamespace(runs=[run], uncertain=False, reported=True, layers=None))
    except Exception:  # a check must never break reading a model
        pass
