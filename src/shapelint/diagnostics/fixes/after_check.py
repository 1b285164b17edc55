"""Fixes decided after the whole file is checked. Cross-op checks (data vs model, labels vs loss) point at several
places at once; their fix is spelled here from the diagnostic's labels (the loss call, the data argument, the
declared input) and, where the mismatch comes from the model, from the model itself (from_model.py)."""
from __future__ import annotations

import ast
import re
from typing import Optional

from ...core.program import Layer, Span
from ..model import Edit, Fix
from .edits import wrap_edit
from .from_model import (_keras_decoder_fix, _last_step_fix, _loss_shapes, _output_padding_fix,
                         _output_width_fix)
from .labels import _call_of, _label, _shape_of
from .source import _line, _parent, _source_text, node_at, spell


# -- fixes decided after the whole file is checked ---------------------------------------------------------------
# Cross-op checks (data vs model, labels vs loss) point at several places at once; their fix is spelled here from
# the diagnostic's own labels (the loss call, the data argument, the declared input), once the file is checked.
_PERMUTE = {3: "(2, 0, 1)", 4: "(0, 3, 1, 2)", 5: "(0, 4, 1, 2, 3)"}


def _wrap(node, suffix: str, lines: list) -> Optional[Edit]:
    return wrap_edit(Span.of(node), suffix, lines) if node is not None else None


def _wrap_call(node, func: str, extra: str, lines: list) -> Optional[Edit]:
    """``y_val`` -> ``to_categorical(y_val, 3)``."""
    code = _source_text(Span.of(node), lines, atom=False)
    return Edit(Span.of(node), f"{func}({code}{extra})") if code is not None else None


def _keyword_edit(call: ast.Call, name: str, value: str, lines: list) -> Optional[Edit]:
    """Set keyword ``name`` of a call to ``value`` (replace it, or add it before the closing parenthesis)."""
    for kw in call.keywords:
        if kw.arg == name:
            return Edit(Span.of(kw.value), value)
    end = Span.of(call)
    if end is None:
        return None
    pos = Span(end.end_line, end.end_column - 1, end.end_line, end.end_column - 1)
    return Edit(pos, (", " if call.args or call.keywords else "") + f"{name}={value}")


def _string_edit(node, new: str) -> Optional[Edit]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return Edit(Span.of(node), repr(new))
    return None


def _remove_element_edit(node, lines: list) -> Optional[Edit]:
    """Delete a list / call-argument element with its separator: its whole line when it sits on its own line,
    else the text between it and its neighbour."""
    parent = _parent(node)
    items = parent.elts if isinstance(parent, (ast.List, ast.Tuple)) else getattr(parent, "args", [])
    if node not in items or len(items) < 2:
        return None
    line = _line(lines, node.lineno)
    if node.lineno == node.end_lineno and not line[: node.col_offset].strip() and \
            line[node.end_col_offset:].strip() in (",", "") and node.lineno < len(lines):
        return Edit(Span(node.lineno, 1, node.lineno + 1, 1), "")
    i = items.index(node)
    if i > 0:
        prev = items[i - 1]
        return Edit(Span(prev.end_lineno, prev.end_col_offset + 1, node.end_lineno, node.end_col_offset + 1), "")
    nxt = items[1]
    return Edit(Span(node.lineno, node.col_offset + 1, nxt.lineno, nxt.col_offset + 1), "")


def _rename_call(node, names: dict):
    """``keras.losses.CategoricalCrossentropy()`` -> ``...SparseCategoricalCrossentropy()``: rename the callee."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    old = func.attr if isinstance(func, ast.Attribute) else (func.id if isinstance(func, ast.Name) else None)
    if old not in names:
        return None
    end = Span.of(func)
    return Edit(Span(end.end_line, end.end_column - len(old), end.end_line, end.end_column), names[old]), \
        f"use `{names[old]}`"


_SPARSE_SWAP = {"CategoricalAccuracy": "SparseCategoricalAccuracy", "SparseCategoricalAccuracy": "CategoricalAccuracy",
                "sparse_categorical_accuracy": "categorical_accuracy",
                "categorical_accuracy": "sparse_categorical_accuracy"}


def _torch_loss_fix(d, lines: list, primary):
    """Targets of a PyTorch loss: dtype conversion, or the trailing axis that makes them fit the prediction."""
    called = _label(d, "called here with")
    call = _call_of(called, lines) or (primary if isinstance(primary, ast.Call) else None)
    if call is None or len(call.args) < 2:
        return None
    target = call.args[1]
    out = _shape_of(called.text) if called is not None else None
    tgt_label = _label(d, "target (")
    tgt = _shape_of(tgt_label.text) if tgt_label else None
    if d.name == "label-dtype-mismatch":
        suffix = ".long()" if "long" in d.message and "float32" in d.message else ".float()"
        return _wrap(target, suffix, lines), f"convert the targets with `{suffix[1:]}`"
    if out and tgt and len(out) == 2 and out[1] == 1 and len(tgt) == 1:
        return _wrap(target, ".unsqueeze(1)", lines), "give the targets a trailing axis with `.unsqueeze(1)`"
    if out and tgt and len(out) == 2 and len(tgt) == 2 and tgt[1] == 1 and out[1] != 1:
        return _wrap(target, ".squeeze(1)", lines), "drop the targets' trailing axis with `.squeeze(1)`"
    m = re.search(r"`target(\.(?:squeeze|unsqueeze|long|float|view)\([^`]*\))`", d.help or "")
    if m:  # the check spelled the conversion in its help
        return _wrap(target, m.group(1), lines), f"convert the targets with `{m.group(1)[1:]}`"
    return None


def _feature_map_view_fix(d, node):
    """A (batch, features) tensor viewed as maps that do not fit, ``x.view(-1, 128, 8, 8)`` on (64, 6272): keep the
    channels and make the maps square (or a sequence) of the size the features allow, ``x.view(-1, 128, 7, 7)``."""
    m = re.search(r"turns \((\w+), (\d+)\) into", d.message or "")
    if m is None or not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and
                         node.func.attr in ("view", "reshape") and len(node.args) in (3, 4)):
        return None
    first, channels = node.args[0], node.args[1]
    if not (isinstance(first, ast.UnaryOp) and isinstance(first.op, ast.USub)) or \
            not isinstance(channels, ast.Constant) or not isinstance(channels.value, int) or channels.value <= 0:
        return None
    feats, c = int(m.group(2)), channels.value
    if feats % c:
        return None
    per = feats // c
    n = len(node.args) - 2
    side = round(per ** (1.0 / n))
    if side ** n != per:
        return None
    a, b = Span.of(node.args[2]), Span.of(node.args[-1])
    text = ", ".join([str(side)] * n)
    return Edit(Span(a.line, a.column, b.end_line, b.end_column), text), \
        f"view the {feats} features as {c} maps of {' x '.join([str(side)] * n)}"


def _view_fix(node):
    """``x.view(-1, 400)`` with a size that does not fit -> ``x.view(x.size(0), -1)`` (keep the batch axis)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("view", "reshape")
            and isinstance(node.func.value, ast.Name) and len(node.args) == 2):
        return None
    a, b = Span.of(node.args[0]), Span.of(node.args[1])
    var = node.func.value.id
    return Edit(Span(a.line, a.column, b.end_line, b.end_column), f"{var}.size(0), -1"), \
        f"flatten with `{var}.{node.func.attr}({var}.size(0), -1)`"


def _derived_fix(d, lines: list, file_result=None):
    """(edit, title) for a diagnostic whose fix can be read off its labels, or None."""
    node = node_at(d.primary.span, lines) if d.primary is not None else None
    if d.name in ("labels-loss-mismatch", "loss-broadcast", "label-out-of-range") and _label(d, "called here with"):
        found = _output_width_fix(d, lines, file_result)
        if found is not None:
            return found
    if d.name == "labels-loss-mismatch" and "return_sequences=False" in (d.help or ""):
        call = _call_of(_label(d, "return_sequences=True"), lines)
        if call is not None:
            return _keyword_edit(call, "return_sequences", "False", lines), "set `return_sequences=False`"
    if d.name in ("loss-broadcast", "labels-loss-mismatch") and _label(d, "model output") and _label(d, "labels ("):
        head = _call_of(_label(d, "model output"), lines)  # Keras: the last Dense, its units first
        labels = _shape_of(_label(d, "labels (").text)
        units = head.args[0] if head is not None and head.args else None
        output = _shape_of(_label(d, "model output").text)
        if labels and len(labels) == 2 and isinstance(labels[1], int) and units is not None and \
                (isinstance(units, ast.Constant) or (output and len(output) == 2 and output[1] != labels[1])):
            # `Dense(horizon // 2)` against 24-step targets: the expression is replaced by the targets' width
            return Edit(Span.of(units), str(labels[1])), f"give the last layer {labels[1]} units"
        if labels and len(labels) == 1 and isinstance(units, ast.Constant) and "targets" in d.message and \
                output and len(output) == 2 and units.value != 1:
            return Edit(Span.of(units), "1"), "give the last layer 1 unit: one target value per sample"
    if d.name == "labels-loss-mismatch" and "validation labels" in (d.help or "") and "one-hot" in (d.help or ""):
        pair = node if isinstance(node, (ast.Tuple, ast.List)) and len(node.elts) >= 2 else None
        classes = _shape_of(re.search(r"\(one-hot[^)]*\)\)", d.help or "").group(0)) \
            if re.search(r"\(one-hot[^)]*\)\)", d.help or "") else None
        encode = spell("keras.utils.to_categorical", lines)
        if pair is not None and classes and len(classes) == 2 and encode is not None:
            return _wrap_call(pair.elts[1], encode, f", {classes[1]}", lines), \
                f"one-hot the validation labels with `{encode.rsplit('.', 1)[-1]}`"
    if d.name == "reshape-mixes-samples":
        found = _feature_map_view_fix(d, node)
        if found is not None:
            return found
    if d.name in ("reshape-size-mismatch", "reshape-mixes-samples", "sample-count-mismatch"):
        found = _view_fix(node)  # sample-count-mismatch: when the check blamed a view that folded the batch
        if found is not None or d.name != "sample-count-mismatch":
            return found
    if d.name in ("labels-loss-mismatch", "loss-broadcast") and all(_loss_shapes(d)):
        found = _output_padding_fix(d, file_result) or _last_step_fix(d, lines, file_result)
        if found is not None:
            return found
    if d.name in ("labels-loss-mismatch", "loss-broadcast") and _label(d, "model output"):
        found = _keras_decoder_fix(d, file_result)
        if found is not None:
            return found
    if d.name in ("label-dtype-mismatch", "loss-broadcast", "labels-loss-mismatch") and \
            (_label(d, "called here with") or _label(d, "target (")):
        return _torch_loss_fix(d, lines, node)
    if d.name == "labels-loss-mismatch" and "sparse_categorical_crossentropy" in (d.help or ""):
        return _rename_call(node, {"CategoricalCrossentropy": "SparseCategoricalCrossentropy"})
    if d.name == "reduction-over-batch-axis":
        call = node if isinstance(node, ast.Call) else None
        if call is not None:
            torch = "dim" in (d.help or "")
            value = "1" if torch else "-1"
            title = "reduce over the class axis"
            given = [a for a in call.args if isinstance(a, ast.Constant) and type(a.value) is int]
            if given and not any(k.arg in ("dim", "axis") for k in call.keywords):  # `x.argmax(0)`, `softmax(x, 0)`
                return Edit(Span.of(given[-1]), value), title
            return _keyword_edit(call, "dim" if torch else "axis", value, lines), title
    if d.name == "probabilities-into-logits-loss":
        if isinstance(node, ast.Call):  # nn.Softmax() in a Sequential: remove it
            return _remove_element_edit(node, lines), "remove the final softmax; the loss applies it"
        flag = _label(d, "`from_logits=True`")
        call = _call_of(flag, lines)
        if call is not None:
            return _keyword_edit(call, "from_logits", "False", lines), "set `from_logits=False`"
    if d.name == "single-unit-categorical-loss":
        return _string_edit(node, "binary_crossentropy"), "use `binary_crossentropy`"
    if d.name == "sequence-output-for-sample-targets":
        if isinstance(node, ast.Constant) and node.value is True:
            return Edit(Span.of(node), "False"), "set `return_sequences=False`"
        if isinstance(node, ast.Call):
            return _keyword_edit(node, "return_sequences", "False", lines), "set `return_sequences=False`"
    if d.name == "batch-first-confusion" and isinstance(node, ast.Call):
        # the code after the layer is written batch-first (that is why the data is): make the layer agree
        return _keyword_edit(node, "batch_first", "True", lines), "pass `batch_first=True`"
    if d.name == "label-out-of-range":
        m = re.search(r"give the last layer (\d+) units", d.help or "")
        units = node.args[0] if isinstance(node, ast.Call) and node.args else node
        if m and isinstance(units, ast.Constant) and isinstance(units.value, int):
            return Edit(Span.of(units), m.group(1)), f"give the last layer {m.group(1)} units"
    if d.name in ("metric-labels-mismatch", "metric-label-format"):
        if isinstance(node, ast.Constant) and node.value in _SPARSE_SWAP:
            return _string_edit(node, _SPARSE_SWAP[node.value]), f"use `{_SPARSE_SWAP[node.value]}`"
        return _rename_call(node, _SPARSE_SWAP)
    if d.name == "data-input-mismatch":
        m = re.search(r"`x(\.(?:reshape|transpose)\([^`]*\))`", d.help or "")
        suffix = m.group(1) if m else ""
        if re.search(r"\bx\b", suffix):  # the help's `x` stands for the data: spell it as the user did
            suffix = re.sub(r"\bx\b", node.id, suffix) if isinstance(node, ast.Name) else ""
        if suffix and node is not None:
            return _wrap(node, suffix, lines), f"change the data with `{suffix[1:]}`"
        m = re.search(r"declare the input as \(None, ([^)]*)\)", d.help or "")
        declared = _label(d, "input declared as")
        value = node_at(declared.span, lines) if declared is not None else None
        kw = _parent(value)
        if m and isinstance(kw, ast.keyword) and kw.arg in ("shape", "input_shape", "input_dim"):
            dims = [p.strip() for p in m.group(1).split(",") if p.strip()]
            new = (dims[0] if len(dims) == 1 else None) if kw.arg == "input_dim" else \
                "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
            if new is not None:
                return Edit(Span.of(value), new), f"declare the input as {new}"
        call = _call_of(declared, lines)
        if m and call is not None:
            dims = [p.strip() for p in m.group(1).split(",") if p.strip()]
            shape = "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"
            kw = next((k for k in call.keywords if k.arg in ("shape", "input_shape", "input_dim")), None)
            if kw is not None and kw.arg == "input_dim":
                shape = dims[0] if len(dims) == 1 else None
            if kw is not None and shape is not None:
                return Edit(Span.of(kw.value), shape), f"declare the input as {shape}"
    return None


def complete_fixes(file_result) -> None:
    """Give a fix to diagnostics whose remedy depends on where the front-end finally pointed them: channels-last
    data gets ``.permute(...)`` at the call site; data, label and loss problems get the edit their labels imply.
    All of these change the data or the training code, so they are unsafe."""
    lines = (file_result.source or "").splitlines()
    for d in file_result.diagnostics:
        if d.fix is not None or d.primary is None or d.severity == "info":
            continue
        if d.name == "channels-last-input":
            rank = len(_shape_of(d.primary.text) or ())
            stated = re.search(r"x\.permute(\([\d, ]+\))", d.help or "")  # the rule's own axis order
            order = stated.group(1) if stated else _PERMUTE.get(rank)
            target = _fed_argument(d, lines) if order else None
            edit = wrap_edit(target, f".permute{order}", lines) if target is not None else None
            if edit is not None:
                d.fix = Fix("unsafe", f"permute the data to channels-first with `.permute{order}`", [edit])
            continue
        try:
            found = _derived_fix(d, lines, file_result)
        except (ValueError, AttributeError, TypeError):  # an unexpected source shape: no fix, never a crash
            found = None
        if found is not None and found[0] is not None:
            d.fix = Fix("unsafe", found[1], list(found[0]) if isinstance(found[0], list) else [found[0]])
            if len(found) > 2 and found[2].origin.span is not None and d.primary is not None:
                _blame(d, found[2])
                d.fix.per_shape = True  # decoder sizes worked out for this input
    drop_conflicting_fixes(file_result.diagnostics)


def _blame(d, layer: Layer) -> None:
    """The fix found the layer that causes a mismatch seen at the loss (a decoder's transposed convolution): the
    diagnostic points there, and the loss keeps a secondary label."""
    from ..model import Label
    old = d.primary
    d.secondary.insert(0, Label(old.span, old.text or "the mismatch shows here", old.file))
    d.primary = Label(layer.origin.span, "does not multiply the size by its stride", old.file)


def drop_conflicting_fixes(diagnostics: list) -> None:
    """Two fixes that write different text at the same place (a layer built in a loop, each instance wanting its
    own value) cannot both be right: neither is applied; they are shown for the user to choose."""
    texts: dict = {}
    for d in diagnostics:
        for e in (d.fix.edits if d.fix is not None else []):
            texts.setdefault(e.span, set()).add(e.text)
    for d in diagnostics:
        if d.fix is not None and any(len(texts.get(e.span, ())) > 1 for e in d.fix.edits):
            d.fix = Fix("display-only", d.fix.title + " (another diagnostic wants a different value here: the layer "
                        "is built more than once from this line)", [])


def _fed_argument(d, lines: list) -> Optional[Span]:
    """The expression fed to the model: a labelled first argument of a call (``model(torch.from_numpy(x))``), or
    the first argument of a call labelled "fed to the model here"."""
    for label in [d.primary] + list(d.secondary):
        node = node_at(label.span, lines)
        parent = _parent(node)
        if "channels-last data" in (label.text or "") and isinstance(parent, ast.Call) and parent.args \
                and parent.args[0] is node:
            return label.span
        if "fed to the model" in (label.text or "") and isinstance(node, ast.Call) and node.args:
            return Span.of(node.args[0])
    return None
