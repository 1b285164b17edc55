"""What the core's inference asks of the diagnostics layer (plugged in through core/diagnoser.py by
shapelint/__init__.py): a Diagnostic for a Mismatch, the text edits of a rule's fix intent, and the two remedies that
inference words itself. The fix names are looked up when called, so a run with nothing to fix never loads the edit
machinery (diagnostics/fixes/__init__.py)."""
from __future__ import annotations

from . import fixes, remedies
from .build import diagnostic_for  # noqa: F401  (what core.infer calls)


def resolve_fix(intent, layer, source, source_lines):
    return fixes.resolve(intent, layer, source, source_lines)


def tuple_fix(layer):
    return fixes.tuple_fix(layer)


def check_arguments(kind: str) -> str:
    return remedies.check_arguments(kind)


def tuple_remedy(framework: str, kind: str, batch_first) -> str:
    return remedies.tuple_remedy(framework, kind, batch_first)
