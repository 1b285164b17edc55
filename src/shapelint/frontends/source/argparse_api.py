"""argparse: the sizes a script reads from its command line, taken at their defaults.

``parser.add_argument("--hidden-dim", type=int, default=128)`` then ``args = parser.parse_args()`` gives
``args.hidden_dim == 128``: the value the script runs with when it is started without arguments. An option without
a default (or ``required=True``), a ``parse_args([...])`` with explicit arguments, and anything else argparse could
set at run time read as unknown, so no diagnostic rests on a value the command line may change.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ...core import provenance
from ...core.program import UNRESOLVED, Span
from . import api
from .evaluator import _BUILTINS


@dataclass(eq=False)
class ArgParser:
    """An ``argparse.ArgumentParser`` (or one of its argument groups): option dest -> default value."""
    defaults: dict = field(default_factory=dict)


@dataclass(eq=False)
class Namespace:
    """What ``parse_args()`` returns: the defaults by dest; a dest it does not know reads as unknown."""
    values: dict = field(default_factory=dict)


def _dest(call) -> str | None:
    """The attribute name argparse stores an option under (``--hidden-dim`` -> ``hidden_dim``)."""
    dest = call.kwargs.get("dest")
    if isinstance(dest, str):
        return dest
    names = [a for a in call.args if isinstance(a, str)]
    if len(names) != len(call.args) or not names:
        return None
    longs = [n for n in names if n.startswith("--")]
    shorts = [n for n in names if n.startswith("-") and not n.startswith("--")]
    name = longs[0][2:] if longs else shorts[0][1:] if shorts else names[0]
    return name.replace("-", "_")


def _is_str_type(typ) -> bool:
    """``type=str``: the evaluator's builtin ``str`` (evaluator._BUILTINS), or ``str`` itself."""
    return typ is str or typ is _BUILTINS.get("str")


def _default(call):
    if call.kwargs.get("required") is True or call.starred:
        return UNRESOLVED
    action = call.kwargs.get("action")
    if "default" in call.kwargs:
        value = call.kwargs["default"]
        typ = call.kwargs.get("type")
        if isinstance(value, str) and typ is not None and not _is_str_type(typ):
            return UNRESOLVED  # argparse converts a string default with `type`; not modelled (`str` keeps it)
        node = call.kw_nodes.get("default")
        if type(value) is int and node is not None:  # the size remembers it was written as this default (rootcause/)
            return provenance.written(value, Span.of(node))
        return value
    if action == "store_true":
        return False
    if action == "store_false":
        return True
    if not (call.args and isinstance(call.args[0], str) and call.args[0].startswith("-")):
        return UNRESOLVED  # a positional argument: always given on the command line
    return None


@api.handles("argparse.ArgumentParser")
def argument_parser(ev, call):
    return ArgParser()


@api.method(ArgParser, "add_argument")
def add_argument(ev, parser, call):
    dest = _dest(call)
    if dest is not None:
        parser.defaults[dest] = _default(call)
    return UNRESOLVED


@api.method(ArgParser, "add_argument_group", "add_mutually_exclusive_group")
def add_group(ev, parser, call):
    return parser  # a group's options land in the parser's namespace


@api.method(ArgParser, "set_defaults")
def set_defaults(ev, parser, call):
    if call.starred:
        parser.defaults = {k: UNRESOLVED for k in parser.defaults}
    parser.defaults.update(call.kwargs)
    return None


def _namespace(parser, call) -> Namespace:
    argv = call.get(0, "args")
    if call.starred or (argv is not None and argv != [] and argv != ()):
        return Namespace({k: UNRESOLVED for k in parser.defaults})  # explicit arguments: not parsed here
    return Namespace(dict(parser.defaults))


@api.method(ArgParser, "parse_args")
def parse_args(ev, parser, call):
    return _namespace(parser, call)


@api.method(ArgParser, "parse_known_args")
def parse_known_args(ev, parser, call):
    return (_namespace(parser, call), UNRESOLVED)


@api.attribute(Namespace, "__getattr__")
def namespace_attr(ev, ns, name, node):
    return ns.values.get(name, UNRESOLVED)


@api.method(Namespace, "__setattr__")
def namespace_setattr(ev, ns, name, value, stmt):
    ns.values[name] = value


@api.handles("types.SimpleNamespace", "argparse.Namespace")
def simple_namespace(ev, call):
    """``SimpleNamespace(batch_size=32, ...)`` / ``argparse.Namespace(...)``: hyper-parameters by attribute, as
    ``parse_args()`` gives them."""
    if call.args or call.starred:
        return UNRESOLVED
    return Namespace(dict(call.kwargs))
