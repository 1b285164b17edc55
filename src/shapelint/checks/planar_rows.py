"""CIFAR's pickled rows reshaped straight to images: ``batch[b"data"].reshape(-1, 32, 32, 3)``.

The CIFAR-10/100 python batches store each image as one row of 3072 bytes, channel-planar: 1024 red, then 1024
green, then 1024 blue values. ``reshape(-1, 32, 32, 3)`` runs and gives images of the right shape whose pixels are
scrambled (each "pixel" takes three neighbouring values of one plane); the model trains on noise-like images and
nothing raises. The rows become images with ``reshape(-1, 3, 32, 32)`` -- the planes -- then, for a channels-last
model, ``transpose(0, 2, 3, 1)``.

Recognised from the source: the rows are read at the bytes key ``b"data"`` (the pickles are read with
``encoding="bytes"``) -- or at ``"data"`` in a file that names CIFAR -- in the same function or passed to a helper as an argument, and reshaped to (n, n, 3) images.
"""
from __future__ import annotations

import ast
import re
from typing import Optional

from ..core.program import Span
from ..diagnostics import remedies
from ..diagnostics.fixes.source import enclosing, function_at, int_written, tree_of
from ..diagnostics.model import Edit, Fix
from .report import emit, span_text

_KEY = b"data"
_BYTES_LITERAL = re.compile(r"(?<![\w])(?:[bB][rR]?|[rR][bB])['\"]")  # how every bytes literal starts


def channel_planar_rows_reshaped(ev) -> None:
    source = ev.source or ""
    # the str key "data" counts where the file says it holds CIFAR (pickles read with encoding="latin1", or a
    # stand-in dict of the same layout)
    keys = (_KEY, "data") if "cifar" in source.lower() else (_KEY,)
    if not _BYTES_LITERAL.search(source) and len(keys) == 1:
        return  # no bytes literal, so no key b"data": the file is not walked (a tenth of a 10,000-layer file's check)
    tree = tree_of(ev.lines)
    if tree is None:
        return
    done = set()
    for key in ast.walk(tree):
        if not (isinstance(key, ast.Subscript) and isinstance(key.slice, ast.Constant) and key.slice.value in keys):
            continue
        for reshape in _reshapes_of(tree, key):
            if id(reshape) in done:
                continue
            done.add(id(reshape))
            _report(ev, reshape, repr(key.slice.value))


def _reshapes_of(tree, key) -> list:
    """The ``.reshape(...)`` calls applied to the rows read at ``key``: on an expression holding it, on a name bound
    to such an expression in the same function, or on the parameter of a helper the rows are passed to."""
    found, names, scope = [], set(), function_at(tree, key.lineno) or tree
    stmt = enclosing(key, (ast.Assign,))
    if stmt is not None and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
        names.add((scope, stmt.targets[0].id))
    call = enclosing(key, (ast.Call,))
    if call is not None and isinstance(call.func, ast.Name) and key in call.args:
        helper = next((f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name == call.func.id), None)
        at = call.args.index(key)
        if helper is not None and at < len(helper.args.args):
            names.add((helper, helper.args.args[at].arg))
    for n in ast.walk(tree):
        if not (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "reshape"):
            continue
        receiver = n.func.value
        holds = any(r is key for r in ast.walk(receiver)) or any(
            isinstance(r, ast.Name) and (function_at(tree, n.lineno) or tree) is sc and r.id == name
            for r in ast.walk(receiver) for sc, name in names)
        if holds:
            found.append(n)
    return found


def _report(ev, reshape: ast.Call, key: str) -> None:
    sizes = [_int_value(ev, a) for a in reshape.args]
    if len(sizes) != 4 or sizes[3] != 3 or sizes[1] is None or sizes[1] != sizes[2] or sizes[1] < 2:
        return
    texts = [span_text(ev, Span.of(a)) for a in reshape.args]
    if any(t is None for t in texts):
        return
    planes = f".reshape({texts[0]}, {texts[3]}, {texts[1]}, {texts[2]}).transpose(0, 2, 3, 1)"
    span = Span.of(reshape)
    whole = span_text(ev, span)
    receiver = span_text(ev, Span.of(reshape.func.value))
    fix = Fix("unsafe", remedies.planar_rows_title(), [Edit(span, f"{receiver}{planes}")]) \
        if whole and receiver else None
    emit(ev, "reshape-reorders-axes", span, remedies.planar_rows_label(sizes[1]), variant="planar-rows",
         size=sizes[1], key=key, remedy=remedies.planar_rows_remedy(planes[1:]), fix=fix, severity="warning")


def _int_value(ev, node) -> Optional[int]:
    """An int written (``3``, ``-1``) or held by a module-level name (``IMG``, ``CHANNELS``)."""
    if isinstance(node, ast.Name):
        v = ev.module.vars.get(node.id)
        return int(v) if isinstance(v, int) and not isinstance(v, bool) else None
    return int_written(node)
