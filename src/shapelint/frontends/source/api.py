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

A support module is imported when a file needs it (``ALWAYS`` and ``SUPPORT`` below): start-up is part of the product.
"""
from __future__ import annotations

import ast
import shapelint.frontends.source as pkg
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from ... import libnames

canonical = libnames.canonical  # re-exported: the support modules call api.canonical

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
    if name not in _LOADED_FOR:  # once per name: load the support of its packages first
        _load_for(name)
    if name in _HANDLERS:
        return _HANDLERS[name], None
    for prefix, fn in _PREFIX_HANDLERS:
        if name.startswith(prefix):
            return fn, name[len(prefix):]
    return None, None


def has_handler(name: str) -> bool:
    """Whether a handler is registered for exactly ``name`` (not through a prefix)."""
    if name not in _LOADED_FOR:
        _load_for(name)
    return name in _HANDLERS


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


# -- which support modules a file needs ------------------------------------------------------------------------
# Every file with an import or a class needs these: data arrays (numpy-like), the standard library, and the tensor,
# layer, model and ``<class>`` handling every framework's objects share -- they register methods on the classes of
# objects.py (TensorVal, LayerObj ...), which values of any library are, so they cannot wait for a library's name.
ALWAYS = ("argparse_api", "data_api", "dataclasses_api", "functools_api", "keras_api", "keras_ops_api", "pil_api",
          "progress_api", "stdlib_api", "tfdata_api", "torch_api", "torch_calls_api", "torch_ops")

# The rest is imported the first time a name under one of these packages (canonical dotted names, libnames.py) is
# looked up, before the lookup: such a module registers only handlers for names under its packages, and methods
# and attributes of its own classes, whose objects only its handlers make. tests/frontends/test_support_table.py
# holds every module to that (a handler in the wrong module, or a package missing here, fails it).
SUPPORT = {
    "einops": ("einops_api",),
    "keras.datasets": ("datasets_api",),
    "keras.losses": ("datasets_api",),
    "keras.metrics": ("datasets_api",),
    "pandas": ("datasets_api",),
    "sklearn": ("sklearn_api",),
    "sklearn.cross_validation": ("datasets_api",),
    "sklearn.model_selection": ("datasets_api",),
    "torch.distributions": ("torch_distributions_api",),
    "torch.utils.data": ("datasets_api",),
    "torchvision.datasets": ("datasets_api",),
    "torchvision.models": ("torchvision_api",),
    "torchvision.transforms": ("datasets_api",),
}


_PENDING = dict(SUPPORT)  # the packages whose modules are not loaded yet
_LOADED_FOR: set = set()  # the names looked up so far: their packages' modules are loaded


def _load_for(name: str) -> None:
    """Import the support modules of the packages of SUPPORT that ``name`` is under, outermost first."""
    _LOADED_FOR.add(name)
    if _PENDING:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            for m in _PENDING.pop(".".join(parts[:i]), ()):
                _import(m)


def _import(module: str) -> None:
    import importlib  # deferred: the support modules load on first use
    importlib.import_module(f"{pkg.__name__}.{module}")


_loaded = False


def load_always() -> None:
    """Import the support modules every file with an import or a class needs (each registers its handlers)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for m in ALWAYS:
        _import(m)


def load_all() -> None:
    """Import every library-support module (tools and tests that want the whole table)."""
    load_always()
    for m in sorted({m for mods in SUPPORT.values() for m in mods}):
        _import(m)
