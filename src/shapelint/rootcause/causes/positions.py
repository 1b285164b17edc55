"""A learned position table one row short of the tokens: a ViT prepends a class token (``concatenate([cls, x],
axis=1)``), so the sequence has ``num_patches + 1`` tokens, while the position embedding was made with
``num_patches`` rows. The add raises; the table's size, where the weight is created, is where the mistake was
written (``self.add_weight(shape=(1, num_patches + 1, dim))`` / ``nn.Parameter(torch.zeros(1, num_patches + 1,
dim))``). Cutting the class token off or slicing the tokens would run and drop what the head reads."""
from __future__ import annotations

import ast
from typing import Optional

from ...core import provenance
from ...core.facts import RuleFacts
from ...core.program import Span
from ...core.values import Tensor
from ...core.registry import has
from ...diagnostics import remedies
from ...diagnostics.fixes.source import node_at, tree_of
from ...diagnostics.model import Edit, Fix, Label
from ..cause import Cause

_MAKERS = ("add_weight", "zeros", "randn", "rand", "empty", "ones", "normal")  # how a table is created


def table_without_class_token(ctx, d):
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or len(f.op.inputs) != 2:
        return
    a, b = f.op.inputs
    if not all(isinstance(v, Tensor) and v.shape is not None and len(v.shape) == 3 for v in (a, b)):
        return
    for tokens, table, index in ((a, b, 1), (b, a, 0)):
        n, m = tokens.shape[1], table.shape[1]
        if not isinstance(n, int) or not isinstance(m, int) or n != m + 1 or tokens.shape[2] != table.shape[2]:
            continue
        if not _class_token_joined(f.inference, tokens):
            continue
        spans = f.op.layer.extra.get("input_spans") or []
        site = _table_size_site(ctx, spans[index] if index < len(spans) else None)
        if site is None:
            continue
        span, text = site
        spelled = f"{text} + 1"
        help_text = remedies.one_row_for_class_token(spelled)
        yield Cause("layer-number", 86, Label(span, remedies.table_rows_label(m, n), d.file),
                    remedies.table_rows_note(m, n), help_text, fix=Fix("unsafe", help_text, [Edit(span, spelled)]),
                    strong=True)
        return


def table_not_sliced(ctx, d):
    """A position table of ``max_len`` rows added whole to a shorter sequence: (B, 180, D) + (1, 256, D) cannot
    broadcast. The table holds the positions up to the longest sequence the model takes; the tokens read the first
    ones, ``self.pe[:, : x.size(1)]``. Writing the sequence's length as ``max_len`` would make the model take that
    one length only."""
    f = d.facts
    if not isinstance(f, RuleFacts) or f.mismatch.code != "merge-shape-mismatch" or len(f.op.inputs) != 2 or \
            f.op.layer.framework != "torch":
        return
    a, b = f.op.inputs
    if not all(isinstance(v, Tensor) and v.shape is not None and len(v.shape) == 3 for v in (a, b)):
        return
    spans = f.op.layer.extra.get("input_spans") or [None, None]
    for tokens, table, index in ((a, b, 1), (b, a, 0)):
        for step, batch in ((1, 0), (0, 1)):  # batch-first (1, L, D) or sequence-first (L, 1, D) tables
            n, m = tokens.shape[step], table.shape[step]
            if table.shape[batch] != 1 or tokens.shape[2] != table.shape[2] or not isinstance(n, int) or \
                    not isinstance(m, int) or m <= n or tokens.shape[batch] == 1:
                continue
            if isinstance(provenance.origin_of(m), provenance.Computed):
                continue  # a length computed for one input size (a ViT's patches of `img_size`): not a maximum
            table_node = node_at(spans[index], ctx.lines) if index < len(spans) and spans[index] else None
            tokens_node = node_at(spans[1 - index], ctx.lines) if spans[1 - index] else None
            if not (isinstance(table_node, ast.Attribute) and isinstance(table_node.value, ast.Name) and
                    table_node.value.id == "self") or not isinstance(tokens_node, ast.Name):
                continue
            cut = f"[:, : {tokens_node.id}.size(1)]" if step == 1 else f"[: {tokens_node.id}.size(0)]"
            span = Span.of(table_node)
            edit = Edit(Span(span.end_line, span.end_column, span.end_line, span.end_column), cut)
            spelled = f"{ctx.text(span)}{cut}"
            help_text = remedies.slice_the_table(spelled)
            yield Cause("table-not-sliced", 84, Label(span, remedies.table_not_sliced_label(m, n), d.file),
                        remedies.table_not_sliced_note(m, n), help_text, fix=Fix("unsafe", help_text, [edit]),
                        strong=True)
            return


def _class_token_joined(inference, tokens) -> bool:
    """``tokens`` came out of a concatenation along axis 1 with a one-token tensor (the class token)."""
    op = inference.producer_of(tokens)
    if op is None or not has(op.layer, "joins") or len(op.inputs) != 2:
        return False
    return any(isinstance(v, Tensor) and v.shape is not None and len(v.shape) == 3 and v.shape[1] == 1
               for v in op.inputs)


def _table_size_site(ctx, operand: Optional[Span]) -> Optional[tuple]:
    """(span, text) of the token count in the shape the table ``self.<name>`` was created with."""
    node = node_at(operand, ctx.lines) if operand is not None else None
    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"):
        return None
    tree = tree_of(ctx.lines)
    made = [n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) and len(n.targets) == 1
            and isinstance(n.targets[0], ast.Attribute) and n.targets[0].attr == node.attr] if tree is not None else []
    if len(made) != 1:
        return None
    dims = _shape_elements(made[0])
    if dims is None or len(dims) != 3:
        return None
    size = dims[1]
    text = ast.get_source_segment(ctx.source, size)
    if text is None or "\n" in text:
        return None
    return Span.of(size), text if not isinstance(size, ast.BinOp) else f"({text})"


def _shape_elements(call) -> Optional[list]:
    """The shape a table is made with: ``add_weight(shape=(1, n, d))``, ``nn.Parameter(torch.zeros(1, n, d))``."""
    for _ in range(2):
        if not isinstance(call, ast.Call):
            return None
        name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
        if name == "Parameter" and call.args:
            call = call.args[0]
            continue
        if name not in _MAKERS:
            return None
        shape = next((k.value for k in call.keywords if k.arg in ("shape", "size")), None)
        if isinstance(shape, (ast.Tuple, ast.List)):
            return list(shape.elts)
        if len(call.args) == 1 and isinstance(call.args[0], (ast.Tuple, ast.List)):
            return list(call.args[0].elts)
        return list(call.args) if name != "add_weight" and call.args else None
    return None
