"""Typed facts a diagnostic is made of, kept beside it (``Diagnostic.facts``) for the root-cause analysis.

A rule's Mismatch surfaces at one op of one model run; what the analysis needs to look upstream is that op, the
inference that ran it (producers, the run's input) and the Mismatch itself. Checks that span several ops define their
own facts next to the check (checks/facts.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dims import is_known, prod


@dataclass(frozen=True, eq=False)
class RuleFacts:
    """A layer's contract violated at ``op`` of the run driven by ``inference``."""
    op: Any  # core.program.Op
    inference: Any  # core.infer.Inference
    mismatch: Any  # core.errors.Mismatch

    def unflattened(self) -> bool:
        """A Linear / Dense built for exactly the values of one sample of an input that still has its axes ((1, 6,
        9) into ``Linear(54, ...)``): the size is right and the flatten is missing -- no number, and no input size,
        is to blame."""
        x = self.op.inputs[0] if self.op.inputs else None
        shape = getattr(x, "shape", None)
        expected = getattr(self.mismatch, "expected", None)
        if self.op.layer.kind not in ("Linear", "Dense") or shape is None or len(shape) < 3 or \
                not isinstance(expected, int):
            return False
        total = prod(shape[1:])
        return is_known(total) and total == expected
