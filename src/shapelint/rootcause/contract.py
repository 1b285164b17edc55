"""The fix contract, in one place: a fix is offered (and applied) only if re-inference of the edited program shows

1. the diagnostic gone, and no diagnostic (error or warning) that the file did not have before;
2. the batch axis still free: re-inferred with a second batch size (every literal that wrote the batch size of the
   data fed to a model changed), nothing new fails and every model output that had one row per sample still has
   one row per sample (``nn.Linear(8192)`` after a ``flatten`` that swallowed the batch works for exactly one batch
   size: rejected);
3. the labels still consistent with the output: the re-check runs the label and loss checks, so a fix that breaks
   them adds a diagnostic (1);
4. applied once: the re-check has the diagnostic gone, so the fixer finds nothing more to do for it (a fix that
   doubles an argument which sizes both sides brings the same mismatch back, doubled: rejected by 1);
5. no error left standing on other shapes: an error the file still has after the fix must read as it did before
   (a fix that pads a token tensor to silence a concatenation sends other shapes into the position embedding's
   error further on: the mistake is elsewhere), and no model returns fewer rows than the samples it was fed (a
   decoder widened to take the halves of a batch cut in two).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Optional

import ast
import re
import warnings

from ..diagnostics.fixes.source import parse_expression, tree_of
from ..diagnostics.fixes.text import apply_edits, overlapping
from ..core.values import Tensor
from ..reading import too_costly
from ..core.facts import RuleFacts
from ..core.program import Span
from ..diagnostics.model import Edit
from .context import Context
from .spelling import module_name_for

SERIOUS = ("error", "warning")


def key(d) -> tuple:
    """A diagnostic's identity across re-checks of edited text (lines move when a fix inserts one). A file-level
    diagnostic (no model, no layer: a check on data) is told apart from its siblings by what it received."""
    loose = d.model is None and d.layer_name is None and d.layer is None
    return (d.code, d.model, d.layer_name, d.layer if d.layer_name is None else None,
            repr(d.received) if loose else None)


def remains(d, before: list, after: list) -> bool:
    """Whether ``d`` is still there after an edit. Diagnostics that share an identity (one loss module misused at
    three calls) are counted: the edit must remove one of them."""
    target = key(d)
    had = sum(1 for x in before if x.severity in SERIOUS and key(x) == target)
    return sum(1 for x in after if x.severity in SERIOUS and key(x) == target) >= max(1, had)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str = ""
    follow_up: tuple = ()  # edits the fix needs besides its own (the layer sized for the wrong view, resized)
    cleared: frozenset = frozenset()  # keys of the file's other serious diagnostics that the fix removes too
    refutes: bool = False  # what the re-check showed contradicts the diagnosis itself, not only this edit


def _serious_keys(diagnostics) -> Counter:
    return Counter(key(d) for d in diagnostics if d.severity in SERIOUS)


def _model_keys(diagnostics) -> Counter:
    """_serious_keys of the diagnostics about a model. At a second batch size only the data fed to the models is
    resized: an array the script keeps beside them (the targets a metric subtracts the predictions from) keeps its
    old length, and what NumPy says of the two is the experiment's, not the fix's."""
    return Counter(key(d) for d in diagnostics if d.severity in SERIOUS and d.model is not None)


def _overlaps(a, b) -> bool:
    return (a.line, a.column) < (b.end_line, b.end_column) and (b.line, b.column) < (a.end_line, a.end_column)


def _other_size(value: int, avoid: set) -> int:
    for cand in (value + 3, value + 5, value + 7, 2 * value + 3, value + 11):
        if cand not in avoid:
            return cand
    return value + 13


def _shared_name_replaced(ctx, edits) -> Optional[str]:
    """A name the edit replaces by a number (``Reshape((num_patches, 32))`` -> ``Reshape((25, 32))``) that is set
    in the file and read elsewhere too: the value it carries sizes something else as well, and writing a literal at
    one use leaves the two sides disagreeing. Returns the name."""
    tree = None
    for e in edits:
        old = ctx.text(e.span) if e.span.line == e.span.end_line else None
        before, after = _expr(old or ""), _expr(e.text)
        if not old or before is None or after is None:
            continue
        holders = {id(n.value) for n in ast.walk(before) if isinstance(n, (ast.Subscript, ast.Attribute))}
        # a name read as a size (not `cfg` of `cfg["horizon"]`, not a module of `np.prod`)
        removed = {n.id for n in ast.walk(before) if isinstance(n, ast.Name) and id(n) not in holders} - \
            {n.id for n in ast.walk(after) if isinstance(n, ast.Name)}
        literals = _int_literals(after) - _int_literals(before)
        if not removed or not literals:  # a name dropped, not replaced by a number (a batch size declared by mistake)
            continue
        tree = tree or tree_of(ctx.lines)
        if tree is None:
            return None
        for name in sorted(removed):
            set_here = any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store) or
                           isinstance(n, ast.arg) and n.arg == name for n in ast.walk(tree))
            reads = sum(1 for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name and
                        isinstance(n.ctx, ast.Load))
            if set_here and reads > 1:
                return name
    return None


def _shared_constant_rewritten(ctx, edits) -> Optional[str]:
    """An edit of the literal a module-level name is set to (``SEQ_LEN = 30`` -> ``1``) where the name is read more
    than once: it sizes other things as well -- the data's windows as well as the layer -- and changing it bends
    them all to the one that failed. Returns the name."""
    tree = None
    for e in edits:
        name = module_name_for(ctx, e.span)
        if name is None:
            continue
        tree = tree or tree_of(ctx.lines)
        if tree is None:
            return None
        if sum(1 for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)) > 1:
            return name
    return None


def _compiles(source: str) -> bool:
    try:
        _compile_quietly(source, "<source>")
        return True
    except Exception:  # noqa: BLE001
        return False


def _compile_quietly(code, name: str) -> set:
    """compile() without letting the compiler's warnings reach the user's terminal; the warnings it gave, by message
    (``'int' object is not callable; perhaps you missed a comma?``: an edit that wrote ``64(...)``)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        compile(code, name, "exec", dont_inherit=True)
    return {str(w.message) for w in caught if issubclass(w.category, SyntaxWarning)}


def _new_compiler_warnings(ctx, found: set) -> bool:
    """Whether an edited text draws a compiler warning the file itself does not (the file's own, an escape sequence
    in a string, say, are the user's business)."""
    if not found:
        return False
    if "own" not in ctx.compiler_warnings:
        try:
            ctx.compiler_warnings["own"] = _compile_quietly(ctx.source, "<source>")
        except Exception:  # noqa: BLE001
            ctx.compiler_warnings["own"] = set()
    return bool(found - ctx.compiler_warnings["own"])


def _expr(text: str):
    """``text`` parsed as an expression (empty text as ``0``), or None."""
    return parse_expression(text.strip() or "0")


_AXIS_CALLS = ("transpose", "permute", "movedim", "moveaxis", "swapaxes", "swapdims", "rollaxis", "Permute")


def _int_literals(tree) -> set:
    """The integers an expression writes as sizes: axis numbers given to a transpose or permute are not sizes."""
    axes = {id(a) for n in ast.walk(tree) if isinstance(n, ast.Call) and
            (getattr(n.func, "attr", None) or getattr(n.func, "id", None)) in _AXIS_CALLS
            for arg in n.args[1 if isinstance(n.func, ast.Name) else 0:] for a in ast.walk(arg)}
    axes |= {id(a) for n in ast.walk(tree) for a in ast.walk(_axis_read(n))}
    return {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, int) and
            id(n) not in axes}


def _axis_read(node):
    """The axis number of a size read from a tensor (``x.shape[0]``, ``ops.shape(x)[0]``, ``x.size(0)``): the
    index says which axis, it is not a size. An empty module otherwise."""
    if isinstance(node, ast.Subscript) and (getattr(node.value, "attr", None) == "shape" or isinstance(
            node.value, ast.Call) and (getattr(node.value.func, "attr", None) or getattr(node.value.func, "id", None))
            == "shape"):
        return node.slice
    if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "size" and len(node.args) == 1:
        return node.args[0]
    return ast.Module(body=[], type_ignores=[])


def verify(ctx, d, edits: list, before: list, replaces_name: bool = False, resizes_all_readers: bool = False,
           moves_batch_axis: bool = False, stands_alone: bool = False) -> Verdict:
    """Whether applying ``edits`` (to ``ctx.source``) keeps the contract for diagnostic ``d``; ``before`` is the
    file's diagnostics as checked (without the root-cause analysis's rewording, which keys ignore)."""
    if not edits:
        return Verdict(False, "no edit")
    text = apply_edits(ctx.source, edits)
    if text == ctx.source:
        return Verdict(False, "the edit changes nothing")
    shared = (None if replaces_name else _shared_name_replaced(ctx, edits)) or \
        (None if resizes_all_readers else _shared_constant_rewritten(ctx, edits))
    if shared is not None:
        return Verdict(False, f"`{shared}` sizes other things too: change it where it is set")
    parsed = _parsed(ctx, text)
    if isinstance(parsed, Verdict):
        return parsed
    # the re-check takes this parse rather than parsing again (unless the text is one it would parse in chunks)
    after = ctx.check(text, parsed if parsed is not None and too_costly(text) is None else None)
    if after.error or any(x.code == "SHP004" for x in after.diagnostics):
        return Verdict(False, "the result cannot be checked")
    if remains(d, before, after.diagnostics):
        return Verdict(False, "the diagnostic remains after the fix", refutes=True)  # its edit leaves the very mismatch it explains
    if _blind(after) > _blind(ctx.check(ctx.source)):
        return Verdict(False, "the fix would leave shapes unknown that are known now")
    added = _serious_keys(after.diagnostics) - _serious_keys(before)
    follow_up: list = []
    if added:
        follow_up = _follow_up(after, added, edits)
        if follow_up and stands_alone:
            return Verdict(False, "a layer further on was built for the width this fix changes", refutes=True)
        if follow_up:
            text = apply_edits(ctx.source, list(edits) + follow_up)
            after = ctx.check(text)
            if remains(d, before, after.diagnostics):
                return Verdict(False, "the diagnostic remains after the fix")
            added = _serious_keys(after.diagnostics) - _serious_keys(before)
        if added:
            code = next(iter(added))[0]
            return Verdict(False, f"the fix would bring a new problem ({code})")
        edits = list(edits) + follow_up
    if _moved_errors(before, after.diagnostics):
        return Verdict(False, "an error further on remains, on other shapes: the mistake is elsewhere")
    if _earlier_error_remains(ctx, d, before, after.diagnostics, edits):
        return Verdict(False, "an error earlier in the same model remains: this one may follow from it")
    named = _names_batch_size(ctx, edits)
    if named is not None:
        return Verdict(False, f"the fix sizes the model by `{named}`, the batch size of the data: the model must run "
                       "at any", refutes=True)
    counted = _writes_sample_count(ctx, edits)
    if counted is not None:
        return Verdict(False, f"the fix writes {counted}, the number of samples: it would take the batch for features")
    if moves_batch_axis:
        return _batch_moved_stays_free(ctx, d, before, text, after, follow_up)
    spans = ctx.batch_spans()
    touched = [(s, v) for s, v in spans for e in edits if _overlaps(s, e.span)]
    if any(str(int(v)) not in _int_texts(e.text) for s, v in touched for e in edits if _overlaps(s, e.span)):
        # the batch size the data is made with, rewritten so the mismatch goes away: a model must run at any batch
        # size, so what fits one of them hides the mistake (an RNN reading the batch as time)
        return Verdict(False, "the fix changes the batch size the data is made with: the model must run at any")
    if touched:
        spans = []  # the fix rewrites the expression that holds a batch size, keeping it: no second size to try
    elif not spans:
        written = _writes_batch_size(ctx, edits)
        if written is not None:  # no second batch size to try: a number equal to the batch is not trusted
            # the cause matched the mismatch with the batch size: the diagnosis itself is wrong, not only its edit
            return Verdict(False, f"the fix writes {written}, the batch size of the data: the model must run at any",
                           refutes=True)
    if spans:
        changed, resized = _second_batch(ctx, spans)
        again = ctx.check(apply_edits(ctx.source, list(edits) + resized))
        failing = _model_keys(again.diagnostics) - _model_keys(after.diagnostics)
        if failing:  # what the other batch size breaks in the file as it is (a loop sized for 32 rows) is not the fix's
            unfixed = ctx.check(apply_edits(ctx.source, resized))
            failing -= _model_keys(unfixed.diagnostics) - _model_keys(before)
        refused = _refused_at_second_batch(after, again, changed, failing)
        if refused is not None:
            return refused
    return _kept(d, before, after, follow_up)


def _second_batch(ctx, spans: list) -> tuple:
    """({batch size: another size}, the edits writing it) for every literal that wrote a batch size."""
    avoid = {int(dim) for f in ctx.feeds() for dim in (f.x.shape or ()) if isinstance(dim, int)}
    changed = {v: _other_size(v, avoid) for _, v in spans}
    return changed, [Edit(s, str(changed[v])) for s, v in spans]


def _refused_at_second_batch(after, again, changed: dict, failing) -> Optional[Verdict]:
    """Why the fix does not hold at another batch size (``again``: the fixed file re-checked with it), or None."""
    if failing:
        return Verdict(False, "with another batch size the model fails: the fix depends on the batch size")
    if not _rows_follow_batch(after, again, changed):
        return Verdict(False, "the output no longer has one row per sample")
    if _weights_follow_batch(after, again):
        return Verdict(False, "the fix sizes a layer by the batch size: its weights change with the batch")
    return None


def _kept(d, before: list, after, follow_up: list) -> Verdict:
    """The contract holds: with the other diagnostics the fix also removes."""
    remaining = _serious_keys(after.diagnostics)
    cleared = frozenset(k for k in _serious_keys(before) if k != key(d) and k not in remaining)
    return Verdict(True, follow_up=tuple(follow_up), cleared=cleared)


def _batch_moved_stays_free(ctx, d, before: list, text: str, after, follow_up: list) -> Verdict:
    """The batch-size check of a fix that moves which axis of the data is the batch: the second batch size is written
    where the edited file makes its batch (the original's axis 0 was not the batch). With no batch size written (one
    sample made a batch of one), there is no second size to try."""
    ev = getattr(after, "evaluator", None)
    if ev is None:
        return Verdict(False, "the result cannot be checked")
    spans = Context(ev, text, ctx.recheck).batch_spans()
    if spans:
        changed, resized = _second_batch(ctx, spans)
        again = ctx.check(apply_edits(text, resized))
        failing = _model_keys(again.diagnostics) - _model_keys(after.diagnostics)
        refused = _refused_at_second_batch(after, again, changed, failing)
        if refused is not None:
            return refused
    return _kept(d, before, after, follow_up)


def _int_texts(text: str) -> set:
    """The integer literals written in ``text`` (as text)."""
    return set(re.findall(r"(?<![\w.])\d+(?![\w.])", text or ""))


def _writes_batch_size(ctx, edits: list) -> Optional[int]:
    """The batch size of data fed to a model (2 or more, on axis 0, and no other size of that data) when an edit
    writes it as a new number (``Attention(dim, heads=6)`` for a batch of 6): with no literal to vary (the batch
    is also the length of a list of lengths), the second-batch-size check cannot tell a size from the batch, and a
    number that fits only this batch is what a model must never take."""
    for f in ctx.feeds():
        shape = f.x.shape
        if not shape or len(shape) < 2 or not isinstance(shape[0], int) or int(shape[0]) < 2 or ctx.unbatched(f):
            continue
        n = int(shape[0])
        if any(isinstance(x, int) and int(x) == n for x in shape[1:]):
            continue
        for e in edits:  # (an inserted keyword, `, heads=6`, is no expression: its numbers are read as written)
            new = _size_numbers(e.text)
            old = _size_numbers(ctx.text(e.span)) if e.span is not None else set()
            if n in new and n not in old:
                return n
    return None


# calls whose numbers are axes, never sizes: `x.permute(0, 2, 1, 3, 4).flatten(0, 1)` writes no batch size of 2
_AXES_ONLY = re.compile(r"\.(permute|transpose|flatten|unsqueeze|squeeze|movedim|swapaxes|swapdims)\([^()]*\)")


def _size_numbers(text: Optional[str]) -> set:
    """The integers written in ``text`` that may be sizes (the axes of axis-moving calls are left out)."""
    return {int(t) for t in re.findall(r"(?<![\w.])\d+(?![\w.])", _AXES_ONLY.sub("", text or ""))}


def _names_batch_size(ctx, edits: list) -> Optional[str]:
    """A name bound to the literal the data's batch size is written with (``BATCH = 64`` passed to the DataLoader),
    brought into an edit that did not read it (``nn.Linear(IMG * IMG * BATCH, 256)`` after the batch was folded into
    the features): perturbing the literal moves the layer with the batch, so the second-batch-size check passes --
    but a layer sized by the batch works for that batch size only, and never for a last, shorter batch."""
    spans = {s for s, _ in ctx.batch_spans()} | ctx.target_batch_spans()
    tree = tree_of(ctx.lines) if spans else None
    if tree is None:
        return None
    names = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign) and Span.of(n.value) in spans
             for t in n.targets if isinstance(t, ast.Name)}
    for e in edits:
        old = _identifiers(ctx.text(e.span) if e.span is not None else "")
        for name in sorted(names & (_identifiers(e.text or "") - old)):
            return name
    entries = _config_entries(tree, spans)  # `CFG = {"batch": 8}`: the batch read as `CFG["batch"]`
    for e in edits:
        old = re.sub(r"\s+", "", (ctx.text(e.span) if e.span is not None else None) or "")
        new = re.sub(r"\s+", "", e.text or "")
        for spelled in entries:
            if spelled in new.replace("'", '"') and spelled not in old.replace("'", '"'):
                return spelled
    return None


def _config_entries(tree, spans: set) -> list:
    """``NAME["key"]`` for each entry of a dict literal bound to a name (``CFG = {"batch": 8}``, ``dict(batch=8)``)
    whose value is one of ``spans``."""
    found = []
    for n in ast.walk(tree):
        if not isinstance(n, ast.Assign) or len(n.targets) != 1 or not isinstance(n.targets[0], ast.Name):
            continue
        v = n.value
        pairs = list(zip(v.keys, v.values)) if isinstance(v, ast.Dict) else \
            [(ast.Constant(k.arg), k.value) for k in v.keywords if k.arg] \
            if isinstance(v, ast.Call) and isinstance(v.func, ast.Name) and v.func.id == "dict" else []
        for k, val in pairs:
            if isinstance(k, ast.Constant) and isinstance(k.value, str) and Span.of(val) in spans:
                found.append(f'{n.targets[0].id}["{k.value}"]')
    return found


def _identifiers(text: Optional[str]) -> set:
    return set(re.findall(r"(?<![\w.])[A-Za-z_]\w*", text or ""))


def _writes_sample_count(ctx, edits: list) -> Optional[int]:
    """A 1-D input taken as one unbatched sample -- ``Linear(2)`` given (400,) -- whose length is also the length of
    other data of the file (the labels, (400,)): its axis is the samples, and an edit that writes that length into
    the model (``in_features=400``) sizes a layer by the batch. Likewise the length of samples a collate_fn joined
    with ``torch.cat`` (``Conv2d(12, ...)`` for four (3, 8, 8) images). The second-batch-size check cannot see it: an
    unbatched input has no batch to vary."""
    scope = getattr(getattr(ctx.ev, "module", None), "vars", {})
    for f in ctx.feeds():
        folded = f.x.meta.get("batch_folded") is not None and f.x.shape and isinstance(f.x.shape[0], int)
        if folded and any(int(f.x.shape[0]) in _int_literals(_expr(e.text or "") or ast.parse("0", mode="eval"))
                          for e in edits):
            return int(f.x.shape[0])  # the samples a collate_fn joined end to end: their count times their length
        if not ctx.unbatched(f) or not f.x.shape or len(f.x.shape) != 1 or not isinstance(f.x.shape[0], int):
            continue
        n = int(f.x.shape[0])
        others = [v for v in scope.values() if getattr(v, "shape", None) and v is not f.x and
                  getattr(v, "value", None) is not f.x.value and isinstance(v.shape[0], int) and v.shape[0] == n]
        if n > 1 and others and any(n in _int_literals(_expr(e.text or "") or ast.parse("0", mode="eval"))
                                    for e in edits):
            return n
    return None


def _parsed(ctx, text: str):
    """A Verdict when ``text`` does not compile or parse; else its tree, or None when ``text`` passed these tests
    before and its re-check is at hand (two fixes that make the same edit: a large file is not compiled and parsed
    again)."""
    known = ctx.parse_verdicts.get(text)
    if isinstance(known, Verdict) or known is not None and ctx.has_check(text):
        return known if isinstance(known, Verdict) else None
    try:  # parsed once, and that tree compiled: compiling the text parses it again (a 10,000-line file: a tenth of
        # a second per fix). The compiler's own warnings are the same either way.
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return _parsed_by_compiling(ctx, text)
    try:
        if _new_compiler_warnings(ctx, _compile_quietly(tree, "<fix>")):
            ctx.parse_verdicts[text] = Verdict(False, "the result would not run")
            return ctx.parse_verdicts[text]
    except SyntaxError:  # the compiler's verdict on this tree is its verdict on the text
        if _compiles(ctx.source):
            ctx.parse_verdicts[text] = Verdict(False, "the result would not compile")
            return ctx.parse_verdicts[text]
    except Exception:  # noqa: BLE001 - a limit met turning the tree back (deep nesting): decide from the text
        return _parsed_by_compiling(ctx, text)
    ctx.parse_verdicts[text] = True
    return tree


def _parsed_by_compiling(ctx, text: str):
    """_parsed's verdict from compiling the text itself, then parsing it."""
    try:  # Python's own compiler: a check must not load libcst (--fix, which writes, gates with it); compiling also
        # catches what parses but cannot run (a keyword argument given twice)
        if _new_compiler_warnings(ctx, _compile_quietly(text, "<fix>")):
            ctx.parse_verdicts[text] = Verdict(False, "the result would not run")
            return ctx.parse_verdicts[text]
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        if _compiles(ctx.source):
            ctx.parse_verdicts[text] = Verdict(False, "the result would not compile")
            return ctx.parse_verdicts[text]
    except Exception:  # noqa: BLE001 - a compiler limit: the parse below decides
        pass
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        ctx.parse_verdicts[text] = Verdict(False, "the result would not parse")
        return ctx.parse_verdicts[text]
    ctx.parse_verdicts[text] = True
    return tree


def _earlier_error_remains(ctx, d, before: list, after: list, edits: list) -> bool:
    """An error at a layer this one reads from (through the ops of the same run) that the edit leaves in place, and
    that its own fix, applied with this one, does not clear either: past it the shapes are the ones inference
    recovered with, so this mismatch may be its consequence (a DenseNet helper that returns the wrong width misleads
    every block after it) -- fixing it alone leaves the model crashing. Two independent mistakes on one path (two
    Linear sizes) each keep their fix: applied together they clear both."""
    f = d.facts
    if not isinstance(f, RuleFacts):
        return False
    left = _serious_keys(after)
    upstream = {id(p) for v in f.inference.upstream(f.op.inputs) for p in [f.inference.producer_of(v)] if p}
    # (ops are one object each, wherever they were applied: a Keras functional model's ops in the file's shared graph)
    earlier = [x for x in before if x is not d and x.severity == "error" and isinstance(x.facts, RuleFacts) and
               id(x.facts.op) in upstream and key(x) in left]
    if not earlier:
        return False
    together = list(edits)
    for x in earlier:  # each earlier error's fix as the analysis decided it (upstream errors are diagnosed first)
        fix = ctx.decided.get(key(x))
        if fix is None or not fix.edits or fix.applicability == "display-only":
            return True
        together += fix.edits
    if overlapping(together):
        return True  # the two fixes rewrite the same text: they cannot be applied together
    text = apply_edits(ctx.source, together)
    if not _compiles(text):
        return True
    again = _serious_keys(ctx.check(text).diagnostics)
    if any(k not in _serious_keys(before) for k in again):
        return True  # together they bring a new problem: they do not clear the path
    return key(d) in again or any(key(x) in again for x in earlier)


def _moved_errors(before: list, after: list) -> bool:
    """An error the file had before that is still there after the edit but now says other shapes."""
    said: dict = {}
    for x in before:
        if x.severity == "error":
            said.setdefault(key(x), set()).add(x.message)
    return any(x.severity == "error" and key(x) in said and x.message not in said[key(x)] for x in after)


def _blind(result) -> int:
    """How much of the file's models the check cannot see: ops with an unknown output, and models never run. A fix
    that names something the analysis cannot follow (a variable out of scope) makes the mismatch vanish by making
    the shapes unknown -- that is no fix."""
    n = 0
    for m in result.models:
        ops = m.program.ops
        # an op whose output is unknown counts too: `nn.GELU().transpose(1, 2)` drops the layer from its Sequential
        # and leaves the ops after it with unknown shapes, without marking any of them unknown
        n += 1 if not ops else sum(1 for op in ops if op.status in ("unknown", "unsupported") or
                                   (isinstance(op.output, Tensor) and op.output.shape is None))
    return n + sum(1 for d in result.diagnostics if d.code in ("SHP002", "SHP003"))


_FOLLOWS = ("feature-count-mismatch", "channel-count-mismatch", "softmax-over-one-value")


def _follow_up(after, added, edits: list) -> list:
    """A fix that restores the shape a layer further on should have seen (``x.view(x.size(0), -1)`` where
    ``x.view(-1, 400)`` folded the batch, ``nn.Flatten()`` before a Linear sized per channel) shows that layer sized
    for the wrong shape; a loss switched to binary cross-entropy leaves a one-unit softmax: their own one-edit fixes
    are part of the repair. Those edits, moved back to the original text's lines, when each new problem is such a
    one and its edit sits on a line the fix does not touch."""
    out = []
    for d in after.diagnostics:
        if key(d) not in added or d.severity not in SERIOUS:
            continue
        fix = d.fix
        if d.name not in _FOLLOWS or fix is None or len(fix.edits) != 1:
            return []
        moved = _unshift(fix.edits[0], edits)
        if moved is None or "\n" in moved.text or any(_overlaps(moved.span, e.span) for e in edits):
            return []
        out.append(moved)
    return out


def _unshift(edit, edits: list):
    """An edit on the fixed text, moved to the original text's coordinates; None when it touches text the fix
    wrote. A position after an insertion on its own line (``nn.Flatten(),`` put before ``nn.Linear(...)``) moves back
    to where the original text was."""
    s = edit.span
    if s.line != s.end_line:
        return None
    shift = 0  # lines the fix added above, so far
    for e in sorted(edits, key=lambda e: (e.span.line, e.span.column)):
        a, b = e.span.line, e.span.end_line
        newlines = e.text.count("\n")
        delta = newlines - (b - a)
        first, last = a + shift, b + shift + delta  # the fixed text's lines the edit's text is on
        if s.line < first:
            break
        if s.line > last:
            shift += delta
            continue
        if s.line < last:
            return None
        tail = len(e.text.rsplit("\n", 1)[-1])
        after_text = 1 + tail if newlines else e.span.column + tail  # where the original text resumes
        if s.column < after_text or any(o is not e and o.span.line <= b <= o.span.end_line for o in edits):
            return None
        offset = e.span.end_column - after_text
        return Edit(Span(b, s.column + offset, b, s.end_column + offset), edit.text)
    return Edit(Span(s.line - shift, s.column, s.line - shift, s.end_column), edit.text)


def _weights_follow_batch(after, again) -> bool:
    """A layer whose weights change when only the batch size does (``nn.Linear(BATCH, d)`` fed timesteps (B,)):
    the fix wrote the batch into the model, by name or by number -- it runs at every batch size only because the
    model is rebuilt for each."""
    if len(after.models) != len(again.models):
        return False
    for m1, m2 in zip(after.models, again.models):
        ops1, ops2 = m1.program.ops, m2.program.ops
        if len(ops1) != len(ops2):
            continue
        for a, b in zip(ops1, ops2):
            p1, p2 = getattr(a.layer, "params", None), getattr(b.layer, "params", None)
            if isinstance(p1, int) and isinstance(p2, int) and p1 != p2 and a.layer.kind == b.layer.kind:
                return True
    return False


def _rows_follow_batch(after, again, changed: dict) -> bool:
    """Every model output whose axis 0 was a batch size before the perturbation has the new batch size after it."""
    if len(after.models) != len(again.models):
        return True  # the perturbation changed what is found; nothing to compare
    for m1, m2 in zip(after.models, again.models):
        o1, o2 = m1.program.output, m2.program.output
        if not (isinstance(o1, Tensor) and isinstance(o2, Tensor)) or not o1.shape or not o2.shape:
            continue
        b1, b2 = o1.shape[0], o2.shape[0]
        if isinstance(b1, int) and int(b1) in changed and isinstance(b2, int) and int(b2) != changed[int(b1)]:
            return False
        # rows that follow the batch but are fewer than its samples: the batch was cut (chunk(2) on axis 0)
        if isinstance(b1, int) and isinstance(b2, int) and int(b1) != int(b2) and int(b1) not in changed and \
                any(int(b1) < v and int(b2) < w for v, w in changed.items()):
            return False
    return True
