"""Reading a diagnostic's labels: the shape in ``"called here with (8, 3)"``, the label that starts with a given text,
the call a label points at."""
from __future__ import annotations

import ast
import re
from typing import Optional

from .source import node_at


def _shape_of(text: str) -> Optional[tuple]:
    """The last parenthesised shape in a label, ``"called here with (8, 3)"`` -> (8, 3)."""
    m = re.findall(r"\(([^()]*)\)", text or "")
    if not m:
        return None
    try:
        return tuple(None if p.strip() == "None" else int(p) for p in m[-1].split(",") if p.strip())
    except ValueError:
        return None


def _label(d, prefix: str):
    return next((l for l in [d.primary] + list(d.secondary) if l is not None and (l.text or "").startswith(prefix)),
                None)


def _call_of(label, lines: list) -> Optional[ast.Call]:
    node = node_at(label.span, lines, ast.Call) if label is not None else None
    return node if isinstance(node, ast.Call) else None
