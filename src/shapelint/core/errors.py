"""Signals a rule can give. Rules *return* (or raise) a :class:`Mismatch` for a definite contract violation and raise
:class:`Unresolved` when an argument it needs could not be worked out statically."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional


@dataclass(frozen=True)
class OnlyWithFreeBatch:
    """The condition a mismatch holds under when it comes of a size read from the batch while tracing: only a run
    whose batch axis is free fails; a run on data of a known batch goes on with ``otherwise``."""
    otherwise: Any


class Mismatch(Exception):
    """A definite violation of a layer's contract.

    ``code`` is the kebab-case name of a diagnostic code (see diagnostics/codes.py); ``facts`` fill the message
    template for that code (diagnostics/wording.py). ``arg`` names the constructor argument that set the expectation
    (it becomes the primary label); ``recover`` is the value inference continues with (what the fix would give), so one
    mistake yields one diagnostic. ``fix`` is a structured fix intent (diagnostics/fixes.py). ``holds_if``: a condition
    (OnlyWithFreeBatch) outside which the mismatch does not hold.
    """
    holds_if: Optional[OnlyWithFreeBatch] = None

    def __init__(self, code: str, *, arg: Optional[str] = None, expected: Any = None, received: Any = None,
                 recover: Any = None, fix: Any = None, **facts: Any):
        super().__init__(code)
        self.code = code
        self.arg = arg
        self.expected = expected
        self.received = received
        self.recover = recover
        self.fix = fix
        self.facts = facts

    def __repr__(self) -> str:
        return f"Mismatch({self.code!r}, arg={self.arg!r}, expected={self.expected!r}, received={self.received!r})"


class Unresolved(Exception):
    """An argument a rule needs is not known statically (a variable we could not follow, a call, ...)."""

    def __init__(self, arg: str):
        super().__init__(arg)
        self.arg = arg
