"""Fix intents (what a rule wants changed) and their translation into text edits.

Rules know *what* to change ("set in_features to 256", "insert Flatten before this layer"); only this module knows
*how* that is spelled in the user's source. Applicability follows ruff:

* ``safe``          -- a literal fully determined by the inferred shape (``in_features``)
* ``unsafe``        -- changes the architecture or the data (insert ``Flatten``, ``return_sequences=True``)
* ``display-only``  -- several valid remedies; shown, never applied
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..core.program import Layer, Span
from .model import Edit, Fix


@dataclass
class SetArg:
    """Set a constructor argument of this layer (``target='self'``) or of the layer that produced the input."""
    arg: str
    value: str
    applicability: str = "safe"
    target: str = "self"  # self | producer
    title: Optional[str] = None


@dataclass
class InsertBefore:
    """Insert a layer (written without module prefix, e.g. ``Flatten()``) just before this one."""
    layer_text: str
    applicability: str = "unsafe"
    title: Optional[str] = None


@dataclass
class DisplayOnly:
    title: str


def _prefix(layer: Layer) -> str:
    """The module prefix the user spells this layer with: ``layers.`` for ``layers.Dense``, ``nn.`` for ``nn.Linear``."""
    callee = layer.callee or ""
    return callee[: callee.rfind(".") + 1] if "." in callee else ""


def set_arg_edit(layer: Layer, arg: str, value: str) -> Optional[Edit]:
    span = layer.arg_spans.get(arg)
    if span is not None:
        return Edit(span, value)
    call = layer.origin.span
    if call is None or layer.extra.get("call_end") is None:
        return None
    line, col = layer.extra["call_end"]  # position of the closing parenthesis
    sep = ", " if layer.given else ""
    return Edit(Span(line, col, line, col), f"{sep}{arg}={value}")


def insert_before_edit(layer: Layer, text: str, source_lines: list) -> Optional[Edit]:
    span = layer.origin.span
    container = layer.extra.get("container")  # "list" (Sequential([...])), "add" (model.add(...)), "args"
    if span is None or container is None:
        return None
    line_text = source_lines[span.line - 1] if 0 < span.line <= len(source_lines) else ""
    new = _prefix(layer) + text
    if container == "add":
        stmt = layer.extra.get("statement")  # Span of the `model.add(...)` statement
        if stmt is None:
            return None
        indent = line_text[: len(line_text) - len(line_text.lstrip())]
        receiver = layer.extra.get("receiver", "model")
        return Edit(Span(stmt.line, stmt.column, stmt.line, stmt.column),
                    f"{receiver}.add({new})\n{indent}")
    starts_line = line_text[: span.column - 1].strip() == ""
    if starts_line:
        indent = line_text[: span.column - 1]
        return Edit(Span(span.line, span.column, span.line, span.column), f"{new},\n{indent}")
    return Edit(Span(span.line, span.column, span.line, span.column), f"{new}, ")


def resolve(intent, layer: Layer, producer: Optional[Layer], source_lines: list) -> Optional[Fix]:
    """Turn a fix intent into a :class:`Fix` with concrete edits, or None when it cannot be spelled."""
    if intent is None:
        return None
    if isinstance(intent, DisplayOnly):
        return Fix("display-only", intent.title, [])
    if isinstance(intent, SetArg):
        target = layer if intent.target == "self" else producer
        if target is None:
            return None
        edit = set_arg_edit(target, intent.arg, intent.value)
        title = intent.title or f"set `{intent.arg}={intent.value}` on `{target.label}`"
        return Fix(intent.applicability, title, [edit] if edit else [])
    if isinstance(intent, InsertBefore):
        edit = insert_before_edit(layer, intent.layer_text, source_lines)
        title = intent.title or f"insert `{_prefix(layer)}{intent.layer_text}` before `{layer.label}`"
        return Fix(intent.applicability, title, [edit] if edit else [])
    return None
