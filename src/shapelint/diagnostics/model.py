"""The diagnostic data model shared by every reporter (text, JSON, SARIF, HTML)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from ..core.program import Span


@dataclass
class Label:
    """A labelled source range: the primary one points at the exact argument, secondary ones explain."""
    span: Span
    text: str = ""
    file: Optional[str] = None


@dataclass
class Edit:
    """Replace the text in ``span`` (1-based, end exclusive) with ``text``. An empty span inserts."""
    span: Span
    text: str


@dataclass
class Fix:
    applicability: str  # safe | unsafe | display-only
    title: str
    edits: list = field(default_factory=list)
    per_shape: bool = False  # its numbers come from one run's shapes (pad sizes, a kernel): not for a line in a loop
    replaces_name: bool = False  # the edit replaces a name passed by mistake (a length given as a feature count)
    # the edit changes a size every reader of it is meant to follow (the input size a whole network is fed): a
    # constant read in several places may be rewritten where it is set
    resizes_all_readers: bool = False
    # the edit moves which axis of the data is the batch (an axis inserted elsewhere): the second batch size is
    # written where the edited file makes its batch, not where the original did
    moves_batch_axis: bool = False
    # the fix must hold without resizing a layer further on: one built for the width the fix changes says the rest of
    # the model was written for that width (a residual block meant to widen), which refutes the diagnosis
    stands_alone: bool = False


@dataclass
class Diagnostic:
    code: str
    name: str
    severity: str
    message: str
    file: Optional[str] = None
    primary: Optional[Label] = None
    secondary: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    help: Optional[str] = None
    fix: Optional[Fix] = None
    model: Optional[str] = None
    layer: Optional[int] = None  # index of the op in its model's layer table
    layer_name: Optional[str] = None
    expected: object = None
    received: object = None
    # what the diagnosis is made of (typed, never rendered): the op, the run, the mismatch or a check's own facts.
    # The root-cause analysis (rootcause/) reads these, never the prose above.
    facts: Any = field(default=None, repr=False, compare=False)
    cause: Optional[str] = None
    size_note: Optional[str] = None  # the input-size note (checks/input_size.py), also in notes; dropped by identity
    # when another cause than the layer's own number wins  # the root-cause explanation chosen (rootcause/explain.py), e.g. "batch-merged"

    @property
    def line(self) -> Optional[int]:
        return self.primary.span.line if self.primary else None

    def sort_key(self):
        s = self.primary.span if self.primary else None
        return (s.line if s else 0, s.column if s else 0, self.code)
