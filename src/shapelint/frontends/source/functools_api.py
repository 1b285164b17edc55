"""functools.partial: a layer class or a function with some arguments bound, called later with the rest
(``DefaultConv2D = partial(layers.Conv2D, kernel_size=3, padding="same")`` then ``DefaultConv2D(filters=64)``, the
idiom of Hands-On Machine Learning). Calling it is calling the function with the bound arguments first and the
call's own after them, keywords of the call winning -- as functools does. The layer is made at the call, so its row
in the table is that line; a bound argument's span stays where partial bound it, which is where a fix of it belongs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...core.program import UNRESOLVED
from . import api


@dataclass(frozen=True, eq=False)
class Partial:
    func: Any
    bound: api.Call  # the arguments partial() bound, with the nodes they were written at


@api.handles("functools.partial")
def make_partial(ev, call):
    if not call.args or call.starred or call.args[0] is UNRESOLVED:
        return UNRESOLVED
    first = call.arg_nodes[0] if call.arg_nodes else None
    bound = api.Call(call.node, list(call.args[1:]), dict(call.kwargs), list(call.arg_nodes[1:]),
                     dict(call.kw_nodes), ev.text(first) if first is not None else "", False)
    return Partial(call.args[0], bound)


@api.method(Partial, "__call__")
def call_partial(ev, p: Partial, call):
    b = p.bound
    merged = api.Call(call.node, b.args + list(call.args), {**b.kwargs, **call.kwargs}, b.arg_nodes +
                      list(call.arg_nodes), {**b.kw_nodes, **call.kw_nodes}, b.callee_text, call.starred)
    return ev.call(p.func, merged)
