"""Typed facts a diagnostic is made of, kept beside it (``Diagnostic.facts``) for the root-cause analysis.

A rule's Mismatch surfaces at one op of one model run; what the analysis needs to look upstream is that op, the
inference that ran it (producers, the run's input) and the Mismatch itself. Checks that span several ops define their
own facts next to the check (checks/facts.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, eq=False)
class RuleFacts:
    """A layer's contract violated at ``op`` of the run driven by ``inference``."""
    op: Any  # core.program.Op
    inference: Any  # core.infer.Inference
    mismatch: Any  # core.errors.Mismatch
