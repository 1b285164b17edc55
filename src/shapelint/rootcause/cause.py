"""One candidate explanation of a mismatch: where the mistake was written, why, and the edit that repairs it there."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..diagnostics.model import Fix, Label


@dataclass
class Cause:
    """A competing explanation, as a root-cause finder proposes it.

    ``priority`` orders explanations that all hold (batch merged upstream beats "the layer's number is wrong");
    ``strong`` says the evidence alone (identity of sizes, the data's axes) makes it the diagnosis even when its fix
    cannot be verified -- then the fix is shown, not applied. ``note`` (why) and ``help`` (what to do) are prose
    from diagnostics/remedies/rootcause.py; ``alternative`` is the one-line form used when another cause wins.
    """
    kind: str
    priority: int
    primary: Optional[Label]
    note: str
    help: str
    fix: Optional[Fix] = None
    secondary: list = field(default_factory=list)
    strong: bool = False
    alternative: Optional[str] = None
    message: Optional[str] = None  # a headline for the diagnostic when the rule's own one names the symptom only
    safe: bool = False  # the edit changes the literal at the root and nothing else (see contract.py)
    # kinds of other explanations this one's evidence proves wrong: not offered as alternatives when it wins
    # (labels with another number of steps than the input rule out `return_sequences=True` on the encoder)
    excludes: tuple = ()


# the kinds of explanation that resize a layer's width or a number written for it: ruled out by a cause whose
# evidence shows the width is right and the tensor is laid out wrong (a missing axis, a join on the wrong axis)
WIDTH_RESIZINGS = ("upstream-literal", "shared-argument", "caller-argument", "layer-number", "literal-beside-name",
                   "module-constant", "default-argument", "formula")
