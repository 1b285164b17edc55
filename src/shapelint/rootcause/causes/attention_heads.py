"""A model width raised in a config while the head count stays at its default: ``CONFIG = {"emb_dim": 256, ...}``
fed to ``ViTEncoder(emb_dim=192, num_head=3)``. The attention layer refuses 256 / 3, and it raises inside the
encoder; the mistake is the config that changes one of two sizes written as a pair. The fix names the head count
beside the width, keeping the head width the defaults were made with (192 / 3 = 64, so 256 / 64 = 4 heads)."""
from __future__ import annotations

import ast
from typing import Optional

from ...core import provenance
from ...core.facts import RuleFacts
from ...diagnostics import remedies
from ...diagnostics.fixes.calls import keyword_edit
from ...diagnostics.fixes.source import function_at, node_at, parameter_defaults, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ...core.program import Span
from ..cause import Cause
from ..sites import single_binding
from ..spelling import call_at

_HEADS = ("nhead", "num_heads")
_WIDTHS = ("d_model", "embed_dim")


def heads_left_at_default(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "invalid-argument" or f.mismatch.arg not in _HEADS:
        return
    layer = _holding(f.op.layer, f.mismatch.arg)
    width_key = next((k for k in _WIDTHS if layer is not None and k in layer.args), None)
    if width_key is None:
        return
    heads, width = layer.args[f.mismatch.arg], layer.args[width_key]
    o, w = provenance.origin_of(heads), provenance.origin_of(width)
    if not isinstance(o, provenance.Default) or o.call is None or o.span is None or \
            not isinstance(w, provenance.Written) or not isinstance(width, int):
        return  # both sizes defaults, or both written by the user: nothing says which one was meant
    count = _heads_for(ctx, o, layer.arg_spans.get(width_key), int(width), int(heads))
    if count is None:
        return
    call = call_at(ctx, o.call)
    splats = call is not None and any(k.arg is None for k in call.keywords)  # `Encoder(**CONFIG)`
    edit = _config_entry_edit(ctx, w.span, o.param, count) if splats else None
    help_text = remedies.config_entry_beside(o.param, count)
    if edit is None:
        edit = keyword_edit(call, o.param, str(count)) if call is not None else None
        help_text = remedies.pass_param(o.param, count)
    yield Cause("default-argument", 83, Label(w.span, remedies.width_without_heads_label(int(width), o.param), d.file),
                remedies.width_without_heads_note(int(width), o.param, int(heads), count), help_text,
                fix=Fix("unsafe", help_text, [edit]) if edit is not None else None,
                secondary=[Label(o.span, remedies.default_label(o.param, int(heads)), d.file)], strong=True)


def _holding(layer, arg: str):
    """The layer holding ``arg``: the layer itself, or the encoder layer a ``TransformerEncoder`` was given."""
    if arg in layer.args:
        return layer
    inner = [getattr(v, "layer", None) for v in layer.args.values()]
    return next((lay for lay in inner if lay is not None and arg in getattr(lay, "args", {})), None)


def _heads_for(ctx, o, width_span: Optional[Span], width: int, heads: int) -> Optional[int]:
    """The head count keeping the head width of the defaults (the width's own default over the heads' default),
    else the largest count below the default that divides the width."""
    default_width = _default_of(ctx, o.span, ctx.text(width_span) if width_span is not None else None)
    if default_width and default_width % heads == 0 and width % (default_width // heads) == 0:
        return width // (default_width // heads)
    return next((h for h in range(heads - 1, 0, -1) if width % h == 0 and h > 1), None)


def _default_of(ctx, default_span: Span, name: Optional[str]) -> Optional[int]:
    """The int default of parameter ``name`` in the ``def`` whose parameters hold ``default_span``."""
    tree = tree_of(ctx.lines)
    if tree is None or not name or not name.isidentifier():
        return None
    fn = next((f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and
               f.lineno <= default_span.line <= f.body[0].lineno), None)
    value = parameter_defaults(fn).get(name) if fn is not None else None
    return value.value if isinstance(value, ast.Constant) and type(value.value) is int else None


def _config_entry_edit(ctx, span: Span, param: str, count: int) -> Optional[Edit]:
    """A new entry ``"<param>": count`` beside the config entry that set the width, when that entry is in a dict
    literal (the call reads it through ``**config``)."""
    node = node_at(span, ctx.lines, ast.Constant)
    table = getattr(node, "_shapelint_parent", None)
    if not isinstance(table, ast.Dict) or node not in table.values:
        return None
    if any(isinstance(k, ast.Constant) and k.value == param for k in table.keys):
        return None
    end = Span.of(node)
    at = Span(end.end_line, end.end_column, end.end_line, end.end_column)
    key = table.keys[table.values.index(node)]
    if table.lineno != table.end_lineno:  # one entry a line: the new one on its own line, indented alike
        rest = ctx.lines[end.end_line - 1][end.end_column:]
        indent = " " * key.col_offset
        if rest.lstrip().startswith(","):
            col = end.end_column + rest.index(",") + 1
            return Edit(Span(end.end_line, col, end.end_line, col), f'\n{indent}"{param}": {count},')
        return Edit(at, f',\n{indent}"{param}": {count}')
    return Edit(at, f', "{param}": {count}')


def width_is_joined_features(ctx, d):
    """The attention width is the sum of the feature widths joined before it (text 300 + audio 74 + visual 35 =
    409) and the head count does not divide it. Neither number is wrong on its own: the joined features were given
    to the attention as its model width with no projection. Editing a feature width (the data has 74 audio
    features) or the head count to a divisor of a prime would "run"; the expert projects the joined features to a
    width the heads divide. Located where the width is taken from the sum; the fix is described, not applied (the
    width is the user's choice)."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "invalid-argument" or f.mismatch.arg not in _HEADS:
        return
    layer = _holding(f.op.layer, f.mismatch.arg)
    width_key = next((k for k in _WIDTHS if layer is not None and k in layer.args), None)
    if width_key is None:
        return
    heads, width = layer.args[f.mismatch.arg], layer.args[width_key]
    parts = _summed_widths(width)
    span = layer.arg_spans.get(width_key)
    if not isinstance(heads, int) or not isinstance(width, int) or len(parts) < 2 or span is None or \
            not _joined_from(f, sorted(int(p) for p in parts)):
        return
    site = _bound_from(ctx, span) or span
    model_width = max(heads, (int(width) // heads) * heads)
    help_text = remedies.project_joined_features(ctx.text(site) or str(int(width)), model_width)
    yield Cause("formula", 82, Label(site, remedies.joined_width_label([int(p) for p in parts], int(width)), d.file),
                remedies.joined_width_note(int(width), int(heads)), help_text,
                fix=Fix("display-only", help_text, []), strong=True)


def _joined_from(f, widths: list) -> bool:
    """The attention's input was made by joining tensors on their last axis whose widths are ``widths``: the sum is
    of the joined features, not any formula."""
    x = f.op.inputs[0] if f.op.inputs else None
    join = f.inference.producer_of(x) if x is not None else None
    if join is None or join.layer.kind not in ("cat", "concat", "concatenate") or not join.inputs:
        return False
    lasts = [getattr(t, "shape", None) for t in join.inputs]
    return all(s for s in lasts) and sorted(int(s[-1]) for s in lasts if isinstance(s[-1], int)) == widths


def _summed_widths(width) -> list:
    """The sizes ``width`` was added up from, when its history is a sum (of sums) of at least two sizes."""
    o = provenance.origin_of(width)
    if isinstance(o, provenance.Default) and o.inner is not None:
        o = provenance.origin_of(o.inner) if not isinstance(o.inner, provenance.Computed) else o.inner
    if not isinstance(o, provenance.Computed) or o.op not in ("add", "+"):
        return []
    parts = []
    for v in o.operands:
        inner = _summed_widths(v)
        parts.extend(inner if inner else [v])
    return parts if all(isinstance(v, int) for v in parts) else []


def _bound_from(ctx, span: Span) -> Optional[Span]:
    """``d_model = cfg.fused_dim`` when the argument is a local name bound once in its function: its value."""
    text = ctx.text(span)
    tree = tree_of(ctx.lines)
    if not text or not text.isidentifier() or tree is None:
        return None
    scope = function_at(tree, span.line)
    value = single_binding(scope, text) if scope is not None else None
    return Span.of(value) if value is not None else None
