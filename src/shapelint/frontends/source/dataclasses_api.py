"""``dataclasses.asdict`` / ``replace`` on a config dataclass (``nn.LSTM(**asdict(rnn_cfg))``): the fields as the
instance holds them -- the values passed when it was made, the class's defaults for the rest (models.run_init binds
a dataclass's fields). Anything else stays unknown."""
from __future__ import annotations

from ...core.program import UNRESOLVED
from . import api
from .models import dataclass_fields
from .objects import Instance


def _field_values(ev, obj) -> dict:
    out = {}
    for name in dataclass_fields(obj.cls) or []:
        if name in obj.attrs:
            out[name] = obj.attrs[name]
        else:
            default = obj.cls.find_method(name)
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
