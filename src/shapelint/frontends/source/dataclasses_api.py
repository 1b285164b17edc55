"""``dataclasses.asdict`` / ``replace`` on a config dataclass (``nn.LSTM(**asdict(rnn_cfg))``): the fields as the
instance holds them -- the values passed when it was made, the class's defaults for the rest (models.run_init binds
a dataclass's fields). Anything else stays unknown."""
from __future__ import annotations

from ...core.program import UNRESOLVED
from . import api
from .models import FieldFactory, dataclass_fields
from .objects import Instance


def _field_values(ev, obj) -> dict:
    out = {}
    for name in dataclass_fields(obj.cls) or []:
        if name in obj.attrs:
            out[name] = obj.attrs[name]
        else:
            default = obj.cls.find_method(name)
            out[name] = default if default is not None and not isinstance(default, FieldFactory) else UNRESOLVED
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
