"""The bounds on the work the evaluator does for one file, and the sizes of the constants it folds.

Nothing here stops a file silently: what a bound cuts becomes unknown, and the evaluator writes an info diagnostic
(SHP006) where it happened.

* **Budget.** Work is counted in steps: one per evaluated node, one per element a sequence operation builds or an
  iteration visits, ``RULE_COST`` per shape-rule application. CPU time is checked every ``CLOCK_EVERY`` steps as a
  backstop for work no step counts. Following the statements may take ``STATEMENTS_SHARE`` of the budget, the
  end-of-file checks (models run on their data) the rest; each top-level statement may spend ``STATEMENT_SHARE`` of
  what is left, so a statement that runs away is cut and the rest of the file is still followed.
* **Folded constants.** A string longer than ``MAX_FOLDED_CHARS`` or a list / tuple / dict with more than
  ``MAX_FOLDED_ITEMS`` elements (nested ones counted) is unknown: ``s = s + s`` in a loop stays small.
"""
from __future__ import annotations

import re
import time

MAX_STEPS = 1_500_000  # steps per file: 1 to 7 s of CPU, depending on how much rule work a step carries
MAX_SECONDS = 6.0  # CPU seconds of evaluation per file: the bound for work the steps count too cheaply
RULE_COST = 20  # a shape-rule application costs about as much as twenty evaluated nodes
CLOCK_EVERY = 2048  # steps between two looks at the clock
STATEMENTS_SHARE = 0.6  # of the budget, for following the statements; the rest is for the end-of-file checks
STATEMENT_SHARE = 0.8  # of what is left, for one top-level statement; the rest is for the statements after it
MAX_UNROLL = 10_000  # iterations of a loop over a known iterable; a longer loop is not unrolled
MAX_FOLDED_ITEMS = 100_000  # elements of a folded list / tuple / dict, nested ones counted
MAX_FOLDED_CHARS = 1_000_000  # characters of a folded str / bytes
MAX_FOLDED_INT = 10 ** 30  # a folded integer larger than this is unknown (no shape is that large)
MAX_FOLDED_DEPTH = 64  # lists in lists in lists ...


class BudgetExceeded(BaseException):
    """The file's (or the current statement's) budget is spent. A BaseException, so that the ``except Exception``
    guards of the library modules let it through to the statement that is cut."""


class Budget:
    """Steps and CPU time for one file, handed out statement by statement."""

    def __init__(self, steps: int = MAX_STEPS, seconds: float = MAX_SECONDS):
        self.total_steps, self.seconds = steps, seconds
        self.steps = 0
        self.excluded = 0.0  # CPU time not charged: parsing the chunks of a large file (bounded on its own)
        self._clock, self._clocked_at = time.process_time(), 0
        self.started = self._clock
        self.limit = steps  # the step count at which the current allowance ends
        self.deadline = self.started + seconds
        self.opened = (0, self.started)  # steps and time when the current allowance was opened
        self.next_clock = CLOCK_EVERY
        self.exhausted_by: str = ""  # "steps" or "time", once an allowance ran out

    def allow(self, share: float) -> tuple:
        """Narrow the budget to ``share`` of what is left of the current allowance; returns what ``close`` needs to
        widen it again."""
        previous = (self.limit, self.deadline, self.opened)
        now = self.clock()
        self.limit = self.steps + int(max(0, self.limit - self.steps) * share)
        self.deadline = now + max(0.0, self.deadline - now) * share
        self.opened = (self.steps, now)
        return previous

    def spent(self, share: float) -> bool:
        """Whether ``share`` of the current allowance (as opened: ``allow``) is used up, in steps or time."""
        steps_total = self.limit - self.opened[0]
        time_total = self.deadline - self.opened[1]
        return (steps_total <= 0 or (self.steps - self.opened[0]) >= share * steps_total or
                time_total <= 0 or (self.clock() - self.opened[1]) >= share * time_total)

    def clock(self) -> float:
        """CPU time spent, read from the system at most once every CLOCK_EVERY // 8 steps (a statement-by-statement
        look at the clock cost a tenth of the time on files of many small statements)."""
        if self.steps - self._clocked_at >= CLOCK_EVERY // 8 or self.steps < self._clocked_at:
            self._clock = time.process_time()
            self._clocked_at = self.steps
        return self._clock - self.excluded

    def exclude(self, seconds: float) -> None:
        self.excluded += seconds

    def close(self, previous: tuple) -> None:
        self.limit, self.deadline, self.opened = previous

    def spend(self, n: int) -> None:
        self.steps += n
        if self.steps > self.limit:
            self.exhausted_by = "steps"
            raise BudgetExceeded()
        if self.steps >= self.next_clock:
            self.next_clock = self.steps + CLOCK_EVERY
            self._clock, self._clocked_at = time.process_time(), self.steps
            if self.clock() > self.deadline:
                self.exhausted_by = "time"
                raise BudgetExceeded()



# -- folded constants -------------------------------------------------------------------------------------------
def folded_size(value, limit: int = MAX_FOLDED_ITEMS) -> int:
    """The size of a folded value, counted up to just past ``limit`` and no further, so the cost is bounded even for
    a tuple that holds itself twice, 64 levels deep (a tree of 2^64 leaves in a few bytes): elements of lists,
    tuples and dicts, nested ones too, a string one per 64 characters; nesting deeper than MAX_FOLDED_DEPTH counts
    as over the limit."""
    size, stack = 0, [(value, 0)]
    while stack:
        v, depth = stack.pop()
        size += 1
        if isinstance(v, (str, bytes)):
            size += len(v) // 64
        elif isinstance(v, (list, tuple, dict)):
            if depth >= MAX_FOLDED_DEPTH:
                return limit + 1
            items = list(v.keys()) + list(v.values()) if isinstance(v, dict) else v
            if len(items) > limit:
                return limit + 1
            stack.extend((x, depth + 1) for x in items)
        if size > limit:
            return size
    return size


def too_big(value) -> bool:
    """Whether a folded value is over its cap (see the module docstring)."""
    if isinstance(value, (str, bytes)):
        return len(value) > MAX_FOLDED_CHARS
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) > MAX_FOLDED_INT
    if isinstance(value, (list, tuple, dict)):
        return folded_size(value) > MAX_FOLDED_ITEMS
    return False


def sequence_result_too_big(op: str, left, right) -> bool:
    """Whether ``left + right`` or ``left * right`` on sequences would be over the cap, judged before building it."""
    def length(v):
        return len(v) if isinstance(v, (str, bytes, list, tuple)) else 1
    if op == "add":
        n = length(left) + length(right)
    elif isinstance(right, int) and isinstance(left, (str, bytes, list, tuple)):
        n = length(left) * max(right, 0)
    elif isinstance(left, int) and isinstance(right, (str, bytes, list, tuple)):
        n = length(right) * max(left, 0)
    else:
        return False
    seq = left if isinstance(left, (str, bytes, list, tuple)) else right
    return n > (MAX_FOLDED_CHARS if isinstance(seq, (str, bytes)) else MAX_FOLDED_ITEMS)


# ``"%0999999999d" % 1`` is a gigabyte: a width or precision of five digits or more (or ``*``) is not folded.
_WIDE_FORMAT = re.compile(r"%[^a-zA-Z%]*?(?:\d{5,}|\*)")


def format_too_wide(template) -> bool:
    return isinstance(template, (str, bytes)) and _WIDE_FORMAT.search(
        template if isinstance(template, str) else template.decode("latin-1")) is not None
