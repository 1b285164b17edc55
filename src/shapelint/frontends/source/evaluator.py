"""An abstract interpreter for Python source: follows constants, imports, functions, classes and the library calls
that build and feed models, without importing or executing anything.

Soundness: whatever cannot be followed becomes UNRESOLVED, and a model changed where we cannot tell whether the
change happens (inside an unknown branch or loop) is marked ``uncertain`` so that no error is reported on it.
A budget (limits.py) bounds the work on huge or adversarial files, and folded constants have a size cap; whatever a
bound cuts short becomes unknown and gets an info diagnostic where it happened.
"""
from __future__ import annotations

import ast
import dataclasses
import math
import operator
import re
import string
import sys
from typing import Any, Optional

from ...core import provenance
from ...core.infer import METER
from ...core.program import UNRESOLVED, Span
from ...core.values import Tensor
from . import api, mask_polarity
from .limits import MAX_FOLDED_CHARS, MAX_FOLDED_ITEMS, MAX_SECONDS, MAX_STEPS, MAX_UNROLL, RULE_COST, STATEMENT_SHARE, \
    STATEMENTS_SHARE, Budget, BudgetExceeded, folded_size, format_too_wide, sequence_result_too_big, too_big
from .objects import BoundMethod, FieldFactory, Instance, LayerObj, Number, Opaque, QualName, SymDim, TensorVal, Text, \
    UserClass, UserFunction
from .run_state import RunState

MAX_DEPTH = 40  # nested user-function calls
FRAMES_PER_LEVEL = 5  # Python frames one level of expression or statement nesting may take (eval -> e_Call -> ...)



# numeric constants of the libraries a script reads as values (``np.sin(t / 24 * 2 * np.pi)``)
_CONSTANTS = {f"{lib}.{name}": value for lib in ("numpy", "math", "torch")
              for name, value in (("pi", math.pi), ("e", math.e), ("inf", math.inf), ("nan", math.nan),
                                  ("tau", math.tau))}
# the alphabets of the `string` module: a character vocabulary (OCR, CTC, char-level models) is sized by them
_CONSTANTS.update({f"string.{name}": getattr(string, name) for name in (
    "ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits", "octdigits", "punctuation",
    "whitespace", "printable")})

class _Return(Exception):
    def __init__(self, value):
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Repeated(list):
    """The items of an iterable whose length is not known (a DataLoader, a tf.data pipeline): the loop body runs
    once per listed item as a sample of every iteration, so what the body accumulates across iterations (a list it
    appends to, a counter) is unknown after the loop."""


# PyTorch's in-place methods that change a tensor's shape: the name they are called on holds the result after them
_RESHAPING_IN_PLACE = ("transpose_", "t_", "squeeze_", "unsqueeze_", "swapaxes_", "swapdims_")


class Rows(Repeated):
    """The rows of an array of known length (``for im in images`` with images (80, 48, 48, 3)): one sample row
    stands for all ``count`` of them."""

    def __init__(self, items, count: int):
        super().__init__(items)
        self.count = count


class RowList:
    """A list built row by row from an array (``[prep(im) for im in images]``): ``count`` items, all like
    ``item``. ``np.array`` / ``np.stack`` of it is (count,) + the item's shape; ``len`` is ``count``."""

    def __init__(self, item, count: int, int_range: Optional[tuple] = None):
        self.item = item
        self.count = count
        self.int_range = int_range  # (low, high + 1) of integer items known only by their range


def _autograd_function(cls) -> bool:
    """A user class derived from ``torch.autograd.Function`` (directly or through another user class)."""
    for base in getattr(cls, "bases", []):
        name = getattr(base, "name", "")
        if name in ("torch.autograd.Function", "torch.autograd.function.Function") or \
                isinstance(base, UserClass) and _autograd_function(base):
            return True
    return False


def _either_tensor(a, b):
    """``trg[:, t] if use_teacher else logits.argmax(1)`` with a condition not known here: two tensors of one known
    shape and dtype give a tensor of that shape -- which one it is, and so what it holds or where it came from, is
    not known (a value of its own, no facts). UNRESOLVED otherwise."""
    if not (isinstance(a, TensorVal) and isinstance(b, TensorVal)) or a.lib != b.lib or a.shape is None or \
            tuple(a.shape) != tuple(b.shape or ()) or a.value.dtype != b.value.dtype or \
            not all(isinstance(d, int) for d in a.shape):
        return UNRESOLVED
    kind = type(a) if type(a) is type(b) else TensorVal  # data read from either of two arrays is data still
    return kind(Tensor(tuple(a.shape), a.value.dtype), lib=a.lib, run=a.run if a.run is b.run else None)


def _any_item(items: list):
    """One of ``items``, not known which (a dict read at a key not known here: ``centers[label]``): a tensor of the
    shape and dtype they all have (:func:`_either_tensor`), else UNRESOLVED."""
    got = items[0]
    for other in items:
        got = _either_tensor(got, other)
    return got


def _leaves(v):
    return [x for i in v for x in _leaves(i)] if isinstance(v, (list, tuple)) else [v]


def _as_floats(v):
    return [_as_floats(i) for i in v] if isinstance(v, (list, tuple)) else float(v)


def _number_rows(v) -> Optional[tuple]:
    """The nested shape of a list/tuple of numbers (``[[1, 2], [3, 4]]`` -> (2, 2)), or None."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return ()
    if not isinstance(v, (list, tuple)) or not v:
        return None
    inner = {_number_rows(x) for x in v}
    return (len(v),) + next(iter(inner)) if len(inner) == 1 and None not in inner else None


class CountedList(list):
    """A list whose length is known even where its items are not: a comprehension over a known iterable with known
    conditions makes exactly one item per pass (``[sample() for _ in range(B)]`` has B items). A list literal with
    an unknown ``*splice`` is a plain list holding one UNRESOLVED for any number of items, so its length is not."""


def plain(value):
    """``value`` as a library call sees it: a :class:`Number` or a :class:`Text` (a number or a string whose value is
    not known) is UNRESOLVED, also as an item of a list, tuple or dict argument (a list keeps its known length:
    CountedList)."""
    if isinstance(value, (Number, Text)):
        return UNRESOLVED
    if type(value) in (list, CountedList, tuple) and any(isinstance(v, (Number, Text)) for v in value):
        items = [UNRESOLVED if isinstance(v, (Number, Text)) else v for v in value]
        return tuple(items) if type(value) is tuple else CountedList(items)
    if type(value) is dict and any(isinstance(v, (Number, Text)) for v in value.values()):
        return {k: UNRESOLVED if isinstance(v, (Number, Text)) else v for k, v in value.items()}
    return value


def plain_call(call: "api.Call") -> "api.Call":
    """``call`` with its arguments as a library handler sees them (:func:`plain`); the same call, with nothing
    copied, when none is a number -- nearly always, on the path every library call takes."""
    if not any(plain(a) is not a for a in call.args) and not any(plain(v) is not v for v in call.kwargs.values()):
        return call
    return dataclasses.replace(call, args=[plain(a) for a in call.args],
                               kwargs={k: plain(v) for k, v in call.kwargs.items()})


_NUMBER_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


def number_kind(value) -> Optional[str]:
    """"int", "float" or "bool" for a Python number or a :class:`Number`; None for anything else."""
    if isinstance(value, Number):
        return value.kind
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    return None


def _number_binop(op_type, left, right) -> Optional[Number]:
    """Arithmetic where one side is a :class:`Number` and the other a number: a number, of the type Python gives."""
    kinds = (number_kind(left), number_kind(right))
    if None in kinds or op_type not in _NUMBER_ARITHMETIC:
        return None
    return Number("float" if op_type is ast.Div or "float" in kinds else "int")


class Generated:
    """What calling a generator function (a ``def`` with ``yield``) returns: its body is run at the call and the
    values it yields are kept as samples (at most MAX_YIELD_SAMPLES), so ``for xb, yb in batches(x, y, 32)`` runs
    the loop body on real batches. How many it yields is not counted: iterating gives a Repeated."""

    def __init__(self, samples: list):
        self.samples = samples


MAX_YIELD_SAMPLES = 4


def _yields(fnode) -> bool:
    """Whether a function's own body (not a nested def, lambda or class) contains ``yield``."""
    cached = getattr(fnode, "_shapelint_generator", None)
    if cached is not None:
        return cached
    found, stack = False, list(getattr(fnode, "body", []) if isinstance(getattr(fnode, "body", None), list) else [])
    while stack and not found:
        n = stack.pop()
        if isinstance(n, (ast.Yield, ast.YieldFrom)):
            found = True
        elif not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(n))
    fnode._shapelint_generator = found
    return found


class Scope:
    __slots__ = ("vars", "parent", "kind")

    def __init__(self, parent: Optional["Scope"] = None, kind: str = "module"):
        self.vars: dict = {}
        self.parent = parent
        self.kind = kind

    def lookup(self, name: str):
        s = self
        while s is not None:
            if name in s.vars:
                return s.vars[name]
            s = s.parent
        return _MISSING

    def set(self, name: str, value) -> None:
        self.vars[name] = value


_MISSING = object()

_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
           ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
           ast.LShift: operator.lshift, ast.RShift: operator.rshift, ast.BitOr: operator.or_,
           ast.BitAnd: operator.and_, ast.BitXor: operator.xor, ast.MatMult: None}
_CMPOPS = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
           ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
           ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}
_CONST_TYPES = (int, float, str, bool, type(None), complex, bytes)


def is_const(v) -> bool:
    if isinstance(v, _CONST_TYPES):
        return True
    if isinstance(v, (tuple, list, frozenset)):
        return all(is_const(x) for x in v)
    return False


def _in_order(items) -> Optional[list]:
    """A set's items in a reproducible order (sorted), so the analysis never depends on hash order; None when they
    cannot be sorted."""
    try:
        return sorted(items)
    except TypeError:
        return None


class Evaluator:
    def __init__(self, file: str, source: str, tree: ast.Module, line_map=None):
        if "import" in source or "class" in source:  # library knowledge is reached only through an import, or
            api.load_always()  # through the handler that instantiates a class; an empty script needs none of it
        self.file = file
        self.source = source
        self.lines = source.splitlines()
        self.caught = 0  # how many enclosing `try` blocks catch what NumPy raises (s_Try)
        self.tree = tree
        self.line_map = line_map  # notebook: file line -> (cell, line)
        self.module = Scope(kind="module")
        self.budget = Budget()
        self.depth = 0
        self.nesting = 0  # expressions and statements being evaluated inside one another
        self.max_nesting = 100  # set by run() from the room left under Python's recursion limit
        self.cut_notes: set = set()  # (kind, node) already noted, so a loop does not repeat a note
        self.too_deep: list = []  # nodes where Python's recursion limit was hit: noted after the statement
        self.uncertain = 0  # > 0 while executing code that may or may not run
        self.yielded: list = []  # per running generator function: the values it yielded so far (samples)
        # per running function: parameter name -> (value, span of the literal the caller passed for it), so a fix
        # for `nn.Linear(channels, ...)` inside a class can edit the `32` of `SEBlock(32)` where it was created
        self.param_origins: list = []
        self.call_sites: list = []  # the user-function calls being evaluated, innermost last (their spans)
        self.models: list = []  # model objects in creation order (keras_api / torch_api define them)
        self.diagnostics: list = []  # file-level diagnostics (not tied to a model run)
        self.state = RunState()  # what the front-end, checks and root-cause analysis keep about this run
        self.notes: list = []
        self.method_stack: list = []  # (owning UserClass, self object) of the user methods being executed
        self.scopes: list = []  # the scopes of the user functions being executed, innermost last
        # per open region that may run zero, one or many times (an unknown branch or loop, a sampled loop):
        # id -> (list or dict, its contents before the region changed it)
        self.mutations: list = []
        self.open_dicts: dict = {}  # id -> dict given an item at a key not known here (its keys are unknown)
        self.module.set("__name__", "__main__")  # the file is checked as the script the user runs

    # -- entry --------------------------------------------------------------------------------------------
    def run(self, statements=None) -> None:
        """Follow the file; ``statements`` (an iterator) replaces ``tree.body`` for a file parsed in chunks."""
        api.start(self)
        self.max_nesting = max(20, (sys.getrecursionlimit() - _stack_depth() - 80) // FRAMES_PER_LEVEL)
        token = METER.set(self.charge_rule)  # shape-rule applications count against the budget too
        try:
            phase = self.budget.allow(STATEMENTS_SHARE)
            try:
                for stmt in self._timed(self.tree.body if statements is None else statements):
                    if self.budget.spent(0.98):  # no more for the statements: one note, not one per statement
                        self.cut_short("rest", stmt, "shapelint stopped following the file here: the analysis "
                                       f"budget ({self._budget_words()}) is spent; the code from this line on is not "
                                       "checked")
                        break
                    self.exec_top(stmt)
            finally:
                self.budget.close(phase)
            self.finish()
        finally:
            METER.reset(token)

    def _timed(self, statements):
        """The statements, with the CPU time spent producing them (parsing a large file's chunks, as the chunk
        reader measures it) left out of the budget: parsing is bounded on its own, and the budget is for following
        the code."""
        meter = statements if hasattr(statements, "parse_seconds") else None
        seen = 0.0
        for stmt in statements:
            if meter is not None and meter.parse_seconds != seen:
                self.budget.exclude(meter.parse_seconds - seen)
                seen = meter.parse_seconds
            yield stmt

    def exec_top(self, stmt) -> None:
        """One top-level statement, with STATEMENT_SHARE of what is left of the budget: if it runs past that, it is cut
        (what it defines becomes unknown, the models it builds or names are not checked, a note says so) and the
        next statement is followed as usual."""
        n_models = len(self.models)
        previous = self.budget.allow(STATEMENT_SHARE)
        try:
            self.exec_stmt(stmt, self.module)
        except BudgetExceeded:
            self._cut(stmt, n_models)
        except (_Return, _Break, _Continue):
            pass
        finally:
            self.budget.close(previous)
            self._note_too_deep()

    def finish(self) -> None:
        """The end-of-file hooks (models run standalone, data fed vs labels): the rest of the budget is theirs."""
        try:
            for hook in list(self.state.finalizers):
                hook(self)
        except BudgetExceeded:
            unrun = [m for m in self.models if m.reported and not m.runs and m.node is not None]
            others = f" and {len(unrun) - 1:,} model{'s' if len(unrun) > 2 else ''} after it" if len(unrun) > 1 \
                else ""
            where = unrun[0].node if unrun else (self.tree.body[-1] if self.tree.body else None)
            what = f"`{unrun[0].display_name}`{others} {'are' if others else 'is'} not checked" if unrun else \
                "the checks at the end of the file (models run on their data, labels against losses) are not all done"
            self.cut_short("finish", where, f"{what}: the analysis budget ({self._budget_words()}) ran out")
        finally:
            self._note_too_deep()

    def _cut(self, stmt, n_models: int) -> None:
        self.depth = self.nesting = self.uncertain = 0
        self.param_origins.clear()
        self.method_stack.clear()
        for name in _stored_names(stmt):
            self.module.set(name, UNRESOLVED)
        for name in _mutated_names(stmt):  # `Y.append(ix)` in the loop cut: Y holds only the items appended so far
            if isinstance(self.module.vars.get(name), (list, dict, set, RowList, Rows)):
                self.module.set(name, UNRESOLVED)
        loaded = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)}
        for i, m in enumerate(self.models):
            if i >= n_models or any(self.module.vars.get(name) is m for name in loaded):
                m.uncertain = True
                m.cut = True  # uncertain because of the budget, not because of a branch
        self.cut_short("budget", stmt, f"shapelint stopped following this statement: it needs more work than the "
                       f"analysis budget allows ({self._budget_words()}); what it defines is unknown and the models "
                       "it builds or changes are not checked; the statements after it are checked")

    def _budget_words(self) -> str:
        if self.budget.exhausted_by == "time":
            return f"{MAX_SECONDS:g} s of CPU time"
        if self.budget.exhausted_by == "steps":
            return f"{MAX_STEPS:,} steps"
        return f"{MAX_STEPS:,} steps, {MAX_SECONDS:g} s of CPU time"

    def cut_short(self, kind: str, node, detail: str) -> None:
        """An info diagnostic where a bound cut something short (once per place and kind)."""
        key = (kind, id(node))
        if key in self.cut_notes:
            return
        self.cut_notes.add(key)
        self.info("unfollowed-code", node, detail=detail)

    def _note_too_deep(self) -> None:
        nodes, self.too_deep = self.too_deep, []
        for node in nodes[:1]:  # the innermost place; the rest unwound from it
            self.cut_short("deep", node, "this code is nested too deeply for shapelint to follow; its value is "
                           "unknown")

    def charge_rule(self) -> None:
        self.budget.spend(RULE_COST)

    def info(self, code: str, node, **facts) -> None:
        # deferred: a file the evaluator follows to its end makes no note and never loads the diagnostic builder
        from ...core.errors import Mismatch
        from ...diagnostics.build import diagnostic_for
        from ...diagnostics.model import Label
        d = diagnostic_for(Mismatch(code, **facts), None, None, None, self.lines)
        span = Span.of(node)
        if span:
            d.primary = Label(span, "", self.file)
        d.file = self.file
        self.diagnostics.append(d)

    def span(self, node) -> Optional[Span]:
        return Span.of(node)

    def text(self, node) -> str:
        """The source text of a node (ast.get_source_segment, which splits the whole file on every call -- too
        slow for files with thousands of layers -- over lines split once)."""
        try:
            lines = self.__dict__.get("_segment_lines")
            if lines is None:
                lines = self._segment_lines = _split_keep_ends(self.source)
            first, last = node.lineno - 1, node.end_lineno - 1
            col, end_col = node.col_offset, node.end_col_offset
            if end_col is None or not 0 <= first <= last < len(lines):
                return ""
            if first == last:
                return lines[first].encode()[col:end_col].decode()
            return (lines[first].encode()[col:].decode() + "".join(lines[first + 1:last])
                    + lines[last].encode()[:end_col].decode())
        except Exception:
            return ""

    def tick(self, n: int = 1) -> None:
        """Count ``n`` steps of work (one per node evaluated, one per element built or visited)."""
        self.budget.spend(n)

    # -- statements ---------------------------------------------------------------------------------------
    def exec_block(self, stmts, scope: Scope) -> None:
        for stmt in stmts:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, node, scope: Scope) -> None:
        self.tick()
        fn = getattr(self, "s_" + type(node).__name__, None)
        if fn is None:
            return
        if self.nesting >= self.max_nesting:
            self.too_deep.append(node)
            for name in _stored_names(node):
                scope.set(name, UNRESOLVED)
            return
        self.nesting += 1
        try:
            fn(node, scope)
        except (_Return, _Break, _Continue, BudgetExceeded):
            raise
        except RecursionError:  # Python's own limit, if our count missed a path: unknown and a note, not the end
            self.too_deep.append(node)
            for name in _stored_names(node):
                scope.set(name, UNRESOLVED)
        except Exception:  # a gap in the interpreter must never become a traceback; values stay unknown
            for name in _assigned_names(node):
                scope.set(name, UNRESOLVED)
        finally:
            self.nesting -= 1

    def s_Import(self, node, scope):
        for a in node.names:
            if a.asname:
                scope.set(a.asname, QualName(api.canonical(a.name)))
            else:
                top = a.name.split(".")[0]
                scope.set(top, QualName(api.canonical(top)))

    def s_ImportFrom(self, node, scope):
        if node.level or not node.module:
            for a in node.names:
                scope.set(a.asname or a.name, UNRESOLVED)
            return
        for a in node.names:
            if a.name == "*":  # ``from keras.layers import *``: names not otherwise defined resolve here
                stars = scope.vars.get(_STAR_IMPORTS)
                scope.set(_STAR_IMPORTS, (stars or ()) + (api.canonical(node.module),))
                continue
            scope.set(a.asname or a.name, QualName(api.canonical(f"{node.module}.{a.name}")))

    def s_Expr(self, node, scope):
        self.eval(node.value, scope)

    def s_Assign(self, node, scope):
        value = self.eval(node.value, scope)
        for t in node.targets:
            self.assign(t, value, scope, node)

    def s_AnnAssign(self, node, scope):
        if node.value is not None:
            self.assign(node.target, self.eval(node.value, scope), scope, node)

    def s_AugAssign(self, node, scope):
        cur = self.eval(node.target, scope)
        val = self.eval(node.value, scope)
        out = self.binop(type(node.op), cur, val, node)
        if isinstance(cur, TensorVal):  # numpy and torch change the array itself: what was noted of it may not hold
            mask_polarity.forget(self, cur.value)
        if out is UNRESOLVED and isinstance(cur, TensorVal) and cur.lib in ("numpy", "torch") and \
                cur.shape is not None:
            # `pts /= norms` in place: numpy and torch write the result into the array itself, so whatever the
            # other operand is, the array keeps its shape (a broadcast that would change it raises)
            out = cur
        self.assign(node.target, out, scope, node)

    def s_FunctionDef(self, node, scope):
        fn = UserFunction(node, scope)
        scope.set(node.name, fn)
        # a decorator the file defines runs (`@register("mlp")` filling a registry of builders); what it returns is
        # the function only when that is known -- a library decorator (@torch.no_grad()) leaves the function as is
        for deco in reversed(node.decorator_list):
            if not isinstance(deco, ast.Call) or not isinstance(self.eval(deco.func, scope), UserFunction):
                continue
            made = self.eval(deco, scope)
            if isinstance(made, UserFunction):
                out = self.call_function(made, [fn], {}, deco)
                if isinstance(out, UserFunction):
                    fn = out
        scope.set(node.name, fn)

    s_AsyncFunctionDef = s_FunctionDef

    def s_ClassDef(self, node, scope):
        bases = [self.eval(b, scope) for b in node.bases]
        cls = UserClass(node, scope, bases)
        body_scope = Scope(scope, kind="class")
        for stmt in node.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                cls.methods[stmt.name] = UserFunction(stmt, scope, owner=cls)
            else:
                self.exec_stmt(stmt, body_scope)
        cls.methods.update({k: v for k, v in body_scope.vars.items() if k not in cls.methods})
        scope.set(node.name, cls)

    def s_Return(self, node, scope):
        raise _Return(self.eval(node.value, scope) if node.value is not None else None)

    def s_Break(self, node, scope):
        raise _Break()

    def s_Continue(self, node, scope):
        raise _Continue()

    def s_If(self, node, scope):
        cond = self.truth(self.eval(node.test, scope))
        if cond is True:
            self.exec_block(node.body, scope)
        elif cond is False:
            self.exec_block(node.orelse, scope)
        else:
            self.exec_uncertain([node.body, node.orelse], scope)

    def exec_uncertain(self, branches, scope: Scope, may_skip: bool = False) -> None:
        """Run branches we cannot choose between; names they assign differently become UNRESOLVED and models
        they change become uncertain (no errors reported on them). Lists and dicts the branches change in place
        keep a change every branch makes alike, else their contents become unknown (``may_skip``: a loop body
        that may run no time at all, or many times)."""
        before = dict(scope.vars)
        results = []
        frame: dict = {}
        outcomes = []
        self.uncertain += 1
        self.mutations.append(frame)
        try:
            for body in branches:
                scope.vars = dict(before)
                for obj, prev in frame.values():  # what an earlier branch changed in place is undone
                    _set_contents(obj, prev)
                try:
                    self.exec_block(body, scope)
                except (_Break, _Continue, _Return):
                    pass
                results.append(scope.vars)
                outcomes.append({k: _contents(obj) for k, (obj, _) in frame.items()})
        finally:
            self.uncertain -= 1
            self.mutations.pop()
        for k, (obj, prev) in frame.items():
            ends = [o.get(k, prev) for o in outcomes] + ([prev] if may_skip else [])
            _set_contents(obj, _merge_contents(ends))
        merged = dict(before)
        names = set().union(*[r.keys() for r in results]) if results else set()
        for name in names:
            vals = [r.get(name, before.get(name, _MISSING)) for r in results]
            first = vals[0]
            same = all(v is first or (is_const(v) and is_const(first) and v == first) or _same_tensor(v, first)
                       for v in vals)
            merged[name] = first if same and first is not _MISSING else UNRESOLVED
        scope.vars = merged

    def s_For(self, node, scope):
        it = self.eval(node.iter, scope)
        items = self.iterate(it, node)
        if items is None:
            self.exec_uncertain([node.body], scope, may_skip=True)
            for name in _target_names(node.target):
                scope.set(name, UNRESOLVED)
            return
        if isinstance(items, Repeated):
            self.exec_sampled(node, items, scope)
            return
        for item in items:
            self.assign(node.target, item, scope, node)
            try:
                self.exec_block(node.body, scope)
            except _Break:
                return
            except _Continue:
                continue
        self.exec_block(node.orelse, scope)

    def exec_sampled(self, node, items: Repeated, scope: Scope) -> None:
        """A loop over an iterable of unknown length: the body runs on the sample items (its shape errors are real:
        every iteration sees such an item), then what it accumulates becomes unknown -- the lists and dicts it
        changes in place, and the numbers it updates (``total += y.size(0)``)."""
        before = dict(scope.vars)
        frame: dict = {}
        self.mutations.append(frame)
        try:
            for item in items:
                self.assign(node.target, item, scope, node)
                try:
                    self.exec_block(node.body, scope)
                except _Break:
                    break
                except _Continue:
                    continue
        finally:
            self.mutations.pop()
        for obj, prev in frame.values():
            _set_contents(obj, _merge_contents([_contents(obj), prev]))
        for name, value in before.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool) and scope.vars.get(name) is not value:
                scope.vars[name] = UNRESOLVED
        self.exec_block(node.orelse, scope)

    def will_mutate(self, obj) -> None:
        """``obj`` (a list or dict) is about to change in place: every open region that may run any number of times
        remembers its contents from before (a region that first sees it now: nothing changed it since it began)."""
        for frame in self.mutations:
            if id(obj) not in frame:
                frame[id(obj)] = (obj, _contents(obj))

    def s_While(self, node, scope):
        self.exec_uncertain([node.body], scope, may_skip=True)

    def s_With(self, node, scope):
        for item in node.items:
            v = self.eval(item.context_expr, scope)
            if item.optional_vars is not None:
                self.assign(item.optional_vars, v, scope, node)
        self.exec_block(node.body, scope)

    s_AsyncWith = s_With
    s_AsyncFor = s_For

    def s_Try(self, node, scope):
        # a body whose errors the script catches itself (a notebook showing that `D @ A` fails): the data checks
        # that report what NumPy would raise stay quiet there (`caught`)
        catches = any(h.type is None or any(isinstance(n, ast.Name) and n.id in _CATCH_ALL for n in ast.walk(h.type))
                      for h in node.handlers)
        self.caught += catches
        try:
            self.exec_block(node.body, scope)
        finally:
            self.caught -= catches
            self.exec_block(node.finalbody, scope)
        self.exec_block(node.orelse, scope)

    s_TryStar = s_Try

    def s_Global(self, node, scope):
        pass

    def s_Delete(self, node, scope):
        for t in node.targets:
            if isinstance(t, ast.Name):
                scope.vars.pop(t.id, None)
            elif isinstance(t, ast.Subscript):  # `del cfg["dropout"]`, `del df["id"]`: the container changes
                obj, key = self.eval(t.value, scope), self.eval(t.slice, scope)
                if isinstance(obj, dict) and is_const(key):
                    self.will_mutate(obj)
                    obj.pop(key, None)
                elif isinstance(obj, list) and isinstance(key, int) and -len(obj) <= key < len(obj):
                    self.will_mutate(obj)
                    del obj[key]
                elif api.find_method(obj, "__delitem__") is not None:
                    api.find_method(obj, "__delitem__")(self, obj, key, node)

    # -- assignment ---------------------------------------------------------------------------------------
    def assign(self, target, value, scope: Scope, stmt=None) -> None:
        if isinstance(target, ast.Name):
            scope.set(target.id, value)
            hook = getattr(value, "on_assigned", None)
            if hook is not None:
                hook(target.id)
        elif isinstance(target, (ast.Tuple, ast.List)) and self._assign_starred(target, value, scope, stmt):
            pass
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = self.unpack(value, len(target.elts), target)
            for t, v in zip(target.elts, items):
                if isinstance(t, ast.Starred):
                    self.assign(t.value, UNRESOLVED, scope, stmt)
                else:
                    self.assign(t, v, scope, stmt)
        elif isinstance(target, ast.Attribute):
            obj = self.eval(target.value, scope)
            if isinstance(obj, Instance):
                obj.attrs[target.attr] = value
                hook = getattr(obj, "on_setattr", None)
                fn = api.find_method(obj, "__setattr__")
                if fn is not None:
                    fn(self, obj, target.attr, plain(value), stmt)
                elif hook:
                    hook(target.attr, value)
            elif api.find_method(obj, "__setattr__") is not None:
                api.find_method(obj, "__setattr__")(self, obj, target.attr, plain(value), stmt)
        elif isinstance(target, ast.Subscript):
            obj = self.eval(target.value, scope)
            key = self.eval(target.slice, scope)
            if isinstance(obj, TensorVal):  # `mask[:, 0] = False`: the array changed in place
                mask_polarity.forget(self, obj.value)
            if isinstance(obj, dict) and is_const(key):
                self.will_mutate(obj)
                obj[key] = value
            elif isinstance(obj, dict):  # `label_index[cat] = rank` at a key not known here: which keys it has is not
                self.open_dicts[id(obj)] = obj  # known any more (its length, its items)
            elif isinstance(obj, list) and isinstance(key, int) and -len(obj) <= key < len(obj):
                self.will_mutate(obj)
                obj[key] = value
            elif isinstance(obj, tuple) and type(obj) is not tuple and isinstance(target.value, ast.Name):
                # the tensors a model returned together, as a list (a neck's feature maps) that the next model
                # rewrites item by item (`x[i] = self.m[i](x[i])`): the name holds the changed list from here on;
                # where the item is not known, every item is
                known = isinstance(key, int) and not isinstance(key, bool) and -len(obj) <= key < len(obj)
                items = list(obj)
                if known:
                    items[key] = value
                scope.set(target.value.id, items if known else UNRESOLVED)
            elif api.find_method(obj, "__setitem__") is not None:  # a library object (nn.Sequential)
                api.find_method(obj, "__setitem__")(self, obj, plain(key), plain(value), stmt)

    def _assign_starred(self, target, value, scope: Scope, stmt) -> bool:
        """``outputs, *states = rnn(x)``: with one starred name and a known sequence, the names before and after it
        take their items and it takes a list of the rest, as Python does. False (nothing assigned) otherwise."""
        stars = [i for i, t in enumerate(target.elts) if isinstance(t, ast.Starred)]
        if len(stars) != 1 or not isinstance(value, (tuple, list)) or len(value) < len(target.elts) - 1:
            return False
        k, after = stars[0], len(target.elts) - stars[0] - 1
        items = list(value)
        rest = items[k:len(items) - after]
        for t, v in zip(target.elts, items[:k] + [rest] + items[len(items) - after:]):
            self.assign(t.value if isinstance(t, ast.Starred) else t, v, scope, stmt)
        return True

    def unpack(self, value, n: int, node=None) -> list:
        """``a, b, c = value``: n items, unknown ones UNRESOLVED (``node``: the target, for the ops a tensor's
        unpacking records)."""
        if isinstance(value, (tuple, list)) and len(value) == n:
            return list(value)
        fn = api.find_method(value, "__unpack__")
        if fn is not None:
            got = fn(self, value, n, node)
            if got is not None:
                return got
        return [UNRESOLVED] * n

    def keys_unknown(self, d) -> bool:
        """A dict given an item at a key not known here: its keys, length and items are unknown."""
        return self.open_dicts.get(id(d)) is d

    def iterate(self, value, node, rows: bool = False) -> Optional[list]:
        """The items of ``value`` one by one, or None when they are unknown -- or more than MAX_UNROLL: a longer
        sequence is never cut to its first items (a wrong 10,001st layer would pass), it is unknown, with a note."""
        if isinstance(value, frozenset):
            value = _in_order(value)
            if value is None:
                return None
        if isinstance(value, dict) and self.keys_unknown(value):
            return None
        if isinstance(value, (tuple, list, dict, range, str)):
            try:
                n = len(value)
            except OverflowError:  # range(10 ** 30)
                n = MAX_UNROLL + 1
            if n > MAX_UNROLL:
                what = "loop runs" if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) else "sequence has"
                self.cut_short("unroll", node, f"this {what} {n:,} items, more than shapelint follows one by one "
                               f"({MAX_UNROLL:,}); they are unknown, and what the code does with them is not checked")
                return None
            self.tick(n)
            return list(value.keys()) if isinstance(value, dict) else list(value)
        if isinstance(value, Generated):
            return Repeated(value.samples)
        fn = api.find_method(value, "__iter__")
        if fn is not None:
            items = fn(self, value, node)
            return None if isinstance(items, Rows) and not rows else items  # only comprehensions follow rows
        return None

    def folded(self, value, node):
        """``value`` if it is within the size cap of folded constants, else UNRESOLVED and a note."""
        if isinstance(value, (list, tuple, dict, frozenset)):
            items = value.values() if isinstance(value, dict) else value
            if len(value) <= MAX_UNROLL and not any(isinstance(v, (list, tuple, dict, str, bytes)) for v in items):
                return value  # flat and short: the common case, nothing to walk
            size = folded_size(value)
            self.tick(size)  # walking it is work too
            return self.unknown_too_big(node) if size > MAX_FOLDED_ITEMS else value
        if too_big(value):
            return self.unknown_too_big(node)
        return value

    def unknown_too_big(self, node):
        self.cut_short("fold", node, "this value is too large for shapelint to compute (a string over 1,000,000 "
                       "characters, a collection over 100,000 items or nested over 64 deep, or a number over 10^30); "
                       "it is unknown")
        return UNRESOLVED

    def truth(self, value) -> Optional[bool]:
        if value is UNRESOLVED:
            return None
        if is_const(value) or isinstance(value, (dict, range)):
            return bool(value)
        if isinstance(value, (LayerObj, Instance, UserFunction, UserClass, TensorVal, QualName, Opaque)):
            return None if isinstance(value, TensorVal) else True
        return None

    # -- expressions --------------------------------------------------------------------------------------
    def eval(self, node, scope: Scope) -> Any:
        if node is None:
            return None
        self.tick()
        fn = getattr(self, "e_" + type(node).__name__, None)
        if fn is None:
            return UNRESOLVED
        if self.nesting >= self.max_nesting:
            self.too_deep.append(node)
            return UNRESOLVED
        self.nesting += 1
        try:
            return fn(node, scope)
        except (_Return, _Break, _Continue, BudgetExceeded):
            raise
        except RecursionError:
            self.too_deep.append(node)
            return UNRESOLVED
        except Exception:
            return UNRESOLVED
        finally:
            self.nesting -= 1

    def e_Constant(self, node, scope):
        value = node.value
        if type(value) is int:  # an int literal remembers where it was written (core/provenance.py)
            return provenance.written(value, Span.of(node))
        return value

    def e_Name(self, node, scope):
        v = scope.lookup(node.id)
        if v is _MISSING:
            if node.id in _BUILTINS:
                return _BUILTINS[node.id]
            return _star_import(scope, node.id)
        return v

    def e_Tuple(self, node, scope):
        return self.folded(tuple(self._elts(node.elts, scope)), node)

    def e_List(self, node, scope):
        return self.folded(list(self._elts(node.elts, scope)), node)

    def e_Set(self, node, scope):
        return UNRESOLVED

    def _elts(self, elts, scope):
        out = []
        for e in elts:
            if isinstance(e, ast.Starred):
                v = self.eval(e.value, scope)
                items = self.iterate(v, e)
                if items is None:
                    out.append(UNRESOLVED)
                else:
                    out.extend(items)
            else:
                out.append(self.eval(e, scope))
        return out

    def e_Dict(self, node, scope):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                inner = self.eval(v, scope)
                if isinstance(inner, dict):
                    out.update(inner)
                continue
            key = self.eval(k, scope)
            if is_const(key) and not isinstance(key, list):
                out[key] = self.eval(v, scope)
        return self.folded(out, node)

    def e_JoinedStr(self, node, scope):
        """f-strings over known constants (``f"layer{i}"`` names submodules in loops)."""
        parts, known = [], True
        for v in node.values:  # every value is evaluated: `print(f"acc {evaluate(model, loader):.3f}")` runs a check
            if isinstance(v, ast.Constant):
                parts.append(str(v.value))
                continue
            if not isinstance(v, ast.FormattedValue):
                known = False
                continue
            x = self.eval(v.value, scope)
            if v.format_spec is not None:
                self.eval(v.format_spec, scope)
                known = False
            if not known or not isinstance(x, (int, float, str, bool)) or x is UNRESOLVED:
                known = False
                continue
            parts.append({-1: str, 115: str, 114: repr, 97: ascii}.get(v.conversion, str)(x))
        return self.folded("".join(parts), node) if known else Text()

    def e_Attribute(self, node, scope):
        obj = self.eval(node.value, scope)
        return self.getattr(obj, node.attr, node)

    def getattr(self, obj, name: str, node=None):
        if obj is UNRESOLVED:
            return UNRESOLVED
        if isinstance(obj, QualName):
            qual = api.canonical(f"{obj.name}.{name}")
            return _CONSTANTS.get(qual, QualName(qual))
        fn = api.find_attribute(obj, name)
        if fn is not None:
            return fn(self, obj, node)
        fn = api.find_attribute(obj, "__getattr__")  # an object whose attributes are data (argparse Namespace)
        if fn is not None:
            return fn(self, obj, name, node)
        if isinstance(obj, Instance):
            if name in obj.attrs:
                return obj.attrs[name]
            m = obj.cls.find_method(name)
            if isinstance(m, UserFunction):
                deco = _decorators(m.node)
                if "property" in deco:
                    return self.call_function(m, [obj], {}, node)
                if "staticmethod" in deco:
                    return m
                return BoundMethod(obj, name, m)
            if isinstance(m, FieldFactory):  # a default_factory field: this instance's own value, made once
                obj.attrs[name] = self.call(m.factory, api.Call(node=m.node, args=[], kwargs={}))
                return obj.attrs[name]
            if m is not None:
                return m
            return BoundMethod(obj, name)
        if isinstance(obj, _SuperObj):
            return obj.attr(name)
        if isinstance(obj, UserClass):
            m = obj.find_method(name)
            if m is None and name == "apply" and _autograd_function(obj):
                # `GradReverse.apply(x, alpha)` runs the static `forward(ctx, x, alpha)`; the context is a plain
                # object its forward may store things on
                forward = obj.find_method("forward")
                if forward is None:
                    return UNRESOLVED
                if obj.find_method("setup_context") is not None:  # new style: forward(x, ...) takes no context
                    return forward
                return BoundMethod(Instance(obj, {}), "forward", forward)
            return m if m is not None else UNRESOLVED
        if api.find_method(obj, name) is not None:
            return BoundMethod(obj, name)
        if isinstance(obj, (LayerObj, TensorVal, Opaque)) or hasattr(obj, "framework"):
            return BoundMethod(obj, name)
        if isinstance(obj, dict) and name in ("get", "items", "keys", "values"):
            return BoundMethod(obj, name)
        if isinstance(obj, list) and name in ("append", "extend", "insert", "pop", "appendleft", "popleft"):
            return BoundMethod(obj, name)
        if isinstance(obj, (list, tuple, str)) and name in _QUERIES.get(type(obj), ()):
            return BoundMethod(obj, name)
        if isinstance(obj, Text) and name in _TEXT_TO_TEXT:
            return BoundMethod(obj, name)
        return UNRESOLVED

    def e_Subscript(self, node, scope):
        obj = self.eval(node.value, scope)
        fn = api.find_method(obj, "__getitem__")
        if fn is not None:
            return fn(self, obj, node.slice, scope)
        key = self.eval(node.slice, scope)
        if isinstance(obj, (tuple, list, str)) and isinstance(key, int) and not isinstance(key, bool):
            return obj[key] if -len(obj) <= key < len(obj) else UNRESOLVED
        if isinstance(obj, (tuple, list, str)) and isinstance(key, slice):
            return obj[key]
        if isinstance(obj, dict) and is_const(key) and not isinstance(key, list):
            if self.keys_unknown(obj):  # an item given at a key not known here may have replaced this one
                return UNRESOLVED
            return obj.get(key, UNRESOLVED)
        if isinstance(obj, dict) and obj and not self.keys_unknown(obj):
            return _any_item(list(obj.values()))  # `centers[s]` at a key not known here
        return UNRESOLVED

    def e_Slice(self, node, scope):
        parts = [self.eval(p, scope) if p is not None else None for p in (node.lower, node.upper, node.step)]
        if all(p is None or (isinstance(p, int) and not isinstance(p, bool)) for p in parts):
            return slice(*parts)
        width = self._window_width(node, scope)
        return slice(0, width) if width is not None else UNRESOLVED

    def _window_width(self, node, scope):
        """``data[s:s + SEQ_LEN]`` (or ``data[s + 1:s + SEQ_LEN + 1]``) with a start known only at run time (a
        random offset): a window of SEQ_LEN items, wherever it starts (the code draws the start so that the window
        fits). The bounds must differ by known terms only."""
        if node.lower is None or node.upper is None or node.step is not None or \
                any(isinstance(n, ast.Call) for part in (node.lower, node.upper) for n in ast.walk(part)):
            return None  # evaluated a second time below: only plain arithmetic on names
        lower, upper = self._terms(node.lower, scope), self._terms(node.upper, scope)
        if lower is None or upper is None or lower[1] != upper[1] or not lower[1]:
            return None
        width = upper[0] - lower[0]
        return width if width > 0 else None

    def _terms(self, node, scope, sign: int = 1, depth: int = 0):
        """(known part, sorted unknown terms) of a sum: ``s + SEQ_LEN + 1`` -> (SEQ_LEN + 1, [s])."""
        if depth > 8:
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            left = self._terms(node.left, scope, sign, depth + 1)
            right = self._terms(node.right, scope, -sign if isinstance(node.op, ast.Sub) else sign, depth + 1)
            if left is None or right is None:
                return None
            return left[0] + right[0], sorted(left[1] + right[1])
        value = self.eval(node, scope)
        if isinstance(value, int) and not isinstance(value, bool):
            return sign * value, []
        return 0, [f"{sign}:{ast.dump(node)}"]

    def e_Starred(self, node, scope):
        return UNRESOLVED

    def e_BinOp(self, node, scope):
        # ``1 + 1 + ... + 1`` nests to the left as deep as it is long: walk the chain in a loop, not by recursion
        chain = [node]
        while isinstance(chain[-1].left, ast.BinOp) and len(chain) < 100_000:
            chain.append(chain[-1].left)
        left = self.eval(chain[-1].left, scope)
        for n in reversed(chain):
            if n is not node:
                self.tick()
            right = self.eval(n.right, scope)
            try:  # a size computed here remembers this expression (core/provenance.py)
                left = provenance.at(self.binop(type(n.op), left, right, n), Span.of(n))
            except (_Return, _Break, _Continue, BudgetExceeded, RecursionError):
                raise
            except Exception:  # as eval() would for this sub-expression: unknown, and the chain goes on
                left = UNRESOLVED
        return left

    def binop(self, op_type, left, right, node):
        if isinstance(left, Text) or isinstance(right, Text):
            strings = isinstance(left, (str, Text)) and isinstance(right, (str, Text))
            if op_type is ast.Add and strings or op_type is ast.Mod and isinstance(left, (str, Text)):
                return Text()  # `prefix + name`, `"%s" % label`: a string still
            left, right = plain(left), plain(right)
        if isinstance(left, Number) or isinstance(right, Number):
            number = _number_binop(op_type, left, right)
            if number is not None:  # `gamma * float(reward)`: a number still
                return number
            if not isinstance(right if isinstance(left, Number) else left, TensorVal):
                left, right = plain(left), plain(right)  # a tensor takes a number as the scalar it is (torch_ops)
        for side, other, reflected in ((left, right, False), (right, left, True)):
            fn = api.find_method(side, "__binop__")
            if fn is not None:
                return fn(self, op_type, left, right, node)
        sequences = (list, tuple, str, bytes)
        if op_type in (ast.Add, ast.Mult) and (isinstance(left, sequences) or isinstance(right, sequences)):
            if sequence_result_too_big("add" if op_type is ast.Add else "mul", left, right):
                return self.unknown_too_big(node)  # judged before building: ``s = s * 10000`` twice is 10^8 chars
            if op_type is ast.Add and isinstance(left, (list, tuple)) and \
                    isinstance(right, list if isinstance(left, list) else tuple):
                self.tick(len(left) + len(right))
                if not isinstance(left, list):
                    return left + right
                joined = list(left) + list(right)  # layers += [nn.Conv2d(...), nn.ReLU()]
                counted = all(isinstance(v, CountedList) or UNRESOLVED not in v for v in (left, right))
                return CountedList(joined) if counted and UNRESOLVED in joined else joined
            if op_type is ast.Mult and isinstance(left, (list, tuple)) and isinstance(right, int) and \
                    not isinstance(right, bool) and right >= 0:
                self.tick(len(left) * right)
                return left * right
        if is_const(left) and is_const(right):
            f = _BINOPS.get(op_type)
            if f is None:
                return UNRESOLVED
            if op_type is ast.Pow and isinstance(right, (int, float)) and abs(right) > 64 or \
                    op_type is ast.LShift and isinstance(right, int) and right > 64 or \
                    op_type is ast.Mod and format_too_wide(left):
                return self.unknown_too_big(node)
            try:
                result = f(left, right)
            except Exception:
                return UNRESOLVED
            if isinstance(result, (list, tuple)):
                self.tick(len(result))
            elif isinstance(result, (str, bytes)):
                self.tick(1 + len(result) // 64)  # as folded_size counts characters
            return self.folded(result, node)
        return UNRESOLVED

    def e_UnaryOp(self, node, scope):
        v = self.eval(node.operand, scope)
        if isinstance(v, Number) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return Number("int" if v.kind == "bool" else v.kind)
        fn = api.find_method(v, "__unaryop__")
        if fn is not None:
            return fn(self, type(node.op), v, node)
        if isinstance(node.op, ast.Not):
            t = self.truth(v)
            return UNRESOLVED if t is None else (not t)
        if isinstance(v, (int, float, complex)) and not isinstance(v, bool) or isinstance(v, bool):
            result = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Invert: operator.invert}[type(node.op)](v)
            return provenance.at(result, Span.of(node))
        return UNRESOLVED

    def e_BoolOp(self, node, scope):
        result = None
        for value_node in node.values:
            v = self.eval(value_node, scope)
            t = self.truth(v)
            if t is None:
                return UNRESOLVED
            result = v
            if isinstance(node.op, ast.And) and not t:
                return v
            if isinstance(node.op, ast.Or) and t:
                return v
        return result

    def e_Compare(self, node, scope):
        left = self.eval(node.left, scope)
        for op, right_node in zip(node.ops, node.comparators):
            right = self.eval(right_node, scope)
            if not isinstance(op, (ast.Is, ast.IsNot)):  # a number not known compares as unknown (`reward > 0`)
                left, right = plain(left), plain(right)
            if len(node.ops) == 1 and not isinstance(op, (ast.Is, ast.IsNot, ast.In, ast.NotIn)):
                fn = api.find_method(left, "__compare__") or api.find_method(right, "__compare__")
                if fn is not None:  # an element-wise tensor comparison (``mask = tokens == 0``)
                    return fn(self, type(op), left, right, node)
            if isinstance(op, (ast.Is, ast.IsNot)):
                if left is UNRESOLVED or right is UNRESOLVED:
                    return UNRESOLVED
                if right is None or left is None:
                    res = (left is None) == (right is None)
                    res = res if isinstance(op, ast.Is) else not res
                else:
                    return UNRESOLVED
            elif is_const(left) and is_const(right) or (isinstance(op, (ast.In, ast.NotIn))
                                                          and is_const(left) and isinstance(right, (dict, range))):
                try:
                    res = _CMPOPS[type(op)](left, right)
                except Exception:
                    return UNRESOLVED
            else:
                return UNRESOLVED
            if not res:
                return False
            left = right
        return True

    def e_IfExp(self, node, scope):
        t = self.truth(self.eval(node.test, scope))
        if t is None:
            a, b = self.eval(node.body, scope), self.eval(node.orelse, scope)
            if a is b or (is_const(a) and is_const(b) and a == b):
                return a
            return _either_tensor(a, b)
        return self.eval(node.body if t else node.orelse, scope)

    def e_Lambda(self, node, scope):
        return UserFunction(node, scope)

    def e_NamedExpr(self, node, scope):
        v = self.eval(node.value, scope)
        self.assign(node.target, v, scope)
        return v

    def _lookup_range(self, elt, scope) -> Optional[tuple]:
        """(low, high + 1) of ``table[key]`` read at a key not known here (a sample row's label name), when
        ``table`` is a dict whose values are all ints: ``[label2id[name] for name in names]`` holds ids from the
        smallest value to the largest."""
        if not isinstance(elt, ast.Subscript):
            return None
        table = self.eval(elt.value, scope)
        values = list(table.values()) if isinstance(table, dict) else []
        if not values or not all(type(v) is int or isinstance(v, provenance.Sized) for v in values):
            return None
        return min(values), max(values) + 1

    def _lookup_alike(self, elt, scope):
        """``table[key]`` read at a key not known here, when every value of the dict ``table`` is a list of numbers
        of one nested shape (``centers[species]`` with ``[5.0, 3.4, 1.5, 0.2]`` per species): any value stands for
        the row's shape, which is all a row list is read for (floats if any value holds one, as numpy makes them).
        UNRESOLVED otherwise, and for a table of plain numbers."""
        if not isinstance(elt, ast.Subscript):
            return UNRESOLVED
        table = self.eval(elt.value, scope)
        values = list(table.values()) if isinstance(table, dict) else []
        shapes = {_number_rows(v) for v in values}
        if not values or len(shapes) != 1 or None in shapes or shapes == {()}:
            return UNRESOLVED
        floats = any(isinstance(x, float) for v in values for x in _leaves(v))
        return _as_floats(values[0]) if floats else values[0]  # numpy makes every row float if one value is

    def _comprehension(self, node, scope, build, rows: bool = False):
        """The items a comprehension builds, or None when they are unknown. ``rows``: ``[f(row) for row in array]``
        over an array of known length (one generator, no condition) gives a RowList, the element worked out once on
        a sample row standing for every row."""
        inner = Scope(scope, kind="comprehension")
        results, whole = [], []

        def rec(i):
            if i == len(node.generators):
                results.append(build(inner))
                return
            gen = node.generators[i]
            items = self.iterate(self.eval(gen.iter, inner), gen, rows=rows and i == 0)
            if isinstance(items, Rows):
                if not (rows and len(node.generators) == 1 and not gen.ifs and len(items) == 1):
                    raise _Unknown()
                self.assign(gen.target, items[0], inner)
                item = build(inner)
                ids = self._lookup_range(getattr(node, "elt", None), inner) if item is UNRESOLVED else None
                if item is UNRESOLVED and ids is None:
                    item = self._lookup_alike(getattr(node, "elt", None), inner)
                whole.append(RowList(item if ids is None else ids[1] - 1, items.count, ids))
                return
            if items is None:
                raise _Unknown()
            for item in items:
                self.assign(gen.target, item, inner)
                conds = [self.truth(self.eval(c, inner)) for c in gen.ifs]
                if any(c is None for c in conds):
                    raise _Unknown()
                if all(conds):
                    rec(i + 1)
        try:
            rec(0)
        except _Unknown:
            return None
        return whole[0] if whole else results

    def e_ListComp(self, node, scope):
        r = self._comprehension(node, scope, lambda s: self.eval(node.elt, s), rows=True)
        if isinstance(r, RowList):
            return r
        if r is None:
            return UNRESOLVED
        # only a list with unknown items needs to say its length is known: every other list is a plain list
        return self.folded(CountedList(r) if any(v is UNRESOLVED for v in r) else r, node)

    def e_Yield(self, node, scope):
        value = self.eval(node.value, scope) if node.value is not None else None
        if self.yielded and len(self.yielded[-1]) < MAX_YIELD_SAMPLES:
            self.yielded[-1].append(value)
        return UNRESOLVED  # what the caller sends in

    def e_YieldFrom(self, node, scope):
        items = self.iterate(self.eval(node.value, scope), node)
        if self.yielded:
            room = MAX_YIELD_SAMPLES - len(self.yielded[-1])
            self.yielded[-1].extend((items or [UNRESOLVED])[:max(0, room)])
        return UNRESOLVED

    def e_GeneratorExp(self, node, scope):
        r = self._comprehension(node, scope, lambda s: self.eval(node.elt, s))
        return UNRESOLVED if r is None else self.folded(tuple(r), node)

    def e_SetComp(self, node, scope):
        r = self._comprehension(node, scope, lambda s: self.eval(node.elt, s))
        if r is None or not all(is_const(v) and not isinstance(v, (list, dict)) for v in r):
            return UNRESOLVED
        try:
            return self.folded(frozenset(r), node)
        except TypeError:  # an unhashable item
            return UNRESOLVED

    def e_DictComp(self, node, scope):
        r = self._comprehension(node, scope, lambda s: (self.eval(node.key, s), self.eval(node.value, s)))
        if r is None:
            return UNRESOLVED
        return self.folded({k: v for k, v in r if is_const(k) and not isinstance(k, list)}, node)

    # -- calls --------------------------------------------------------------------------------------------
    def e_Call(self, node, scope):
        func = self.eval(node.func, scope)
        args, arg_nodes, starred = [], [], False
        for a in node.args:
            if isinstance(a, ast.Starred):
                items = self.iterate(self.eval(a.value, scope), a)
                if items is None:
                    starred = True
                    continue
                args.extend(items)
                arg_nodes.extend([a] * len(items))
            else:
                args.append(self.eval(a, scope))
                arg_nodes.append(a)
        kwargs, kw_nodes = {}, {}
        for kw in node.keywords:
            if kw.arg is None:
                d = self.eval(kw.value, scope)
                if isinstance(d, dict):
                    kwargs.update({k: v for k, v in d.items() if isinstance(k, str)})
                    kw_nodes.update({k: kw.value for k in d if isinstance(k, str)})
                else:
                    starred = True
                continue
            kwargs[kw.arg] = self.eval(kw.value, scope)
            kw_nodes[kw.arg] = kw.value
        call = api.Call(node, args, kwargs, arg_nodes, kw_nodes, self.text(node.func), starred)
        if isinstance(node.func, ast.Attribute) and node.func.attr in _RESHAPING_IN_PLACE and \
                isinstance(node.func.value, ast.Name):
            # `x.transpose_(1, 0)`: the tensor the name holds now has the new layout (the method returns it too)
            result = self.call(func, call)
            if getattr(result, "shape", None) is not None:
                self.assign(node.func.value, result, scope)
            return result
        if func is UNRESOLVED and isinstance(node.func, ast.Attribute) and node.func.attr == "reshape":
            # `d[b"data"].reshape(-1, 3, 32, 32)` on an array shapelint could not follow (a pickle, a file): the
            # shape is all in the call
            fn = api.find_handler("<unknown>.reshape")[0]
            return fn(self, call) if fn is not None else UNRESOLVED
        return self.call(func, call)

    def call(self, func, call: "api.Call"):
        if func is UNRESOLVED:
            return UNRESOLVED
        library = plain_call(call)  # what every library handler but the array constructors sees
        watch = self.state.on_call  # checks record the calls that feed data to models (checks/)
        if watch is not None:
            watch(self, func, library)
        if isinstance(func, QualName):
            fn, rest = api.find_handler(func.name)
            if fn is None:
                return UNRESOLVED
            given = call if getattr(fn, "takes_numbers", False) else library
            return fn(self, given) if rest is None else fn(self, given, rest)
        if isinstance(func, UserFunction):
            return self.call_function(func, call.args, call.kwargs, call.node, starred=call.starred, call=call)
        if isinstance(func, UserClass):
            fn = api.find_handler("<class>")[0]
            return fn(self, func, call) if fn else UNRESOLVED
        if isinstance(func, BoundMethod):
            if func.func is not None:
                return self.call_function(func.func, [func.obj] + call.args, call.kwargs, call.node,
                                          starred=call.starred, call=call, offset=1)
            fn = api.find_method(func.obj, func.name)
            if fn is not None:
                return fn(self, func.obj, call if getattr(fn, "takes_numbers", False) else library)
            fn = api.find_method(func.obj, "__method__")  # a library object's catch-all for other methods
            if fn is not None:
                return fn(self, func.obj, func.name, library)
            if isinstance(func.obj, (list, tuple, str)) and func.name in _QUERIES.get(type(func.obj), ()):
                return _query(func.obj, func.name, library)
            if isinstance(func.obj, Text):  # `text.lower()`: a string still
                return Text() if func.name in _TEXT_TO_TEXT else UNRESOLVED
            if isinstance(func.obj, list):
                self.will_mutate(func.obj)
                return _list_method(self, func.obj, func.name, call)
            if isinstance(func.obj, dict):
                if self.keys_unknown(func.obj) and func.name in ("items", "keys", "values", "get"):
                    return UNRESOLVED
                return _dict_method(func.obj, func.name, call)
            return UNRESOLVED
        if callable(func) and getattr(func, "_shapelint_builtin", False):
            try:
                return func(self, call)
            except Exception:
                return UNRESOLVED
        fn = api.find_method(func, "__call__")
        if fn is not None:
            return fn(self, func, library)
        if isinstance(func, Instance) and type(func) is Instance:
            # a plain user object with its own __call__ (a hand-written transform, a loss helper class)
            m = func.cls.find_method("__call__")
            if isinstance(m, UserFunction):
                return self.call(BoundMethod(func, "__call__", m), call)
        return UNRESOLVED

    def _origins(self, fnode, call, offset: int, scope) -> dict:
        """Parameter -> (value, literal span at the call site) for the literal ints the caller passed (directly,
        or through a parameter of its own that came from a literal)."""
        if call is None or call.starred or not isinstance(fnode, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return {}
        caller = self.param_origins[-1] if self.param_origins else {}
        a = fnode.args
        params = [p.arg for p in a.posonlyargs + a.args]
        pairs = [(params[i + offset], n) for i, n in enumerate(call.arg_nodes) if i + offset < len(params)]
        pairs += [(k, n) for k, n in call.kw_nodes.items()]
        out = {}
        for name, n in pairs:
            value = scope.vars.get(name)
            if not isinstance(value, int) or isinstance(value, bool):
                continue
            if isinstance(n, ast.Constant) and n.value == value:
                out[name] = (value, Span.of(n))
            elif isinstance(n, ast.Name) and isinstance(caller.get(n.id), tuple) and caller[n.id][0] == value:
                out[name] = caller[n.id]
        return out

    def _default(self, func: UserFunction, param: str, default_node, call_node):
        """A parameter's default, remembered as such: when it is the wrong number, the fix passes the parameter at
        the call that left it out (``PatchEmbed(img_size=32, ...)``)."""
        value = self.eval(default_node, func.env)
        return provenance.defaulted(value, param, _callee_name(func), Span.of(default_node), Span.of(call_node))

    def call_function(self, func: UserFunction, args: list, kwargs: dict, node=None, starred=False, call=None,
                      offset: int = 0):
        if self.depth >= MAX_DEPTH:
            self.cut_short("depth", node, f"calls nested deeper than {MAX_DEPTH} are not followed; this call's "
                           "result is unknown")
            return UNRESOLVED
        fnode = func.node
        scope = Scope(func.env, kind="function")
        a = fnode.args
        params = a.posonlyargs + a.args
        defaults = [None] * (len(params) - len(a.defaults)) + list(a.defaults)
        for i, p in enumerate(params):
            if i < len(args):
                scope.set(p.arg, args[i])
            elif p.arg in kwargs:
                scope.set(p.arg, kwargs[p.arg])
            elif defaults[i] is not None:
                scope.set(p.arg, self._default(func, p.arg, defaults[i], node))
            else:
                scope.set(p.arg, UNRESOLVED)
        if starred:
            for p in params[len(args):]:
                if p.arg not in kwargs:
                    scope.set(p.arg, UNRESOLVED)
        for p, d in zip(a.kwonlyargs, a.kw_defaults):
            if p.arg in kwargs:
                scope.set(p.arg, kwargs[p.arg])
            else:
                scope.set(p.arg, self._default(func, p.arg, d, node) if d is not None else UNRESOLVED)
        if a.vararg:
            scope.set(a.vararg.arg, tuple(args[len(params):]) if not starred else UNRESOLVED)
        if a.kwarg:
            known = {p.arg for p in params} | {p.arg for p in a.kwonlyargs}
            scope.set(a.kwarg.arg, {k: v for k, v in kwargs.items() if k not in known})
        self.depth += 1
        self.scopes.append(scope)
        self.param_origins.append(self._origins(fnode, call, offset, scope))
        self.call_sites.append(Span.of(node) if node is not None else None)
        method = func.owner is not None and bool(args)
        if method:
            self.method_stack.append((func.owner, args[0]))
        generator = not isinstance(fnode, ast.Lambda) and _yields(fnode)
        if generator:
            self.yielded.append([])
        result = None
        try:
            if isinstance(fnode, ast.Lambda):
                result = self.eval(fnode.body, scope)
            else:
                self.exec_block(fnode.body, scope)
        except _Return as r:
            result = r.value
        except (_Break, _Continue):
            result = UNRESOLVED
        finally:
            self.depth -= 1
            self.scopes.pop()
            self.param_origins.pop()
            self.call_sites.pop()
            if method:
                self.method_stack.pop()
            samples = self.yielded.pop() if generator else None
        if generator:  # calling a generator function gives its yielded values, whatever it returns at the end
            return Generated(samples) if samples else UNRESOLVED
        return result


def _callee_name(func: UserFunction) -> str:
    """``PatchEmbed`` for its ``__init__``, else the function's own name."""
    name = getattr(func.node, "name", "<lambda>")
    if name == "__init__" and func.owner is not None:
        return getattr(func.owner.node, "name", name)
    return name
def _stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


_MUTATORS = {"append", "extend", "insert", "update", "add", "pop", "remove", "clear", "setdefault", "discard",
             "popitem", "sort", "reverse"}


def _mutated_names(node) -> set:
    """Names whose value a statement may change in place at its own level: ``Y.append(ix)``, ``d[k] = v``,
    ``counts[k] += 1`` (not inside the functions and classes it defines)."""
    out, todo = set(), [node]
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)) and n is not node:
            continue
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _MUTATORS and \
                isinstance(n.func.value, ast.Name):
            out.add(n.func.value.id)
        elif isinstance(n, ast.Subscript) and isinstance(n.ctx, (ast.Store, ast.Del)) and \
                isinstance(n.value, ast.Name):
            out.add(n.value.id)
        todo.extend(ast.iter_child_nodes(n))
    return out


def _stored_names(node) -> set:
    """Every name a statement may bind at its own level (targets, loop variables, ``with ... as``, walrus,
    definitions), not those of the functions and classes it defines."""
    out, todo = set(), [node]
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
            if n is not node:
                continue
            todo.extend(n.decorator_list)
            continue
        if isinstance(n, ast.Lambda):
            continue
        if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del)):
            out.add(n.id)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            out.update((a.asname or a.name).split(".")[0] for a in n.names if a.name != "*")
        todo.extend(ast.iter_child_nodes(n))
    return out


def _split_keep_ends(source: str) -> list:
    """Lines as the parser counts them (\\r\\n, \\r or \\n), each with its line end."""
    lines, start = [], 0
    for m in re.finditer(r"\r\n|\r|\n", source):
        lines.append(source[start:m.end()])
        start = m.end()
    lines.append(source[start:])
    return lines


_STAR_IMPORTS = "<star-imports>"  # scope key: modules imported with ``from M import *``, in order


def _star_import(scope: "Scope", name: str):
    """A name no statement defines, looked up in the star-imported modules: the most recent module for which a
    library handler knows the name exactly wins, else the most recent one a prefix handler covers."""
    stars = scope.lookup(_STAR_IMPORTS)
    if stars is _MISSING or not stars:
        return UNRESOLVED
    candidates = [api.canonical(f"{mod}.{name}") for mod in reversed(stars)]
    for full in candidates:
        if api.has_handler(full):
            return QualName(full)
    for full in candidates:
        if api.find_handler(full)[0] is not None:
            return QualName(full)
    return UNRESOLVED


class _Unknown(Exception):
    pass


def _same_tensor(a, b) -> bool:
    """Two branches left tensors of one fully known shape (``if self.training: x = F.dropout(x)``)."""
    return (isinstance(a, TensorVal) and isinstance(b, TensorVal) and a.lib == b.lib and a.shape is not None
            and a.shape == b.shape and all(isinstance(d, (int, str)) for d in a.shape))


def _decorators(fnode) -> set:
    out = set()
    for d in getattr(fnode, "decorator_list", []):
        if isinstance(d, ast.Name):
            out.add(d.id)
        elif isinstance(d, ast.Attribute):
            out.add(d.attr)
    return out


def _target_names(t) -> list:
    if isinstance(t, ast.Name):
        return [t.id]
    if isinstance(t, (ast.Tuple, ast.List)):
        return [n for e in t.elts for n in _target_names(e)]
    if isinstance(t, ast.Starred):
        return _target_names(t.value)
    return []


def _assigned_names(node) -> list:
    names = []
    for t in getattr(node, "targets", []) or [getattr(node, "target", None)]:
        if t is not None:
            names.extend(_target_names(t))
    return names


def _contents(obj):
    return dict(obj) if isinstance(obj, dict) else list(obj)


def _set_contents(obj, contents) -> None:
    if isinstance(obj, dict):
        obj.clear()
        obj.update(contents)
    else:
        obj[:] = contents


def _same_item(a, b) -> bool:
    return a is b or (is_const(a) and is_const(b) and a == b)


def _merge_contents(ends: list):
    """The contents of a list or dict after a region that ends in one of ``ends``: the common one when all agree,
    else a list of unknown contents (its length is unknown too), or a dict whose disagreeing keys are unknown."""
    first = ends[0]
    if isinstance(first, dict):
        keys = set().union(*ends)
        return {k: first[k] if all(k in e and _same_item(e[k], first.get(k)) for e in ends) else UNRESOLVED
                for k in keys}
    if all(len(e) == len(first) and all(_same_item(a, b) for a, b in zip(e, first)) for e in ends):
        return list(first)
    return [UNRESOLVED]


# methods of lists, tuples and strings that only read them (``COLUMNS.index("price")``, ``name.lower()``)
_QUERIES = {list: ("index", "count"), tuple: ("index", "count"),
            str: ("index", "count", "find", "lower", "upper", "strip", "lstrip", "rstrip", "split", "startswith",
                  "endswith", "replace", "join", "isdigit")}


# str methods whose result is a str whatever the string and arguments are
_TEXT_TO_TEXT = ("lower", "upper", "strip", "lstrip", "rstrip", "replace", "join", "title", "capitalize", "casefold")


def _query(obj, name: str, call):
    """The method's own result when the object and arguments are constants; unknown otherwise (and for the error
    the method would raise, a ``ValueError`` from ``index`` of a missing item) -- but a string method that makes a
    string makes one whatever it is given (``" ".join(words)`` of words not known is a :class:`Text`)."""
    made = Text() if isinstance(obj, str) and name in _TEXT_TO_TEXT and len(call.args) <= 2 else UNRESOLVED
    if call.kwargs or call.starred or not all(is_const(a) for a in call.args) or \
            (not isinstance(obj, str) and not all(is_const(v) for v in obj)):
        return made
    if name == "join" and not (call.args and isinstance(call.args[0], (list, tuple)) and
                               all(isinstance(v, str) for v in call.args[0])):
        return made
    try:
        out = getattr(obj, name)(*call.args)
    except Exception:
        return UNRESOLVED
    return out if not isinstance(out, str) or len(out) <= MAX_FOLDED_CHARS else UNRESOLVED


def _list_method(ev, obj: list, name: str, call):
    if name in ("append", "extend", "insert", "appendleft") and call.args:
        added = call.args[-1] if name != "extend" else call.args[0]
        grows = len(added) if name == "extend" and isinstance(added, (list, tuple)) else 1
        size = grows
        if isinstance(added, (list, tuple, dict)):  # l.append(l) makes a cycle; l.extend([l]) too
            # what is added, not the whole list again: rows appended one by one cost each row once (the list's
            # folded size estimated as its length times this item's -- rows of a dataset are alike)
            each = folded_size(added) if added is not obj else MAX_FOLDED_ITEMS + 1
            ev.tick(each)
            size = each * (len(obj) + 1) if name != "extend" else each + len(obj)
        if len(obj) + grows > MAX_FOLDED_ITEMS or size > MAX_FOLDED_ITEMS:
            obj[:] = [UNRESOLVED]
            ev.unknown_too_big(call.node)
            return None
        ev.tick(grows)
    if name == "append" and len(call.args) == 1:
        obj.append(call.args[0])
    elif name == "appendleft" and len(call.args) == 1:
        obj.insert(0, call.args[0])
    elif name == "popleft" and obj and not call.args:
        return obj.pop(0)
    elif name == "extend" and len(call.args) == 1 and isinstance(call.args[0], (list, tuple)):
        obj.extend(call.args[0])
    elif name == "insert" and len(call.args) == 2 and isinstance(call.args[0], int):
        obj.insert(call.args[0], call.args[1])
    elif name == "pop" and obj and (not call.args or isinstance(call.args[0], int)):
        return obj.pop(call.args[0] if call.args else -1)
    else:
        obj[:] = [UNRESOLVED]  # cannot follow: make the list's contents unknown
        if name == "pop":  # `memory.pop(i)` at an index not known: which item it returns is not known either
            return UNRESOLVED
    maxlen = getattr(obj, "maxlen", None)  # a collections.deque keeps its last maxlen items
    if isinstance(maxlen, int) and len(obj) > maxlen:
        obj[:] = obj[len(obj) - maxlen:] if name != "appendleft" else obj[:maxlen]
    return None


def _dict_method(obj: dict, name: str, call):
    if name == "get" and call.args and is_const(call.args[0]):
        return obj.get(call.args[0], call.args[1] if len(call.args) > 1 else None)
    if name == "items":
        return list(obj.items())
    if name == "keys":
        return list(obj.keys())
    if name == "values":
        return list(obj.values())
    return UNRESOLVED


# -- builtins -------------------------------------------------------------------------------------------------
def _builtin(fn):
    fn._shapelint_builtin = True
    return fn


def _consts(call) -> bool:
    return all(is_const(a) for a in call.args) and not call.kwargs


@_builtin
def _range(ev, call):
    if all(isinstance(a, int) and not isinstance(a, bool) for a in call.args) and 1 <= len(call.args) <= 3:
        return range(*call.args)
    return UNRESOLVED


@_builtin
def _len(ev, call):
    v = call.args[0] if call.args else UNRESOLVED
    if isinstance(v, dict) and ev.keys_unknown(v):
        return UNRESOLVED
    if isinstance(v, (tuple, list, str, dict, range, frozenset)) and \
            (isinstance(v, CountedList) or UNRESOLVED not in (v if isinstance(v, (list, tuple)) else [])):
        return provenance.computed(len(v), "len", (), Span.of(call.node), ev.text(call.node))
    fn = api.find_method(v, "__len__")
    n = fn(ev, v) if fn else UNRESOLVED
    return Number("int") if n is UNRESOLVED else n  # whatever it is the length of, an int


@_builtin
def _set(ev, call):
    """``set(words)``: a frozenset of constants (iterated in sorted order, evaluator.iterate)."""
    if not call.args:
        return frozenset()
    items = ev.iterate(call.args[0], call.node) if len(call.args) == 1 and not call.kwargs else None
    if items is None or isinstance(items, Repeated) or not all(is_const(v) and not isinstance(v, list) for v in items):
        return UNRESOLVED
    try:
        return ev.folded(frozenset(items), call.node)
    except TypeError:
        return UNRESOLVED


_NUMBER_MAKERS = {int: "int", float: "float", bool: "bool"}


def _number_made(f, call):
    """``float(reward)``, ``int(rng.integers(4))``, ``abs(delta)``, ``round(score)`` of a value not known: whatever
    it is, the result is a number of that type (:class:`Number`) -- or the call raises. Anything else: unknown."""
    if len(call.args) != 1 or call.kwargs or call.starred:
        return UNRESOLVED
    x = call.args[0]
    if f is int and isinstance(x, SymDim):
        return x  # `int(x.size(0))`: the size it is
    if f is not str and isinstance(x, (str, bytes, list, tuple, dict)):
        return UNRESOLVED  # int("7") is folded above; a container not known is not a number
    if f in _NUMBER_MAKERS:
        return Number(_NUMBER_MAKERS[f])
    if f is str:
        return Text()  # `str(label)`: a string, whatever the label is
    if f is abs and isinstance(x, Number):
        return Number("int" if x.kind == "bool" else x.kind)
    if f is round and isinstance(x, Number):
        return Number("int")
    return UNRESOLVED


def _pure(f):
    @_builtin
    def wrapper(ev, call):
        if not _consts(call):
            return _number_made(f, call)
        if f is int and len(call.args) == 1 and not call.kwargs and isinstance(call.args[0], provenance.Sized):
            return call.args[0]  # int() of a size keeps where it came from (`int(ids.max())`)
        floor = provenance.floor_of(call.args[0]) if f is int and len(call.args) == 1 and not call.kwargs else None
        if floor is not None:  # `int(H / 4)`: H // 4, with H's history (a default image size in a flatten formula)
            return provenance.at(floor, Span.of(call.node))  # written here: a formula's root cause points at it
        if any(too_big(a) for a in call.args) or f is pow and len(call.args) >= 2 and \
                isinstance(call.args[1], (int, float)) and abs(call.args[1]) > 64 or \
                f is sum and not all(isinstance(v, (int, float, complex)) for a in call.args for v in
                                     (a if isinstance(a, (list, tuple)) else [a])):
            return ev.unknown_too_big(call.node) if f is not sum else UNRESOLVED
        return ev.folded(f(*call.args), call.node)
    return wrapper


_CATCH_ALL = ("Exception", "BaseException", "ValueError", "IndexError", "RuntimeError", "TypeError",
              "AxisError", "LinAlgError")
_plain_sum = _pure(sum)


@_builtin
def _slice(ev, call):
    """``slice(start, start + 8)``: the slice ``x[start:start + 8]`` would make, given to ``x[sl]`` later."""
    parts = list(call.args)
    if call.kwargs or call.starred or not 1 <= len(parts) <= 3 or \
            not all(p is None or isinstance(p, int) and not isinstance(p, bool) for p in parts):
        return UNRESOLVED
    return slice(*parts)


@_builtin
def _sum(ev, call):
    """``sum(items, start=0)``: numbers fold; tensors (``sum(lin(x[:, i]) for lin in self.linear)``, the losses of
    several heads) add up one by one as ``start + t0 + t1 ...`` would, broadcasting as the framework does."""
    items = call.args[0] if len(call.args) in (1, 2) and not call.starred else None
    if not isinstance(items, (list, tuple)) or not any(api.find_method(v, "__binop__") is not None for v in items):
        return _plain_sum(ev, call)
    total = call.args[1] if len(call.args) == 2 else call.kwargs.get("start", 0)
    if set(call.kwargs) - {"start"} or not items or any(v is UNRESOLVED for v in items):
        return UNRESOLVED
    for v in items:
        total = ev.binop(ast.Add, total, v, call.node)
    return total


@_builtin
def _zip(ev, call):
    """zip over anything the evaluator can iterate (lists, ranges, ModuleLists, ...)."""
    columns = [ev.iterate(a, call.node) for a in call.args]
    if any(c is None for c in columns):
        return UNRESOLVED
    out = list(zip(*columns))
    return Repeated(out) if any(isinstance(c, Repeated) for c in columns) else out


@_builtin
def _map(ev, call):
    """``map(fn, xs, ...)``: fn called on each element (``q, k, v = map(lambda t: t.reshape(...), qkv)``)."""
    if len(call.args) < 2 or call.kwargs:
        return UNRESOLVED
    columns = [ev.iterate(a, call.node) for a in call.args[1:]]
    if any(c is None for c in columns):
        return UNRESOLVED
    nodes = call.arg_nodes[1:] if len(call.arg_nodes) == len(call.args) else []
    return [ev.call(call.args[0], api.Call(call.node, list(items), {}, list(nodes), {}, ev.text(call.node)))
            for items in zip(*columns)]


@_builtin
def _enumerate(ev, call):
    items = ev.iterate(call.args[0], call.node) if call.args else None
    start = call.get(1, "start", 0)
    if items is None or not isinstance(start, int):
        return UNRESOLVED
    out = list(enumerate(items, start))
    return Repeated(out) if isinstance(items, Repeated) else out


@_builtin
def _list(ev, call):
    if not call.args:
        return []
    items = ev.iterate(call.args[0], call.node)
    return UNRESOLVED if items is None or isinstance(items, Repeated) else list(items)  # a sample has no length


@_builtin
def _tuple(ev, call):
    if not call.args:
        return ()
    items = ev.iterate(call.args[0], call.node)
    return UNRESOLVED if items is None or isinstance(items, Repeated) else tuple(items)


@_builtin
def _dict(ev, call):
    """``dict(a=1)``, ``dict(other)``, ``dict(zip(keys, values))``; anything else is unknown (never empty)."""
    if len(call.args) > 1 or call.starred:
        return UNRESOLVED
    d = {}
    if call.args:
        src = call.args[0]
        pairs = list(src.items()) if isinstance(src, dict) else ev.iterate(src, call.node)
        if pairs is None or isinstance(pairs, Repeated) or not all(
                isinstance(p, (tuple, list)) and len(p) == 2 and is_const(p[0]) and not isinstance(p[0], list)
                for p in pairs):
            return UNRESOLVED
        d = dict(pairs)
    d.update(call.kwargs)
    return d


class _Iterator:
    """``iter(x)`` of something we can iterate: ``next()`` takes its items in order (a DataLoader yields the one
    batch the checks follow)."""

    def __init__(self, items):
        self.items = list(items)
        self.pos = 0


@_builtin
def _iter(ev, call):
    items = ev.iterate(call.args[0], call.node) if len(call.args) == 1 else None
    return UNRESOLVED if items is None else _Iterator(items)


@_builtin
def _next(ev, call):
    it = call.args[0] if call.args else None
    if isinstance(it, _Iterator) and it.pos < len(it.items):
        it.pos += 1
        return it.items[it.pos - 1]
    return UNRESOLVED


@_builtin
def _reversed(ev, call):
    items = ev.iterate(call.args[0], call.node) if call.args else None
    return UNRESOLVED if items is None or isinstance(items, Repeated) else list(reversed(items))


@_builtin
def _ignore(ev, call):
    return None


@_builtin
def _super(ev, call):
    if len(call.args) == 2 and isinstance(call.args[0], UserClass):
        return _SuperObj(call.args[0], call.args[1])
    if not call.args and ev.method_stack:
        return _SuperObj(*ev.method_stack[-1])
    return _SUPER


class _SuperObj:
    """``super()`` inside a method: attributes resolve in the user base classes of ``cls``; a method only a
    library base defines becomes ``BoundMethod(obj, "super().name")`` for the API modules to handle."""

    def __init__(self, cls=None, obj=None):
        self.cls, self.obj = cls, obj

    def attr(self, name: str):
        if self.cls is None:
            return UNRESOLVED
        for base in self.cls.bases:
            if isinstance(base, UserClass):
                m = base.find_method(name)
                if isinstance(m, UserFunction):
                    return BoundMethod(self.obj, name, m)
                if m is not None:
                    return m
        return BoundMethod(self.obj, f"super().{name}")


_SUPER = _SuperObj()


@_builtin
def _isinstance(ev, call):
    return UNRESOLVED


@_builtin
def _getattr(ev, call):
    """``getattr(self, f"fc{i}")``; with a default only when the attribute is known to be missing."""
    if len(call.args) < 2 or not isinstance(call.args[1], str):
        return UNRESOLVED
    obj, name = call.args[0], call.args[1]
    if len(call.args) > 2 and isinstance(obj, Instance) and name not in obj.attrs and \
            obj.cls.find_method(name) is None and api.find_attribute(obj, name) is None:
        return call.args[2]
    return ev.getattr(obj, name, call.node)


@_builtin
def _setattr(ev, call):
    if len(call.args) == 3 and isinstance(call.args[1], str) and isinstance(call.args[0], Instance):
        obj, name, value = call.args
        obj.attrs[name] = value
        fn = api.find_method(obj, "__setattr__")
        if fn is not None:
            fn(ev, obj, name, value, call.node)
    return None


@_builtin
def _hasattr(ev, call):
    if len(call.args) == 2 and isinstance(call.args[1], str) and isinstance(call.args[0], Instance):
        obj, name = call.args
        if name in obj.attrs or obj.cls.find_method(name) is not None:
            return True
    return UNRESOLVED


_BUILTINS = {
    "range": _range, "len": _len, "zip": _zip, "map": _map, "enumerate": _enumerate, "list": _list, "tuple": _tuple,
    "dict": _dict, "reversed": _reversed, "print": _ignore, "super": _super, "isinstance": _isinstance,
    "getattr": _getattr, "setattr": _setattr, "hasattr": _hasattr, "iter": _iter, "next": _next,
    "int": _pure(int), "float": _pure(float), "str": _pure(str), "bool": _pure(bool), "abs": _pure(abs),
    "min": _pure(min), "max": _pure(max), "sum": _sum, "round": _pure(round), "sorted": _pure(sorted),
    "set": _set, "frozenset": _set, "slice": _slice,
    "divmod": _pure(divmod), "pow": _pure(pow), "True": True, "False": False, "None": None,
}
