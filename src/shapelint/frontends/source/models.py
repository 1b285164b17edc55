"""Model objects the source front-end builds, shared by the Keras and PyTorch support modules.

A model object collects *runs*: one Program + Inference per distinct input it is applied to. The report shows the
first run with a known input; a model never applied to a known input gets one standalone run at the end of the file
(with its declared input, or the input its first layer implies, or none: then an info diagnostic says so).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Optional

from ...core.infer import Inference
from ...core.program import Origin, Program, Span
from ...core.values import Tensor
from .dataclasses_api import bind_fields, is_dataclass
from .objects import UserClass, UserFunction


def given_input_shape(ev, model_name: str):
    """The input shape the user states outside the code for this model (``--input-shape``, or per model name in
    ``[tool.shapelint.input-shapes]``), or None."""
    return ev.state.input_shapes.get(model_name, ev.state.input_shape)


@dataclass
class Run:
    program: Program
    inference: Inference
    key: Any  # the input shapes, for caching repeated calls
    output: Any = None
    output_keys: Any = None  # a forward that returns a dict of tensors: its keys, in the order of output's items
    training: Optional[bool] = None  # a torch run in training mode for certain (True), evaluation mode (False)


class ModelObj:
    framework = ""

    def __init__(self, ev, node: Optional[ast.AST], name: str = ""):
        self.ev = ev
        self.node = node
        self.name = name
        self.named_by_user = bool(name)
        self.runs: list = []
        self.uncertain = bool(ev.uncertain)
        self.reported = True  # sub-models (a Sequential inside a Module) set this False
        ev.models.append(self)

    def on_assigned(self, varname: str) -> None:
        if not self.named_by_user and not self.name:
            self.name = varname

    @property
    def display_name(self) -> str:
        return self.name or type(self).__name__

    def origin(self) -> Origin:
        return Origin(self.ev.file, Span.of(self.node))

    def new_run(self, key, input_note: Optional[str] = None) -> Run:
        program = Program(self.display_name, self.framework, self.origin(), input_note=input_note)
        run = Run(program, Inference(program, self.ev.lines), key)
        self.runs.append(run)
        return run

    def runs_fed(self, x) -> list:
        """The runs of this model on the data ``x`` (the runs whose first input has its shape)."""
        shape = getattr(x, "shape", None)
        return [] if shape is None else [r for r in self.runs if r.key and r.key[0] == tuple(shape)]

    def cached_run(self, key) -> Optional[Run]:
        for r in self.runs:
            if r.key == key:
                return r
        return None

    def mark_uncertain(self) -> None:
        if self.ev.uncertain:
            self.uncertain = True

    def finalize(self) -> None:
        """Called at the end of the file: run the model standalone if nothing ran it."""


def input_key(values) -> tuple:
    out = []
    for v in values:
        out.append(v.shape if isinstance(v, Tensor) else repr(v))
    return tuple(out)


@dataclass
class ModelResult:
    name: str
    framework: str
    line: Optional[int]
    program: Program
    uncertain: bool = False
    extra: dict = field(default_factory=dict)


def run_init(ev, obj, call) -> None:
    """Run a user class's ``__init__`` (Keras subclassed models and layers, nn.Module subclasses) on ``obj``: the
    first one along the class's bases, where a ``@dataclass`` has the one the decorator generates (it binds the
    fields, and overrides a plain base's ``__init__``)."""
    init = _first_init(obj.cls)
    if isinstance(init, UserFunction):
        ev.call_function(init, [obj] + list(call.args), dict(call.kwargs), call.node, starred=call.starred,
                         call=call, offset=1)
    elif isinstance(init, UserClass):
        bind_fields(ev, obj, call, init)


def _first_init(cls, depth: int = 0):
    """The ``__init__`` an instance of ``cls`` runs: its own (a UserFunction), the one ``@dataclass`` generates (the
    dataclass itself, a UserClass), or the first of its bases' in order; None when none defines one we follow."""
    if not isinstance(cls, UserClass) or depth > 20:
        return None
    own = cls.methods.get("__init__")
    if isinstance(own, UserFunction):
        return own
    if is_dataclass(cls):
        return cls
    for base in cls.bases:
        found = _first_init(base, depth + 1)
        if found is not None:
            return found
    return None


def script_run(ev) -> Inference:
    """Ops applied eagerly to data outside any model (``layers.Dense(3)(np.ones((2, 4)))``, a torch op on data in a
    script): one run per file, shared by the Keras and PyTorch support modules. Its program is named for Keras, the
    front-end that first had it."""
    g = ev.state.script_run
    if g is None:
        g = Inference(Program("<script>", "keras"), ev.lines)
        ev.state.script_run = g
    return g
