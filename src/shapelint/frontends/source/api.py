"""How the evaluator learns what library calls mean: handler registries keyed by canonical names (libnames.py).

Library support lives in separate modules (keras_api, torch_api, data_api ...) that register handlers here:

    @handles("keras.Sequential")                 # a call of a library object, by canonical name
    def sequential(ev, call): ...

    @handles_prefix("keras.layers.")             # every name under a prefix (generic layer constructors)
    def keras_layer(ev, call, name): ...

    @method(KerasSequential, "add")              # a method of an abstract object the API modules define
    def add(ev, obj, call): ...

A handler returns an abstract value (objects.py) or UNRESOLVED.

Some keys are shared by two frameworks (``<class>``, a tensor's ``__binop__``): the module registering second reads
the first's handler at import time and hands it what is not its own. So that module imports the first one itself:
the chain is then the same whichever module a caller happens to import first.
"""
from __future__ import annotations

import ast
import shapelint.frontends.source as pkg
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ...libnames import canonical  # noqa: F401  (re-exported: the support modules call api.canonical)

_HANDLERS: dict = {}
_PREFIX_HANDLERS: list = []
_METHODS: dict = {}
_ATTRS: dict = {}

@dataclass
class Call:
    """An evaluated call: values and the ast nodes they came from (for spans and fixes)."""
    node: ast.Call
    args: list
    kwargs: dict
    arg_nodes: list = field(default_factory=list)
    kw_nodes: dict = field(default_factory=dict)
    callee_text: str = ""
    starred: bool = False  # the call had *args / **kwargs we could not expand

    def get(self, pos: int, name: str, default: Any = None) -> Any:
        if name in self.kwargs:
            return self.kwargs[name]
        if pos is not None and pos < len(self.args):
            return self.args[pos]
        return default

    def node_of(self, pos: Optional[int], name: str):
        if name in self.kw_nodes:
            return self.kw_nodes[name]
        if pos is not None and pos < len(self.arg_nodes):
            return self.arg_nodes[pos]
        return None


def handles(*names: str):
    def deco(fn: Callable) -> Callable:
        for n in names:
            _HANDLERS[n] = fn
        return fn
    return deco


def takes_numbers(fn: Callable) -> Callable:
    """Mark a handler that takes numbers whose value is not known (objects.Number) as they are -- the array
    constructors, to which ``[float(r) for r in rewards]`` is a list of n numbers. Every other handler sees
    UNRESOLVED in their place (``Evaluator.call``)."""
    fn.takes_numbers = True
    return fn


def handles_prefix(prefix: str):
    def deco(fn: Callable) -> Callable:
        _PREFIX_HANDLERS.append((prefix, fn))
        _PREFIX_HANDLERS.sort(key=lambda p: -len(p[0]))
        return fn
    return deco


def method(cls: type, *names: str):
    def deco(fn: Callable) -> Callable:
        for n in names:
            _METHODS[(cls, n)] = fn
        return fn
    return deco


def attribute(cls: type, *names: str):
    """Register a handler for reading an attribute (``fn(ev, obj, node)``), e.g. ``model.output_shape``."""
    def deco(fn: Callable) -> Callable:
        for n in names:
            _ATTRS[(cls, n)] = fn
        return fn
    return deco


_START_HOOKS: list = []


def on_start(fn: Callable) -> Callable:
    """Register ``fn(ev)`` to run when an evaluator starts a file (checks install their hooks in ``ev.state``)."""
    _START_HOOKS.append(fn)
    return fn


def start(ev) -> None:
    for fn in _START_HOOKS:
        fn(ev)


def find_handler(name: str):
    if name in _HANDLERS:
        return _HANDLERS[name], None
    for prefix, fn in _PREFIX_HANDLERS:
        if name.startswith(prefix):
            return fn, name[len(prefix):]
    return None, None


def find_method(obj: Any, name: str):
    for cls in type(obj).__mro__:
        fn = _METHODS.get((cls, name))
        if fn is not None:
            return fn
    return None


def find_attribute(obj: Any, name: str):
    for cls in type(obj).__mro__:
        fn = _ATTRS.get((cls, name))
        if fn is not None:
            return fn
    return None


_loaded = False


def load_all() -> None:
    """Import the library-support modules (each registers its handlers)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib  # deferred: the front-end modules register on first use
    import pkgutil  # deferred, as importlib
    for m in pkgutil.iter_modules(pkg.__path__):
        if m.name.endswith("_api"):
            importlib.import_module(f"{pkg.__name__}.{m.name}")
