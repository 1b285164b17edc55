"""Causes about where a wrong number was written: an argument that sizes both sides of the mismatch, a parameter
default (or a literal passed by a caller) upstream, a formula computed away from the layer."""
from __future__ import annotations

import ast
import io
import math
import tokenize
from typing import Optional

from ...core import provenance
from ...checks.facts import DataFacts
from ...core.facts import RuleFacts
from ...core.program import Span
from ...core.values import Tensor
from ...diagnostics import remedies
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause
from ...diagnostics.fixes.calls import keyword_edit
from ..sites import assigned_value, default_relied_on_elsewhere, name_reads, single_binding
from ..spelling import (call_at, edited_text, module_name_for, module_spelling, size_name, spell_size,
                        spelled_from_provenance, spelled_in_scope)
from ...core import roles
from ...core.names import role_of_name
from ...core.registry import has
from ...diagnostics.fixes.edits import set_arg_edit
from ...diagnostics.fixes.source import function_at, is_atom, node_at, parse_expression, tree_of

# codes whose Mismatch says: the layer's argument ``arg`` wants ``expected`` where the input has ``received``
SIZED_CODES = ("feature-count-mismatch", "channel-count-mismatch")


def sized(m) -> bool:
    """The mismatch names the argument that wants ``expected`` where ``received`` came in, both sizes (an RNN whose
    ``units`` differ from its initial state's width says so with incompatible-input-shape)."""
    return (m.code in SIZED_CODES or m.code == "incompatible-input-shape") and bool(m.arg) and \
        isinstance(m.expected, int) and isinstance(m.received, int)


def expected_received(d) -> list:
    """[(expected, received)] sizes of a rule's mismatch, as the Sized the sizes were computed with; a broadcast
    failure gives both orientations (either operand may be the wrong one)."""
    f = d.facts
    if not isinstance(f, RuleFacts):
        return []
    m = f.mismatch
    if sized(m):
        return [(m.expected, m.received)]
    dims = m.facts.get("dims")
    if m.code == "merge-shape-mismatch" and isinstance(dims, tuple) and len(dims) == 2 and \
            all(isinstance(v, int) for v in dims):
        return [(dims[0], dims[1]), (dims[1], dims[0])]
    if isinstance(m.expected, tuple) and isinstance(m.received, tuple):  # two shapes one axis apart: that axis
        return _one_axis_apart(m.expected, m.received)
    return []


def matmul_sides(m) -> list:
    """[(one operand's inner size, the other's, the other operand's shape)] of a matmul mismatch, both ways round:
    either operand may be the data and the other the weight built for it."""
    if m.code != "matmul-shape-mismatch":
        return []
    li, ri = m.facts.get("left_inner"), m.facts.get("right_inner")
    return [(ri, li, m.facts.get("left_shape")), (li, ri, m.facts.get("right_shape"))]


def declared_and_data(d) -> list:
    """[(declared, data)] sizes of data fed to a Keras model declared for another size on one axis (the sequence
    length 100 of ``Input(shape=(max_len,))`` against data padded to 120)."""
    f = d.facts
    if not isinstance(f, DataFacts) or f.x.shape is None:
        return []
    return _one_axis_apart(tuple(f.declared[1:]), tuple(f.x.shape[1:]))


def _one_axis_apart(want, got) -> list:
    """[(wanted, got)] when two shapes of one rank differ in exactly one known size; else []."""
    if not isinstance(want, tuple) or not isinstance(got, tuple) or len(want) != len(got):
        return []
    diff = [(a, b) for a, b in zip(want, got) if isinstance(a, int) and isinstance(b, int) and a != b]
    return diff if len(diff) == 1 else []


def _inside(span: Optional[Span], outer: Optional[Span]) -> bool:
    return span is not None and outer is not None and outer.contains(span)


def _relation(expected: int, received: int, text: str) -> Optional[str]:
    """``received`` written in terms of the expression that gave ``expected`` (``hidden_size * 2``)."""
    atom = text if _is_atom(text) else f"({text})"
    e, r = int(expected), int(received)
    if e <= 0 or r <= 0 or e == r:
        return None
    # `in_ch // 2 * 2`, `n * 4 + 1`: operators of the text's own precedence need no parentheses (left-associative)
    top = _top_operator(text)
    if r % e == 0:
        return f"{text if top in (ast.Mult, ast.FloorDiv) else atom} * {r // e}"
    if e % r == 0:
        return f"{text if top in (ast.Mult, ast.FloorDiv) else atom} // {e // r}"
    return f"{text if top in (ast.Add, ast.Sub) else atom} + {r - e}" if r > e else \
        f"{text if top in (ast.Add, ast.Sub) else atom} - {e - r}"


def _is_atom(text: str) -> bool:
    """``x * 2`` needs no parentheses around ``text`` (``cfg["hidden_dim"]``, a name, a call)."""
    tree = parse_expression(text.strip())
    return tree is not None and is_atom(tree.body)


def _top_operator(text: str):
    tree = parse_expression(text)
    return type(tree.body.op) if tree is not None and isinstance(tree.body, ast.BinOp) else None


def shared_argument(ctx, d):
    """Both sides of the mismatch are sized by one written number (``hidden_size`` for a bidirectional LSTM and the
    Linear after it): editing that number moves both sides; the layer must be sized for what it receives, in terms
    of the same name (``nn.Linear(hidden_size * 2, ...)``)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not sized(f.mismatch):
        return
    m, layer = f.mismatch, f.op.layer
    expected, received = m.expected, m.received
    shared = [leaf for leaf in provenance.leaves(expected)
              if provenance.affects(expected, leaf) and provenance.affects(received, leaf)]
    if not shared or _formula_literal_explains(ctx, f, expected, received):
        return
    span = layer.arg_spans.get(m.arg)
    text = ctx.text(span)
    expr = _relation(expected, received, text) if text else None
    if expr is None:
        return
    relation = _relation(expected, received, text)
    named = _named_addition(layer, expected, received, text)
    passed = passed_by_caller(ctx, f.inference, f.op.layer, text, span) if named is not None else None
    at_caller = _spelled_at_caller(ctx, f.inference, f.op.layer, named, span) if passed is not None else None
    if at_caller is not None:  # `DoubleConv(in_ch, ...)` in `Up`, the block built elsewhere too: the call changes
        arg_span, arg_text = passed
        fix = Fix("unsafe", remedies.size_as(text, at_caller), [Edit(arg_span, at_caller)])
        # before the same sum written in the block (76 > 75): right at this call, and no other call is changed
        yield Cause("caller-argument", 76, Label(arg_span, remedies.shared_argument_label(arg_text, int(expected)),
                                                 d.file),
                    remedies.caller_argument_note(text, arg_text, int(expected), int(received)),
                    remedies.size_as(text, at_caller), fix=fix, strong=True,
                    secondary=[Label(span, remedies.parameter_used_here(text), d.file)])
    if named is not None:  # the layer takes the argument plus another named size (noise + label embedding)
        fix = Fix("unsafe", remedies.size_as(m.arg, named), [Edit(span, named)])
        yield Cause("shared-argument", 75, Label(span, remedies.shared_argument_label(text, int(expected)), d.file),
                    remedies.shared_argument_note(text, int(expected), int(received), relation),
                    remedies.size_as(m.arg, named), fix=fix, strong=True)
        return
    flag = _bidirectional_flag(ctx, received) if expr.endswith(" * 2") else None
    if flag is not None and not _flag_reaches(ctx, flag, received, span):
        flag = None  # `self.bidirectional` of another class, `cfg.bidirectional` where no such `cfg` is bound
    if flag is not None:  # the 2 is the directions of an RNN built with `bidirectional=<flag>`: say so
        expr = f"{expr[:-len(' * 2')]} * (2 if {flag} else 1)"
    passed = passed_by_caller(ctx, f.inference, f.op.layer, text, span) or \
        _passed_to_helper(ctx, f, span, text, int(expected))
    if passed is not None:  # `in_ch` of a block built at several places: the call that built this one is wrong
        arg_span, arg_text = passed
        new = _name_holding(ctx, f, received, arg_span) or _relation(expected, received, arg_text)
        if new is not None:
            fix = Fix("unsafe", remedies.size_as(text, new), [Edit(arg_span, new)])
            yield Cause("caller-argument", 74, Label(arg_span, remedies.shared_argument_label(arg_text, int(expected)),
                                                     d.file),
                        remedies.caller_argument_note(text, arg_text, int(expected), int(received)),
                        remedies.size_as(text, new), fix=fix, strong=True,
                        secondary=[Label(span, remedies.parameter_used_here(text), d.file)])
            return
    bound = _local_binding_for_failing_layers(ctx, f, text, span)
    if bound is not None:  # `feat_dim = cfg.hidden` sizes only the heads that fail: the binding is the place
        value_span = Span.of(bound)
        value_text = ctx.text(value_span)
        new = _relation(expected, received, value_text) if value_text else None
        if new is not None and flag is not None and new.endswith(" * 2"):
            new = f"{new[:-len(' * 2')]} * (2 if {flag} else 1)"
        if new is not None:
            fix = Fix("unsafe", remedies.size_as(text, new), [Edit(value_span, new)])
            yield Cause("shared-argument", 73, Label(value_span, remedies.shared_argument_label(text, int(expected)),
                                                     d.file),
                        remedies.local_size_note(text, int(expected), int(received)),
                        remedies.size_as(text, new), fix=fix, strong=True)
            return
    if expr.endswith(f" + {int(received) - int(expected)}"):  # a bare number added: say what it is made of, by name
        spelled = spelled_from_provenance(ctx, received, layer, call_at(ctx, layer.origin.span))
        if spelled is None and int(received) - int(expected) > 2:
            return  # `flat + 4096`: an offset nobody wrote; the formula (upstream_formula) is where to look
        expr = spelled or expr
        relation = spelled or relation  # what the received size is made of, not the expected one plus a number
    if expr.endswith(f" - {int(expected) - int(received)}"):
        return  # `flat - 89088` subtracts what no layer removed: not a relation between the two sides
    k = int(received) // int(expected) if int(expected) and int(received) % int(expected) == 0 else None
    factor = _named_factor(ctx, received, k, layer.origin.span) if k and k > 1 and expr.endswith(f" * {k}") else None
    own = size_name(layer, received) if flag is None else None
    if own is not None and own != text:  # `oup = inp * expand_ratio` in scope: the received size by its own name
        expr = own
    elif factor is not None:  # `* 4` where the 4 is the backbone's `cfg["expansion"]`: the fix names it
        expr = f"{expr[:-len(str(k))]}{factor}"
    fix = Fix("unsafe", remedies.size_as(m.arg, expr), [Edit(span, expr)])
    yield Cause("shared-argument", 70, Label(span, remedies.shared_argument_label(text, int(expected)), d.file),
                remedies.shared_argument_note(text, int(expected), int(received), relation),
                remedies.size_as(m.arg, expr), fix=fix, strong=True)


def _named_factor(ctx, received, k: int, at: Span) -> Optional[str]:
    """How the file names the factor ``k`` that ``received`` was multiplied by (a config entry, ``cfg["expansion"]``
    as the function building the layer reads it), or None."""
    found = [v for v in provenance.leaves(received) if int(v) == k and
             isinstance(provenance.origin_of(v), provenance.Written)]
    call = call_at(ctx, at)
    if len(found) != 1 or call is None:
        return None
    spelled = module_spelling(ctx, found[0])
    return spelled_in_scope(ctx, call, *spelled) if spelled is not None else None


def _local_binding_for_failing_layers(ctx, f, name: str, at: Span):
    """The value of ``name = value``, the one binding of a local ``name`` in the function of ``at``, when each of its
    (several) reads there is a size argument of a layer that fails in this run (``feat_dim = cfg.hidden`` read by a slot
    head and an intent head, both given the 2 * hidden features of a bidirectional encoder): the binding is where the
    width was stated wrong, and fixing it there fixes every head. None when the name is read anywhere else (a layer
    it sizes right, arithmetic, a print) or bound more than once."""
    if not name.isidentifier():
        return None
    tree = tree_of(ctx.lines)
    scope = function_at(tree, at.line) if tree is not None else None
    if scope is None:
        return None
    stores = [n for n in ast.walk(scope) if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)]
    bound = single_binding(scope, name)
    if len(stores) != 1 or bound is None or name in {a.arg for a in scope.args.args + scope.args.kwonlyargs}:
        return None
    # read once, the layer's own argument is as good a place (and the one the file's reader looks at)
    return bound if len(name_reads(scope, name)) > 1 and _read_only_by_failing_layers(f, scope, name) else None


def _read_only_by_failing_layers(f, tree, name: str) -> bool:
    """Every read of ``name`` in ``tree`` is the very argument that mismatches in a layer failing in the run of
    ``f`` the same way (``in_features`` of two heads given 2 * hidden) -- not any argument of a failing layer:
    ``nn.Linear(d, d)`` reads ``d`` as its output width too, which is right."""
    m = f.mismatch
    failing = []
    for op in f.inference.program.ops:
        for d in op.diagnostics:
            other = getattr(getattr(d, "facts", None), "mismatch", None)
            span = op.layer.arg_spans.get(other.arg) if other is not None and other.arg else None
            if span is not None and other.arg == m.arg and isinstance(other.expected, int) and \
                    isinstance(other.received, int) and int(other.expected) == int(m.expected) and \
                    int(other.received) == int(m.received):
                failing.append(span)
    reads = name_reads(tree, name)
    return bool(reads) and all(any(s.contains(Span.of(n)) for s in failing) for n in reads)


def _name_holding(ctx, f, value, at: Span) -> Optional[str]:
    """A name, in the function of ``at``, that another layer of the run is sized with and that holds ``value``
    (``out_dim = hidden * (2 if bidirectional else 1)`` sizing the classifier): the file already says how to write
    the size, for every setting of the flags it depends on."""
    tree = tree_of(ctx.lines)
    if tree is None:
        return None
    scope = function_at(tree, at.line)
    leaves = list(provenance.leaves(value))
    for op in f.inference.program.ops:
        for arg, span in op.layer.arg_spans.items():
            v = op.layer.args.get(arg)
            text = ctx.text(span) if isinstance(v, int) and not isinstance(v, bool) and int(v) == int(value) and \
                any(provenance.affects(v, leaf) for leaf in leaves) else None  # the same size, from the same names
            if text and text.isidentifier() and span.line != at.line and function_at(tree, span.line) is scope:
                return text
    return None


def _without_zero_term(ctx, span: Span, wanted: int) -> Optional[Edit]:
    """``n - 1`` whose 1 must become 0: drop the term (``n``), and the parentheses it needed, instead of ``n - 0``."""
    if wanted != 0:
        return None
    node = node_at(span, ctx.lines, ast.Constant)
    op = getattr(node, "_shapelint_parent", None)
    if not isinstance(op, ast.BinOp) or op.right is not node or not isinstance(op.op, (ast.Add, ast.Sub)):
        return None
    left = ast.get_source_segment(ctx.source, op.left)
    whole = Span.of(op)
    line = ctx.lines[whole.line - 1] if whole.line == whole.end_line else None
    if left is None or line is None:
        return None
    before, after = line.encode()[:whole.column - 1].decode(), line.encode()[whole.end_column - 1:].decode()
    if before.rstrip().endswith("(") and after.lstrip().startswith(")"):  # `2 ** (n - 1)` -> `2 ** n`
        start = len(before.rstrip().encode())  # the "(" is the last char kept by rstrip
        end = whole.end_column - 1 + (len(after.encode()) - len(after.lstrip().encode())) + 1
        return Edit(Span(whole.line, start, whole.line, end + 1), left)
    return Edit(whole, left)


def _literal_in_formula(ctx, expected, received, formula: Span) -> Optional[tuple]:
    """(span, value) of the one literal written inside ``formula`` whose change (doubled, halved, times four, one more
    or less) makes ``expected`` come out as ``received``."""
    found = []
    for leaf in provenance.leaves(expected):
        o = leaf.origin
        if not isinstance(o, provenance.Written) or o.span is None or not _inside(o.span, formula) or \
                not (ctx.text(o.span) or "").strip().isdigit():
            continue
        for v in (int(leaf) * 2, int(leaf) // 2, int(leaf) * 4, int(leaf) + 1, int(leaf) - 1):
            # `2 ** (n - 1)` for n halvings: one less than 1 is 0, the off-by-one removed
            if (v > 0 or v == 0 and int(leaf) == 1) and provenance.recompute(expected, {id(leaf): v}) == int(received):
                found.append((o.span, v))
                break
    return found[0] if len(found) == 1 else None


def _in_call_argument(tree, span: Span) -> bool:
    """Whether ``span`` is written inside a call's arguments (``double_conv(in_ch // 2, out_ch)``): a number passed
    there is the call's business (the caller-argument cause), not a named formula's."""
    if tree is None:
        return False
    return any(isinstance(n, ast.Call) and any(_inside(span, Span.of(a)) for a in list(n.args) +
                                               [k.value for k in n.keywords]) for n in ast.walk(tree))


def _formula_literal_explains(ctx, f, expected, received) -> bool:
    """A literal inside a formula written away from the layer (``feat_h = img_h // 4`` for three halving pools)
    gives the received size when changed: that formula is the mistake (upstream_number says so), not the layer's
    share of a common argument."""
    layer_span = f.op.layer.origin.span
    tree = tree_of(ctx.lines)
    for leaf in provenance.leaves(expected):
        o = leaf.origin
        if not isinstance(o, provenance.Written) or o.span is None or _inside(o.span, layer_span) or \
                provenance.affects(received, leaf) or not provenance.affects(expected, leaf) or \
                _in_call_argument(tree, o.span):
            continue
        if any(provenance.recompute(expected, {id(leaf): v}) == int(received)
               for v in (int(leaf) * 2, int(leaf) // 2 or 1, int(leaf) * 4, int(leaf) + 1, int(leaf) - 1)):
            return True
    return False


def _named_addition(layer, expected, received, text: str) -> Optional[str]:
    """``latent_dim + n_classes`` rather than ``latent_dim + 10``: the received size is the expected one plus a size
    that has a name where the layer is built (a label embedding's width concatenated to the noise)."""
    o = provenance.origin_of(received)
    if isinstance(o, provenance.Produced):
        o = o.inner
    if not isinstance(o, provenance.Computed) or o.op != "+" or len(o.operands) != 2:
        return None
    same = [v for v in o.operands if v is expected] or [v for v in o.operands if int(v) == int(expected) and
                                                        _same_making(layer, v, expected)]
    if len(same) != 1:
        return None
    other = next(v for v in o.operands if v is not same[0])
    name = size_name(layer, other)
    atom = text if text.replace("_", "").replace(".", "").isalnum() else f"({text})"
    return f"{atom} + {name}" if name else None


def _same_making(layer, value, expected) -> bool:
    """``value`` stands for ``expected``: made from the same numbers, or a number with no name of its own where the
    layer is built (the 32 of ``torch.randn(4, 32)`` for a ``latent_dim`` of 32). A size the layer's scope names
    otherwise is another quantity that happens to be equal: a 128 read from ``num_hiddens`` is not the
    ``2 * embed_size`` a layer was sized with."""
    mine = {id(leaf) for leaf in provenance.leaves(value)}
    theirs = {id(leaf) for leaf in provenance.leaves(expected)}
    return not mine or not theirs or bool(mine & theirs) or size_name(layer, value) is None


def passed_by_caller(ctx, inference, layer, name: str, span: Optional[Span] = None) -> Optional[tuple]:
    """(span, text) of the argument that gave parameter ``name`` to the module instance that built ``layer`` (of the
    run ``inference`` drives) -- ``DoubleConv(out_ch, out_ch)`` at the line that built ``up1.conv`` -- when the
    layer's argument is that parameter and the instance is built at one call of its own. The layer's argument must be
    written in that module's class (a helper's parameter of the same name is another variable)."""
    if not name.isidentifier():
        return None
    found = _owner_call(ctx, inference, layer, span)
    if found is None:
        return None
    call, params = found
    given = _given(call, params, name)
    if given is None:
        return None
    span = Span.of(given)
    text = ctx.text(span)
    return (span, text) if text else None


def arguments_in_another_order(ctx, d):
    """``PositionalEncoding(d_model, max_frames)`` for ``def __init__(self, max_len, d_model)``: an argument passed
    by position is a variable named like another parameter of the callee, so the call passes them in another order
    than the signature (the table is built (d_model, max_len) and fails where it meets the tokens). The call is the
    mistake; passing each by its parameter's name fixes it and keeps every default and caller as they are."""
    f = d.facts
    if not isinstance(f, RuleFacts):
        return
    found = _owner_call(ctx, f.inference, f.op.layer, None)
    if found is None:
        return
    call, params = found
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return
    args = list(call.args)
    named = [a.id for a in args if isinstance(a, ast.Name)]
    if len(set(named)) != len(named):
        return  # `Block(out_ch, out_ch)`: one name passed twice says nothing of the order
    misplaced = [i for i, a in enumerate(args) if isinstance(a, ast.Name) and a.id in params and
                 params.index(a.id) != i and i < len(params)]
    if not misplaced or any(k.arg in {args[i].id for i in misplaced} for k in call.keywords):
        return
    order = [None] * len(args)  # the parameter each positional argument is meant for
    for i in misplaced:
        order[i] = args[i].id
    free = [p for p in params[:len(args)] if p not in order]
    for i, a in enumerate(args):
        if order[i] is None:
            if not free:
                return
            order[i] = free.pop(0)
    if len(set(order)) != len(order) or order == params[:len(args)]:
        return
    texts = [ctx.text(Span.of(a)) for a in args]
    if any(t is None for t in texts):
        return
    first, last = Span.of(args[0]), Span.of(args[-1])
    spelled = ", ".join(f"{p}={t}" for p, t in sorted(zip(order, texts), key=lambda pt: params.index(pt[0])))
    edit = Edit(Span(first.line, first.column, last.end_line, last.end_column), spelled)
    help_text = remedies.pass_by_name(spelled)
    yield Cause("argument-order", 86, Label(Span.of(call), remedies.argument_order_label(args[misplaced[0]].id,
                                                                                        params[misplaced[0]]), d.file),
                remedies.argument_order_note(params[:len(args)], [a.id if isinstance(a, ast.Name) else t
                                                                  for a, t in zip(args, texts)]),
                help_text, fix=Fix("unsafe", help_text, [edit]))  # (the order is the cause only if the fix holds)


def _owner_call(ctx, inference, layer, span: Optional[Span]) -> Optional[tuple]:
    """(the call that built the module instance owning ``layer``, its ``__init__`` parameters without ``self``), when
    ``span`` (the layer's argument) is written in that module's class."""
    model, _ = ctx.run_of(inference)
    path = (layer.name or "").split(".")
    if model is None or len(path) < 2:
        return None
    owner, node = None, model
    for part in path[:-1]:
        children = dict(node.named_children()) if hasattr(node, "named_children") else {}
        node = children.get(part)
        if node is None:
            return None
        if hasattr(node, "cls") and getattr(node, "node", None) is not None:
            owner = node
    if owner is None or not isinstance(owner.node, ast.Call):
        return None
    cls_node = getattr(owner.cls, "node", None)
    if span is not None and cls_node is not None and not _inside(span, Span.of(cls_node)):
        return None
    init = owner.cls.find_method("__init__")
    params = [a.arg for a in (init.node.args.posonlyargs + init.node.args.args)][1:] \
        if init is not None and hasattr(init, "node") else []
    return owner.node, params


def _given(call: ast.Call, params: list, name: str):
    """The argument node ``call`` passes for parameter ``name``, or None (not passed, or passed through ``*``)."""
    if name not in params:
        return None
    given = next((k.value for k in call.keywords if k.arg == name), None)
    if given is None and params.index(name) < len(call.args) and \
            not any(isinstance(a, ast.Starred) for a in call.args[:params.index(name) + 1]):
        given = call.args[params.index(name)]
    return None if given is None or isinstance(given, ast.Starred) else given


def _spelled_at_caller(ctx, inference, layer, expr: str, span: Span) -> Optional[str]:
    """``expr``, written with the parameters of the module that built the failing layer (``in_ch + out_ch`` inside
    ``DoubleConv``), spelled with what the call that built this instance passed for them (``DoubleConv(in_ch,
    out_ch)`` in ``Up``): the same value, in the caller's own names. None when a name of ``expr`` is neither a
    parameter passed at that call nor a module-level name, or an argument's text cannot be read."""
    found = _owner_call(ctx, inference, layer, span)
    tree = parse_expression(expr)
    if found is None or tree is None:
        return None
    call, params = found
    module_names = {t.id for n in (tree_of(ctx.lines) or ast.Module(body=[])).body if isinstance(n, ast.Assign)
                    for t in n.targets if isinstance(t, ast.Name)}
    readable = True

    class _Substitute(ast.NodeTransformer):
        def visit_Name(self, node):
            nonlocal readable
            given = _given(call, params, node.id)
            if given is None:
                readable = readable and node.id in module_names
                return node
            text = ctx.segment(given)
            passed = parse_expression(f"({text})") if text else None
            if passed is None:
                readable = False
                return node
            return passed.body

    out = _Substitute().visit(tree)
    return ast.unparse(out) if readable else None


def _passed_to_helper(ctx, f, span: Optional[Span], name: str, value: int) -> Optional[tuple]:
    """(span, text) of the argument that gave parameter ``name`` to a layer-building helper -- ``def block(i, o):
    return [nn.Linear(i, o), ...]`` -- at the call that built the failing layer: the one a module assigned to the
    attribute on the layer's path (``self.conv = double_conv(in_ch // 2, out_ch)`` for ``ups.0.conv.0``), else the
    only call that can have passed ``value`` (``*block(latent_dim, 128), *block(128, 256)``)."""
    tree = tree_of(ctx.lines)
    fn = _enclosing_def(tree, span) if tree is not None and span is not None else None
    if fn is None or not name.isidentifier():
        return None
    params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
    if name not in params:
        return None
    k = params.index(name)
    built = _built_by_attribute(tree, fn.name, (f.op.layer.name or "").split("."))
    calls = [built] if built is not None else [c for c in ast.walk(tree) if isinstance(c, ast.Call)]
    found = []
    for call in calls:
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Name) or call.func.id != fn.name:
            continue
        given = next((kw.value for kw in call.keywords if kw.arg == name), None)
        if given is None and k < len(call.args):
            given = call.args[k]
        if given is None or isinstance(given, ast.Starred) or any(isinstance(a, ast.Starred) for a in call.args):
            return None
        if isinstance(given, ast.Constant) and given.value != value:
            continue  # this call passes another number
        found.append(given)
    if len(found) != 1:
        return None
    text = ctx.text(Span.of(found[0]))
    return (Span.of(found[0]), text) if text else None


def _built_by_attribute(tree, helper: str, path: list):
    """The ``helper(...)`` call assigned to ``self.<attr>`` where ``<attr>`` is on the layer's path, when exactly one
    such assignment exists in the file."""
    names = set(path[:-1])
    found = [n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) and len(n.targets) == 1 and
             isinstance(n.targets[0], ast.Attribute) and n.targets[0].attr in names and
             isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Name) and n.value.func.id == helper]
    return found[0] if len(found) == 1 else None


def _column_list_counted(ctx, f, width: int) -> Optional[str]:
    """The module-level list of column names the fed features were selected with (the data fed to this model was
    made by ``df[feature_cols]...``), when it holds ``width`` names: the feature count is its length, not the
    table's width minus what was left out."""
    feed = ctx.feed_into(f.inference)
    made = ctx.text(getattr(feed.x, "shaped_at", None) or feed.x.origin) if feed is not None else None
    values = getattr(getattr(ctx.ev, "module", None), "vars", {})
    names = [k for k, v in values.items() if made and f"[{k}]" in made and isinstance(v, list) and len(v) == width
             and v and all(isinstance(c, str) for c in v)]
    return names[0] if len(names) == 1 else None


def _reads_a_shape(ctx, span) -> bool:
    """The formula at ``span`` reads a ``.shape`` (``df.shape[1] - 1``)."""
    node = node_at(span, ctx.lines) if span is not None else None
    return node is not None and any(isinstance(n, ast.Attribute) and n.attr == "shape" for n in ast.walk(node))


def _bidirectional_flag(ctx, received) -> Optional[str]:
    """The name an RNN's ``bidirectional`` was given by (``bidirectional=bidirectional``), when that RNN made the
    doubled size: a layer after it sized ``hidden * 2`` breaks the day the flag is off."""
    o = provenance.origin_of(received)
    layer = getattr(o, "layer", None) if isinstance(o, provenance.Produced) else None
    if layer is None or layer.kind not in ("LSTM", "GRU", "RNN"):
        return None
    text = ctx.text(layer.arg_spans.get("bidirectional"))
    # a name, an attribute or a key of one (`bidirectional`, `cfg.bidirectional`, `cfg["bidirectional"]`)
    return text if text and _flag_root(text) is not None else None


def _flag_root(text: str) -> Optional[str]:
    """The name a flag expression reads (``cfg`` in ``cfg.rnn["bidirectional"]``), or None for anything but names,
    attributes and string keys of them."""
    tree = parse_expression(text.strip())
    node = tree.body if tree is not None else None
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Subscript) and not (isinstance(node.slice, ast.Constant) and
                                                    isinstance(node.slice.value, str)):
            return None
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _flag_reaches(ctx, flag: str, received, span) -> bool:
    """The RNN's ``bidirectional`` flag can be written where the layer after it is built: a plain name bound there;
    ``self.x`` only in the class that built the RNN; ``cfg.x`` where ``cfg`` is a parameter both functions take."""
    root = _flag_root(flag)
    if root is None or not _visible_at(ctx, root, span):
        return False
    if root == flag:
        return True
    o = provenance.origin_of(received)
    layer = getattr(o, "layer", None)
    rnn_span = layer.arg_spans.get("bidirectional") if layer is not None else None
    tree = tree_of(ctx.lines)
    if rnn_span is None or tree is None:
        return False
    if root == "self":
        return _class_of(tree, rnn_span.line) is not None and _class_of(tree, rnn_span.line) is _class_of(tree, span.line)
    fns = [function_at(tree, s.line) for s in (rnn_span, span)]
    return all(fn is not None and root in {a.arg for a in fn.args.args} for fn in fns)


def _class_of(tree, line: int):
    return next((c for c in ast.walk(tree) if isinstance(c, ast.ClassDef) and
                 c.lineno <= line <= (c.end_lineno or c.lineno)), None)


def _visible_at(ctx, name: str, span) -> bool:
    """``name`` is bound where ``span`` is: a parameter or an assigned name of the enclosing function, or a
    module-level name."""
    tree = tree_of(ctx.lines)
    if tree is None or span is None:
        return False
    fn = function_at(tree, span.line)
    scopes = [fn] if fn is not None else []
    bound = {a.arg for f in scopes for a in f.args.posonlyargs + f.args.args + f.args.kwonlyargs}
    bound |= {t.id for f in scopes + [tree] for n in (ast.walk(f) if f is fn else f.body)
              if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    return name in bound


def _input_sizes(f: RuleFacts) -> list:
    """The run input's known sizes after the batch axis: the data's own numbers (an image side, a length)."""
    x = f.inference.program.inputs[0] if f.inference.program.inputs else None
    if not isinstance(x, Tensor) or not x.shape:
        return []
    out = []
    for dim in x.shape[1:]:
        if isinstance(dim, int) and dim > 1 and int(dim) not in out:
            out.append(int(dim))
    return out


def upstream_number(ctx, d):
    """The expected size was computed from a number written away from the layer -- a parameter default the call
    left out (``img_size=224``) or a literal a caller passed -- and one value of that number, a size the data
    has, makes the two sides agree: that number is the root cause."""
    f = d.facts
    if not isinstance(f, RuleFacts):
        return
    layer_span = f.op.layer.origin.span
    sizes = _input_sizes(f)
    data = {id(dim) for v in f.inference.program.inputs  # the data's own sizes (every input's): the input-size note's
            for dim in getattr(v, "shape", None) or ()}  # job, and never the mistake of a merge
    m, layer = f.mismatch, f.op.layer
    span = layer.arg_spans.get(m.arg) if sized(m) else None
    text = ctx.text(span) if span is not None else None
    named = _named_addition(layer, m.expected, m.received, text) if text and isinstance(m.received, int) else None
    if named is not None:  # the layer takes its argument plus another named size: it is the layer's formula
        fix = Fix("unsafe", remedies.size_as(m.arg, named), [Edit(span, named)])
        yield Cause("shared-argument", 75, Label(span, remedies.shared_argument_label(text, int(m.expected)), d.file),
                    remedies.shared_argument_note(text, int(m.expected), int(m.received),
                                                  named.split(" + ", 1)[-1] and named),
                    remedies.size_as(m.arg, named), fix=fix, strong=True)
        return
    for expected, received in expected_received(d):
        for leaf in provenance.leaves(expected):
            if id(leaf) in data or provenance.affects(received, leaf) or not provenance.affects(expected, leaf):
                continue
            o = leaf.origin
            span = o.span if isinstance(o, (provenance.Default, provenance.Written)) else None
            if span is None or _inside(span, layer_span) or _deliberate_offset(f, expected, received, span):
                continue
            # two merged tensors: a number written for one of them is the mistake only when a size of the data
            # (the image side the config should have said) makes them agree, not merely the other tensor's size
            merged = not sized(m) and not isinstance(o, provenance.Default)
            wanted = next((v for v in sizes + ([] if merged else [int(received)])
                           if provenance.recompute(expected, {id(leaf): v}) == int(received)), None)
            if wanted is None:
                continue
            cause = _default_cause(ctx, d, leaf, wanted, expected, received) if isinstance(o, provenance.Default) \
                else _literal_cause(ctx, d, leaf, wanted, expected, received, describes_data=wanted in sizes)
            if cause is not None:
                yield cause


def _default_cause(ctx, d, leaf, wanted, expected, received):
    o = leaf.origin
    call = call_at(ctx, o.call)
    value = _data_size_spelled(ctx, d, wanted, o.param) or _passed_on_beside(ctx, d, call, o.param, wanted) \
        or str(wanted)
    edit = keyword_edit(call, o.param, value) if call is not None else None
    at_default = Label(o.span, remedies.default_label(o.param, int(leaf)), d.file)
    at_call = Label(o.call, remedies.default_call_label(o.param), d.file) if o.call is not None else None
    if at_call is not None and default_relied_on_elsewhere(ctx, o):
        primary, secondary = at_call, [at_default]  # the default is right for another caller: this call is the slip
    else:
        primary, secondary = at_default, [at_call] if at_call is not None else []
    return Cause("default-argument", 75, primary,
                 remedies.default_note(o.param, int(leaf), wanted, int(expected), int(received)),
                 remedies.pass_param(o.param, value),
                 fix=Fix("unsafe", remedies.pass_param(o.param, value), [edit]) if edit else None,
                 secondary=secondary, strong=True)


def _data_size_spelled(ctx, d, wanted: int, param: str) -> Optional[str]:
    """The name the file gives the data's size ``wanted`` (``config["image_size"]`` for the images' 256), when it
    says the same thing as the parameter (``img_size``): the fix passes the setting, not a copy of its number."""
    x = d.facts.inference.program.inputs[0] if d.facts.inference.program.inputs else None
    for axis, dim in enumerate(getattr(x, "shape", None) or ()):
        if isinstance(dim, int) and int(dim) == int(wanted):
            spelled = module_spelling(ctx, dim)
            if spelled is not None and (_names_agree(spelled[1], param) or axis > 0 and _both_sizes(spelled[1], param)):
                return spelled[0]
    return None


def _passed_on_beside(ctx, d, call, param: str, wanted: int) -> Optional[str]:
    """``param`` itself, when the function that makes the object was given a parameter of that name and, in the same
    run, built another layer from it with the size wanted: ``Sampling()`` in ``VAE.__init__(self, latent_dim)``
    beside ``Dense(latent_dim)`` -- passing ``latent_dim=latent_dim`` keeps the two together when the setting
    changes, where its number (``latent_dim=8``) would not."""
    fn = function_at(tree_of(ctx.lines), call.lineno) if call is not None else None
    if fn is None or param not in {a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs}:
        return None
    end = fn.end_lineno or fn.lineno
    for op in d.facts.inference.program.ops:
        for arg, span in op.layer.arg_spans.items():
            if span is not None and fn.lineno <= span.line <= end and ctx.text(span) == param and \
                    op.layer.args.get(arg) == wanted:
                return param
    return None


def _both_sizes(key: str, param: str) -> bool:
    """A config's ``input_size`` for a model's ``image_size``: both name a size, and the data's axis (not its
    batch) was written by that entry -- it is the setting the parameter wants."""
    return key.lower().endswith("size") and param.lower().endswith("size") and "batch" not in key.lower()


def _literal_cause(ctx, d, leaf, wanted, expected, received, describes_data: bool = False):
    """``describes_data``: the number the literal should be is a size of the data (``SEBlock(32)`` for 64-channel
    images); then the layers it also sizes are meant to follow it."""
    span = leaf.origin.span
    text = ctx.text(span)
    if text is None or not text.strip().isdigit() or not describes_data and _sizes_other_layers(d, leaf):
        return None
    return Cause("upstream-literal", 72, Label(span, remedies.shared_argument_label(text, int(leaf)), d.file),
                 remedies.upstream_literal_note(text, wanted, int(expected), int(received)),
                 remedies.write_here(wanted), fix=Fix("unsafe", remedies.write_here(wanted), [Edit(span, str(wanted))]),
                 strong=False)


def _sizes_other_layers(d, leaf) -> bool:
    """``leaf`` also sizes another layer of the run (a stage width in ``STAGE_CHANNELS`` that the last block and the
    head conv are built from): writing the number the failing layer wants would rebuild those layers too -- the
    model bent to fit one reader, not its mistake."""
    f = d.facts
    return any(op.layer is not f.op.layer and any(isinstance(v, int) and provenance.affects(v, leaf)
                                                  for v in op.layer.args.values())
               for op in f.inference.program.ops)


def argument_written_elsewhere(ctx, d):
    """An invalid argument whose number was written away from the layer -- a config entry (``"n_heads": 12`` in
    ``MODEL_CONFIGS``) or a constant -- reaches it by name: the mistake is that entry, and the value the rule
    would accept (``valid``: a head count dividing the width) goes there, not into the layer."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "invalid-argument" or not f.mismatch.arg:
        return
    m, layer = f.mismatch, f.op.layer
    value = layer.args.get(m.arg)
    o = getattr(value, "origin", None)
    if not isinstance(value, int) or not isinstance(o, provenance.Written) or o.span is None or \
            _inside(o.span, layer.origin.span) or (ctx.text(o.span) or "").strip() != str(int(value)):
        return
    valid = m.facts.get("valid")
    title = remedies.write_instead(int(value), valid) if isinstance(valid, int) else None
    yield Cause("upstream-literal", 73, Label(o.span, remedies.argument_written_label(m.arg, int(value)), d.file),
                remedies.argument_written_note(m.arg, int(value), layer.kind),
                title or d.help or "", fix=Fix("unsafe", title, [Edit(o.span, str(valid))]) if title else None,
                strong=True)


_FEATURE_ARGS = ("input_size", "in_features", "in_channels", "embed_dim", "d_model")


def time_passed_as_features(ctx, d):
    """A layer's feature count set from a name that says it is a length -- ``Forecaster(input_size=SEQ_LEN)`` --
    while the data's features are another size: the window length was passed where the features go. The fix passes
    the features' size at that call; changing ``SEQ_LEN`` would shorten the windows, and rewriting the layer would
    ignore the argument it is given."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not sized(f.mismatch) or f.mismatch.arg not in _FEATURE_ARGS:
        return
    value = f.op.layer.args.get(f.mismatch.arg)
    o = provenance.origin_of(value)
    name = module_name_for(ctx, o.span) if isinstance(o, provenance.Written) else None
    if name is None or role_of_name(name) != roles.T:
        return
    tree = tree_of(ctx.lines)
    found = [kw for n in ast.walk(tree) if isinstance(n, ast.Call) for kw in n.keywords
             if kw.arg == f.mismatch.arg and isinstance(kw.value, ast.Name) and kw.value.id == name] if tree else []
    if len(found) != 1:
        return
    span = Span.of(found[0].value)
    title = remedies.pass_features_per_step(f.mismatch.arg, int(f.mismatch.received))
    yield Cause("time-as-features", 79, Label(span, remedies.time_as_features_label(name), d.file),
                remedies.time_as_features_note(name, f.mismatch.arg, int(f.mismatch.received)), title,
                fix=Fix("unsafe", title, [Edit(span, str(int(f.mismatch.received)))], replaces_name=True), strong=True)


def upstream_formula(ctx, d):
    """The expected size was computed by an expression written away from the layer (``num_patches = ...``) and no
    single number in it explains the mismatch: point at the formula."""
    f = d.facts
    if not isinstance(f, RuleFacts):
        return
    layer_span = f.op.layer.origin.span
    for expected, received in expected_received(d):
        o = provenance.origin_of(expected)
        if isinstance(o, provenance.Computed) and o.span is not None and _inside(o.span, layer_span):
            # `nn.Linear(128 * ds_size ** 2, 1)`: the layer's own expression uses a size computed elsewhere
            # (`ds_size = img_size // 2 ** 4`); that formula, written once for the layer, is where to look
            outer = [v for v in provenance.operands_deep(expected)
                     if isinstance(provenance.origin_of(v), provenance.Computed)
                     and provenance.origin_of(v).span is not None
                     and not _inside(provenance.origin_of(v).span, layer_span)]
            outer = [v for v in outer if not any(w is not v and _inside(provenance.origin_of(v).span,
                                                                        provenance.origin_of(w).span) for w in outer)]
            if len(outer) > 1:  # formulas chained (`side * side` of `side = img // 2 ** (n - 1)`): the one whose
                # single literal explains the mismatch is where the number was written wrong
                outer = [v for v in outer if _literal_in_formula(ctx, expected, received,
                                                                 provenance.origin_of(v).span) is not None]
            if len(outer) != 1:  # the outermost formula written elsewhere (`2 ** 4` is a part of `img_size // 2 ** 4`)
                continue
            o = provenance.origin_of(outer[0])
            text = ctx.text(o.span)
            if not text:
                continue
            literal = _literal_in_formula(ctx, expected, received, o.span)
            help_text = remedies.check_formula(text, None)
            fix = None
            if literal is not None:  # `img_h // 4` for three halving pools: the divisor is the number to change
                span, wanted = literal
                help_text = remedies.write_in_formula(ctx.text(span), wanted, text)
                dropped = _without_zero_term(ctx, span, wanted)
                if dropped is not None:
                    help_text = remedies.drop_off_by_one(ctx.text(span), text)
                fix = Fix("unsafe", help_text, [dropped or Edit(span, str(wanted))])
            yield Cause("formula", 56, Label(o.span, remedies.formula_label(int(outer[0])), d.file),
                        remedies.formula_in_layer_note(text, int(outer[0]), ctx.text(provenance.origin_of(expected).span)
                                                       or "", int(expected), int(received)),
                        help_text, fix=fix, strong=True)
            return
        if not isinstance(o, provenance.Computed) or o.span is None or _inside(o.span, layer_span):
            continue
        columns = _column_list_counted(ctx, f, int(received)) if _reads_a_shape(ctx, o.span) else None
        if columns is not None:  # `df.shape[1] - 1` where the features are `df[feature_cols]`: count that list
            spelled = f"len({columns})"
            help_text = remedies.count_the_columns(ctx.text(o.span), spelled)
            yield Cause("formula", 58, Label(o.span, remedies.formula_label(int(expected)), d.file),
                        remedies.formula_note(ctx.text(o.span), int(expected), int(received)), help_text,
                        fix=Fix("unsafe", help_text, [Edit(o.span, spelled)]), strong=True)
            return
        found = _formula_with_literal(ctx, expected, received, layer_span)
        if found is not None and _deliberate_offset(f, expected, received, found[1][0]):
            found = None  # the class token's `+ 1` added to a formula: deliberate, the formula is what is wrong
        if found is not None:  # `side = img_size // 2 ** (n_blocks - 1)` in a helper: its `1` is the number to change
            inner, (span, wanted) = found
            text = ctx.text(provenance.origin_of(inner).span)
            dropped = _without_zero_term(ctx, span, wanted)
            help_text = remedies.drop_off_by_one(ctx.text(span), text) if dropped is not None else \
                remedies.write_in_formula(ctx.text(span), wanted, text)
            literal = next(v for v in provenance.leaves(expected) if provenance.origin_of(v).span == span)
            right = provenance.recompute(inner, {id(literal): wanted})
            yield Cause("formula", 57, Label(provenance.origin_of(inner).span, remedies.formula_label(int(inner)),
                                             d.file),
                        remedies.formula_note(text, int(inner), right), help_text,
                        fix=Fix("unsafe", help_text, [dropped or Edit(span, str(wanted))]), strong=True)
            return
        # both sides built from the same written sizes: a shared argument, not this formula -- unless the other
        # side is what the layers computed from them (the framework's own arithmetic is right, the formula is not)
        squares = o.op == "//" and int(expected) > 1 and int(received) == int(expected) ** 2
        if not isinstance(provenance.origin_of(received), provenance.Produced) and not squares and \
                any(provenance.affects(received, leaf) for leaf in provenance.leaves(expected)):
            continue  # (a count of one side where the tensor holds the grid, its square, is the formula's mistake)
        if any(isinstance(v, Tensor) and v.shape and
               any(isinstance(x, int) and x is not expected and int(x) == int(expected)
                   for x in (v.shape[1:] if len(v.shape) > 1 else v.shape))  # (the batch axis is no size's reader)
               for v in f.op.inputs):
            continue  # the computed size is there, on another axis: the formula is right, the layer reads elsewhere
        inner = _inner_formula(expected)
        o = provenance.origin_of(inner)
        # the literal added on the way (the class token's + 1) is deliberate: the formula must give that much less
        offset = int(expected) - int(inner)
        expected, received = inner, int(received) - offset
        side = _side_of_square(expected, received)  # `grid * grid`: the grid's own formula is the wrong one
        if side is not None:
            expected, received = side
            o = provenance.origin_of(expected)
        text = ctx.text(o.span)
        if not text:
            continue
        conv = _conv_formula(ctx, f, o, int(received)) if side is not None else None
        help_text = remedies.follow_the_conv(conv) if conv else remedies.check_formula(text, int(received))
        squared = f"({text}) ** 2" if side is None and not conv and int(expected) > 1 and \
            int(received) == int(expected) ** 2 and o.op == "//" else None
        if squared is not None:  # `image_size // patch_size` patches where a grid of them gives its square
            conv, help_text = squared, remedies.square_the_side(squared)
        regrouped = _regrouped(ctx, expected, int(received)) if not conv else None
        retyped = _one_operator_changed(ctx, expected, int(received)) if not conv and not regrouped else None
        if regrouped is not None:  # `image_size // patch_size ** 2`: `**` binds first, the grid is squared after
            conv, help_text = regrouped, remedies.regroup_formula(text, regrouped)
        elif retyped is not None:  # `n_frames // 2 * n_pool` beside `n_mels // 2 ** n_pool`
            conv, help_text = retyped, remedies.retype_operator(text, retyped)
        yield Cause("formula", 55, Label(o.span, remedies.formula_label(int(expected)), d.file),
                    remedies.formula_note(text, int(expected), int(received)), help_text,
                    fix=Fix("unsafe", help_text, [Edit(o.span, conv)]) if conv else None, strong=True)
        return


def _formula_with_literal(ctx, expected, received, layer_span):
    """(the innermost formula written away from the layer, (span, value) of its one literal) whose change makes
    ``expected`` come out as ``received``: of the chained formulas of a helper (``channels[-1] * side * side`` with
    ``side = img_size // 2 ** (n_blocks - 1)``), the one where the wrong number was written. None when no single
    literal, or more than one formula, explains it."""
    formulas = [v for v in [expected] + list(provenance.operands_deep(expected))
                if isinstance(provenance.origin_of(v), provenance.Computed) and provenance.origin_of(v).span is not None
                and not _inside(provenance.origin_of(v).span, layer_span)]
    hits = []
    for v in formulas:
        literal = _literal_in_formula(ctx, expected, received, provenance.origin_of(v).span)
        if literal is not None:
            hits.append((v, literal))
    if not hits or len({h[1][0] for h in hits}) != 1:
        return None
    # of the formulas holding that literal, the whole expression written on its line (the statement's right side)
    line = hits[0][1][0].line
    same = [h for h in hits if provenance.origin_of(h[0]).span.line == line ==
            provenance.origin_of(h[0]).span.end_line]
    if not same:
        return None
    return max(same, key=lambda h: (provenance.origin_of(h[0]).span.end_column - provenance.origin_of(h[0]).span.column))


def _conv_formula(ctx, f, o, wanted: int) -> Optional[str]:
    """``(img_size + 2 * (patch_size // 2) - patch_size) // stride + 1``: the grid a patch conv of the run gives,
    spelled with the conv's own argument texts, for a formula ``img_size // patch_size`` whose left operand is the
    image size -- when that spelling computes ``wanted``."""
    if o.op != "//" or len(o.operands) != 2:
        return None
    size = o.operands[0]
    node = node_at(o.span, ctx.lines)
    size_text = ast.get_source_segment(ctx.source, node.left) if isinstance(node, ast.BinOp) and \
        isinstance(node.op, ast.FloorDiv) else None
    if not size_text or not isinstance(size, int):
        return None
    for op in f.inference.program.ops:
        layer = op.layer
        shape = getattr(op.output, "shape", None)
        if not layer.kind.startswith("Conv") or not shape or len(shape) < 3 or shape[-1] != wanted:
            continue
        k, s, p = (layer.args.get(a) for a in ("kernel_size", "stride", "padding"))
        texts = {a: ctx.text(layer.arg_spans.get(a)) if layer.arg_spans.get(a) else None
                 for a in ("kernel_size", "stride", "padding")}
        if not all(isinstance(v, int) for v in (k, s, p)) or layer.args.get("dilation", 1) not in (1, (1, 1)) or \
                not texts["kernel_size"] or not texts["stride"]:
            continue
        if (int(size) + 2 * p - k) // s + 1 != wanted:
            continue
        pad = f" + 2 * ({texts['padding']})" if p and texts["padding"] else ""
        return f"({size_text}{pad} - {texts['kernel_size']}) // {texts['stride']} + 1"
    return None


def _side_of_square(value, received: int):
    """(side, wanted side) when ``value`` is ``g * g`` (or ``g ** 2``) of a computed ``g`` with a span of its own and
    ``received`` is a square: ``num_patches = grid * grid`` is right once ``grid = img_size // patch_size`` is."""
    o = provenance.origin_of(value)
    if not isinstance(o, provenance.Computed) or len(o.operands) != 2 or received <= 0:
        return None
    a, b = o.operands
    square = (o.op == "*" and (a is b or (isinstance(provenance.origin_of(a), provenance.Computed) and
                                          provenance.origin_of(a) is provenance.origin_of(b)))) or \
        (o.op == "**" and isinstance(b, int) and int(b) == 2)
    side = math.isqrt(received)
    g = provenance.origin_of(a)
    if not square or side * side != received or not isinstance(g, provenance.Computed) or g.span is None:
        return None
    return a, side


def _is_offset_literal(value, span) -> bool:
    """Whether the literal at ``span`` is the small number ``_inner_formula`` steps over (``n + 1``)."""
    o = provenance.origin_of(value)
    for _ in range(8):
        if not isinstance(o, provenance.Computed) or o.op not in ("+", "-") or len(o.operands) != 2:
            return False
        inner = _inner_formula(value)
        if inner is value:
            return False
        small = [v for v in o.operands if v is not inner and isinstance(provenance.origin_of(v), provenance.Written)]
        if any(provenance.origin_of(v).span == span for v in small):
            return True
        value = next((v for v in o.operands if isinstance(provenance.origin_of(v), provenance.Computed)), None)
        o = provenance.origin_of(value)
    return False




def _deliberate_offset(f, expected, received, span) -> bool:
    """The literal at ``span`` is the ``+ 1`` of ``num_patches + 1`` and the tokens it must match were joined from a
    part of exactly that size (the class token, ``torch.cat([cls, x], dim=1)``): the offset is deliberate, the
    formula it is added to is what went wrong. Without such a part the ``+ 1`` may be the mistake itself."""
    if not _is_offset_literal(expected, span):
        return False
    size = next((int(v) for v in provenance.leaves(expected) if getattr(provenance.origin_of(v), "span", None) == span),
                None)
    o = provenance.origin_of(received)
    if size is None or not isinstance(o, provenance.Produced) or not has(o.layer, "joins"):
        return False
    op = next((x for x in f.inference.program.ops if x.layer is o.layer), None)
    axis = o.layer.args.get("dim", o.layer.args.get("axis"))
    if op is None or not isinstance(axis, int):
        return False
    return any(isinstance(v, Tensor) and v.shape and -len(v.shape) <= axis < len(v.shape) and
               isinstance(v.shape[axis], int) and int(v.shape[axis]) == size for v in op.inputs)


_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.FloorDiv: "//", ast.Pow: "**"}
_APPLY = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
          "//": lambda a, b: a // b if b else None, "**": lambda a, b: a ** b if 0 <= b <= 16 else None}


def _regrouped(ctx, value, wanted: int) -> Optional[str]:
    """The formula that computed ``value`` with its operators grouped the one other way that gives ``wanted``:
    ``image_size // patch_size ** 2`` is ``64 // 64`` because ``**`` binds first; ``(image_size // patch_size) ** 2``
    is the grid of patches. Only the grouping changes -- every name and number stays as written -- and only when
    exactly one other grouping gives ``wanted``."""
    formula = _formula_at(ctx, value)
    if formula is None:
        return None
    original, parts = formula
    if not 3 <= len(parts) <= 9:
        return None  # (every grouping of 2 to 4 operators is tried)
    found = {text for v, text in _groupings(parts[0::2], parts[1::2]) if v == wanted}
    found = {t for t in found if _compact(t) != _compact(original)}
    return found.pop() if len(found) == 1 else None


def _formula_at(ctx, value) -> Optional[tuple]:
    """(the text of the binary-operator formula that computed ``value``, its operands and operators in
    written order -- see _operands_in_order); else None."""
    o = provenance.origin_of(value)
    node = node_at(o.span, ctx.lines) if isinstance(o, provenance.Computed) and o.span is not None else None
    text = ctx.text(o.span) if isinstance(node, ast.BinOp) else None
    parts = _operands_in_order(ctx, node, value) if text else None
    return (text, parts) if parts is not None else None


def _one_operator_changed(ctx, value, wanted: int) -> Optional[str]:
    """The formula that computed ``value`` with one operator retyped so that it gives ``wanted`` -- the one change
    that does: ``n_frames // 2 * n_pool`` beside ``n_mels // 2 ** n_pool`` (``*`` typed for ``**``; Python's
    precedence then groups the new text as written). Only operators the formula already uses elsewhere are tried
    (the sibling factor it was copied from), every name and number stays."""
    formula = _formula_at(ctx, value)
    if formula is None or "\n" in formula[0]:
        return None  # (the operators are found by their columns on the formula's one line)
    text, parts = formula
    leaves = {"".join(t.split()): v for v, t in parts[0::2]}
    used = set(parts[1::2])
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError):
        return None
    found = set()
    for t in tokens:
        if t.type != tokenize.OP or t.string not in used or t.start[0] != 1:
            continue
        for alt in used - {t.string}:
            candidate = text[:t.start[1]] + alt + text[t.end[1]:]
            try:
                tree = ast.parse(candidate, mode="eval").body
            except SyntaxError:
                continue
            if _value_of(tree, leaves) == wanted:
                found.add(candidate)
    return found.pop() if len(found) == 1 else None


def _value_of(node, leaves: dict):
    """``node`` evaluated with its operands' values from ``leaves`` (their source texts, without spaces)."""
    if isinstance(node, ast.BinOp):
        sym = _SYMBOLS.get(type(node.op))
        left, right = _value_of(node.left, leaves), _value_of(node.right, leaves)
        return _APPLY[sym](left, right) if sym in _APPLY and left is not None and right is not None else None
    return leaves.get("".join(ast.unparse(node).split()))


def _operands_in_order(ctx, node, value) -> Optional[list]:
    """[(value, text), op, (value, text), op, ...] of a chain of binary operators as written, each operand with its
    value from the size's history (which mirrors the expression); None where the two part ways."""
    o = provenance.origin_of(value)
    sym = _SYMBOLS.get(type(node.op)) if isinstance(node, ast.BinOp) else None
    if sym is not None and isinstance(o, provenance.Computed) and o.op == sym and len(o.operands) == 2:
        left = _operands_in_order(ctx, node.left, o.operands[0])
        right = _operands_in_order(ctx, node.right, o.operands[1])
        return None if left is None or right is None else left + [sym] + right
    if isinstance(node, ast.BinOp) or not isinstance(value, int) or isinstance(value, bool):
        return None  # an operator whose history is not this one (a float, a call): not regrouped
    text = ast.get_source_segment(ctx.source, node)
    return [(int(value), text)] if text else None


def _groupings(operands: list, ops: list):
    """(value, text) of every way to group ``operands`` joined by ``ops`` in their written order."""
    if len(operands) == 1:
        yield operands[0]
        return
    for i in range(len(ops)):
        for lv, lt in _groupings(operands[:i + 1], ops[:i]):
            for rv, rt in _groupings(operands[i + 1:], ops[i + 1:]):
                v = _APPLY[ops[i]](lv, rv) if lv is not None and rv is not None else None
                lt2 = f"({lt})" if i > 0 else lt
                rt2 = f"({rt})" if i < len(ops) - 1 else rt
                yield v, f"{lt2} {ops[i]} {rt2}"


def _compact(text: Optional[str]) -> str:
    """``text`` without spaces or redundant outer parentheses, to compare spellings."""
    t = "".join((text or "").split())
    return ast.dump(ast.parse(t, mode="eval")) if t else t


def _inner_formula(value):
    """``n + 1`` where ``n = img_size // patch_size ** 2``: the one extra token is deliberate, the formula it adds to
    is where the number went wrong. Descend through ``+`` / ``-`` of a small literal to the formula with a span."""
    for _ in range(8):
        o = provenance.origin_of(value)
        if not isinstance(o, provenance.Computed) or o.op not in ("+", "-") or len(o.operands) != 2:
            return value
        inner = [v for v in o.operands if isinstance(provenance.origin_of(v), provenance.Computed)
                 and provenance.origin_of(v).span is not None]
        small = [v for v in o.operands if isinstance(v, int) and not isinstance(provenance.origin_of(v),
                                                                                 provenance.Computed) and abs(int(v)) <= 2]
        if len(inner) != 1 or len(small) != 1 or (o.op == "-" and o.operands[0] is not inner[0]):
            return value
        value = inner[0]
    return value


__all__ = ["shared_argument", "upstream_number", "upstream_formula", "expected_received", "ast"]


def layer_number(ctx, d):
    """The layer's own number is wrong (the data and everything before it are right): the rule's own fix, set it to
    what it receives -- spelled the way the file names that size (``d_model``, ``16 * 4 * 4``). This is the plain
    diagnosis; the finders above outrank it."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not sized(f.mismatch):
        return
    m, layer = f.mismatch, f.op.layer
    span = layer.arg_spans.get(m.arg)
    written = ctx.text(span)
    own = d.fix.edits if d.fix is not None else []
    if span is None or written is None or len(own) != 1 or own[0].span != span or \
            not isinstance(m.received, int) or m.received <= 0:
        return  # the rule fixes something else (a missing Flatten): not a wrong number
    value = spell_size(ctx, m.received, written, layer,
                       was=int(m.expected) if isinstance(m.expected, int) else None)
    safe = d.fix.applicability == "safe"
    yield Cause("layer-number", 50, d.primary, "", remedies.set_arg_to(m.arg, value),
                fix=Fix("safe" if safe else "unsafe", remedies.set_arg_to(m.arg, value), [Edit(span, value)]),
                safe=safe)


def helper_ignores_argument(ctx, d):
    """A size helper (``def conv_out(size, kernel, stride=1, padding=0)``) that never reads one of its parameters
    although a caller passes it (``conv_out(28, 5, padding=2)``): the layer's size was computed without it. The
    mistake is the helper's formula; a padding left out of the standard conv formula is put back."""
    f = d.facts
    if not isinstance(f, RuleFacts):
        return
    computed = [(expected, received, [provenance.origin_of(v).span
                                      for v in [expected, *provenance.operands_deep(expected)]
                                      if isinstance(provenance.origin_of(v), provenance.Computed)
                                      and provenance.origin_of(v).span is not None])
                for expected, received in expected_received(d)]
    if not any(spans for _, _, spans in computed):
        return  # no size computed in the file: no helper to look for (and no need to parse and walk a large file)
    tree = tree_of(ctx.lines)
    if tree is None:
        return
    defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    for expected, received, spans in computed:
        helpers = {id(fn): fn for fn in defs for s in spans if _inside(s, Span.of(fn))}
        for fn in helpers.values():
            found = _ignored_and_passed(tree, fn)
            if found is None:
                continue
            param, call, passed = found
            fix = _padding_fix(ctx, fn, param)
            note = remedies.ignored_argument_note(fn.name, param, passed, call.lineno, int(expected), int(received))
            help_text = remedies.conv_size_formula(fix[1]) if fix else remedies.use_the_argument(fn.name, param)
            yield Cause("formula", 74, Label(Span.of(fn.body[-1]) if fix is None else fix[0].span,
                                             remedies.ignored_argument_label(fn.name, param), d.file),
                        note, help_text, fix=Fix("unsafe", help_text, [fix[0]]) if fix else None, strong=True)
            return


def _ignored_and_passed(tree, fn) -> Optional[tuple]:
    """(parameter, call, its argument's text) for a parameter of ``fn`` its body never reads that a call passes."""
    params = [a.arg for a in fn.args.args]
    read = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    unread = [p for p in params if p not in read and p not in ("self", "cls")]
    if not unread:
        return None
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or not (isinstance(call.func, ast.Name) and call.func.id == fn.name):
            continue
        for p in unread:
            kw = next((k for k in call.keywords if k.arg == p), None)
            i = params.index(p)
            node = kw.value if kw is not None else call.args[i] if i < len(call.args) else None
            if node is None or isinstance(node, ast.Constant) and node.value in (0, None, False):
                continue
            text = ast.unparse(node)
            return p, call, f"{p}={text}" if kw is not None else text
    return None


def _padding_fix(ctx, fn, param: str) -> Optional[tuple]:
    """(Edit, new formula text) putting ``2 * padding`` into ``(size - kernel) // stride + 1``, the one formula
    whose padding term is known, when the helper returns it in that form."""
    if param not in ("padding", "pad", "p") or not fn.body or not isinstance(fn.body[-1], ast.Return):
        return None
    ret = fn.body[-1].value
    diffs = [n for n in ast.walk(ret) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Sub)
             and isinstance(n.left, ast.Name) and isinstance(n.right, ast.Name)]
    floor = [n for n in ast.walk(ret) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.FloorDiv)]
    if len(diffs) != 1 or len(floor) != 1 or floor[0].left is not diffs[0]:
        return None
    size, kernel = diffs[0].left.id, diffs[0].right.id
    new = f"{size} + 2 * {param} - {kernel}"
    formula = ast.unparse(ret).replace(ast.unparse(diffs[0]), new, 1)
    return Edit(Span.of(diffs[0]), new), formula


_BROADCASTS = ("add", "__add__", "radd", "__radd__", "sub", "mul", "__mul__", "rmul")
_PASS_ALONG = ("getitem", "unsqueeze", "view", "reshape", "SiLU", "ReLU", "GELU", "F.silu", "F.relu", "F.gelu",
               "Dropout", "Sequential")


def projection_width(ctx, d):
    """A conditioning vector added to a feature map (a diffusion block's time embedding, ``h + self.time_mlp(t)[:, :,
    None, None]``) whose projection was sized to the embedding instead of the map's channels: the Linear that
    makes it should give ``out_ch`` -- the very size the map's conv was built with, named in the same constructor."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.op.layer.kind not in _BROADCASTS or len(f.op.inputs) != 2 or \
            f.mismatch.code != "merge-shape-mismatch":
        return
    a, b = f.op.inputs
    if not all(isinstance(v, Tensor) and v.shape is not None for v in (a, b)) or len(a.shape) != len(b.shape):
        return
    differ = [i for i in range(len(a.shape)) if a.shape[i] != b.shape[i] and 1 not in (a.shape[i], b.shape[i])]
    if len(differ) != 1:
        return
    i = differ[0]
    tree = tree_of(ctx.lines)
    for fmap, vec in ((a, b), (b, a)):
        linear = _projection(f.inference, vec, vec.shape[i])
        if linear is None or linear.origin.span is None:
            continue
        maker = next((op.layer for op in f.inference.program.ops
                      if any(v is fmap.shape[i] for v in op.layer.args.values()) and op.layer.origin.span), None)
        arg = next((k for k, v in maker.args.items() if v is fmap.shape[i]), None) if maker is not None else None
        span = maker.arg_spans.get(arg) if arg is not None else None
        text = ctx.text(span) if span is not None else None
        if text is None or not text.isidentifier() or tree is None or \
                _enclosing_def(tree, span) is not _enclosing_def(tree, linear.origin.span):
            continue
        edit = set_arg_edit(linear, "out_features", text, ctx.lines)
        if edit is None:
            continue
        spelled = edited_text(ctx, linear.origin.span, edit) or f"out_features={text}"
        help_text = remedies.project_to(spelled)
        yield Cause("layer-number", 86, Label(linear.arg_spans.get("out_features") or linear.origin.span,
                                              remedies.projection_label(int(vec.shape[i])), d.file),
                    remedies.projection_note(linear.kind, int(vec.shape[i]), int(fmap.shape[i]), text), help_text,
                    # stands alone: see heads.residual_branch_width
                    fix=Fix("unsafe", help_text, [edit], stands_alone=True), strong=True)
        return


def _projection(inference, value, size):
    """The Linear whose output feature count became ``value``'s axis of ``size``, through indexing, reshapes and
    activations."""
    for _, op in inference.walk_back(value, _passed_along, depth=8):
        if op is not None and op.layer.kind == "Linear":
            return op.layer if op.output.shape and op.output.shape[-1] is size or op.output.shape[-1] == size \
                else None
    return None


def _passed_along(op, value):
    return op.inputs[0] if op.layer.kind in _PASS_ALONG and op.inputs else None


def _enclosing_def(tree, span):
    found = None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and _inside(span, Span.of(node)):
            if found is None or _inside(Span.of(node), Span.of(found)):
                found = node
    return found


def default_left_out_beside_sibling(ctx, d):
    """A size taken from a parameter's default by one call (``Down(64, 64)``) while a sibling call of the same
    callee passes it (``Down(32, 64, emb_dim=time_dim)``) with the very value the data has: the call that leaves it
    out is the mistake, and the sibling says how to write it. Changing the default would also run, but the file
    already wires the size through; an edit of the layer would hide it."""
    tree = tree_of(ctx.lines)
    if tree is None:
        return
    for expected, received in expected_received(d):
        for leaf in provenance.leaves(expected):
            o = leaf.origin
            if not isinstance(o, provenance.Default) or o.call is None or not provenance.affects(expected, leaf):
                continue
            call = call_at(ctx, o.call)
            if call is None or any(k.arg == o.param for k in call.keywords):
                continue
            callee, scope = ast.unparse(call.func), function_at(tree, call.lineno)
            passed = {ast.unparse(k.value) for n in ast.walk(tree) if isinstance(n, ast.Call) and n is not call
                      and ast.unparse(n.func) == callee and function_at(tree, n.lineno) is scope  # its names in scope
                      for k in n.keywords if k.arg == o.param}
            if len(passed) != 1:
                continue
            text = passed.pop()
            if not (_spells(ctx, received, text) or _sibling_instance_agrees(d, received)):
                continue
            edit = keyword_edit(call, o.param, text)
            if edit is None:
                continue
            help_text = remedies.pass_param(o.param, text)
            yield Cause("default-argument", 82, Label(o.call, remedies.left_out_beside_sibling(o.param, text), d.file),
                        remedies.default_left_out_note(o.param, int(leaf), text, int(received)), help_text,
                        fix=Fix("unsafe", help_text, [edit]),
                        secondary=[Label(o.span, remedies.default_label(o.param, int(leaf)), d.file)] if o.span
                        else [], strong=True)
            return


def default_sizes_beside_attribute(ctx, d):
    """A module built with a parameter's default sizes (``FPN()`` with ``in_channels=(128, 256, 512, 1024)``, the
    widths of another backbone) beside a sibling module that holds the sizes it should take (``self.backbone``'s
    ``out_channels``, (32, 64, 128, 256)): passing the sibling's attribute at the call is the fix -- changing the
    default would break the configuration it was written for, and resizing the layer would bend it to one run."""
    f = d.facts
    if not isinstance(f, RuleFacts):
        return
    owner = _owner_and_parent(ctx, f.inference, f.op.layer)
    if owner is None:
        return
    owner_obj, parent, call, init = owner
    for expected, received in expected_received(d):
        for leaf in provenance.leaves(expected):
            o = leaf.origin
            if not isinstance(o, provenance.Written) or leaf is not expected and not provenance.affects(expected, leaf):
                continue
            found = _tuple_default_holding(init, o.span)
            if found is None:
                continue
            param, index, length = found
            params = [a.arg for a in init.args.posonlyargs + init.args.args + init.args.kwonlyargs][1:]
            if _given(call, params, param) is not None or any(k.arg is None for k in call.keywords):
                continue
            attr = _sibling_attribute(ctx, parent, call, param, index, length, int(received))
            if attr is None:
                continue
            edit = keyword_edit(call, param, attr, order=params)
            if edit is None:
                continue
            help_text = remedies.pass_param(param, attr)
            yield Cause("default-argument", 83, Label(Span.of(call), remedies.default_call_label(param), d.file),
                        remedies.default_sizes_beside_attribute_note(param, attr, int(leaf), int(received)),
                        help_text, fix=Fix("unsafe", help_text, [edit]),
                        secondary=[Label(o.span, remedies.default_label(param, int(leaf)), d.file)], strong=True)
            return


def _owner_and_parent(ctx, inference, layer) -> Optional[tuple]:
    """(the module instance that built ``layer`` of the run ``inference`` drives, the module that holds it, the call
    that built the instance, its class's ``__init__`` node)."""
    model, _ = ctx.run_of(inference)
    path = (layer.name or "").split(".")
    if model is None or len(path) < 2:
        return None
    parent, owner, node, above = None, None, model, model
    for part in path[:-1]:
        children = dict(node.named_children()) if hasattr(node, "named_children") else {}
        above, node = node, children.get(part)
        if node is None:
            return None
        if hasattr(node, "cls") and isinstance(getattr(node, "node", None), ast.Call):
            owner, parent = node, above
    init = owner.cls.find_method("__init__") if owner is not None else None
    init = getattr(init, "node", None)
    if owner is None or not isinstance(init, ast.FunctionDef) or not hasattr(parent, "attrs"):
        return None
    return owner, parent, owner.node, init


def _tuple_default_holding(init: ast.FunctionDef, span: Span) -> Optional[tuple]:
    """(parameter, index, length) when ``span`` is an element of a tuple or list written as the parameter's default
    (``in_channels=(128, 256, 512, 1024)``)."""
    params = init.args.posonlyargs + init.args.args
    pairs = list(zip(params[len(params) - len(init.args.defaults):], init.args.defaults))
    pairs += [(a, v) for a, v in zip(init.args.kwonlyargs, init.args.kw_defaults) if v is not None]
    for arg, default in pairs:
        if isinstance(default, (ast.Tuple, ast.List)):
            for i, e in enumerate(default.elts):
                if Span.of(e) == span:
                    return arg.arg, i, len(default.elts)
    return None


_ROLE_PREFIXES = ("in_", "out_", "input_", "output_", "num_", "n_")


def _sibling_attribute(ctx, parent, call: ast.Call, param: str, index: int, length: int, wanted: int):
    """``self.backbone.out_channels``: an attribute of another module of ``parent``, named like ``param`` but for its
    other end (out_channels for in_channels), holding ``length`` sizes with ``wanted`` at ``index``, assigned before
    ``call`` in the same method -- so the call can pass it."""
    def stem(name: str) -> str:
        for p in _ROLE_PREFIXES:
            if name.startswith(p):
                return name[len(p):]
        return name
    found = []
    for name, child in getattr(parent, "attrs", {}).items():
        for attr, value in (getattr(child, "attrs", None) or {}).items():
            if not isinstance(value, (list, tuple)) or len(value) != length or stem(attr) != stem(param) or \
                    attr == param or not isinstance(value[index], int) or int(value[index]) != wanted:
                continue
            found.append((name, attr))
    if len(found) != 1:
        return None
    name, attr = found[0]
    fn = function_at(tree_of(ctx.lines), call.lineno)
    assigned = [n for n in ast.walk(fn) if isinstance(n, ast.Assign) and n.lineno < call.lineno and any(
        isinstance(t, ast.Attribute) and t.attr == name and isinstance(t.value, ast.Name) and t.value.id == "self"
        for t in n.targets)] if fn is not None else []
    return f"self.{name}.{attr}" if assigned else None


def _sibling_instance_agrees(d, received) -> bool:
    """Another instance of the layer that raised -- built by the same source line, so by the sibling call -- has
    the size the data gives (``down1``'s ``Linear(emb_dim, ...)`` got 128)."""
    f = d.facts
    arg = getattr(f.mismatch, "arg", None)
    span = f.op.layer.origin.span
    return arg is not None and span is not None and any(
        op.layer is not f.op.layer and op.layer.origin.span == span and op.layer.args.get(arg) == int(received)
        for op in f.inference.program.ops)


def _spells(ctx, value, text: str) -> bool:
    """Whether ``text`` (a sibling's argument: ``time_dim``, ``self.time_dim``, ``EMBED``) names where ``value`` came
    from: a parameter's default of that name, or a module-level name its literal was assigned to."""
    name = text.split(".")[-1]
    if not name.isidentifier():
        return text.strip().isdigit() and int(text) == int(value)
    for leaf in [value, *provenance.leaves(value)]:
        o = provenance.origin_of(leaf)
        o = getattr(o, "inner", None) or o if isinstance(o, provenance.Produced) else o
        if isinstance(o, provenance.Default) and o.param == name and int(leaf) == int(value):
            return True
        if isinstance(o, provenance.Written) and int(leaf) == int(value) and module_name_for(ctx, o.span) == name:
            return True
    return False


def default_left_out_named_elsewhere(ctx, d):
    """A size taken from a builder's default (``make_layers(cfg)`` with ``in_channels=3``) while the data's size
    was written under a name that says the same thing -- ``HP["channels"]`` or ``N_CHANNELS`` at module level --
    which the call can pass: ``make_layers(cfg, in_channels=HP["channels"])``. Changing the default would fix this
    script and break every other caller that relies on it."""
    for expected, received in expected_received(d) or declared_and_data(d):
        spelled = module_spelling(ctx, received)
        if spelled is None:
            continue
        text, key = spelled
        for leaf in provenance.leaves(expected):
            o = leaf.origin
            if not isinstance(o, provenance.Default) or o.call is None or not _names_agree(key, o.param):
                continue
            call = call_at(ctx, o.call)
            if call is None or any(k.arg == o.param for k in call.keywords):
                continue
            text = spelled_in_scope(ctx, call, text, key)
            edit = keyword_edit(call, o.param, text)
            if edit is None:
                continue
            help_text = remedies.pass_param(o.param, text)
            yield Cause("default-argument", 81, Label(o.call, remedies.default_call_label(o.param), d.file),
                        remedies.default_named_note(o.param, int(leaf), text, int(received)), help_text,
                        fix=Fix("unsafe", help_text, [edit]),
                        secondary=[Label(o.span, remedies.default_label(o.param, int(leaf)), d.file)] if o.span
                        else [], strong=True)
            return


_SHORT = {"img": "image", "imgs": "image", "images": "image", "ch": "channels", "chans": "channels",
          "chan": "channels", "channel": "channels", "dims": "dim", "num": "n", "nb": "n", "len": "length",
          "seq": "sequence", "emb": "embed", "embedding": "embed", "hid": "hidden", "feat": "features",
          "feats": "features", "feature": "features", "cls": "classes", "class": "classes", "bands": "channels",
          "band": "channels"}


def _names_agree(key: str, param: str) -> bool:
    a, b = key.lower().strip("_"), param.lower().strip("_")
    if len(a) >= 3 and len(b) >= 3 and (a in b or b in a or _SHORT.get(a, a) in b):  # BANDS for in_channels
        return True
    words = [{_SHORT.get(w, w) for w in s.split("_") if w} for s in (a, b)]  # img_size and image_size
    return len(words[0]) >= 2 and words[0] == words[1]


def _differing_sizes(d) -> list:
    """[(expected, received)]: the rule's sizes, or the one axis where an expected and a received shape differ."""
    pairs = expected_received(d)
    f = d.facts
    if pairs or not isinstance(f, RuleFacts):
        return pairs
    return _one_axis_apart(f.mismatch.facts.get("expected_shape"), f.mismatch.facts.get("received_shape"))


def conditional_binds_looser(ctx, d):
    """``hidden * 2 if bidirectional else 1``: a conditional expression binds looser than ``*``, so the size is 1
    (the ``else`` value) whenever the condition is false -- the author meant ``hidden * (2 if bidirectional else
    1)``. Found when the size a layer was built with is that ``else`` literal; the fix puts the parentheses in."""
    for expected, received in _differing_sizes(d):
        for leaf in [expected, *provenance.leaves(expected)]:
            o = provenance.origin_of(leaf)
            if not isinstance(o, provenance.Written) or int(leaf) not in (0, 1):
                continue
            node = node_at(o.span, ctx.lines, ast.Constant)
            cond = getattr(node, "_shapelint_parent", None)
            if not isinstance(cond, ast.IfExp) or cond.orelse is not node or not isinstance(cond.body, ast.BinOp) \
                    or not isinstance(cond.body.op, ast.Mult) or not isinstance(cond.body.right, ast.Constant):
                continue
            base, factor, test = (ctx.segment(cond.body.left), ctx.segment(cond.body.right),
                                  ctx.segment(cond.test))
            if None in (base, factor, test):
                continue
            spelled = f"{base} * ({factor} if {test} else {node.value})"
            help_text = remedies.parenthesise_factor(spelled)
            yield Cause("conditional-precedence", 87, Label(Span.of(cond), remedies.conditional_label(
                node.value, test), d.file), remedies.conditional_note(base, factor, test, node.value, int(received)),
                help_text, fix=Fix("unsafe", help_text, [Edit(Span.of(cond), spelled)]), strong=True)
            return



def data_literal_beside_name(ctx, d):
    """Data made with a size written as a literal (``pad_sequences(docs, maxlen=120)``) fed to a model declared with
    a size the file names (``Input(shape=(MAXLEN,))``, ``MAXLEN = 150``): the literal is the mistake -- declaring
    the model for 120 would leave two lengths in the file and cut what the config says to keep. The fix writes the
    name in place of the literal."""
    for declared, size in declared_and_data(d):
        spelled = module_spelling(ctx, declared)
        o = provenance.origin_of(size)
        if spelled is None or not isinstance(o, provenance.Written) or ctx.text(o.span) != str(int(size)) or \
                module_name_for(ctx, o.span) is not None:
            continue
        name = spelled[0]
        literal = node_at(o.span, ctx.lines, ast.Constant)
        if literal is not None:  # inside a function given the config as `cfg`: the name it reads it by there
            name = spelled_in_scope(ctx, literal, name, spelled[1])
        help_text = remedies.write_the_name(name)
        yield Cause("literal-beside-name", 82, Label(o.span, remedies.literal_beside_name_label(int(size), name,
                                                                                                 int(declared)), d.file),
                    remedies.literal_beside_name_note(name, int(declared), int(size)), help_text,
                    fix=Fix("unsafe", help_text, [Edit(o.span, name)]), strong=True)
        return


def setting_in_module_constant(ctx, d):
    """The fix writes a literal where a module-level constant is read once (``concatenate(..., axis=MERGE_AXIS)``
    with ``MERGE_AXIS = 1`` on channels-last maps): the constant is where the value was written, and editing it
    there keeps the name. A constant read more than once is left alone (it sets other things too)."""
    if d.fix is None or len(d.fix.edits) != 1:
        return
    edit = d.fix.edits[0]
    name = ctx.text(edit.span)
    new = parse_expression(edit.text.strip())
    if not name or not name.isidentifier() or new is None or not isinstance(new.body, (ast.Constant, ast.UnaryOp)):
        return
    value = assigned_value(ctx, name)
    tree = tree_of(ctx.lines)
    node = node_at(value, ctx.lines) if value is not None else None
    if tree is None or not isinstance(node, (ast.Constant, ast.UnaryOp)):
        return
    reads = sum(1 for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load))
    if reads != 1 and not (isinstance(d.facts, RuleFacts) and _read_only_by_failing_layers(d.facts, tree, name)):
        return  # read elsewhere too: it sets other things (FEAT_DIM read only by the heads that all fail is not)
    help_text = remedies.set_constant(name, edit.text)
    yield Cause("module-constant", 77, Label(value, remedies.constant_label(name, ctx.text(value)), d.file),
                d.help or "", help_text, fix=Fix(d.fix.applicability, help_text, [Edit(value, edit.text)],
                                                 resizes_all_readers=reads > 1), strong=True)


def split_length_not_dividing(ctx, d):
    """An einops split ``(h d)`` given ``h=self.heads`` that does not divide the axis (8 heads of a 100-wide model):
    the head count or the width was written wrong -- in the config they come from, not in the pattern. The choice
    between them is the user's, so the fix is described: the counts that divide, and the widths the count divides."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.facts.get("split_lengths") is None:
        return
    size, lengths = f.mismatch.facts.get("split_size"), f.mismatch.facts["split_lengths"]
    if len(lengths) != 1 or not isinstance(size, int):
        return
    (name, value), = lengths.items()
    span = provenance.root_span(value)
    if span is None or not isinstance(value, int) or value <= 1:
        return
    divisors = [k for k in range(2, size) if size % k == 0 and k != value][:6]
    widths = sorted({size - size % value, size - size % value + value} - {0})
    help_text = remedies.split_count_or_width(name, int(value), size, divisors, widths)
    yield Cause("split-length", 66, Label(span, remedies.split_length_label(name, int(value), size), d.file),
                remedies.split_length_note(name, int(value), size), help_text,
                fix=Fix("display-only", help_text, []), strong=True)


def default_left_out_spelled_elsewhere(ctx, d):
    """A size made from a parameter's default that the call leaves out (``Attention()`` with ``enc_hid=HID_DIM``)
    while the tensor it sizes for is another width (a bidirectional encoder's ``2 * HID_DIM``): the call is the
    mistake. Of the defaults that could make the sizes agree, the one named like the joined tensor it stands for
    (``enc_hid`` for ``enc_outputs``) is passed, spelled as the file already spells that width for another layer
    (``2 * HID_DIM``). A bare number is not offered: it would stop following the setting."""
    f = d.facts
    if not isinstance(f, RuleFacts) or not sized(f.mismatch):
        return
    expected, received = f.mismatch.expected, f.mismatch.received
    candidates = []
    for leaf in provenance.leaves(expected):
        o = leaf.origin
        if not isinstance(o, provenance.Default) or o.call is None:
            continue
        value = int(leaf) + int(received) - int(expected)
        if value > 0 and provenance.recompute(expected, {id(leaf): value}) == int(received):
            candidates.append((leaf, o, value))
    if len(candidates) > 1:
        names = _joined_names(ctx, f)
        candidates = [c for c in candidates if _names_agree_with(c[1].param, names)]
    if len(candidates) != 1:
        return
    leaf, o, value = candidates[0]
    call = call_at(ctx, o.call)
    text = _spelled_by_a_layer(ctx, f, value, call)
    if call is None or text is None or any(k.arg == o.param for k in call.keywords):
        return
    edit = keyword_edit(call, o.param, text)
    if edit is None:
        return
    help_text = remedies.pass_param(o.param, text)
    yield Cause("default-argument", 80, Label(o.call, remedies.default_call_label(o.param), d.file),
                remedies.default_width_note(o.param, int(leaf), value, text), help_text,
                fix=Fix("unsafe", help_text, [edit]),
                secondary=[Label(o.span, remedies.default_label(o.param, int(leaf)), d.file)] if o.span else [],
                strong=True)


def _joined_names(ctx, f) -> list:
    """The names of the tensors joined into the layer's input (``torch.cat([s, enc_outputs], dim=2)``)."""
    producer = f.inference.producer_of(f.op.inputs[0]) if f.op.inputs else None
    spans = producer.layer.extra.get("input_spans") if producer is not None else None
    return [t for t in (ctx.text(s) for s in spans or []) if t and t.isidentifier()]


def _names_agree_with(param: str, names: list) -> bool:
    head = param.split("_")[0].lower()
    return len(head) >= 3 and any(n.lower().split("_")[0] == head for n in names)


def _spelled_by_a_layer(ctx, f, value: int, call) -> Optional[str]:
    """How the file writes ``value`` as another layer's size argument, from module-level names only (so the text
    means the same at ``call``): ``2 * HID_DIM`` of the encoder's ``nn.Linear(2 * HID_DIM, HID_DIM)``."""
    if call is None:
        return None
    texts = [text for _, v, text in _op_settings(ctx, script=False) if v == value]
    return max(sorted(set(texts)), key=texts.count) if texts else None


def helper_loop_count(ctx, d):
    """A size helper that applies one step per stage in a loop -- ``for _ in range(n_pools): side = (side - 2) // 2``
    -- called with a count that is one off (``feature_side(img_size, 2)`` for a model with three conv-pool
    blocks): the flattened width it gives is the width of a map one stage larger. Running the loop's own step once
    more (or less) on what the helper returned gives exactly the size the data has, so the count at the call is the
    mistake; a width written out as a number would hold for this image size only."""
    f = d.facts
    if not isinstance(f, RuleFacts):
        return
    pair = _expected_received_widths(f)
    tree = tree_of(ctx.lines) if pair is not None else None
    if tree is None:
        return
    expected, received = pair
    for v in [expected, *provenance.operands_deep(expected)]:
        o = provenance.origin_of(v)
        if not isinstance(o, provenance.Computed) or o.span is None:
            continue
        previous = next((u for u in provenance.operands_deep(v)
                         if getattr(provenance.origin_of(u), "span", None) == o.span), None)
        fn = function_at(tree, o.span.line)
        loop = _counted_loop(fn, o.span)
        if previous is None or loop is None:
            continue
        step = lambda x: provenance.recompute(v, {id(previous): x})  # noqa: E731 -- one turn of the loop
        for delta, size in ((1, step(int(v))), (-1, int(previous))):
            if size is None or size <= 0 or provenance.recompute(expected, {id(v): size}) != int(received):
                continue
            found = _count_at_call(tree, fn, loop)
            if found is None:
                return
            literal, count = found
            help_text = remedies.count_stages(count + delta, fn.name)
            yield Cause("helper-count", 92, Label(Span.of(literal), remedies.stage_count_label(count, fn.name),
                                                  d.file),
                        remedies.stage_count_note(fn.name, count, count + delta, int(received)), help_text,
                        fix=Fix("unsafe", help_text, [Edit(Span.of(literal), str(count + delta))]), strong=True)
            return


def _expected_received_widths(f):
    """(size the layer or view was written for, size the data has per sample): a Linear's in_features, or the
    width of ``x.view(-1, width)``."""
    m = f.mismatch
    if sized(m):
        return m.expected, m.received
    x = f.op.inputs[0] if f.op.inputs else None
    shape = list(f.op.layer.args.get("shape") or []) if f.op.layer.kind in ("view", "reshape") else []
    if not isinstance(x, Tensor) or not x.shape or len(shape) != 2 or shape[0] != -1 or \
            not isinstance(shape[1], provenance.Sized) or not all(isinstance(v, int) for v in x.shape[1:]):
        return None
    per = 1
    for v in x.shape[1:]:
        per *= int(v)
    return shape[1], per


def _counted_loop(fn, span):
    """The ``for _ in range(param)`` loop of helper ``fn`` whose body holds ``span``, counted by a parameter."""
    if fn is None:
        return None
    params = [a.arg for a in fn.args.args]
    for node in ast.walk(fn):
        if isinstance(node, ast.For) and node.lineno < span.line <= (node.end_lineno or node.lineno) and \
                isinstance(node.iter, ast.Call) and isinstance(node.iter.func, ast.Name) and \
                node.iter.func.id == "range" and len(node.iter.args) == 1 and \
                isinstance(node.iter.args[0], ast.Name) and node.iter.args[0].id in params:
            return node
    return None


def _count_at_call(tree, fn, loop):
    """(the literal, its value) the one call of ``fn`` in the file passes as the loop's count."""
    param = loop.iter.args[0].id
    position = [a.arg for a in fn.args.args].index(param)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and
             n.func.id == fn.name]
    if len(calls) != 1:
        return None
    call = calls[0]
    arg = next((k.value for k in call.keywords if k.arg == param), None) or \
        (call.args[position] if position < len(call.args) else None)
    if isinstance(arg, ast.Constant) and type(arg.value) is int:
        return arg, arg.value
    return None


def default_left_out_for_an_op_setting(ctx, d):
    """A helper's size taken from its default (``make_mel_basis(sr, n_mels)`` with ``n_fft=400``: 201 frequency rows)
    while the tensor it meets was made with another value of the same setting, written for an op
    (``torch.stft(wave, n_fft=hop * 6, ...)``: 577 bins): with that value for the default, the helper's size is
    recomputed to exactly the size it meets. The call is the mistake; the fix passes the op's own spelling of the
    setting there (``n_fft=hop * 6``), which keeps them tied; a number written there, or a new default, would drift
    again."""
    pairs = expected_received(d)
    f = d.facts
    if isinstance(f, RuleFacts):
        pairs = pairs + [(mine, theirs) for mine, theirs, _ in matmul_sides(f.mismatch)]
    spellings = None
    for expected, received in pairs:
        if not isinstance(received, int) or not isinstance(expected, int):
            continue
        for leaf in provenance.leaves(expected):
            o = leaf.origin
            if not isinstance(o, provenance.Default) or o.call is None:
                continue
            call = call_at(ctx, o.call)
            if call is None or any(k.arg == o.param for k in call.keywords):
                continue
            spellings = _op_settings(ctx) if spellings is None else spellings
            texts = {text for arg, value, text in spellings if arg == o.param and value != int(leaf) and
                     provenance.recompute(expected, {id(leaf): value}) == int(received)}
            if len(texts) != 1:
                continue
            text = texts.pop()
            edit = keyword_edit(call, o.param, text)
            if edit is None:
                continue
            help_text = remedies.pass_param(o.param, text)
            yield Cause("default-argument", 81, Label(o.call, remedies.default_call_label(o.param), d.file),
                        remedies.default_setting_of_op_note(o.param, int(leaf), int(expected), text, int(received)),
                        help_text, fix=Fix("unsafe", help_text, [edit]),
                        secondary=[Label(o.span, remedies.default_label(o.param, int(leaf)), d.file)] if o.span
                        else [], strong=True)
            return


def _op_settings(ctx, script: bool = True) -> list:
    """[(argument name, value, text)] of every op's int argument written with module-level names only (so the text
    means the same anywhere in the file): ``("n_fft", 1152, "hop * 6")``, ``("in_features", 1024, "2 * HID_DIM")``;
    ``script``: the ops applied to data outside any model too."""
    tree = tree_of(ctx.lines)
    if tree is None:
        return []
    module = {t.id for s in tree.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)} | \
        {e.id for s in tree.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Tuple)
         for e in t.elts if isinstance(e, ast.Name)}
    found = []
    runs = [r for m in ctx.ev.models for r in m.runs]
    outside = ctx.ev.state.script_run if script else None
    for r in runs + ([outside] if outside is not None else []):
        for op in r.program.ops:
            for arg, span in op.layer.arg_spans.items():
                v = op.layer.args.get(arg)
                if not isinstance(v, int) or isinstance(v, bool):
                    continue
                node = node_at(span, ctx.lines)
                names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} if node is not None else set()
                text = ctx.text(span)
                if names and names <= module and text:
                    found.append((arg, int(v), text))
    return found


def data_size_from_default(ctx, d):
    """Data made by a helper whose width is a parameter left at its default -- ``vectorize_sequences(seqs)`` with
    ``dimension=1000`` -- fed to a model declared for the width the file names (``Input(shape=(NUM_WORDS,))``, 10000):
    the default is the number written wrong, not the model. When every call of the helper leaves it out, the default
    becomes the model's width by its name (each dataset made by the helper gets it); otherwise this call passes it.
    Declaring the input at the data's width would run and drop every word id above 1000."""
    f = d.facts
    if not isinstance(f, DataFacts) or f.x is None or f.x.shape is None:
        return
    for declared, got in declared_and_data(d):
        if not isinstance(declared, int) or not isinstance(got, int):
            continue
        spelled = module_spelling(ctx, declared)
        for leaf in provenance.leaves(got):
            o = leaf.origin
            if not isinstance(o, provenance.Default) or o.span is None or \
                    provenance.recompute(got, {id(leaf): int(declared)}) != int(declared):
                continue
            value = spelled[0] if spelled is not None and _visible_at(ctx, spelled[0].split("[")[0], o.span) \
                else str(int(declared))
            help_default = remedies.default_to(o.param, value)
            yield Cause("default-argument", 74, Label(o.span, remedies.default_label(o.param, int(leaf)), d.file),
                        remedies.data_default_note(o.param, int(leaf), int(declared)), help_default,
                        fix=Fix("unsafe", help_default, [Edit(o.span, value)]),
                        strong=default_relied_on_elsewhere(ctx, o))
            call = call_at(ctx, o.call)
            edit = keyword_edit(call, o.param, value) if call is not None else None
            if edit is not None:
                yield Cause("default-argument", 72, Label(o.call, remedies.default_call_label(o.param), d.file),
                            remedies.data_default_note(o.param, int(leaf), int(declared)),
                            remedies.pass_param(o.param, value), fix=Fix("unsafe", remedies.pass_param(o.param, value),
                                                                         [edit]))
            return
