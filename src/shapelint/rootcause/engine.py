"""Root-cause analysis: for every mismatch, weigh the competing explanations and point at the one the evidence
supports, with the fix that repairs it there.

Each finder (causes/) looks at a diagnostic's typed facts (``Diagnostic.facts``: the op, its run, the Mismatch,
or a check's own facts) and proposes :class:`Cause` values: the batch axis was merged upstream, the data has no
batch axis, the data's axes are in another order, a number was written upstream (a default, a formula, an argument
shared by both sides), the layer's own number is wrong. Every proposed fix is verified by the fix contract
(contract.py) on the edited source. The diagnosis keeps its code and headline; its primary label moves to the
best-supported root, its help and fix become that cause's, and the other explanations that hold become notes.
The rule's own fix is verified the same way: a fix that breaks the contract is shown, never applied.
"""
from __future__ import annotations

import copy
import dataclasses
import os
import time
from typing import Optional

from ..diagnostics import remedies
from ..diagnostics.model import Fix
from ..core.facts import RuleFacts
from .cause import Cause
from .causes import FINDERS
from .causes.heads import residual_operands
from .causes.layout import expected_on_another_axis
from .context import Context
from .contract import SERIOUS, key, verify
from .. import suppress

MAX_VERIFIED = 40  # fix verifications per file (each re-checks the file twice); beyond, fixes are shown only
MAX_VERIFY_SECONDS = 4.0  # CPU time for verifying fixes per file: a large file's re-checks are slow; beyond, shown only
SMALL_SOURCE = 100_000  # characters: a file this small re-checks in a fraction of its first check (which paid imports)
CHECKS_PER_VERIFY = 3  # a verification re-checks the edited file, maybe with follow-ups and another batch size


# when the evidence says the data is wrong (a label column among the features, the batch axis merged or missing,
# axes in another order, the batch size declared as an axis), resizing a layer to fit it is no alternative worth
# mentioning: it is the wrong fix that runs
_NOT_A_NUMBER = ("label-column", "batch-merged", "missing-batch-axis", "data-layout", "batch-declared",
                 "whole-shape-declared", "ids-from-one", "onehot-for-one-unit", "missing-channel-axis", "targets-order",
                 "size-order", "one-direction")
_NUMBERS = ("layer-number", "upstream-literal", "default-argument", "formula", "shared-argument", "head-width",
            "class-count")


class _Budget:
    """What is left for verifying fixes in one file: a count and a CPU-time deadline. A verification is started only
    if it can end before the deadline. Until one has been timed, its cost is guessed from the file's own check: for a
    large file, three such checks; for a small one, one -- in a fresh process its check also paid for importing (and,
    without cached byte-code, compiling) the modules it needed, and counting that three times left every fix of a
    small file unverified. From then on the measured cost decides. A fix not verified for want of budget is shown,
    never applied, and says why."""

    def __init__(self, check_seconds: float, small: bool = True):
        self.count, self.deadline = MAX_VERIFIED, time.process_time() + MAX_VERIFY_SECONDS
        # a large file's first check is mostly its own work: a verification (two re-checks) costs about that much
        # again, each; a small file's is mostly imports, and its re-checks cost a fraction of it
        self.guess = check_seconds if small else CHECKS_PER_VERIFY * check_seconds
        self.verify_seconds = 0.0  # the longest verification timed so far
        self.cleared: dict = {}  # a verified fix's edits -> the keys of the other diagnostics it removes too

    def take(self) -> bool:
        now = time.process_time()
        cost = self.verify_seconds or self.guess
        if self.count <= 0 or now + cost > self.deadline:
            return False
        self.count -= 1
        return True

    def took(self, seconds: float) -> None:
        self.verify_seconds = max(self.verify_seconds, seconds, 1e-6)


def diagnose(ev, result, recheck, check_seconds: float = 0.0) -> None:
    """Rewrite ``result.diagnostics`` in place with their root causes (``recheck(text)`` checks edited source;
    ``check_seconds``: the CPU time the file's own check took)."""
    if not any(d.severity in SERIOUS for d in result.diagnostics) or not result.source:
        return
    ctx = Context(ev, result.source, recheck)
    before = list(result.diagnostics)
    ctx.seed(result.source, _as_rechecked(result))
    budget = _Budget(check_seconds, small=len(result.source) < SMALL_SOURCE)
    done = {}
    shared = _shared_fixes(before)
    # upstream first: a later error's fix is judged knowing whether the errors it reads from have one (contract.py)
    for d in sorted(before, key=_run_order):
        try:
            done[id(d)] = _diagnose(ctx, d, before, budget, shared)
        except Exception as e:  # the analysis must never cost the user the diagnostic itself -- nor stop silently
            if os.environ.get("SHAPELINT_DEBUG"):
                raise
            done[id(d)] = dataclasses.replace(d, notes=list(d.notes) + [remedies.root_cause_not_weighed(e)])
        ctx.decided[key(d)] = done[id(d)].fix
    out = [done[id(d)] for d in before]
    result.diagnostics = _all_or_none(_one_text_per_place(_one_per_root(_consequences(out, budget.cleared))))


def _run_order(d) -> tuple:
    """Diagnostics of model runs in the order of their ops; the others after them, as they came."""
    f = d.facts
    return (0, f.op.index) if isinstance(f, RuleFacts) else (1, 0)


def _as_rechecked(result):
    """The file's own check as a re-check of its unedited source would give it (the contract compares a fix's result
    with it): the same models and diagnostics, inline suppressions applied, no root-cause rewording. Re-checking the
    source again would cost as much as the whole check."""
    same = copy.copy(result)
    same.diagnostics = list(result.diagnostics)
    suppress.apply_inline(same)
    return same


def _consequences(diagnostics: list, cleared: dict) -> list:
    """A diagnostic that another one's verified fix removes, while its own fix (if any) does not remove that one,
    is a consequence of the same mistake (the batch size written into the input declaration also breaks the labels'
    shape): it points at that root, and its fix is that one's."""
    fixed_by = [(d, cleared.get(_edits_key(d.fix), frozenset())) for d in diagnostics
                if d.severity in SERIOUS and d.fix is not None and d.fix.edits]
    out = []
    for b in diagnostics:
        root = None
        if b.severity in SERIOUS:
            own = cleared.get(_edits_key(b.fix), frozenset()) if b.fix is not None and b.fix.edits else frozenset()
            root = next((a for a, gone in fixed_by if a is not b and key(b) in gone and key(a) not in own), None)
        if root is None or root.primary is None:
            out.append(b)
            continue
        secondary = [dataclasses.replace(b.primary, text=b.primary.text or remedies.surfaces_here())] \
            if b.primary is not None and b.primary.span.line != root.primary.span.line else []
        secondary += [l for l in b.secondary if l.span.line != root.primary.span.line]
        out.append(dataclasses.replace(b, primary=root.primary, secondary=secondary, cause=root.cause,
                                       notes=b.notes + [remedies.same_mistake_as(root.code, root.line)],
                                       help=root.help, fix=Fix("display-only", remedies.fixed_with(root.code, root.line), [])))
    return out


def _one_per_root(diagnostics: list) -> list:
    """Diagnostics of one code whose root is the same place and whose fix is the same edit (targets made by one
    helper and broadcast at three loss calls) are one mistake: reported once, at the root, with the other places it
    surfaces."""
    first: dict = {}
    out = []
    for d in diagnostics:
        k = (d.code, d.primary.span, _edits_key(d.fix)) if d.primary is not None and d.fix is not None and \
            d.fix.edits and d.severity in SERIOUS else None
        if k is None or k not in first:
            if k is not None:
                first[k] = len(out)
            out.append(d)
            continue
        kept = out[first[k]]
        shown = {(l.span.line, l.text) for l in kept.secondary} | {(kept.primary.span.line, kept.primary.text)}
        extra = [l for l in d.secondary if (l.span.line, l.text) not in shown]
        notes = [n for n in d.notes if n not in kept.notes]
        out[first[k]] = dataclasses.replace(kept, secondary=kept.secondary + extra, notes=kept.notes + notes)
    return out


def _all_or_none(diagnostics: list) -> list:
    """One error met at several calls (the same model fed the same wrong data at two ``predict`` calls) is fixed at
    all of them or at none: a fix applied at one call while another keeps failing leaves a script that still
    crashes, edited half-way. Each edit is still shown."""
    roots = {d.primary.span for d in diagnostics if d.fix is not None and d.fix.edits and d.primary is not None}
    unfixed: dict = {}
    for d in diagnostics:  # (a consequence pointed at its root -- _consequences -- is fixed with it)
        if d.severity in SERIOUS and (d.fix is None or not d.fix.edits) and d.primary is not None and \
                d.primary.span not in roots:
            unfixed.setdefault(key(d), []).append(d.primary.span.line)
    out = []
    for d in diagnostics:
        lines = sorted(set(unfixed.get(key(d), [])) - {d.primary.span.line if d.primary else None})
        if d.severity in SERIOUS and d.fix is not None and d.fix.edits and lines:
            why = remedies.same_error_unfixed(lines)
            d = dataclasses.replace(d, fix=Fix("display-only", d.fix.title + remedies.not_applied(why), []),
                                    help=(d.help or "") + remedies.not_applied(why))
        out.append(d)
    return out


def _one_text_per_place(diagnostics: list) -> list:
    """Two fixes that write different text at the same place (a layer built in a loop, each instance wanting its
    own value) cannot both be right: neither is applied; both are shown for the user to choose."""
    texts: dict = {}
    for d in diagnostics:
        for e in (d.fix.edits if d.fix is not None else []):
            texts.setdefault(e.span, set()).add(e.text)
    out = []
    for d in diagnostics:
        if d.fix is not None and any(len(texts.get(e.span, ())) > 1 for e in d.fix.edits):
            d = dataclasses.replace(d, fix=Fix("display-only", d.fix.title + remedies.another_value_here(), []))
        out.append(d)
    return out


def _check(ctx, d, fix: Optional[Fix], before, budget, residual: bool = False):
    """(verified?, reason, refuted?) for a fix; a fix that needs follow-up edits to keep the contract gets them.
    ``residual``: ``d`` is a residual sum, whose fixes must stand alone (a layer after it built for the branch's
    width says the block was meant to widen)."""
    if fix is None or not fix.edits:
        return False, "", False
    if not budget.take():
        return False, remedies.not_verified_budget(), False
    return _verified(ctx, d, fix, before, budget, residual)


def _verified(ctx, d, fix: Fix, before, budget, residual: bool) -> tuple:
    """_check past the budget: the fix's verification, its follow-up edits added to it."""
    started = time.process_time()
    v = verify(ctx, d, fix.edits, before, replaces_name=fix.replaces_name, resizes_all_readers=fix.resizes_all_readers,
               moves_batch_axis=fix.moves_batch_axis, stands_alone=fix.stands_alone or residual)
    budget.took(time.process_time() - started)
    if v.ok and v.follow_up:
        fix.edits = list(fix.edits) + list(v.follow_up)
        fix.title += remedies.and_resize_after()
    if v.ok:
        budget.cleared[_edits_key(fix)] = v.cleared
    return v.ok, v.reason, v.refutes


def _edits_key(fix) -> tuple:
    return tuple((e.span, e.text) for e in fix.edits)


def _in_its_model(ctx: Context, d):
    """``d`` whose rule facts name the model run the op belongs to: an op of a Keras functional model was applied in
    the file's shared graph, whose inference has no inputs and no model; the model's run has both (and the same ops,
    knowing their producers), so every finder reads the model's input and feeds through it."""
    f = d.facts
    if isinstance(f, RuleFacts) and ctx.run_of(f.inference) == (None, None):
        _, run = ctx.run_holding(f.op)
        if run is not None:
            return dataclasses.replace(d, facts=dataclasses.replace(f, inference=run.inference))
    return d


def _own_deferrable(d, causes: list, budget, shared: set) -> bool:
    """Whether the verification of the rule's own fix can wait until the causes are weighed -- and be skipped when
    one of them holds, since then only that cause's fix is used (each verification re-checks the whole file: most of
    an error's cost in a large one). Only where waiting provably changes nothing: the own fix is no cause's fix and no
    other diagnostic's (verifying a fix adds its follow-up edits to that very object, which they would read), and no
    verified fix recorded so far starts with its edits (the record a later skip would have overwritten, which
    _consequences reads)."""
    fix = d.fix
    if fix is None or not fix.edits or id(fix) in shared or id(fix.edits) in shared:
        return False
    if any(c.fix is fix or c.fix is not None and c.fix.edits is fix.edits for c in causes):
        return False
    own = _edits_key(fix)
    return not any(k[:len(own)] == own for k in budget.cleared)


def _shared_fixes(diagnostics: list) -> set:
    """The ids of Fix objects (and of their edit lists) that more than one diagnostic holds."""
    seen: set = set()
    shared: set = set()
    for d in diagnostics:
        if d.fix is None:
            continue
        for i in (id(d.fix), id(d.fix.edits)):
            (shared if i in seen else seen).add(i)
    return shared


# The causes that blame a number written somewhere (a literal, a default, a formula, a setting passed along).
_NUMBER_CAUSES = frozenset({"formula", "default-argument", "layer-number", "producer-literal", "producer-setting",
                            "caller-argument", "module-constant", "upstream-literal", "literal-beside-name",
                            "shared-argument", "image-size", "helper-count", "argument-order"})


def _diagnose(ctx: Context, d, before: list, budget, shared: set = frozenset()) -> object:
    if d.severity not in SERIOUS:
        return d
    d = _in_its_model(ctx, d)
    causes: list = []
    failed = []
    for finder in FINDERS:
        try:
            causes.extend(finder(ctx, d) or ())
        except Exception as e:  # a finder that fails offers nothing, and says so; SHAPELINT_DEBUG=1 shows why
            if os.environ.get("SHAPELINT_DEBUG"):
                raise
            failed.append(e)
    if failed:
        d = dataclasses.replace(d, notes=list(d.notes) + [remedies.root_cause_not_weighed(failed[0])])
    if isinstance(d.facts, RuleFacts) and d.facts.unflattened():
        # the layer's size is exactly one sample's values: the flatten is missing, no written number is wrong
        causes = [c for c in causes if c.kind not in _NUMBER_CAUSES]
    residual = residual_operands(d) is not None  # asked once per diagnostic, not once per fix
    deferred = _own_deferrable(d, causes, budget, shared)
    if deferred:  # counted against the budget here, where its verification stood, so every count-bound choice holds
        taken = budget.take()
    else:
        own_ok, own_why, _ = _check(ctx, d, d.fix, before, budget, residual)
    held = []  # (cause, verified)
    try:
        for c in sorted(causes, key=lambda c: -c.priority):
            ok, why, refuted = _check(ctx, d, c.fix, before, budget, residual)
            if ok or c.strong and not refuted:
                held.append((c, ok, why))
    except Exception:
        if deferred and taken:  # what the analysis keeps of this diagnostic is as the own fix's verification left it
            _verified(ctx, d, d.fix, before, budget, residual)
        raise
    if not held:
        if deferred:
            own_ok, own_why, _ = _verified(ctx, d, d.fix, before, budget, residual) if taken else \
                (False, remedies.not_verified_budget(), False)
        return _own(d, own_ok, own_why, ctx)
    held = _verified_first(held)
    best, best_ok, best_why = held[0]
    others = [c for c, ok, _ in held[1:] if ok and not (best.kind in _NOT_A_NUMBER and c.kind in _NUMBERS)
              and c.kind not in best.excludes]
    others = _distinct_from(best, others)
    fix, help_text = best.fix, best.help
    if fix is not None and fix.edits and not best_ok:
        fix = Fix("display-only", fix.title + remedies.not_applied(best_why), [])
        help_text = (help_text or "") + remedies.not_applied(best_why)  # the help never recommends a refused edit
    elif fix is not None and fix.applicability == "safe" and (others or not best.safe or _not_safe(ctx, d, fix)):
        fix = dataclasses.replace(fix, applicability="unsafe")
    keep_size_note = best.kind in ("layer-number", "batch-merged")  # which image sizes the layer fits
    notes = ([best.note] if best.note else []) + \
        [n for n in d.notes if n != best.note and (keep_size_note or n is not d.size_note)]
    notes += [c.alternative or remedies.alternative(c.help) for c in others]
    secondary = list(best.secondary)
    if best.primary is not None and d.primary is not None and d.primary.span != best.primary.span and \
            all(l.span != d.primary.span for l in secondary):  # the cause labels that place itself: once
        secondary.append(dataclasses.replace(d.primary, text=d.primary.text or remedies.surfaces_here()))
    secondary += [l for l in d.secondary if all(l.span.line != s.span.line for s in secondary)
                  and (best.primary is None or l.span.line != best.primary.span.line)]
    return dataclasses.replace(d, primary=best.primary or d.primary, secondary=secondary, notes=notes,
                               help=help_text, fix=fix, cause=best.kind, message=best.message or d.message)


def _verified_first(held: list) -> list:
    """The causes that hold, the one to report first. A strong cause is kept unverified; but when its fix was tried
    and brings a new problem (shrinking ``qkv`` to the adapter's width breaks the q/k/v split after it) while another
    explanation's fix was verified (widening the adapter instead), the verified one is the better-supported root."""
    best, best_ok, best_why = held[0]
    if best_ok or not best_why or best_why == remedies.not_verified_budget():
        return held
    verified = [h for h in held if h[1]]
    return verified[:1] + [h for h in held if h is not verified[0]] if verified else held


def _distinct_from(best, others: list) -> list:
    """The alternatives worth a note: two explanations that end in the same edits (a size passed at the call, found
    once as an upstream number and once as a default left out) are one alternative, and the best one says it."""
    def edits(c):
        return tuple((e.span, e.text) for e in c.fix.edits) if c.fix is not None and c.fix.edits else None
    seen = {edits(best)} - {None}
    kept = []
    for c in others:
        key = edits(c)
        if key is not None and key in seen:
            continue
        seen.add(key)
        kept.append(c)
    return kept


def _not_safe(ctx, d, fix) -> bool:
    """A fix that runs may still not be the one to apply without a look: the size the layer expects sits on another
    axis (the data may be in another order), or an edit writes a number over a formula or a name (``4096`` for
    ``widths[-1] * fc_scale``: right for this input only, and the formula is where the mistake may be)."""
    if expected_on_another_axis(d):
        return True
    for e in fix.edits:
        old = ctx.text(e.span) if e.span.end_line > e.span.line or e.span.end_column > e.span.column else None
        if old is not None and e.text.strip().isdigit() and not old.strip().isdigit():
            return True
    return False


def _own(d, ok: bool, why: str, ctx) -> object:
    """No finder had a better explanation: the rule's diagnosis stands; its fix is kept only if verified, and is
    never safe when the size the layer expects sits on another axis of its input (the data may be in another order:
    resizing the layer would bend it to that order)."""
    if d.fix is not None and d.fix.edits and ok and d.fix.applicability == "safe" and \
            _not_safe(ctx, d, d.fix):
        return dataclasses.replace(d, fix=dataclasses.replace(d.fix, applicability="unsafe"))
    if d.fix is None or not d.fix.edits or ok:
        return d
    return dataclasses.replace(d, fix=Fix("display-only", d.fix.title + remedies.not_applied(why), []),
                               help=(d.help or "") + remedies.not_applied(why))


__all__ = ["diagnose", "Cause"]
