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
from ...core.program import UNRESOLVED, Origin, Program, Span
from ...core.values import Tensor
from .api import Call
from .objects import UserClass, UserFunction


def given_input_shape(ev, model_name: str):
    """The input shape the user states outside the code for this model (``--input-shape``, or per model name in
    ``[tool.shapelint.input-shapes]``), or None."""
    return ev.state.get("input_shapes", {}).get(model_name, ev.state.get("input_shape"))


@dataclass
class Run:
    program: Program
    inference: Inference
    key: Any  # the input shapes, for caching repeated calls
    output: Any = None
    output_keys: Any = None  # a forward that returns a dict of tensors: its keys, in the order of output's items


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
    """Run a user class's ``__init__`` (Keras subclassed models and layers, nn.Module subclasses) on ``obj``."""
    init = obj.cls.find_method("__init__")
    if isinstance(init, UserFunction):
        ev.call_function(init, [obj] + list(call.args), dict(call.kwargs), call.node, starred=call.starred,
                         call=call, offset=1)
    elif dataclass_fields(obj.cls) is not None:
        _bind_fields(ev, obj, call)


class FieldFactory:
    """``field(default_factory=f)`` as a class default: ``f`` is called for each instance that does not pass the
    field (models._bind_fields), so instances never share one list or config object."""

    def __init__(self, factory, node):
        self.factory, self.node = factory, node

    def make(self, ev):
        return ev.call(self.factory, Call(node=self.node, args=[], kwargs={}))


def dataclass_fields(cls) -> Optional[list]:
    """The fields of a ``@dataclass`` (its bases' first, as ``dataclasses`` orders them), or None for another
    class. ``ClassVar`` annotations are not fields."""
    node = getattr(cls, "node", None)
    if not isinstance(node, ast.ClassDef) or not any(_names_dataclass(d) for d in node.decorator_list):
        return None
    fields = []
    for base in cls.bases:
        inherited = dataclass_fields(base) if isinstance(base, UserClass) else None
        fields += [f for f in inherited or [] if f not in fields]
    for stmt in node.body:
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and \
                "ClassVar" not in ast.unparse(stmt.annotation) and stmt.target.id not in fields:
            fields.append(stmt.target.id)
    return fields


def _names_dataclass(decorator) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, (ast.Name, ast.Attribute)) and ast.unparse(target).split(".")[-1] == "dataclass"


def _bind_fields(ev, obj, call) -> None:
    """The ``__init__`` a dataclass is given: arguments bind its fields in order, the rest keep the class's defaults
    (read through the class as before); a starred argument leaves every field passed unknown."""
    fields = dataclass_fields(obj.cls)
    if call.starred:
        for name in fields:
            obj.attrs[name] = UNRESOLVED
        return
    for name, value in zip(fields, call.args):
        obj.attrs[name] = value
    for name, value in call.kwargs.items():
        if name in fields:
            obj.attrs[name] = value
    for name in fields:  # `field(default_factory=...)`: this instance's own value
        default = obj.cls.find_method(name) if name not in obj.attrs else None
        if isinstance(default, FieldFactory):
            obj.attrs[name] = default.make(ev)
    post = obj.cls.find_method("__post_init__")
    if isinstance(post, UserFunction):
        ev.call_function(post, [obj], {}, call.node, call=call, offset=1)


def script_run(ev) -> Inference:
    """Ops applied eagerly to data outside any model (``layers.Dense(3)(np.ones((2, 4)))``, a torch op on data in a
    script): one run per file, shared by the Keras and PyTorch support modules. Its program is named for Keras, the
    front-end that first had it."""
    g = ev.state.get("script_run")
    if g is None:
        g = Inference(Program("<script>", "keras"), ev.lines)
        ev.state["script_run"] = g
    return g
