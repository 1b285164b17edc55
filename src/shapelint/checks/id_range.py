"""Integer ids fed to an embedding table that has no row for the largest of them (a vocabulary numbered from 1, with
0 kept for padding, and ``Embedding(input_dim=len(vocab))``). PyTorch raises ``IndexError: index out of range in
self``; Keras raises on the CPU (TensorFlow's ``indices[..] = 8 is not in [0, 8)``, torch's IndexError) -- and on a
GPU TensorFlow silently returns zeros. The ids' range is known when the data says it (``randint``, token lists)."""
from __future__ import annotations

import ast

from ..core import provenance
from ..core.program import Span
from ..diagnostics import remedies
from ..diagnostics.fixes.source import module_value, node_at, tree_of
from ..diagnostics.model import Edit, Fix
from ..frontends.source.objects import LayerObj
from .facts import IdRangeFacts
from .report import emit, span_text

_TABLES = {("keras", "Embedding"): "input_dim", ("torch", "Embedding"): "num_embeddings",
           ("torch", "EmbeddingBag"): "num_embeddings"}


def check_feed(ev, model, x, call) -> None:
    """``x`` fed to ``model`` by ``call``: every embedding that reads it directly must have a row for each id. A
    list of arrays (``fit([users, books], ...)``) feeds a model's inputs in order: each is checked against its own."""
    if getattr(model, "uncertain", False):
        return
    fed = list(x) if isinstance(x, (list, tuple)) else [x]
    for run in getattr(model, "runs", []):
        inputs = run.program.inputs
        if not inputs or len(inputs) != len(fed):
            continue
        for data, given in zip(fed, inputs):
            if _check_input(ev, model, run, data, given, call):
                return


def _check_input(ev, model, run, x, given, call) -> bool:
    rng = x.meta.get("int_range") if hasattr(x, "meta") else None
    if not rng or x.shape is None or x.meta.get("ids_from_lookup") is not None:
        return False  # (ids from a StringLookup: vocabulary_of_a_lookup sizes the table from the lookup itself)
    low, high = rng[0], rng[1] - 1
    shape = getattr(given, "shape", None)
    if model.framework == "torch" and (shape is None or tuple(shape) != tuple(x.shape)):
        return False
    for op in run.program.ops:
        arg = _TABLES.get((op.layer.framework, op.layer.kind))
        if arg is None or not op.inputs or op.inputs[0] is not given:
            continue
        rows = op.layer.args.get(arg)
        if isinstance(rows, int) and not isinstance(rows, bool) and high >= rows:
            if _counted_from_one(ev, model, op.layer):
                return False  # a vocabulary numbered from 1, sized len(...): vocabulary_from_one says it there
            _report(ev, model, op.layer, arg, rows, low, high, x, call)
            return True
    return False


def _counted_from_one(ev, model, layer) -> bool:
    """Whether ``layer``'s table is sized ``len(word_index)`` of a dict numbering its keys from 1."""
    return any(op.layer is layer and _ids_from_one(ev, name, int(rows)) is not None
               for op, _, rows, _, name in _tables_sized_by_len(model))


def vocabulary_from_one(ev, model) -> None:
    """``word_index = {w: i + 1 for i, w in enumerate(vocab)}`` (0 kept for padding) and an embedding table sized
    ``len(vocab)`` (or ``len(word_index)``, passed on through a variable or a constructor): the ids run 1..n and the
    table has rows 0..n-1, so the last word has no row. Reported where the ``len(...)`` is written, fixed by one row
    more -- renumbering the words from 0 would collide with the padding id."""
    if getattr(model, "uncertain", False):
        return
    for op, arg, rows, origin, name in _tables_sized_by_len(model):
        ids = _ids_from_one(ev, name, int(rows))
        if ids is None or not _first_report(ev, op.layer):
            continue
        expr = f"{origin.text} + 1"
        fix = Fix("unsafe", remedies.grow_table(arg, expr), [Edit(origin.span, expr)])
        emit(ev, "id-out-of-range", origin.span, remedies.id_range_label(int(rows), int(rows)),
             secondary=[(op.layer.arg_spans.get(arg) or op.layer.origin.span, f"`{op.layer.kind}` sized here")],
             fix=fix, model=model.display_name, kind=op.layer.kind, low=1, high=int(rows), rows=int(rows),
             arg=arg, notes=[remedies.ids_counted_from_one(ids, int(rows))], remedy=fix.title)


def vocabulary_from_one_unsized(ev, model) -> None:
    """The same mistake when the vocabulary comes from data shapelint cannot count (words read from a corpus): the
    table is sized ``len(word_index)`` (directly or through a module-level name) and ``word_index`` is written as
    ``{w: i + 1 for i, w in enumerate(...)}``. Whatever the count, the last word's id has no row."""
    if getattr(model, "uncertain", False):
        return
    for run in getattr(model, "runs", []):
        for op in run.program.ops:
            arg = _TABLES.get((op.layer.framework, op.layer.kind))
            if arg is None or isinstance(op.layer.args.get(arg), int) or op.layer.arg_spans.get(arg) is None:
                continue
            tree = tree_of(ev.lines)  # parsed once per file, only for a table of unknown size; with parents
            node = node_at(op.layer.arg_spans.get(arg), ev.lines)
            if isinstance(node, ast.Name):
                node = module_value(tree, node.id)
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "len" and
                    len(node.args) == 1 and isinstance(node.args[0], ast.Name)):
                continue
            vocab = node.args[0].id
            if not _numbered_from_one(module_value(tree, vocab)) or not _first_report(ev, op.layer):
                continue
            text = span_text(ev, Span.of(node))
            expr = f"{text} + 1"
            fix = Fix("unsafe", remedies.grow_table(arg, expr), [Edit(Span.of(node), expr)])
            emit(ev, "id-out-of-range", Span.of(node), remedies.rows_of_len_label(text), variant="from_one",
                 secondary=[(op.layer.arg_spans.get(arg) or op.layer.origin.span,
                             f"`{op.layer.kind}` sized here")], fix=fix, model=model.display_name,
                 kind=op.layer.kind, vocab=vocab, size=text, arg=arg, remedy=fix.title)


def _numbered_from_one(node) -> bool:
    """``{w: i + 1 for i, w in enumerate(words)}`` (or ``start=1``): keys numbered from 1."""
    if not isinstance(node, ast.DictComp) or len(node.generators) != 1:
        return False
    gen = node.generators[0]
    it = gen.iter
    if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "enumerate" and
            isinstance(gen.target, ast.Tuple) and len(gen.target.elts) == 2 and
            isinstance(gen.target.elts[0], ast.Name)):
        return False
    index = gen.target.elts[0].id
    start = next((k.value for k in it.keywords if k.arg == "start"), it.args[1] if len(it.args) > 1 else None)
    v = node.value
    if isinstance(v, ast.Name) and v.id == index:
        return isinstance(start, ast.Constant) and start.value == 1
    return start is None and isinstance(v, ast.BinOp) and isinstance(v.op, ast.Add) and \
        isinstance(v.left, ast.Name) and v.left.id == index and isinstance(v.right, ast.Constant) and v.right.value == 1


_LOOKUPS = ("StringLookup", "IntegerLookup")


def vocabulary_of_a_lookup(ev, model) -> None:
    """``StringLookup(vocabulary=GENRES)`` maps the words to ids 1..len(GENRES) -- id 0 is its out-of-vocabulary
    slot (``num_oov_indices=1``), and a ``mask_token`` takes one more -- while the embedding that reads those ids is
    sized ``len(GENRES)``: the last word has no row (Keras raises in fit on the CPU; TensorFlow on a GPU returns
    zeros). Reported where the ``len(...)`` is written; the fix sizes the table from the lookup,
    ``lookup.vocabulary_size()``. Only a lookup the file calls, in 'int' mode, built on that same list."""
    if getattr(model, "uncertain", False):
        return
    lookups = ev.state.lookup_layers
    if lookups is None:  # once per file: a file of thousands of models has as many names to go through
        scope = getattr(getattr(ev, "module", None), "vars", {})
        lookups = {name: v.layer for name, v in scope.items() if isinstance(v, LayerObj) and v.layer.kind in _LOOKUPS}
        ev.state.lookup_layers = lookups
    if not lookups:
        return
    for op, arg, rows, origin, vocab in _tables_sized_by_len(model):
        if op.layer.framework != "keras":
            continue
        for name, lookup in lookups.items():
            extra = _reserved_ids(ev, lookup, vocab) if name in _called_names(ev) else 0
            if not extra:
                continue
            if not _first_report(ev, op.layer):
                return
            expr = f"{name}.vocabulary_size()"
            fix = Fix("unsafe", remedies.grow_table(arg, expr), [Edit(origin.span, expr)])
            high = int(rows) + extra - 1
            emit(ev, "id-out-of-range", origin.span, remedies.id_range_label(high, int(rows)),
                 secondary=[(lookup.origin.span, f"ids 0..{high}: {extra} reserved before the words"),
                            (op.layer.arg_spans.get(arg) or op.layer.origin.span, f"`{op.layer.kind}` sized here")],
                 fix=fix, model=model.display_name, kind=op.layer.kind, low=0, high=high, rows=int(rows),
                 arg=arg, notes=[remedies.lookup_reserves_ids(lookup.kind, extra, high)], remedy=fix.title)
            return


def _tables_sized_by_len(model):
    """(op, its size argument, the rows, their origin, the name inside ``len(...)``) for every embedding table of the
    model's runs sized by a ``len(...)`` written in the file."""
    for run in getattr(model, "runs", []):
        for op in run.program.ops:
            arg = _TABLES.get((op.layer.framework, op.layer.kind))
            rows = op.layer.args.get(arg) if arg else None
            origin = getattr(rows, "origin", None)
            text = getattr(origin, "text", None) or ""
            if isinstance(rows, int) and getattr(origin, "op", None) == "len" and origin.span is not None and \
                    text.startswith("len(") and text.endswith(")"):
                yield op, arg, rows, origin, text[4:-1].strip()


def _first_report(ev, layer) -> bool:
    """True the first time a table is reported: one diagnostic per embedding, whichever check finds it."""
    done = ev.state.id_range_reported
    if id(layer) in done:
        return False
    done.add(id(layer))
    return True


def _called_names(ev) -> set:
    """The plain names the file calls (``genre_lookup(hist)``), wherever the call is (a tf.data map function)."""
    names = ev.state.called_names
    if names is None:
        tree = getattr(ev, "tree", None)
        names = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)} \
            if tree is not None else set()
        ev.state.called_names = names
    return names


def _reserved_ids(ev, lookup, vocab: str) -> int:
    """How many ids ``lookup`` keeps before the words of ``vocab`` (the OOV slots, a mask token), when it is built
    on that list in 'int' mode; else 0."""
    if span_text(ev, lookup.arg_spans.get("vocabulary")) != vocab or lookup.args.get("output_mode", "int") != "int" \
            or lookup.args.get("invert") is True:
        return 0
    oov = lookup.args.get("num_oov_indices", 1)
    if not isinstance(oov, int) or isinstance(oov, bool):
        return 0
    return oov + (1 if lookup.args.get("mask_token") is not None else 0)


def _ids_from_one(ev, name: str, n: int):
    """The name of a module-level dict numbering ``n`` keys 1..n that ``name`` is (or whose keys ``name`` holds)."""
    scope = getattr(getattr(ev, "module", None), "vars", {})
    if not name.isidentifier() or name not in scope:
        return None
    value = scope[name]
    wanted = set(range(1, n + 1))

    def numbered(d) -> bool:
        return isinstance(d, dict) and len(d) == n and \
            all(isinstance(v, int) and not isinstance(v, bool) for v in d.values()) and set(d.values()) == wanted

    if numbered(value):
        return name
    if isinstance(value, (list, tuple, frozenset)) and len(value) == n:
        keys = set(value) if all(not isinstance(v, (list, dict)) for v in value) else None
        for other, d in scope.items():
            if keys is not None and numbered(d) and set(d.keys()) == keys:
                return other
    return None


def _report(ev, model, layer, arg, rows, low, high, x, call) -> None:
    done = ev.state.id_range_reported
    if id(layer) in done:
        return
    done.add(id(layer))
    span = layer.arg_spans.get(arg) or layer.origin.span
    fix = None
    largest = _largest_id_at(rows)
    if largest is not None and largest.text:  # `input_dim = ids.max()`: the largest id taken for the row count
        span, expr = largest.span, f"{_atom(largest.text)} + 1"
        fix = Fix("unsafe", remedies.grow_table(arg, expr), [Edit(span, expr)])
    elif span is not None and span in layer.arg_spans.values():
        written = span_text(ev, span)
        need = high + 1 - int(rows)
        if written is not None:
            expr = str(high + 1) if written.strip().isdigit() else f"{_atom(written)} + {need}"
            fix = Fix("unsafe", remedies.grow_table(arg, expr), [Edit(span, expr)])
    where = f"made at line {x.origin.line}" if x.origin is not None else "the data"
    emit(ev, "id-out-of-range", span, remedies.id_range_label(high, int(rows)),
         secondary=[(x.origin, f"ids {low}..{high} made here"), (Span.of(call.node), "fed to the model here")],
         fix=fix, model=model.display_name, kind=layer.kind, low=low, high=high, rows=int(rows), arg=arg,
         notes=[remedies.id_range_note(low, high, int(rows), where)],
         remedy=fix.title if fix is not None else remedies.grow_table(arg, str(high + 1)),
         typed=IdRangeFacts(layer, x, call, low, high, rows, arg))


def _largest_id_at(rows):
    """The ``ids.max()`` a table's row count was taken from (frontends/source/data_api._largest_id), or None."""
    o = provenance.origin_of(rows)
    return o if isinstance(o, provenance.Computed) and o.op == "max" and o.span is not None else None


def _atom(text: str) -> str:
    t = text.strip()
    depth = 0
    for ch in t:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth == 0 and ch in "+-*/%<>=&|^ ,":
            return f"({t})"
    return t
