"""``dataclasses.asdict`` / ``replace`` on a config dataclass (``nn.LSTM(**asdict(rnn_cfg))``): the fields as the
instance holds them -- the values passed when it was made, the class's defaults for the rest (models.run_init binds
a dataclass's fields). Anything else stays unknown."""
from __future__ import annotations

import ast
from typing import Optional

from ...core.program import UNRESOLVED
from . import api
from .objects import FieldFactory, Instance, UserClass, UserFunction


def is_dataclass(cls) -> bool:
    """Whether the class itself is decorated ``@dataclass`` (``@dataclasses.dataclass(...)``)."""
    node = getattr(cls, "node", None)
    return isinstance(node, ast.ClassDef) and any(_names_dataclass(d) for d in node.decorator_list)


def dataclass_fields(cls) -> Optional[list]:
    """The fields of a ``@dataclass`` (its bases' first, as ``dataclasses`` orders them), or None for another
    class. ``ClassVar`` annotations are not fields."""
    if not is_dataclass(cls):
        return None
    node = cls.node
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


def bind_fields(ev, obj, call, cls) -> None:
    """The ``__init__`` the dataclass ``cls`` (``obj``'s class or a base of it) is given: arguments bind its fields in
    order, the rest keep the class's defaults (read through the class as before); a starred argument leaves every
    field passed unknown."""
    fields = dataclass_fields(cls)
    if call.starred:
        for name in fields:
            obj.attrs[name] = UNRESOLVED
        return
    for name, value in zip(fields, call.args):
        obj.attrs[name] = value
    for name, value in call.kwargs.items():
        if name in fields:
            obj.attrs[name] = value
    post = obj.cls.find_method("__post_init__")
    if isinstance(post, UserFunction):
        ev.call_function(post, [obj], {}, call.node, call=call, offset=1)


def _field_values(ev, obj) -> dict:
    out = {}
    for name in dataclass_fields(obj.cls) or []:
        if name in obj.attrs:
            out[name] = obj.attrs[name]
        else:
            default = obj.cls.find_method(name)
            if isinstance(default, FieldFactory):  # this instance's own value, made as an attribute read makes it
                default = obj.attrs[name] = ev.call(default.factory, api.Call(node=default.node, args=[], kwargs={}))
            out[name] = default if default is not None else UNRESOLVED
    return out


@api.handles("dataclasses.asdict")
def asdict(ev, call):
    obj = call.args[0] if len(call.args) == 1 and not call.kwargs else None
    if not isinstance(obj, Instance) or dataclass_fields(obj.cls) is None:
        return UNRESOLVED
    values = _field_values(ev, obj)
    return UNRESOLVED if any(v is UNRESOLVED for v in values.values()) else values


@api.handles("dataclasses.replace")
def replace(ev, call):
    obj = call.args[0] if len(call.args) == 1 else None
    if not isinstance(obj, Instance) or dataclass_fields(obj.cls) is None:
        return UNRESOLVED
    new = Instance(obj.cls, dict(_field_values(ev, obj)), call.node)
    new.attrs.update({k: v for k, v in call.kwargs.items()})
    return new


@api.handles("dataclasses.field")
def field(ev, call):
    """``field(default=v)`` is ``v``; ``field(default_factory=f)`` a FieldFactory (each instance gets its own
    ``f()``). Anything else (no default) stays unknown."""
    if call.args or call.starred:
        return UNRESOLVED
    if "default" in call.kwargs:
        return call.kwargs["default"]
    factory = call.kwargs.get("default_factory", UNRESOLVED)
    if factory is UNRESOLVED:
        return UNRESOLVED
    node = call.kw_nodes.get("default_factory")
    return FieldFactory(factory, node if node is not None else call.node)
